// ComputeManager: construction, dispatch of a cast, the per-instance locks and the casts
// to the conductor. The work itself: compute_build.cc (Build), compute_actions.cc (Act),
// compute_periodic.cc (the reporter's periodic tasks); ports in instance_ports.cc.
#include "compute/agent/compute_manager.h"

#include <spdlog/spdlog.h>

namespace gureum::compute_agent {

int PowerNumber(PowerState state) { return static_cast<int>(state); }

ComputeManager::ComputeManager(AgentOptions options, ComputeManagerDeps deps)
    : options_(std::move(options)), deps_(deps), ports_(options_, deps.network, deps.clock) {}

absl::Mutex* ComputeManager::LockFor(const std::string& uuid) {
  absl::MutexLock l(&mu_);
  auto& m = locks_[uuid];
  if (!m) m = std::make_unique<absl::Mutex>();
  return m.get();
}

BuildTimings ComputeManager::last_build() const {
  absl::MutexLock l(const_cast<absl::Mutex*>(&mu_));
  return last_build_;
}

absl::Status ComputeManager::Handle(const pb::Cast& cast) {
  switch (cast.kind_case()) {
    case pb::Cast::kBuild:
      return Build(cast.build());
    case pb::Cast::kAction:
      return Act(cast.action());
    case pb::Cast::kAttachVolume:
    case pb::Cast::kDetachVolume:
    case pb::Cast::kExtendVolume:
      return HandleVolume(cast);
    default:
      // Not for an agent: acknowledged and dropped, so it does not loop.
      spdlog::warn("compute.{}: ignoring a cast of kind {}", options_.host,
                   static_cast<int>(cast.kind_case()));
      return absl::OkStatus();
  }
}

absl::Status ComputeManager::HandleVolume(const pb::Cast& cast) {
  if (deps_.volumes == nullptr) {
    spdlog::warn("compute.{}: no volume attacher, dropping a volume cast", options_.host);
    return absl::OkStatus();
  }
  switch (cast.kind_case()) {
    case pb::Cast::kAttachVolume: {
      absl::MutexLock l(LockFor(cast.attach_volume().instance_uuid()));
      return deps_.volumes->Attach(cast.attach_volume());
    }
    case pb::Cast::kExtendVolume: {
      absl::MutexLock l(LockFor(cast.extend_volume().instance_uuid()));
      return deps_.volumes->Extend(cast.extend_volume());
    }
    default: {
      absl::MutexLock l(LockFor(cast.detach_volume().instance_uuid()));
      return deps_.volumes->Detach(cast.detach_volume());
    }
  }
}

pb::InstanceUpdate ComputeManager::Update(const std::string& uuid,
                                          const std::string& task_id) const {
  pb::InstanceUpdate u;
  u.set_instance_uuid(uuid);
  u.set_task_id(task_id);
  u.set_power_state(-1);
  u.set_keep_task_state(true);
  u.set_at_unix_ms(absl::ToUnixMillis(deps_.clock.Now()));
  return u;
}

absl::Status ComputeManager::CastToConductor(pb::InstanceUpdate update) {
  pb::Cast cast;
  *cast.mutable_instance_update() = std::move(update);
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  return deps_.bus.Cast(options_.conductor_queue, m);
}

}  // namespace gureum::compute_agent
