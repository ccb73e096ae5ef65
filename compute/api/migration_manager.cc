#include "compute/api/migration_manager.h"

#include <algorithm>

#include "common/status/macros.h"

namespace gureum::compute {

MigrationManager::MigrationManager(ComputeStore& store, const ComputePolicy& policy)
    : store_(store), policy_(policy) {}

absl::StatusOr<MigrationPage> MigrationManager::ListMigrations(const RequestContext& ctx,
                                                               const MigrationFilter& f) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-migrations:index"));
  // Every migration is read and filtered here: a cloud keeps few of them (one per resize,
  // migration or evacuation).
  GUREUM_ASSIGN_OR_RETURN(std::vector<MigrationRecord> all, store_.ListMigrations(f.instance_uuid));
  std::vector<MigrationRecord> matching;
  for (MigrationRecord& m : all) {
    if (!f.host.empty() && m.source_host != f.host && m.dest_host != f.host) continue;
    if (!f.status.empty() && m.status != f.status) continue;
    if (!f.migration_type.empty() && m.migration_type != f.migration_type) continue;
    matching.push_back(std::move(m));
  }
  auto start = matching.begin();
  if (!f.marker.empty()) {
    start = std::find_if(matching.begin(), matching.end(),
                         [&](const MigrationRecord& m) { return m.uuid == f.marker; });
    if (start == matching.end()) {
      return absl::InvalidArgumentError("Marker " + f.marker + " could not be found.");
    }
    ++start;
  }
  MigrationPage page;
  const size_t left = static_cast<size_t>(matching.end() - start);
  const size_t n =
      f.limit ? std::min(left, static_cast<size_t>(std::max<int64_t>(*f.limit, 0))) : left;
  page.migrations.assign(std::make_move_iterator(start), std::make_move_iterator(start + n));
  page.full = f.limit.has_value() && n == static_cast<size_t>(*f.limit) && n > 0;
  return page;
}

}  // namespace gureum::compute
