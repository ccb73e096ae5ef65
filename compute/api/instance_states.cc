#include "compute/api/instance_states.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gureum::compute {
namespace {

struct Rule {
  std::vector<std::string> vm_states;    // empty: any
  std::vector<std::string> task_states;  // allowed tasks; "" is none
  bool any_task = false;
};

Rule RuleFor(Action action) {
  const std::vector<std::string> none = {""};
  switch (action) {
    case Action::kStop:
      return {{vm::kActive, vm::kError}, none};
    case Action::kStart:
      return {{vm::kStopped}, none};
    case Action::kRebootSoft:
      return {{vm::kActive}, none};
    case Action::kRebootHard:
      return {{vm::kActive, vm::kStopped, vm::kPaused, vm::kSuspended, vm::kError},
              {"", task::kRebooting, task::kRebootingHard}};
    case Action::kPause:
      return {{vm::kActive}, none};
    case Action::kUnpause:
      return {{vm::kPaused}, none};
    case Action::kSuspend:
      return {{vm::kActive}, none};
    case Action::kResume:
      return {{vm::kSuspended}, none};
    case Action::kRebuild:
      return {{vm::kActive, vm::kStopped, vm::kError}, none};
    case Action::kResize:
      return {{vm::kActive, vm::kStopped}, none};
    case Action::kMigrate:
      return {{vm::kActive, vm::kStopped}, none};
    case Action::kConfirmResize:
      return {{vm::kResized}, none};
    case Action::kRevertResize:
      return {{vm::kResized}, none};
    case Action::kEvacuate:
      return {{vm::kActive, vm::kStopped, vm::kError}, none};
    case Action::kRestore:
      return {{vm::kSoftDeleted}, none};
    case Action::kDelete:
    case Action::kForceDelete:
    case Action::kLock:
    case Action::kUnlock:
    case Action::kUpdate:
    case Action::kConsoleOutput:
      return {{}, {}, true};
  }
  return {{}, {}, true};
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string ActionName(Action action) {
  switch (action) {
    case Action::kStart:
      return "start";
    case Action::kStop:
      return "stop";
    case Action::kRebootSoft:
    case Action::kRebootHard:
      return "reboot";
    case Action::kPause:
      return "pause";
    case Action::kUnpause:
      return "unpause";
    case Action::kSuspend:
      return "suspend";
    case Action::kResume:
      return "resume";
    case Action::kRebuild:
      return "rebuild";
    case Action::kResize:
      return "resize";
    case Action::kConfirmResize:
      return "confirmResize";
    case Action::kRevertResize:
      return "revertResize";
    case Action::kMigrate:
      return "migrate";
    case Action::kEvacuate:
      return "evacuate";
    case Action::kDelete:
      return "delete";
    case Action::kLock:
      return "lock";
    case Action::kUnlock:
      return "unlock";
    case Action::kUpdate:
      return "update";
    case Action::kConsoleOutput:
      return "get_console_output";
    case Action::kRestore:
      return "restore";
    case Action::kForceDelete:
      return "forceDelete";
  }
  return "unknown";
}

absl::Status CheckTransition(const Instance& instance, Action action) {
  const Rule rule = RuleFor(action);
  if (!rule.vm_states.empty() && !Contains(rule.vm_states, instance.vm_state)) {
    return absl::FailedPreconditionError(absl::StrCat("Cannot '", ActionName(action), "' instance ",
                                                      instance.uuid, " while it is in vm_state ",
                                                      instance.vm_state));
  }
  if (!rule.any_task && !Contains(rule.task_states, instance.task_state)) {
    return absl::FailedPreconditionError(absl::StrCat("Cannot '", ActionName(action), "' instance ",
                                                      instance.uuid, " while it is in task_state ",
                                                      instance.task_state));
  }
  return absl::OkStatus();
}

std::string TaskStateFor(Action action) {
  switch (action) {
    case Action::kStart:
      return task::kPoweringOn;
    case Action::kStop:
      return task::kPoweringOff;
    case Action::kRebootSoft:
      return task::kRebooting;
    case Action::kRebootHard:
      return task::kRebootingHard;
    case Action::kPause:
      return task::kPausing;
    case Action::kUnpause:
      return task::kUnpausing;
    case Action::kSuspend:
      return task::kSuspending;
    case Action::kResume:
      return task::kResuming;
    case Action::kRebuild:
      return task::kRebuilding;
    case Action::kResize:
      return task::kResizePrep;
    case Action::kMigrate:
      return task::kResizePrep;
    case Action::kConfirmResize:
      return task::kResizeConfirming;
    case Action::kRevertResize:
      return task::kResizeReverting;
    case Action::kEvacuate:
      return task::kRebuilding;
    case Action::kDelete:
      return task::kDeleting;
    default:
      return "";
  }
}

std::string ApiStatus(const std::string& vm_state, const std::string& task_state) {
  const std::string& t = task_state;
  auto resizing = [&] {
    return t == task::kResizePrep || t == "resize_migrating" || t == "resize_migrated" ||
           t == "resize_finish";
  };
  auto rebuilding = [&] {
    return t == task::kRebuilding || t == task::kRebuildSpawning ||
           t == "rebuild_block_device_mapping";
  };
  if (vm_state == vm::kActive) {
    if (t == task::kRebooting || t == "reboot_pending" || t == "reboot_started") return "REBOOT";
    if (t == task::kRebootingHard || t == "reboot_pending_hard" || t == "reboot_started_hard") {
      return "HARD_REBOOT";
    }
    if (rebuilding()) return "REBUILD";
    if (t == task::kMigrating) return "MIGRATING";
    if (resizing()) return "RESIZE";
    return "ACTIVE";
  }
  if (vm_state == vm::kBuilding) return "BUILD";
  if (vm_state == vm::kStopped) {
    if (resizing()) return "RESIZE";
    if (rebuilding()) return "REBUILD";
    return "SHUTOFF";
  }
  if (vm_state == vm::kResized)
    return t == task::kResizeReverting ? "REVERT_RESIZE" : "VERIFY_RESIZE";
  if (vm_state == vm::kPaused) return t == task::kMigrating ? "MIGRATING" : "PAUSED";
  if (vm_state == vm::kSuspended) return "SUSPENDED";
  if (vm_state == vm::kError) return rebuilding() ? "REBUILD" : "ERROR";
  if (vm_state == vm::kDeleted) return "DELETED";
  if (vm_state == vm::kSoftDeleted) return "SOFT_DELETED";
  return "UNKNOWN";
}

std::vector<std::string> VmStatesForStatus(const std::string& status) {
  std::string s = status;
  std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  if (s == "ACTIVE" || s == "REBOOT" || s == "HARD_REBOOT" || s == "MIGRATING")
    return {vm::kActive};
  if (s == "BUILD") return {vm::kBuilding};
  if (s == "SHUTOFF") return {vm::kStopped};
  if (s == "VERIFY_RESIZE" || s == "REVERT_RESIZE") return {vm::kResized};
  if (s == "RESIZE") return {vm::kActive, vm::kStopped};
  if (s == "PAUSED") return {vm::kPaused};
  if (s == "SUSPENDED") return {vm::kSuspended};
  if (s == "ERROR") return {vm::kError};
  if (s == "DELETED") return {vm::kDeleted};
  if (s == "SOFT_DELETED") return {vm::kSoftDeleted};
  return {};
}

std::string PowerStateName(int power_state) {
  switch (power_state) {
    case kRunning:
      return "Running";
    case kPaused:
      return "Paused";
    case kShutdown:
      return "Shutdown";
    case kCrashed:
      return "Crashed";
    case kSuspended:
      return "Suspended";
    default:
      return "NOSTATE";
  }
}

}  // namespace gureum::compute
