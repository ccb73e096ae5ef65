// Usage of compute-api: Nova's os-simple-tenant-usage (each project's servers over a
// period: hours, and vCPU, RAM and disk hours, counted from the servers that exist; a
// deleted server's row is gone, so its past use is not counted) and
// os-instance_usage_audit_log (Gureum runs no usage audit: every compute host is listed as
// not run). Errors: PermissionDenied, InvalidArgument (a period that ends before it
// starts). Thread-safe; blocking (SQL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

struct ServerUsage {
  Instance server;
  double hours = 0;      // within the period
  int64_t uptime_s = 0;  // since it was launched (or created)
};

struct TenantUsage {
  std::string project_id;
  absl::Time start, end;  // the period
  std::vector<ServerUsage> servers;
  double total_hours = 0;
  double total_vcpus_usage = 0;      // vCPU hours
  double total_memory_mb_usage = 0;  // MB hours
  double total_local_gb_usage = 0;   // GB hours (root and ephemeral disk)
};

struct UsageAudit {
  absl::Time period_beginning, period_ending;
  std::vector<std::string> hosts_not_run;  // every compute host
};

class UsageManager {
 public:
  // Every collaborator must outlive the manager.
  UsageManager(ComputeStore& store, const ComputePolicy& policy, const Clock& clock);

  // Every project with servers in [start, end) (admins), or only `project` (its readers and
  // admins); a project without servers in the period has all zeros. A start or end not
  // given is now (Nova's).
  absl::StatusOr<std::vector<TenantUsage>> ListUsage(const RequestContext& ctx,
                                                     std::optional<absl::Time> start,
                                                     std::optional<absl::Time> end);
  absl::StatusOr<TenantUsage> GetUsage(const RequestContext& ctx, const std::string& project,
                                       std::optional<absl::Time> start,
                                       std::optional<absl::Time> end);
  // The audit period (Nova's: the month) before the one `before` (default now) is in
  // (admins).
  absl::StatusOr<UsageAudit> GetAudit(const RequestContext& ctx, std::optional<absl::Time> before);

 private:
  absl::StatusOr<std::vector<TenantUsage>> Compute(const std::string& project,
                                                   std::optional<absl::Time> start,
                                                   std::optional<absl::Time> end);

  ComputeStore& store_;
  const ComputePolicy& policy_;
  const Clock& clock_;
};

}  // namespace gureum::compute
