// Quotas of compute-api: each project's limits (its overrides of [quota]'s defaults), set
// and reset by admins, read by the project's readers, and its usage (counted from the
// instances, never kept apart). Errors: PermissionDenied, InvalidArgument (unknown
// resource, limit below -1). Thread-safe; blocking (SQL).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

class QuotaManager {
 public:
  // Every collaborator must outlive the manager.
  QuotaManager(ComputeStore& store, const ComputePolicy& policy, ComputeOptions options);

  absl::StatusOr<QuotaLimits> GetQuotas(const RequestContext& ctx, const std::string& project);
  absl::StatusOr<QuotaUsage> GetQuotaUsage(const RequestContext& ctx, const std::string& project);
  absl::StatusOr<QuotaLimits> UpdateQuotas(const RequestContext& ctx, const std::string& project,
                                           const std::map<std::string, int64_t>& limits);
  absl::Status ResetQuotas(const RequestContext& ctx, const std::string& project);

 private:
  ComputeStore& store_;
  const ComputePolicy& policy_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
