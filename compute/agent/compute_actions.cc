// ComputeManager: actions on an instance this host holds (compute-api's casts), and the
// resize/migrate bookkeeping on both ends.
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/agent/compute_manager.h"

namespace gureum::compute_agent {
namespace {

struct Outcome {
  const char* vm_state;
  PowerState power;
  const char* event;
};

int FaultCode(const absl::Status& s) {
  return s.code() == absl::StatusCode::kFailedPrecondition ? 409
         : s.code() == absl::StatusCode::kNotFound         ? 404
                                                           : 500;
}

// Runs a power action (start, stop, reboot, pause, suspend and back) on the domain: its
// result in `s`, what the instance becomes when it worked in `out`. False for a kind that
// is not one of these.
bool RunPowerAction(Hypervisor& hv, const AgentOptions& options, const pb::InstanceAction& action,
                    Outcome& out, absl::Status& s) {
  using K = pb::InstanceAction;
  const std::string& uuid = action.instance_uuid();
  switch (action.kind()) {
    case K::START:
      s = hv.Start(uuid);
      out = {"active", PowerState::kRunning, "compute_start_instance"};
      break;
    case K::STOP:
      s = hv.Stop(uuid, options.shutdown_timeout);
      out = {"stopped", PowerState::kShutdown, "compute_stop_instance"};
      break;
    case K::REBOOT_SOFT:
    case K::REBOOT_HARD:
      s = hv.Reboot(uuid, action.kind() == K::REBOOT_HARD, options.shutdown_timeout);
      out = {"active", PowerState::kRunning, "compute_reboot_instance"};
      break;
    case K::PAUSE:
      s = hv.Pause(uuid);
      out = {"paused", PowerState::kPaused, "compute_pause_instance"};
      break;
    case K::UNPAUSE:
      s = hv.Resume(uuid);
      out = {"active", PowerState::kRunning, "compute_unpause_instance"};
      break;
    case K::SUSPEND:
      s = hv.Suspend(uuid);
      out = {"suspended", PowerState::kSuspended, "compute_suspend_instance"};
      break;
    case K::RESUME:
      s = hv.Start(uuid);
      out = {"active", PowerState::kRunning, "compute_resume_instance"};
      break;
    default:
      return false;
  }
  return true;
}

}  // namespace

absl::Status ComputeManager::Act(const pb::InstanceAction& action) {
  const std::string& uuid = action.instance_uuid();
  if (!IsSafeName(uuid)) {
    spdlog::error("action cast without a valid instance uuid ('{}'): dropped", uuid);
    return absl::OkStatus();
  }
  absl::MutexLock instance_lock(LockFor(uuid));
  using K = pb::InstanceAction;
  switch (action.kind()) {
    case K::DELETE:
      return Delete(action);
    case K::REBUILD:
      return Rebuild(action);
    case K::SNAPSHOT:
      return Snapshot(action);
    case K::CONFIRM_RESIZE:
    case K::REVERT_RESIZE:
    case K::FINISH_REVERT:
      return MoveBookkeeping(action);
    case K::CONSOLE_OUTPUT: {
      // Someone is looking: the tail goes out now, changed or not.
      {
        absl::MutexLock l(&mu_);
        console_seen_.erase(uuid);
      }
      PushConsoleTail(uuid);
      return absl::OkStatus();
    }
    case K::DIAGNOSTICS:
      PushDiagnostics(uuid);
      return absl::OkStatus();
    case K::UNKNOWN:
      return absl::OkStatus();
    default:
      break;
  }
  if (action.kind() == K::STOP && !action.migration_id().empty()) {
    // The destination of a cold move asks its source to power off; the conductor follows
    // the move through the destination's updates, so no update from here.
    absl::Status s = deps_.hypervisor.Stop(uuid, options_.shutdown_timeout);
    if (!s.ok() && s.code() != absl::StatusCode::kNotFound) return s;
    return absl::OkStatus();
  }
  Outcome out{};
  absl::Status s;
  if (!RunPowerAction(deps_.hypervisor, options_, action, out, s)) {
    spdlog::warn("action {} on {}: not an agent action, dropped", static_cast<int>(action.kind()),
                 uuid);
    return absl::OkStatus();
  }
  pb::InstanceUpdate u = Update(uuid, action.task_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.set_event(out.event);
  if (s.ok()) {
    u.set_vm_state(out.vm_state);
    u.set_power_state(PowerNumber(out.power));
  } else {
    spdlog::error("{} of {} failed: {}", out.event, uuid, s.ToString());
    auto info = deps_.hypervisor.Get(uuid);
    u.set_power_state(info.ok() ? PowerNumber(info->power_state) : 0);
    u.set_event_failed(true);
    u.mutable_fault()->set_code(FaultCode(s));
    u.mutable_fault()->set_message(
        s.code() == absl::StatusCode::kNotFound
            ? absl::StrCat("Instance ", uuid, " has no virtual machine on host ", options_.host)
            : absl::StrCat("The action failed on host ", options_.host, ": ", s.message()));
    u.mutable_fault()->set_details(s.ToString());
  }
  {
    absl::MutexLock l(&mu_);
    last_power_[uuid] = u.power_state();
  }
  return CastToConductor(u);
}

absl::Status ComputeManager::Delete(const pb::InstanceAction& action) {
  const std::string& uuid = action.instance_uuid();
  if (deps_.hypervisor.Get(uuid).ok()) {
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Undefine(uuid));
  }
  {
    // The ports go before the record that names them: an error retries the delete.
    auto record = deps_.files.Load(uuid);
    pb::InstanceSpec spec = action.spec();
    if (record.ok()) {
      for (const std::string& p : record->spec.port_ids()) spec.add_port_ids(p);
      for (const auto& r : record->spec.requested_networks()) *spec.add_requested_networks() = r;
    }
    GUREUM_RETURN_IF_ERROR(
        ports_.Unplug(uuid, spec, record.ok() ? record->vifs : std::vector<VifRecord>{}));
  }
  GUREUM_RETURN_IF_ERROR(deps_.files.Remove(uuid));
  if (deps_.files.HasStash(uuid)) {
    GUREUM_RETURN_IF_ERROR(deps_.files.Unstash(uuid));
    GUREUM_RETURN_IF_ERROR(deps_.files.Remove(uuid));
  }
  // An error here retries the whole (idempotent) delete: no allocation may be left.
  GUREUM_RETURN_IF_ERROR(deps_.placement.DeleteAllocations(uuid, options_.host));
  {
    absl::MutexLock l(&mu_);
    last_power_.erase(uuid);
    console_seen_.erase(uuid);
    failed_builds_.erase(uuid);
  }
  pb::InstanceUpdate u = Update(uuid, action.task_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.set_vm_state("deleted");
  u.set_power_state(0);
  u.set_deleted(true);
  u.set_event("compute_terminate_instance");
  spdlog::info("deleted {}: domain, disks and allocation on {}", uuid, options_.host);
  return CastToConductor(u);
}

absl::Status ComputeManager::Rebuild(const pb::InstanceAction& action) {
  const std::string& uuid = action.instance_uuid();
  auto old = deps_.files.Load(uuid);
  if (old.ok() && old->task_id == action.task_id() && old->state == "active") {
    // Redelivered after it finished (stopped if it was rebuilt stopped).
    auto now = deps_.hypervisor.Get(uuid);
    const bool stopped = now.ok() && now->power_state == PowerState::kShutdown;
    pb::InstanceUpdate u = Update(uuid, action.task_id());
    u.set_keep_task_state(false);
    u.set_task_state("");
    u.set_vm_state(stopped ? "stopped" : "active");
    u.set_power_state(PowerNumber(stopped ? PowerState::kShutdown : PowerState::kRunning));
    u.set_event("compute_rebuild_instance");
    return CastToConductor(u);
  }
  pb::BuildInstance build;
  build.mutable_request()->set_task_id(action.task_id());
  *build.mutable_request()->mutable_spec() = action.spec();
  build.mutable_request()->mutable_spec()->set_uuid(uuid);
  // Nova keeps a stopped server stopped through a rebuild.
  bool was_stopped = false;
  if (absl::StatusOr<DomainInfo> before = deps_.hypervisor.Get(uuid); before.ok()) {
    was_stopped = before->power_state == PowerState::kShutdown;
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Stop(uuid, options_.shutdown_timeout));
  }
  InstanceRecord record;
  record.state = "building";
  record.task_id = action.task_id();
  record.spec = build.request().spec();
  BuildTimings t;
  absl::Status s = DoBuild(build, record, t);
  // The new guest of a stopped server is not left running (no shutdown: it just booted).
  if (s.ok() && was_stopped) s = deps_.hypervisor.Destroy(uuid);
  pb::InstanceUpdate u = Update(uuid, action.task_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.set_event("compute_rebuild_instance");
  if (s.ok()) {
    u.set_vm_state(was_stopped ? "stopped" : "active");
    u.set_power_state(PowerNumber(was_stopped ? PowerState::kShutdown : PowerState::kRunning));
    if (HasNetworks(record.spec)) AddVifs(u, record.vifs);
  } else {
    spdlog::error("rebuild of {} failed: {}", uuid, s.ToString());
    RemoveInstance(uuid);
    u.set_vm_state("error");
    u.set_power_state(0);
    u.set_event_failed(true);
    u.mutable_fault()->set_code(s.code() == absl::StatusCode::kInvalidArgument ? 400 : 500);
    u.mutable_fault()->set_message(
        absl::StrCat("Rebuild of instance ", uuid, " failed: ", s.message()));
    u.mutable_fault()->set_details(s.ToString());
  }
  return CastToConductor(u);
}

absl::Status ComputeManager::MoveBookkeeping(const pb::InstanceAction& action) {
  const std::string& uuid = action.instance_uuid();
  using K = pb::InstanceAction;
  pb::InstanceUpdate u = Update(uuid, action.task_id());
  u.set_migration_id(action.migration_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  if (action.kind() == K::CONFIRM_RESIZE) {
    // On the source. Same host: only the folder kept aside goes; the live domain is the
    // new one. Another host: the old domain, its disks and this host's allocation go.
    if (deps_.files.HasStash(uuid)) {
      GUREUM_RETURN_IF_ERROR(deps_.files.RemoveStash(uuid));
    } else {
      if (deps_.hypervisor.Get(uuid).ok()) GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Undefine(uuid));
      GUREUM_RETURN_IF_ERROR(deps_.files.Remove(uuid));
      GUREUM_RETURN_IF_ERROR(deps_.placement.DeleteAllocations(uuid, options_.host));
      if (!action.migration_id().empty()) {
        GUREUM_RETURN_IF_ERROR(
            deps_.placement.DeleteAllocations(action.migration_id(), options_.host));
      }
    }
    u.set_vm_state("active");
    u.set_migration_status("confirmed");
    u.set_event("compute_confirm_resize");
    return CastToConductor(u);
  }
  if (action.kind() == K::REVERT_RESIZE) {
    // On the destination: the new copy goes; then the source brings the old one back.
    if (deps_.hypervisor.Get(uuid).ok()) GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Undefine(uuid));
    GUREUM_RETURN_IF_ERROR(deps_.files.Remove(uuid));
    bool same_host = deps_.files.HasStash(uuid);
    if (!same_host) {
      GUREUM_RETURN_IF_ERROR(deps_.placement.DeleteAllocations(uuid, options_.host));
    }
    if (same_host || action.source_host().empty() || action.source_host() == options_.host) {
      return FinishRevert(action);
    }
    pb::Cast cast;
    *cast.mutable_action() = action;
    cast.mutable_action()->set_kind(K::FINISH_REVERT);
    amqp::Message m;
    m.body = cast.SerializeAsString();
    m.content_type = "application/x-protobuf";
    return deps_.bus.Cast("compute." + action.source_host(), m);
  }
  return FinishRevert(action);
}

absl::Status ComputeManager::FinishRevert(const pb::InstanceAction& action) {
  // On the source: the old copy (kept aside on the same host) runs again.
  const std::string& uuid = action.instance_uuid();
  if (deps_.files.HasStash(uuid)) GUREUM_RETURN_IF_ERROR(deps_.files.Unstash(uuid));
  pb::InstanceUpdate u = Update(uuid, action.task_id());
  u.set_migration_id(action.migration_id());
  u.set_keep_task_state(false);
  u.set_task_state("");
  u.set_event("compute_finish_revert_resize");
  // A move to another host bound the ports there: they come back before the domain starts.
  absl::Status s = [&]() -> absl::Status {
    absl::StatusOr<InstanceRecord> record = deps_.files.Load(uuid);
    if (record.ok()) GUREUM_RETURN_IF_ERROR(ports_.Rebind(uuid, *record));
    return DefineFromRecordAndStart(uuid);
  }();
  if (!s.ok()) {
    spdlog::error("revert of {} failed: {}", uuid, s.ToString());
    u.set_vm_state("error");
    u.set_power_state(0);
    u.set_event_failed(true);
    u.set_migration_status("error");
    u.mutable_fault()->set_code(500);
    u.mutable_fault()->set_message(
        absl::StrCat("Reverting the resize on host ", options_.host, " failed: ", s.message()));
    return CastToConductor(u);
  }
  auto record = deps_.files.Load(uuid);
  if (record.ok()) u.set_flavor_id(record->spec.flavor().id());
  u.set_vm_state("active");
  u.set_power_state(PowerNumber(PowerState::kRunning));
  u.set_host(options_.host);
  u.set_node(node_uuid_);
  u.set_migration_status("reverted");
  return CastToConductor(u);
}

absl::Status ComputeManager::DefineFromRecordAndStart(const std::string& uuid) {
  if (!deps_.hypervisor.Get(uuid).ok()) {
    GUREUM_ASSIGN_OR_RETURN(InstanceRecord record, deps_.files.Load(uuid));
    if (HasRootVolume(record.spec)) {
      return absl::FailedPreconditionError(
          "the domain of " + uuid + ", booted from a volume, is gone; it is not defined again");
    }
    GUREUM_ASSIGN_OR_RETURN(DomainSpec domain, MakeDomainSpec(record.spec, record));
    if (!record.kernel_id.empty()) {
      GUREUM_ASSIGN_OR_RETURN(CachedImage k, deps_.images.Fetch(record.kernel_id));
      domain.kernel = k.path;
    }
    if (!record.ramdisk_id.empty()) {
      GUREUM_ASSIGN_OR_RETURN(CachedImage r, deps_.images.Fetch(record.ramdisk_id));
      domain.initrd = r.path;
    }
    GUREUM_RETURN_IF_ERROR(deps_.hypervisor.Define(domain));
  }
  return deps_.hypervisor.Start(uuid);
}

}  // namespace gureum::compute_agent
