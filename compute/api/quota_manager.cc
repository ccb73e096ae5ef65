// Quota limits per project (overrides of [quota]'s defaults) and their usage.
#include "compute/api/quota_manager.h"

#include "common/status/macros.h"

namespace gureum::compute {

QuotaManager::QuotaManager(ComputeStore& store, const ComputePolicy& policy, ComputeOptions options)
    : store_(store), policy_(policy), options_(std::move(options)) {}

absl::StatusOr<QuotaLimits> QuotaManager::GetQuotas(const RequestContext& ctx,
                                                    const std::string& project) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-quota-sets:show", project));
  return store_.GetQuotaLimits(project, options_.default_quotas);
}

absl::StatusOr<QuotaUsage> QuotaManager::GetQuotaUsage(const RequestContext& ctx,
                                                       const std::string& project) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-quota-sets:show", project));
  return store_.GetQuotaUsage(project, ctx.caller.user_id);
}

absl::StatusOr<QuotaLimits> QuotaManager::UpdateQuotas(
    const RequestContext& ctx, const std::string& project,
    const std::map<std::string, int64_t>& limits) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-quota-sets:update", project));
  static const char* kKnown[] = {"instances",     "cores",         "ram",
                                 "key_pairs",     "server_groups", "server_group_members",
                                 "metadata_items"};
  for (const auto& [resource, limit] : limits) {
    bool known = false;
    for (const char* k : kKnown) known = known || resource == k;
    for (const char* k : kKeptQuotas) known = known || resource == k;
    if (!known) {
      return absl::InvalidArgumentError("Bad key(s) " + resource + " in quota_set");
    }
    if (limit < -1) {
      return absl::InvalidArgumentError("Quota limit " + std::to_string(limit) + " for " +
                                        resource + " must be -1 or greater.");
    }
  }
  for (const auto& [resource, limit] : limits) {
    GUREUM_RETURN_IF_ERROR(store_.SetQuotaLimit(project, resource, limit));
  }
  return store_.GetQuotaLimits(project, options_.default_quotas);
}

absl::Status QuotaManager::ResetQuotas(const RequestContext& ctx, const std::string& project) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-quota-sets:delete", project));
  return store_.DeleteQuotas(project);
}

}  // namespace gureum::compute
