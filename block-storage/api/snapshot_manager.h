// Volume snapshots: create (of an available volume, or with `force` of an in-use one,
// through its running export), show, list, update, metadata, delete, and the admin's
// reset-status. The agent makes and removes the snapshot; ReportHandler applies its answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "block-storage/api/manager_deps.h"
#include "block-storage/api/quota_manager.h"
#include "block-storage/api/volume_manager.h"

namespace gureum::block_storage {

struct SnapshotCreate {
  std::string volume_id;
  std::string name;
  std::string description;
  bool force = false;
  Metadata metadata;
};

struct SnapshotUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

class SnapshotManager {
 public:
  SnapshotManager(const ManagerDeps& deps, VolumeManager& volumes, QuotaManager& quotas)
      : deps_(deps), volumes_(volumes), quotas_(quotas) {}

  absl::StatusOr<Snapshot> Create(const RequestContext& ctx, const SnapshotCreate& create);
  absl::StatusOr<Snapshot> Get(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<Snapshot>> List(const RequestContext& ctx, SnapshotQuery query,
                                             bool all_projects);
  absl::StatusOr<Snapshot> Update(const RequestContext& ctx, const std::string& id,
                                  const SnapshotUpdate& update);
  absl::StatusOr<Metadata> SetMetadata(const RequestContext& ctx, const std::string& id,
                                       const Metadata& metadata, bool replace);
  absl::Status DeleteMetadata(const RequestContext& ctx, const std::string& id,
                              const std::string& key);
  // `force` (admin, os-force_delete): whatever the snapshot's status.
  absl::Status Delete(const RequestContext& ctx, const std::string& id, bool force = false);
  absl::Status ResetStatus(const RequestContext& ctx, const std::string& id,
                           const std::string& status);

 private:
  absl::StatusOr<Snapshot> Visible(const RequestContext& ctx, const std::string& id,
                                   const std::string& rule);
  const ManagerDeps& deps_;
  VolumeManager& volumes_;
  QuotaManager& quotas_;
};

}  // namespace gureum::block_storage
