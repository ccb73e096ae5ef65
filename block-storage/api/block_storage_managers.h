// Every manager class of block storage over one ManagerDeps, made together so the adapters
// (REST, gRPC, the report consumer) and main.cc hold one object. Owns the managers, not the
// deps.
#pragma once

#include "block-storage/api/attachment_manager.h"
#include "block-storage/api/backend_manager.h"
#include "block-storage/api/manager_deps.h"
#include "block-storage/api/quota_manager.h"
#include "block-storage/api/report_handler.h"
#include "block-storage/api/snapshot_manager.h"
#include "block-storage/api/type_manager.h"
#include "block-storage/api/volume_manager.h"

namespace gureum::block_storage {

class BlockStorageManagers {
 public:
  // `deps` (and what it refers to) must outlive this object.
  explicit BlockStorageManagers(const ManagerDeps& deps)
      : deps_(deps),
        backends_(deps),
        types_(deps),
        quotas_(deps),
        volumes_(deps, backends_, types_, quotas_),
        snapshots_(deps, volumes_, quotas_),
        attachments_(deps, volumes_),
        reports_(deps, backends_) {}
  BlockStorageManagers(const BlockStorageManagers&) = delete;
  BlockStorageManagers& operator=(const BlockStorageManagers&) = delete;

  const ManagerDeps& deps() const { return deps_; }
  const BlockStoragePolicy& policy() const { return deps_.policy; }
  BackendManager& backends() { return backends_; }
  TypeManager& types() { return types_; }
  QuotaManager& quotas() { return quotas_; }
  VolumeManager& volumes() { return volumes_; }
  SnapshotManager& snapshots() { return snapshots_; }
  AttachmentManager& attachments() { return attachments_; }
  ReportHandler& reports() { return reports_; }

 private:
  const ManagerDeps& deps_;
  BackendManager backends_;
  TypeManager types_;
  QuotaManager quotas_;
  VolumeManager volumes_;
  SnapshotManager snapshots_;
  AttachmentManager attachments_;
  ReportHandler reports_;
};

}  // namespace gureum::block_storage
