// PgBlockStorageStore: snapshots and attachments.
#include "absl/strings/str_cat.h"
#include "block-storage/api/pg_block_storage_store_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage::pg {

using store_rules::AttachmentNotFound;
using store_rules::SnapshotNotFound;

absl::Status PgBlockStorageStore::CreateSnapshot(const Snapshot& s,
                                                 const std::vector<std::string>& volume_from,
                                                 const QuotaLimits& quota) {
  absl::Status status = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LockProject(tx, s.project_id));
    GUREUM_ASSIGN_OR_RETURN(Volume v, LockVolume(tx, s.volume_id));
    GUREUM_RETURN_IF_ERROR(store_rules::Guard(volume_from, v.status));
    if (!quota.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::string type_name, TypeNameFor(tx, v.volume_type_id));
      GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage, UsageIn(tx, s.project_id));
      GUREUM_RETURN_IF_ERROR(store_rules::CheckQuota(
          quota, usage, {type_name, /*volumes=*/0, /*snapshots=*/1, s.size_gb, 0}));
    }
    return tx
        .Exec(
            "INSERT INTO snapshots (id, project_id, user_id, volume_id, volume_type_id, "
            "backend_key, name, description, status, size_gb, metadata, error, task_id, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "$11::jsonb, $12, $13, $14, $15)",
            {s.id, s.project_id, s.user_id, s.volume_id, v.volume_type_id, v.backend_key, s.name,
             s.description, s.status, s.size_gb, MetadataJson(s.metadata), s.error, s.task_id,
             s.created_at, s.updated_at})
        .status();
  });
  return absl::IsAlreadyExists(status) ? store_rules::SnapshotExists(s.id) : status;
}

absl::StatusOr<Snapshot> PgBlockStorageStore::GetSnapshot(const std::string& id) {
  Snapshot out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec(absl::StrCat("SELECT ", kSnapshotColumns, " FROM snapshots WHERE id = $1"), {id}));
    if (rows.empty()) return SnapshotNotFound(id);
    out = SnapshotFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Snapshot>> PgBlockStorageStore::ListSnapshots(const SnapshotQuery& q) {
  Where where;
  if (!q.project_id.empty()) where.clauses.push_back("project_id = " + where.Param(q.project_id));
  if (!q.volume_id.empty()) where.clauses.push_back("volume_id = " + where.Param(q.volume_id));
  if (!q.name.empty()) where.clauses.push_back("name = " + where.Param(q.name));
  if (!q.status.empty()) where.clauses.push_back("status = " + where.Param(q.status));
  std::vector<Snapshot> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, SelectPage(tx, kSnapshotColumns, "snapshots", where,
                                                      q.sort_key, q.sort_desc, q.marker, q.limit));
    for (const db::Row& r : rows) out.push_back(SnapshotFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Snapshot> PgBlockStorageStore::ChangeSnapshot(const std::string& id,
                                                             const SnapshotChange& change,
                                                             absl::Time now) {
  Snapshot s;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec(absl::StrCat("SELECT ", kSnapshotColumns,
                                                 " FROM snapshots WHERE id = $1 FOR UPDATE"),
                                    {id}));
    if (rows.empty()) return SnapshotNotFound(id);
    s = SnapshotFromRow(rows[0]);
    GUREUM_RETURN_IF_ERROR(store_rules::Guard(change.from, s.status));
    store_rules::Apply(change, s);
    GUREUM_ASSIGN_OR_RETURN(
        db::Row row,
        tx.ExecOne(absl::StrCat("UPDATE snapshots SET status = $2, name = $3, description = $4, "
                                "metadata = $5::jsonb, error = $6, task_id = $7, updated_at = "
                                "$8 WHERE id = $1 RETURNING ",
                                kSnapshotColumns),
                   {id, s.status, s.name, s.description, MetadataJson(s.metadata), s.error,
                    s.task_id, now},
                   "snapshot " + id));
    s = SnapshotFromRow(row);
    return absl::OkStatus();
  }));
  return s;
}

absl::Status PgBlockStorageStore::DeleteSnapshot(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM snapshots WHERE id = $1", {id}));
    return n == 1 ? absl::OkStatus() : SnapshotNotFound(id);
  });
}

absl::StatusOr<std::vector<Snapshot>> PgBlockStorageStore::ListStaleSnapshots(
    const std::vector<std::string>& statuses, absl::Time before) {
  std::vector<Snapshot> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows, tx.Exec(absl::StrCat("SELECT ", kSnapshotColumns,
                                            " FROM snapshots WHERE status = ANY($1::text[]) AND "
                                            "updated_at < $2 ORDER BY updated_at, id"),
                               {ArrayLiteral(statuses), before}));
    for (const db::Row& r : rows) out.push_back(SnapshotFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

// ---- attachments ----

absl::Status PgBlockStorageStore::CreateAttachment(const Attachment& a,
                                                   const VolumeChange& volume_change,
                                                   absl::Time now) {
  absl::Status status = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Volume v, LockVolume(tx, a.volume_id));
    GUREUM_RETURN_IF_ERROR(store_rules::Guard(volume_change.from, v.status));
    if (!v.multiattach) {
      GUREUM_ASSIGN_OR_RETURN(bool attached, Exists(tx,
                                                    "SELECT 1 FROM attachments WHERE "
                                                    "volume_id = $1",
                                                    {a.volume_id}));
      if (attached) return absl::FailedPreconditionError("attached");
    }
    GUREUM_RETURN_IF_ERROR(ChangeVolumeIn(tx, a.volume_id, volume_change, now).status());
    const ConnectionInfo& c = a.connection_info;
    return tx
        .Exec(
            "INSERT INTO attachments (id, volume_id, project_id, instance_uuid, status, mode, "
            "mountpoint, connector_host, connector_ip, conn_protocol, conn_host, conn_port, "
            "conn_export_name, conn_path, conn_format, conn_read_only, error, task_id, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
            "$13, $14, $15, $16, $17, $18, $19, $20)",
            {a.id,        a.volume_id,  a.project_id,     a.instance_uuid, a.status,
             a.mode,      a.mountpoint, a.connector_host, a.connector_ip,  c.protocol,
             c.host,      c.port,       c.export_name,    c.path,          c.format,
             c.read_only, a.error,      a.task_id,        a.created_at,    a.updated_at})
        .status();
  });
  return absl::IsAlreadyExists(status) ? store_rules::AttachmentExists(a.id) : status;
}

absl::StatusOr<Attachment> PgBlockStorageStore::GetAttachment(const std::string& id) {
  Attachment out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(absl::StrCat("SELECT ", kAttachmentColumns,
                                                                " FROM attachments WHERE id = $1"),
                                                   {id}));
    if (rows.empty()) return AttachmentNotFound(id);
    out = AttachmentFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Attachment>> PgBlockStorageStore::ListAttachments(
    const std::string& project_id, const std::string& volume_id, const std::string& instance_uuid) {
  Where where;
  if (!project_id.empty()) where.clauses.push_back("project_id = " + where.Param(project_id));
  if (!volume_id.empty()) where.clauses.push_back("volume_id = " + where.Param(volume_id));
  if (!instance_uuid.empty()) {
    where.clauses.push_back("instance_uuid = " + where.Param(instance_uuid));
  }
  std::vector<Attachment> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, SelectPage(tx, kAttachmentColumns, "attachments", where,
                                                      "created_at", /*sort_desc=*/false, "", -1));
    for (const db::Row& r : rows) out.push_back(AttachmentFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Attachment> PgBlockStorageStore::ChangeAttachment(const std::string& id,
                                                                 const AttachmentChange& change,
                                                                 absl::Time now) {
  Attachment a;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec(absl::StrCat("SELECT ", kAttachmentColumns,
                                                 " FROM attachments WHERE id = $1 FOR UPDATE"),
                                    {id}));
    if (rows.empty()) return AttachmentNotFound(id);
    a = AttachmentFromRow(rows[0]);
    GUREUM_RETURN_IF_ERROR(store_rules::Guard(change.from, a.status));
    store_rules::Apply(change, a);
    const ConnectionInfo& c = a.connection_info;
    GUREUM_ASSIGN_OR_RETURN(
        db::Row row,
        tx.ExecOne(
            absl::StrCat("UPDATE attachments SET status = $2, mountpoint = $3, "
                         "connector_host = $4, connector_ip = $5, conn_protocol = $6, "
                         "conn_host = $7, conn_port = $8, conn_export_name = $9, "
                         "conn_path = $10, conn_format = $11, conn_read_only = $12, "
                         "error = $13, task_id = $14, updated_at = $15 WHERE id = $1 "
                         "RETURNING ",
                         kAttachmentColumns),
            {id, a.status, a.mountpoint, a.connector_host, a.connector_ip, c.protocol, c.host,
             c.port, c.export_name, c.path, c.format, c.read_only, a.error, a.task_id, now},
            "attachment " + id));
    a = AttachmentFromRow(row);
    if (change.volume_status.has_value()) {
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("UPDATE volumes SET status = $2, updated_at = $3 WHERE id = $1",
                  {a.volume_id, *change.volume_status, now})
              .status());
    }
    return absl::OkStatus();
  }));
  return a;
}

absl::StatusOr<Volume> PgBlockStorageStore::DeleteAttachment(const std::string& id,
                                                             absl::Time now) {
  Volume out;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec("SELECT volume_id FROM attachments WHERE id = $1", {id}));
    if (rows.empty()) return AttachmentNotFound(id);
    std::string volume_id = rows[0].Get<std::string>("volume_id");
    // The volume's lock orders concurrent detaches of its last attachments.
    GUREUM_ASSIGN_OR_RETURN(out, LockVolume(tx, volume_id));
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM attachments WHERE id = $1", {id}));
    if (n == 0) return AttachmentNotFound(id);
    GUREUM_ASSIGN_OR_RETURN(
        bool more, Exists(tx, "SELECT 1 FROM attachments WHERE volume_id = $1", {volume_id}));
    if (more) return absl::OkStatus();
    GUREUM_ASSIGN_OR_RETURN(
        db::Row row,
        tx.ExecOne(absl::StrCat("UPDATE volumes SET status = 'available', updated_at = $2 "
                                "WHERE id = $1 RETURNING ",
                                kVolumeColumns),
                   {volume_id, now}, "volume " + volume_id));
    out = VolumeFromRow(row);
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gureum::block_storage::pg
