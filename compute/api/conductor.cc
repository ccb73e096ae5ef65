#include "compute/api/conductor.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/status/macros.h"
#include "compute/api/cast_codec.h"
#include "compute/api/instance_states.h"

namespace gureum::compute {
namespace {

// The marker of an update that no longer applies: nothing is written, the message is acked.
constexpr char kStale[] = "stale update";

bool Expected(const v1::InstanceUpdate& u, const std::string& task_state) {
  if (u.expected_task_states().empty()) return true;
  const std::string current = task_state.empty() ? "none" : task_state;
  return std::any_of(
      u.expected_task_states().begin(), u.expected_task_states().end(),
      [&](const std::string& s) { return s == current || (s.empty() && task_state.empty()); });
}

// The agent's report `u` applied to `i`; kStale when `i` is no longer in one of the task
// states the update expects (nothing is written then).
absl::Status ApplyUpdateTo(const v1::InstanceUpdate& u, const Clock& clock, Instance& i) {
  if (!Expected(u, i.task_state)) return absl::FailedPreconditionError(kStale);
  const bool soft_deleting = i.task_state == task::kSoftDeleting;
  if (!u.vm_state().empty()) i.vm_state = u.vm_state();
  // A soft delete is a power-off on the host (its STOP cast): stopped, it is soft deleted.
  if (soft_deleting && i.vm_state == vm::kStopped) i.vm_state = vm::kSoftDeleted;
  if (!u.keep_task_state()) i.task_state = u.task_state();
  if (u.power_state() >= 0) i.power_state = u.power_state();
  if (!u.host().empty()) i.host = u.host();
  if (!u.node().empty()) i.node = u.node();
  if (u.has_console_tail()) i.console_tail = u.console_tail();
  if (u.has_diagnostics()) {
    i.diagnostics = {u.diagnostics().begin(), u.diagnostics().end()};
    i.diagnostics_at = clock.Now();
  }
  if (u.has_network_info()) {
    i.vifs.clear();
    for (const v1::Vif& v : u.vifs()) {
      Vif vif{.port_id = v.port_id(),
              .network_id = v.network_id(),
              .network_name = v.network_name(),
              .mac_address = v.mac_address()};
      for (const v1::VifIp& ip : v.ips()) {
        vif.ips.push_back({.address = ip.address(),
                           .version = ip.version() ? ip.version() : 4,
                           .type = ip.type().empty() ? "fixed" : ip.type()});
      }
      i.vifs.push_back(std::move(vif));
    }
  }
  if (i.vm_state == vm::kActive && !i.launched_at) i.launched_at = clock.Now();
  if (!u.flavor_id().empty()) {
    if (i.new_flavor && i.new_flavor->id == u.flavor_id()) {
      // Resize finished on the destination: the new flavor is in effect, the old one
      // kept until confirm or revert.
      i.old_flavor = i.flavor;
      i.flavor = *i.new_flavor;
      i.new_flavor.reset();
    } else if (i.old_flavor && i.old_flavor->id == u.flavor_id()) {
      i.flavor = *i.old_flavor;  // reverted
      i.old_flavor.reset();
    }
  }
  if (u.migration_status() == "reverted" && i.old_flavor) {
    i.flavor = *i.old_flavor;  // the agent need not know the old flavor's id
    i.old_flavor.reset();
  }
  if (u.migration_status() == "confirmed") i.old_flavor.reset();
  if (i.task_state.empty()) i.new_flavor.reset();
  return absl::OkStatus();
}

}  // namespace

absl::Status Conductor::Handle(const amqp::Message& message) {
  v1::Cast cast;
  if (!cast.ParseFromString(message.body)) {
    spdlog::error("conductor: dropping a message that is not a compute Cast ({} bytes)",
                  message.body.size());
    return absl::OkStatus();
  }
  switch (cast.kind_case()) {
    case v1::Cast::kInstanceUpdate:
      return ApplyInstanceUpdate(cast.instance_update());
    case v1::Cast::kHeartbeat:
      return ApplyHeartbeat(cast.heartbeat());
    case v1::Cast::kVolumeAttachmentUpdate:
      if (volumes_ == nullptr) {
        spdlog::warn("conductor: no volume attachments here, dropping a volume report");
        return absl::OkStatus();
      }
      return volumes_->ApplyReport(cast.volume_attachment_update());
    default:
      spdlog::warn("conductor: ignoring a cast of kind {} (not for the conductor)",
                   static_cast<int>(cast.kind_case()));
      return absl::OkStatus();
  }
}

// Deleted while it was being scheduled and built: the host that reports it removes it.
absl::Status Conductor::SendBackForDeletion(const v1::InstanceUpdate& u) {
  spdlog::warn("conductor: update for unknown instance {} from {}: asking the host to delete it",
               u.instance_uuid(), u.host());
  v1::Cast cast;
  cast.mutable_action()->set_kind(v1::InstanceAction::DELETE);
  cast.mutable_action()->set_instance_uuid(u.instance_uuid());
  cast.mutable_action()->set_task_id(u.task_id());
  cast.mutable_action()->mutable_spec()->set_uuid(u.instance_uuid());
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  GUREUM_RETURN_IF_ERROR(bus_.Cast(ComputeQueue(u.host()), m));
  if (absl::Status s = placement_.DeleteAllocations(u.instance_uuid(), /*provider_name=*/"");
      !s.ok()) {
    spdlog::warn("conductor: dropping allocations of {} failed: {}", u.instance_uuid(),
                 s.ToString());
  }
  return absl::OkStatus();
}

absl::Status Conductor::ApplyInstanceUpdate(const v1::InstanceUpdate& u) {
  if (u.instance_uuid().empty()) {
    spdlog::warn("conductor: dropping an instance update without instance_uuid");
    return absl::OkStatus();
  }
  if (u.deleted()) return FinishDelete(u);
  std::string resize_done;  // migration status to set once the update applied
  absl::StatusOr<Instance> updated = store_.MutateInstance(
      u.instance_uuid(), [&](Instance& i) { return ApplyUpdateTo(u, clock_, i); });
  if (!updated.ok()) {
    if (updated.status().message() == kStale) {
      spdlog::info("conductor: stale update for {} ignored (task {})", u.instance_uuid(),
                   u.task_id());
      return absl::OkStatus();
    }
    if (updated.status().code() == absl::StatusCode::kNotFound) {
      if (!u.host().empty()) return SendBackForDeletion(u);
      return absl::OkStatus();
    }
    return updated.status();
  }
  events_.Updated(*updated);
  if (!u.migration_id().empty() && !u.migration_status().empty()) {
    GUREUM_RETURN_IF_ERROR(store_.SetMigrationStatus(u.migration_id(), u.migration_status()));
  }
  const absl::Time at = u.at_unix_ms() > 0 ? absl::FromUnixMillis(u.at_unix_ms()) : clock_.Now();
  if (!u.fault().message().empty()) {
    GUREUM_RETURN_IF_ERROR(store_.AddFault({.instance_uuid = u.instance_uuid(),
                                            .code = u.fault().code() ? u.fault().code() : 500,
                                            .message = u.fault().message(),
                                            .details = u.fault().details(),
                                            .host = updated->host}));
  }
  if (!u.event().empty()) {
    GUREUM_RETURN_IF_ERROR(
        store_.AddActionEvent(u.instance_uuid(), {.event = u.event(),
                                                  .result = u.event_failed() ? "Error" : "Success",
                                                  .host = updated->host,
                                                  .details = u.fault().message(),
                                                  .start_time = at,
                                                  .finish_time = at}));
  }
  return absl::OkStatus();
}

absl::Status Conductor::FinishDelete(const v1::InstanceUpdate& u) {
  // Before the rows go with the instance: its volumes become available again.
  if (volumes_ != nullptr) volumes_->ReleaseAll(u.instance_uuid());
  absl::StatusOr<Instance> gone = store_.GetInstance(u.instance_uuid());
  absl::Status s = store_.DeleteInstance(u.instance_uuid());
  if (!s.ok() && s.code() != absl::StatusCode::kNotFound) return s;
  if (s.ok() && gone.ok()) events_.Deleted(*gone);
  if (absl::Status p = placement_.DeleteAllocations(u.instance_uuid(), /*provider_name=*/"");
      !p.ok()) {
    spdlog::warn("conductor: instance {} deleted, dropping its allocations failed: {}",
                 u.instance_uuid(), p.ToString());
  }
  return absl::OkStatus();
}

absl::Status Conductor::ApplyHeartbeat(const v1::ServiceHeartbeat& hb) {
  if (hb.host().empty()) {
    spdlog::warn("conductor: dropping a heartbeat without host");
    return absl::OkStatus();
  }
  ServiceRecord s;
  s.uuid = hb.node_uuid().empty() ? "svc-" + hb.host() : hb.node_uuid();
  s.host = hb.host();
  s.binary = hb.binary().empty() ? "gureum-compute-agent" : hb.binary();
  s.availability_zone = hb.availability_zone();
  s.node_uuid = hb.node_uuid();
  s.hypervisor_type = hb.hypervisor_type();
  s.host_ip = hb.host_ip();
  s.running_vms = hb.running_vms();
  s.version = hb.version();
  absl::StatusOr<ServiceRecord> saved = store_.RecordHeartbeat(s);
  if (!saved.ok()) return saved.status();
  if (saved->report_count == 1)
    spdlog::info("conductor: host {} registered ({})", s.host, s.binary);
  return SyncPowerStates(hb);
}

absl::Status Conductor::SyncPowerStates(const v1::ServiceHeartbeat& hb) {
  GUREUM_ASSIGN_OR_RETURN(auto instances, store_.ListInstancesOnHost(hb.host()));
  // When the host listed its domains (it stamps the heartbeat first). A record changed
  // after that moment is newer than what the heartbeat says of it: a build or a start that
  // finished while the heartbeat was on its way would otherwise be undone ("shut off").
  // The host's clock against ours: hosts keep time (NTP); a skew only narrows this guard.
  const absl::Time observed =
      hb.at_unix_ms() > 0 ? absl::FromUnixMillis(hb.at_unix_ms()) : clock_.Now();
  for (const Instance& known : instances) {
    if (!known.task_state.empty()) continue;    // a task owns the state right now
    if (known.updated_at > observed) continue;  // changed since the host looked
    auto it = hb.power_states().find(known.uuid);
    const int power = it == hb.power_states().end() ? kNoState : it->second;
    const bool died = known.vm_state == vm::kActive && (power == kShutdown || power == kCrashed);
    if (power == known.power_state && !died) continue;
    auto synced = store_.MutateInstance(known.uuid, [&](Instance& i) -> absl::Status {
      if (!i.task_state.empty() || i.host != hb.host() || i.updated_at > observed) {
        return absl::FailedPreconditionError(kStale);
      }
      if (i.vm_state == vm::kActive && (power == kShutdown || power == kCrashed)) {
        i.vm_state = vm::kStopped;  // Nova: the VM stopped by itself
      }
      i.power_state = power;
      return absl::OkStatus();
    });
    if (synced.ok()) {
      events_.Updated(*synced);
      spdlog::info("conductor: power state of {} on {} is now {} (vm_state {})", known.uuid,
                   hb.host(), PowerStateName(power), synced->vm_state);
    } else if (synced.status().message() != kStale &&
               synced.status().code() != absl::StatusCode::kNotFound) {
      return synced.status();
    }
  }
  for (const auto& [uuid, power] : hb.power_states()) {
    bool known = std::any_of(instances.begin(), instances.end(),
                             [&](const Instance& i) { return i.uuid == uuid; });
    if (!known) {
      spdlog::warn(
          "conductor: host {} runs domain {} (power {}) that compute-api does not place "
          "there; left alone",
          hb.host(), uuid, PowerStateName(power));
    }
  }
  return absl::OkStatus();
}

}  // namespace gureum::compute
