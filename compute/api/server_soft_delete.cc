// ServerManager: soft delete (Nova's reclaim_instance_interval, os-deferred-delete):
// DELETE powers a launched server off and keeps it SOFT_DELETED; restore powers it on
// again; forceDelete and the periodic reclaim delete it for good.
#include <spdlog/spdlog.h>

#include "common/status/macros.h"
#include "compute/api/server_access.h"
#include "compute/api/server_manager.h"

namespace gureum::compute {

absl::Status ServerManager::SoftDelete(const RequestContext& ctx, const Instance& current) {
  GUREUM_ASSIGN_OR_RETURN(bool host_up, hosts_.IsHostUp(current.host));
  const absl::Time now = clock_.Now();
  const std::string task_id = ids_.NewUuid();
  GUREUM_ASSIGN_OR_RETURN(Instance i, store_.MutateInstance(current.uuid, [&](Instance& x) {
    x.deleted_at = now;
    if (host_up) {
      x.task_state = task::kSoftDeleting;
      x.task_id = task_id;
    } else {
      // Its host is down (Nova's local soft delete): soft deleted at once.
      x.vm_state = vm::kSoftDeleted;
      x.task_state.clear();
      x.task_id.clear();
    }
    return absl::OkStatus();
  }));
  events_.Updated(i);
  GUREUM_RETURN_IF_ERROR(RecordAction(store_, ctx, i, "delete"));
  if (!host_up) return absl::OkStatus();
  return casts_.CastAction(ctx, i, v1::InstanceAction::STOP, task_id);
}

absl::Status ServerManager::RestoreServer(const RequestContext& ctx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:os-deferred-delete:restore", current.project_id));
  const std::string task_id = ids_.NewUuid();
  GUREUM_ASSIGN_OR_RETURN(Instance i, store_.MutateInstance(id, [&](Instance& x) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(CheckTransition(x, Action::kRestore));
    x.deleted_at.reset();
    if (x.host.empty()) {
      x.vm_state = vm::kActive;  // Nova's restore of a server without a host
      return absl::OkStatus();
    }
    x.task_state = task::kRestoring;
    x.task_id = task_id;
    return absl::OkStatus();
  }));
  events_.Updated(i);
  GUREUM_RETURN_IF_ERROR(RecordAction(store_, ctx, i, "restore"));
  if (i.host.empty()) return absl::OkStatus();
  return casts_.CastAction(ctx, i, v1::InstanceAction::START, task_id);
}

absl::Status ServerManager::ForceDeleteServer(const RequestContext& ctx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Instance current, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:os-deferred-delete:force", current.project_id));
  GUREUM_RETURN_IF_ERROR(CheckLocked(policy_, ctx, current, Action::kForceDelete));
  return HardDelete(ctx, current);
}

absl::StatusOr<int> ServerManager::ReclaimSoftDeleted() {
  const absl::Duration interval = options_.reclaim_instance_interval;
  if (interval <= absl::ZeroDuration()) return 0;
  InstanceFilter f;
  f.all_projects = true;
  f.vm_state = vm::kSoftDeleted;
  f.limit = options_.max_list_limit;
  GUREUM_ASSIGN_OR_RETURN(std::vector<Instance> soft_deleted, store_.ListInstances(f));
  const absl::Time now = clock_.Now();
  int reclaimed = 0;
  for (const Instance& i : soft_deleted) {
    if (!i.task_state.empty() || !i.deleted_at || *i.deleted_at + interval > now) continue;
    // As compute-api itself, in the server's project (its action record says so).
    RequestContext ctx;
    ctx.caller.project_id = i.project_id;
    ctx.caller.user_id = i.user_id;
    ctx.request_id = "req-" + ids_.NewUuid();
    if (absl::Status s = HardDelete(ctx, i); !s.ok()) {
      spdlog::warn("reclaiming soft-deleted instance {}: {}", i.uuid, s.ToString());
      continue;
    }
    ++reclaimed;
  }
  return reclaimed;
}

}  // namespace gureum::compute
