// Nova's os-migrations (admins): every server's migration records (resize, migration,
// evacuation; the rows ServerActionManager and the conductor keep), newest first, with
// Nova's filters and, from 2.59, paging by uuid. Errors: PermissionDenied,
// InvalidArgument (a marker that is no migration). Thread-safe; blocking (SQL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

// Each field "" matches any.
struct MigrationFilter {
  std::string host;  // the source or the destination host
  std::string status;
  std::string instance_uuid;
  std::string migration_type;  // resize | migration | evacuation | live-migration
  std::string marker;          // a migration's uuid: the page starts after it
  std::optional<int64_t> limit;
};

struct MigrationPage {
  std::vector<MigrationRecord> migrations;
  bool full = false;  // `limit` rows given: there may be more after the last
};

class MigrationManager {
 public:
  // Every collaborator must outlive the manager.
  MigrationManager(ComputeStore& store, const ComputePolicy& policy);

  // The migrations that match, newest first (created_at, then id).
  absl::StatusOr<MigrationPage> ListMigrations(const RequestContext& ctx,
                                               const MigrationFilter& filter);

 private:
  ComputeStore& store_;
  const ComputePolicy& policy_;
};

}  // namespace gureum::compute
