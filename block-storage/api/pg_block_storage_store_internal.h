// PgBlockStorageStore, declared for its files: pg_block_storage_store.cc (volumes),
// pg_block_storage_store_snapshots.cc (snapshots, attachments),
// pg_block_storage_store_types.cc (types, backends, quotas) and pg_block_storage_store_sql.cc
// (rows, locks, usage). Serialisation: quota checks take a transaction-scoped advisory lock
// per project (LockProject) before any row lock; ClaimBackend locks the backend's row, then
// the volume's; guarded changes lock the row they change (SELECT ... FOR UPDATE).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "block-storage/api/block_storage_store.h"
#include "block-storage/api/block_storage_store_rules.h"
#include "common/db/pool.h"
#include "common/db/tx.h"

namespace gureum::block_storage::pg {

extern const char kVolumeColumns[];
extern const char kSnapshotColumns[];
extern const char kAttachmentColumns[];
extern const char kTypeColumns[];

Volume VolumeFromRow(const db::Row& r);
Snapshot SnapshotFromRow(const db::Row& r);
Attachment AttachmentFromRow(const db::Row& r);
VolumeType TypeFromRow(const db::Row& r);

std::string MetadataJson(const Metadata& metadata);

// A text array literal for = ANY($n::text[]).
std::string ArrayLiteral(const std::vector<std::string>& values);
// Serialises quota checks of one project until the transaction ends.
absl::Status LockProject(db::Tx& tx, const std::string& project_id);
// The project's usage by Cinder's names (store_rules::BuildUsage).
absl::StatusOr<QuotaUsage> UsageIn(db::Tx& tx, const std::string& project_id);
// The current name of a volume type ("" for the id "" or a type that is gone), its row
// share-locked so it cannot be deleted before the transaction ends.
absl::StatusOr<std::string> TypeNameFor(db::Tx& tx, const std::string& type_id);
// The volume's row, locked for update; VolumeNotFound when there is none.
absl::StatusOr<Volume> LockVolume(db::Tx& tx, const std::string& id);
absl::StatusOr<bool> Exists(db::Tx& tx, const std::string& sql, const db::Params& params);

// A listing's WHERE clauses and parameters, built up one filter at a time.
struct Where {
  std::vector<std::string> clauses;
  db::Params params;
  // Adds the parameter and returns its placeholder ($n).
  std::string Param(db::Param p);
  std::string Sql() const;  // " WHERE a AND b", or "" for none
};
// Runs a listing of `table` filtered by `where`: sorted by `sort_key` (whitelisted) then id,
// after `marker` (MarkerNotFound unless it is in the filtered listing), at most `limit` rows.
absl::StatusOr<db::Rows> SelectPage(db::Tx& tx, const std::string& columns,
                                    const std::string& table, Where where,
                                    const std::string& sort_key, bool sort_desc,
                                    const std::string& marker, int64_t limit);

class PgBlockStorageStore final : public BlockStorageStore {
 public:
  explicit PgBlockStorageStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::Status CreateVolume(const Volume& volume, const QuotaLimits& quota) override;
  absl::StatusOr<Volume> GetVolume(const std::string& id) override;
  absl::StatusOr<std::vector<Volume>> ListVolumes(const VolumeQuery& query) override;
  absl::StatusOr<Volume> ChangeVolume(const std::string& id, const VolumeChange& change,
                                      absl::Time now) override;
  absl::Status DeleteVolume(const std::string& id) override;
  absl::StatusOr<std::vector<Volume>> ListStaleVolumes(const std::vector<std::string>& statuses,
                                                       absl::Time before) override;

  absl::Status CreateSnapshot(const Snapshot& snapshot, const std::vector<std::string>& volume_from,
                              const QuotaLimits& quota) override;
  absl::StatusOr<Snapshot> GetSnapshot(const std::string& id) override;
  absl::StatusOr<std::vector<Snapshot>> ListSnapshots(const SnapshotQuery& query) override;
  absl::StatusOr<Snapshot> ChangeSnapshot(const std::string& id, const SnapshotChange& change,
                                          absl::Time now) override;
  absl::Status DeleteSnapshot(const std::string& id) override;
  absl::StatusOr<std::vector<Snapshot>> ListStaleSnapshots(const std::vector<std::string>& statuses,
                                                           absl::Time before) override;

  absl::Status CreateAttachment(const Attachment& attachment, const VolumeChange& volume_change,
                                absl::Time now) override;
  absl::StatusOr<Attachment> GetAttachment(const std::string& id) override;
  absl::StatusOr<std::vector<Attachment>> ListAttachments(
      const std::string& project_id, const std::string& volume_id,
      const std::string& instance_uuid) override;
  absl::StatusOr<Attachment> ChangeAttachment(const std::string& id, const AttachmentChange& change,
                                              absl::Time now) override;
  absl::StatusOr<Volume> DeleteAttachment(const std::string& id, absl::Time now) override;

  absl::Status CreateType(const VolumeType& type) override;
  absl::StatusOr<VolumeType> GetType(const std::string& id) override;
  absl::StatusOr<VolumeType> GetTypeByName(const std::string& name) override;
  absl::StatusOr<std::vector<VolumeType>> ListTypes(const std::string& project_id) override;
  absl::Status UpdateType(const VolumeType& type) override;
  absl::Status DeleteType(const std::string& id) override;
  absl::Status AddTypeAccess(const std::string& type_id, const std::string& project_id) override;
  absl::Status RemoveTypeAccess(const std::string& type_id, const std::string& project_id) override;
  absl::StatusOr<std::vector<std::string>> ListTypeAccess(const std::string& type_id) override;

  absl::Status ReportBackend(const Backend& backend) override;
  absl::StatusOr<std::vector<Backend>> ListBackends() override;
  absl::Status SetBackendDisabled(const std::string& key, bool disabled,
                                  const std::string& reason) override;
  absl::Status ClaimBackend(const std::string& volume_id, const std::string& key,
                            int64_t capacity_gb, absl::Time now) override;

  absl::StatusOr<QuotaLimits> GetQuotas(const std::string& project_id) override;
  absl::Status SetQuotas(const std::string& project_id, const QuotaLimits& limits) override;
  absl::Status DeleteQuotas(const std::string& project_id) override;
  absl::StatusOr<QuotaUsage> GetUsage(const std::string& project_id) override;

 private:
  // ChangeVolume inside a transaction (CreateAttachment applies its volume change with it).
  static absl::StatusOr<Volume> ChangeVolumeIn(db::Tx& tx, const std::string& id,
                                               const VolumeChange& change, absl::Time now);

  db::ConnectionPool& pool_;
};

}  // namespace gureum::block_storage::pg
