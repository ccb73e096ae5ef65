// PgBlockStorageStore: volumes, and the factory. See pg_block_storage_store_internal.h for
// the files of the other resources and the locking discipline.
#include "block-storage/api/pg_block_storage_store.h"

#include "absl/strings/str_cat.h"
#include "block-storage/api/pg_block_storage_store_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace pg {

using store_rules::VolumeNotFound;

absl::Status PgBlockStorageStore::CreateVolume(const Volume& v, const QuotaLimits& quota) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LockProject(tx, v.project_id));
    // The type's row stays share-locked: DeleteType waits, then finds the volume.
    GUREUM_ASSIGN_OR_RETURN(std::string type_name, TypeNameFor(tx, v.volume_type_id));
    if (!v.volume_type_id.empty() && type_name.empty()) {
      return store_rules::TypeNotFound(v.volume_type_id);
    }
    if (!quota.empty()) {
      GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage, UsageIn(tx, v.project_id));
      GUREUM_RETURN_IF_ERROR(store_rules::CheckQuota(
          quota, usage, {type_name, /*volumes=*/1, /*snapshots=*/0, v.size_gb, v.size_gb}));
    }
    return tx
        .Exec(
            "INSERT INTO volumes (id, project_id, user_id, name, description, status, "
            "previous_status, size_gb, volume_type_id, availability_zone, backend_key, "
            "source_volume_id, snapshot_id, image_id, bootable, multiattach, read_only, "
            "metadata, image_metadata, error, task_id, created_at, updated_at) VALUES ($1, $2, "
            "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::jsonb, "
            "$19::jsonb, $20, $21, $22, $23)",
            {v.id,
             v.project_id,
             v.user_id,
             v.name,
             v.description,
             v.status,
             v.previous_status,
             v.size_gb,
             v.volume_type_id,
             v.availability_zone,
             v.backend_key,
             v.source_volume_id,
             v.snapshot_id,
             v.image_id,
             v.bootable,
             v.multiattach,
             v.read_only,
             MetadataJson(v.metadata),
             MetadataJson(v.image_metadata),
             v.error,
             v.task_id,
             v.created_at,
             v.updated_at})
        .status();
  });
  return absl::IsAlreadyExists(s) ? store_rules::VolumeExists(v.id) : s;
}

absl::StatusOr<Volume> PgBlockStorageStore::GetVolume(const std::string& id) {
  Volume out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec(absl::StrCat("SELECT ", kVolumeColumns, " FROM volumes WHERE id = $1"), {id}));
    if (rows.empty()) return VolumeNotFound(id);
    out = VolumeFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Volume>> PgBlockStorageStore::ListVolumes(const VolumeQuery& q) {
  Where where;
  if (!q.project_id.empty()) where.clauses.push_back("project_id = " + where.Param(q.project_id));
  if (!q.name.empty()) where.clauses.push_back("name = " + where.Param(q.name));
  if (!q.status.empty()) where.clauses.push_back("status = " + where.Param(q.status));
  if (!q.bootable.empty()) {
    where.clauses.push_back("bootable = " + where.Param(q.bootable == "true"));
  }
  if (!q.availability_zone.empty()) {
    where.clauses.push_back("availability_zone = " + where.Param(q.availability_zone));
  }
  if (!q.metadata.empty()) {
    where.clauses.push_back("metadata @> " + where.Param(MetadataJson(q.metadata)) + "::jsonb");
  }
  std::vector<Volume> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, SelectPage(tx, kVolumeColumns, "volumes", where,
                                                      q.sort_key, q.sort_desc, q.marker, q.limit));
    for (const db::Row& r : rows) out.push_back(VolumeFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Volume> PgBlockStorageStore::ChangeVolumeIn(db::Tx& tx, const std::string& id,
                                                           const VolumeChange& change,
                                                           absl::Time now) {
  if (change.quota.has_value() && change.size_gb.has_value()) {
    // The project's quota lock comes before any row lock (see the header).
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec("SELECT project_id FROM volumes WHERE id = $1", {id}));
    if (rows.empty()) return VolumeNotFound(id);
    GUREUM_RETURN_IF_ERROR(LockProject(tx, rows[0].Get<std::string>("project_id")));
  }
  GUREUM_ASSIGN_OR_RETURN(Volume v, LockVolume(tx, id));
  GUREUM_RETURN_IF_ERROR(store_rules::Guard(change.from, v.status));
  if (change.require_no_attachments) {
    GUREUM_ASSIGN_OR_RETURN(bool attached,
                            Exists(tx, "SELECT 1 FROM attachments WHERE volume_id = $1", {id}));
    if (attached) return absl::FailedPreconditionError("attached");
  }
  if (change.require_no_snapshots) {
    GUREUM_ASSIGN_OR_RETURN(bool snapshots,
                            Exists(tx, "SELECT 1 FROM snapshots WHERE volume_id = $1", {id}));
    if (snapshots) return absl::FailedPreconditionError("snapshots");
  }
  if (change.quota.has_value() && change.size_gb.has_value() && *change.size_gb > v.size_gb) {
    GUREUM_ASSIGN_OR_RETURN(std::string type_name, TypeNameFor(tx, v.volume_type_id));
    GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage, UsageIn(tx, v.project_id));
    GUREUM_RETURN_IF_ERROR(store_rules::CheckQuota(
        *change.quota, usage,
        {type_name, /*volumes=*/0, /*snapshots=*/0, *change.size_gb - v.size_gb, *change.size_gb}));
  }
  if (change.quota.has_value() && change.volume_type_id.has_value() &&
      *change.volume_type_id != v.volume_type_id) {
    GUREUM_ASSIGN_OR_RETURN(std::string type_name, TypeNameFor(tx, *change.volume_type_id));
    GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage, UsageIn(tx, v.project_id));
    GUREUM_RETURN_IF_ERROR(store_rules::CheckQuota(
        *change.quota, usage,
        {.type_name = type_name, .volumes = 1, .gigabytes = v.size_gb, .per_type_only = true}));
  }
  store_rules::Apply(change, v);
  GUREUM_ASSIGN_OR_RETURN(
      db::Row row,
      tx.ExecOne(absl::StrCat("UPDATE volumes SET status = $2, previous_status = $3, size_gb = "
                              "$4, backend_key = $5, name = $6, description = $7, bootable = $8, "
                              "read_only = $9, metadata = $10::jsonb, image_metadata = "
                              "$11::jsonb, error = $12, task_id = $13, updated_at = $14, "
                              "volume_type_id = $15 WHERE id = $1 RETURNING ",
                              kVolumeColumns),
                 {id, v.status, v.previous_status, v.size_gb, v.backend_key, v.name, v.description,
                  v.bootable, v.read_only, MetadataJson(v.metadata), MetadataJson(v.image_metadata),
                  v.error, v.task_id, now, v.volume_type_id},
                 "volume " + id));
  return VolumeFromRow(row);
}

absl::StatusOr<Volume> PgBlockStorageStore::ChangeVolume(const std::string& id,
                                                         const VolumeChange& change,
                                                         absl::Time now) {
  Volume out;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, ChangeVolumeIn(tx, id, change, now));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgBlockStorageStore::DeleteVolume(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LockVolume(tx, id).status());
    GUREUM_ASSIGN_OR_RETURN(bool attached,
                            Exists(tx, "SELECT 1 FROM attachments WHERE volume_id = $1", {id}));
    if (attached) return absl::FailedPreconditionError("attached");
    return tx.Exec("DELETE FROM volumes WHERE id = $1", {id}).status();
  });
}

absl::StatusOr<std::vector<Volume>> PgBlockStorageStore::ListStaleVolumes(
    const std::vector<std::string>& statuses, absl::Time before) {
  std::vector<Volume> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec(absl::StrCat("SELECT ", kVolumeColumns,
                                                 " FROM volumes WHERE status = ANY($1::text[]) AND "
                                                 "updated_at < $2 ORDER BY updated_at, id"),
                                    {ArrayLiteral(statuses), before}));
    for (const db::Row& r : rows) out.push_back(VolumeFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace pg

std::unique_ptr<BlockStorageStore> NewPgBlockStorageStore(db::ConnectionPool& pool) {
  return std::make_unique<pg::PgBlockStorageStore>(pool);
}

}  // namespace gureum::block_storage
