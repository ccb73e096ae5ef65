// Quotas of block storage (Cinder's os-quota-sets and limits): the configured defaults, a
// project's own limits set by an admin, and its usage. The limits are enforced by the store
// in the transaction that creates or grows (block_storage_store.h); this class says what
// they are.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "block-storage/api/manager_deps.h"

namespace gureum::block_storage {

struct QuotaReport {
  QuotaLimits limits;
  QuotaUsage in_use;
};

class QuotaManager {
 public:
  explicit QuotaManager(const ManagerDeps& deps) : deps_(deps) {}

  // What binds `project_id` now: the defaults, the project's own limits over them, and
  // -1 for every per-type name of an existing type not set (listed, unlimited).
  absl::StatusOr<QuotaLimits> Effective(const std::string& project_id);

  absl::StatusOr<QuotaReport> Show(const RequestContext& ctx, const std::string& project_id);
  // The defaults every project starts from: the configuration's, and over them what an
  // admin set for the quota class "default" (os-quota-class-sets).
  absl::StatusOr<QuotaLimits> Defaults();
  // Admin: sets defaults of the class "default" (the only class; others are 404).
  absl::StatusOr<QuotaLimits> UpdateDefaults(const RequestContext& ctx,
                                             const std::string& class_name,
                                             const QuotaLimits& limits);
  // Admin. Names must be known (defaults or per type of an existing type), values >= -1;
  // a limit below what the project uses now is refused (400), as Cinder does.
  absl::StatusOr<QuotaLimits> Update(const RequestContext& ctx, const std::string& project_id,
                                     const QuotaLimits& limits);
  absl::Status Delete(const RequestContext& ctx, const std::string& project_id);
  // The caller's own limits and usage (GET /limits).
  absl::StatusOr<QuotaReport> Limits(const RequestContext& ctx);

 private:
  const ManagerDeps& deps_;
};

}  // namespace gureum::block_storage

namespace gureum::block_storage {

// The store's ResourceExhausted (its message is the quota's name) in Cinder's words (413);
// any other status is returned as it is.
absl::Status QuotaExceeded(const absl::Status& status, const QuotaLimits& limits,
                           int64_t requested_gb);

}  // namespace gureum::block_storage
