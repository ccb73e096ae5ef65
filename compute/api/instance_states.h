// Nova's instance state machine: which actions an instance accepts in which vm_state and
// task_state, what task_state an accepted action sets, and the API status a client sees
// (nova/compute/vm_states.py, task_states.py, api.py check_instance_state, and
// nova/api/openstack/common.py _STATE_MAP). Pure functions: unit-tested on their own.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compute/api/model.h"

namespace gureum::compute {

namespace vm {
inline constexpr char kActive[] = "active";
inline constexpr char kBuilding[] = "building";
inline constexpr char kPaused[] = "paused";
inline constexpr char kSuspended[] = "suspended";
inline constexpr char kStopped[] = "stopped";
inline constexpr char kResized[] = "resized";
inline constexpr char kDeleted[] = "deleted";
inline constexpr char kError[] = "error";
inline constexpr char kSoftDeleted[] = "soft-delete";  // API status SOFT_DELETED
}  // namespace vm

namespace task {
inline constexpr char kScheduling[] = "scheduling";
inline constexpr char kSpawning[] = "spawning";
inline constexpr char kPoweringOff[] = "powering-off";
inline constexpr char kPoweringOn[] = "powering-on";
inline constexpr char kRebooting[] = "rebooting";
inline constexpr char kRebootingHard[] = "rebooting_hard";
inline constexpr char kPausing[] = "pausing";
inline constexpr char kUnpausing[] = "unpausing";
inline constexpr char kSuspending[] = "suspending";
inline constexpr char kResuming[] = "resuming";
inline constexpr char kRebuilding[] = "rebuilding";
inline constexpr char kResizePrep[] = "resize_prep";
inline constexpr char kResizeReverting[] = "resize_reverting";
inline constexpr char kResizeConfirming[] = "resize_confirming";
inline constexpr char kMigrating[] = "migrating";
inline constexpr char kRebuildSpawning[] = "rebuild_spawning";
inline constexpr char kDeleting[] = "deleting";
inline constexpr char kImageSnapshot[] = "image_snapshot";
inline constexpr char kSoftDeleting[] = "soft-deleting";
inline constexpr char kRestoring[] = "restoring";
}  // namespace task

// The server actions of the API.
enum class Action {
  kStart,
  kStop,
  kRebootSoft,
  kRebootHard,
  kPause,
  kUnpause,
  kSuspend,
  kResume,
  kRebuild,
  kResize,
  kConfirmResize,
  kRevertResize,
  kMigrate,
  kEvacuate,
  kDelete,
  kLock,
  kUnlock,
  kUpdate,
  kConsoleOutput,
  kRestore,      // a soft-deleted server back (os-deferred-delete)
  kForceDelete,  // deleted at once, soft deleted or not
};

// Nova's name of the action in messages and instance-action records ("stop", "reboot").
std::string ActionName(Action action);

// OK if `action` may start on `instance` now, else FailedPrecondition (HTTP 409) with
// Nova's message: "Cannot 'stop' instance <uuid> while it is in vm_state stopped" or
// "... while it is in task_state powering-off". Locking is checked separately.
absl::Status CheckTransition(const Instance& instance, Action action);

// The task_state an accepted action sets ("" for none: lock, unlock, update).
std::string TaskStateFor(Action action);

// What the API calls the state: ACTIVE, BUILD, SHUTOFF, REBOOT, HARD_REBOOT, PAUSED,
// SUSPENDED, RESIZE, VERIFY_RESIZE, REVERT_RESIZE, MIGRATING, REBUILD, ERROR, DELETED.
std::string ApiStatus(const std::string& vm_state, const std::string& task_state);

// The vm_states an API status filter (?status=SHUTOFF) stands for.
std::vector<std::string> VmStatesForStatus(const std::string& status);

// Nova's name of a power state number: NOSTATE, Running, Paused, Shutdown, Crashed,
// Suspended (the API shows the number; logs and the CLI show these).
std::string PowerStateName(int power_state);

}  // namespace gureum::compute
