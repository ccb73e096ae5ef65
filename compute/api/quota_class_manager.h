// Nova's quota classes (os-quota-class-sets, admins): the limits of a class; the class
// "default"'s replace [quota]'s defaults for every project (a project's own limits still
// come over them: ComputeStore::GetQuotaLimits). Other classes are kept and shown but not
// used, as in Nova. Errors: PermissionDenied, InvalidArgument (an unknown resource, a
// limit below -1). Thread-safe; blocking (SQL).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

struct QuotaClassSet {
  std::string name;
  QuotaLimits limits;  // [quota]'s defaults with the class's limits over them
  // The class's limits of the resources QuotaLimits does not hold (fixed_ips,
  // floating_ips, security_groups, security_group_rules, injected_file*), as set.
  std::map<std::string, int64_t> others;
};

class QuotaClassManager {
 public:
  // Every collaborator must outlive the manager.
  QuotaClassManager(ComputeStore& store, const ComputePolicy& policy, ComputeOptions options);

  absl::StatusOr<QuotaClassSet> GetQuotaClass(const RequestContext& ctx, const std::string& name);
  // Sets the given limits (-1: unlimited) and returns the class.
  absl::StatusOr<QuotaClassSet> UpdateQuotaClass(const RequestContext& ctx, const std::string& name,
                                                 const std::map<std::string, int64_t>& limits);
  // Every project's defaults: the class "default" over [quota].
  absl::StatusOr<QuotaLimits> Defaults();

 private:
  absl::StatusOr<QuotaClassSet> Read(const std::string& name);

  ComputeStore& store_;
  const ComputePolicy& policy_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
