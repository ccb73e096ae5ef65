// Server groups (affinity policies for the scheduler), scoped to their project.
#include "compute/api/server_group_manager.h"

#include "common/status/macros.h"
#include "common/validate/validate.h"

namespace gureum::compute {

ServerGroupManager::ServerGroupManager(ComputeStore& store, const ComputePolicy& policy,
                                       IdGenerator& ids, ComputeOptions options)
    : store_(store), policy_(policy), ids_(ids), options_(std::move(options)) {}

absl::StatusOr<ServerGroup> ServerGroupManager::CreateServerGroup(const RequestContext& ctx,
                                                                  const std::string& name,
                                                                  const std::string& policy,
                                                                  int max_per_host) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-server-groups:create"));
  if (name.empty()) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  GUREUM_RETURN_IF_ERROR(ValidateName("name", name));
  if (policy != "affinity" && policy != "anti-affinity" && policy != "soft-affinity" &&
      policy != "soft-anti-affinity") {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute policies: '" + policy +
        "' is not one of ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity']");
  }
  if (max_per_host < 0 || (max_per_host > 0 && policy != "anti-affinity")) {
    return absl::InvalidArgumentError(
        "Invalid input: max_server_per_host is only valid for anti-affinity and must be >= 1");
  }
  ServerGroup g{.uuid = ids_.NewUuid(),
                .name = name,
                .project_id = ctx.caller.project_id,
                .user_id = ctx.caller.user_id,
                .policy = policy,
                .max_server_per_host = max_per_host};
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits,
                          store_.GetQuotaLimits(g.project_id, options_.default_quotas));
  GUREUM_RETURN_IF_ERROR(store_.CreateServerGroup(g, limits.server_groups));
  return store_.GetServerGroup(g.uuid);
}

absl::StatusOr<ServerGroup> ServerGroupManager::GetServerGroup(const RequestContext& ctx,
                                                               const std::string& id) {
  // Nova checks the policy on the caller's own project before the lookup: a caller
  // without a reader role is refused (403) whatever the id; a group of another project
  // is then as unknown (404).
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-server-groups:show"));
  GUREUM_ASSIGN_OR_RETURN(ServerGroup g, store_.GetServerGroup(id));
  if (!policy_.Enforce(ctx, "os_compute_api:os-server-groups:show", g.project_id).ok()) {
    return absl::NotFoundError("Instance group " + id + " could not be found.");
  }
  return g;
}

absl::StatusOr<std::vector<ServerGroup>> ServerGroupManager::ListServerGroups(
    const RequestContext& ctx, bool all_projects) {
  if (all_projects) {
    GUREUM_RETURN_IF_ERROR(
        policy_.Enforce(ctx, "os_compute_api:os-server-groups:index:all_projects"));
    return store_.ListServerGroups("");
  }
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-server-groups:show"));
  return store_.ListServerGroups(ctx.caller.project_id);
}

absl::Status ServerGroupManager::DeleteServerGroup(const RequestContext& ctx,
                                                   const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(ServerGroup g, GetServerGroup(ctx, id));
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:os-server-groups:delete", g.project_id));
  return store_.DeleteServerGroup(id);
}

}  // namespace gureum::compute
