// The SQL helpers of PgBlockStorageStore: rows to model structs, locks, usage, pages.
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "block-storage/api/pg_block_storage_store_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage::pg {

const char kVolumeColumns[] =
    "id, project_id, user_id, name, description, status, previous_status, size_gb, "
    "volume_type_id, availability_zone, backend_key, source_volume_id, snapshot_id, image_id, "
    "bootable, multiattach, read_only, metadata::text AS metadata, "
    "image_metadata::text AS image_metadata, error, task_id, created_at, updated_at";
const char kSnapshotColumns[] =
    "id, project_id, user_id, volume_id, name, description, status, size_gb, "
    "metadata::text AS metadata, error, task_id, created_at, updated_at";
const char kAttachmentColumns[] =
    "id, volume_id, project_id, instance_uuid, status, mode, mountpoint, connector_host, "
    "connector_ip, conn_protocol, conn_host, conn_port, conn_export_name, conn_path, "
    "conn_format, conn_read_only, error, task_id, created_at, updated_at";
const char kTypeColumns[] =
    "id, name, description, is_public, extra_specs::text AS extra_specs, created_at";

namespace {

Metadata MetadataFrom(const std::string& text) {
  return nlohmann::json::parse(text).get<Metadata>();
}

}  // namespace

std::string MetadataJson(const Metadata& metadata) { return nlohmann::json(metadata).dump(); }

Volume VolumeFromRow(const db::Row& r) {
  Volume v;
  v.id = r.Get<std::string>("id");
  v.project_id = r.Get<std::string>("project_id");
  v.user_id = r.Get<std::string>("user_id");
  v.name = r.Get<std::string>("name");
  v.description = r.Get<std::string>("description");
  v.status = r.Get<std::string>("status");
  v.previous_status = r.Get<std::string>("previous_status");
  v.size_gb = r.Get<int64_t>("size_gb");
  v.volume_type_id = r.Get<std::string>("volume_type_id");
  v.availability_zone = r.Get<std::string>("availability_zone");
  v.backend_key = r.Get<std::string>("backend_key");
  v.source_volume_id = r.Get<std::string>("source_volume_id");
  v.snapshot_id = r.Get<std::string>("snapshot_id");
  v.image_id = r.Get<std::string>("image_id");
  v.bootable = r.Get<bool>("bootable");
  v.multiattach = r.Get<bool>("multiattach");
  v.read_only = r.Get<bool>("read_only");
  v.metadata = MetadataFrom(r.Get<std::string>("metadata"));
  v.image_metadata = MetadataFrom(r.Get<std::string>("image_metadata"));
  v.error = r.Get<std::string>("error");
  v.task_id = r.Get<std::string>("task_id");
  v.created_at = r.Get<absl::Time>("created_at");
  v.updated_at = r.Get<absl::Time>("updated_at");
  return v;
}

Snapshot SnapshotFromRow(const db::Row& r) {
  Snapshot s;
  s.id = r.Get<std::string>("id");
  s.project_id = r.Get<std::string>("project_id");
  s.user_id = r.Get<std::string>("user_id");
  s.volume_id = r.Get<std::string>("volume_id");
  s.name = r.Get<std::string>("name");
  s.description = r.Get<std::string>("description");
  s.status = r.Get<std::string>("status");
  s.size_gb = r.Get<int64_t>("size_gb");
  s.metadata = MetadataFrom(r.Get<std::string>("metadata"));
  s.error = r.Get<std::string>("error");
  s.task_id = r.Get<std::string>("task_id");
  s.created_at = r.Get<absl::Time>("created_at");
  s.updated_at = r.Get<absl::Time>("updated_at");
  return s;
}

Attachment AttachmentFromRow(const db::Row& r) {
  Attachment a;
  a.id = r.Get<std::string>("id");
  a.volume_id = r.Get<std::string>("volume_id");
  a.project_id = r.Get<std::string>("project_id");
  a.instance_uuid = r.Get<std::string>("instance_uuid");
  a.status = r.Get<std::string>("status");
  a.mode = r.Get<std::string>("mode");
  a.mountpoint = r.Get<std::string>("mountpoint");
  a.connector_host = r.Get<std::string>("connector_host");
  a.connector_ip = r.Get<std::string>("connector_ip");
  a.connection_info.protocol = r.Get<std::string>("conn_protocol");
  a.connection_info.host = r.Get<std::string>("conn_host");
  a.connection_info.port = r.Get<int>("conn_port");
  a.connection_info.export_name = r.Get<std::string>("conn_export_name");
  a.connection_info.path = r.Get<std::string>("conn_path");
  a.connection_info.format = r.Get<std::string>("conn_format");
  a.connection_info.read_only = r.Get<bool>("conn_read_only");
  a.error = r.Get<std::string>("error");
  a.task_id = r.Get<std::string>("task_id");
  a.created_at = r.Get<absl::Time>("created_at");
  a.updated_at = r.Get<absl::Time>("updated_at");
  return a;
}

VolumeType TypeFromRow(const db::Row& r) {
  VolumeType t;
  t.id = r.Get<std::string>("id");
  t.name = r.Get<std::string>("name");
  t.description = r.Get<std::string>("description");
  t.is_public = r.Get<bool>("is_public");
  t.extra_specs = MetadataFrom(r.Get<std::string>("extra_specs"));
  t.created_at = r.Get<absl::Time>("created_at");
  return t;
}

std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += "\"";
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += "\"";
  }
  return out + "}";
}

absl::Status LockProject(db::Tx& tx, const std::string& project_id) {
  return tx
      .Exec("SELECT pg_advisory_xact_lock(hashtext($1))", {"block-storage-quota:" + project_id})
      .status();
}

absl::StatusOr<QuotaUsage> UsageIn(db::Tx& tx, const std::string& project_id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx.Exec("SELECT volume_type_id AS t, count(*)::bigint AS n, "
              "COALESCE(sum(size_gb), 0)::bigint AS gb, 'v' AS kind FROM volumes "
              "WHERE project_id = $1 GROUP BY volume_type_id UNION ALL "
              "SELECT volume_type_id, count(*)::bigint, COALESCE(sum(size_gb), 0)::bigint, 's' "
              "FROM snapshots WHERE project_id = $1 GROUP BY volume_type_id",
              {project_id}));
  std::map<std::string, store_rules::TypeUsage> by_type;
  for (const db::Row& r : rows) {
    store_rules::TypeUsage& u = by_type[r.Get<std::string>("t")];
    if (r.Get<std::string>("kind") == "v") {
      u.volumes = r.Get<int64_t>("n");
      u.volume_gb = r.Get<int64_t>("gb");
    } else {
      u.snapshots = r.Get<int64_t>("n");
      u.snapshot_gb = r.Get<int64_t>("gb");
    }
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows types, tx.Exec("SELECT id, name FROM volume_types"));
  std::map<std::string, std::string> names;
  for (const db::Row& r : types) names[r.Get<std::string>("id")] = r.Get<std::string>("name");
  return store_rules::BuildUsage(by_type, names);
}

absl::StatusOr<std::string> TypeNameFor(db::Tx& tx, const std::string& type_id) {
  if (type_id.empty()) return std::string();
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows, tx.Exec("SELECT name FROM volume_types WHERE id = $1 FOR SHARE", {type_id}));
  return rows.empty() ? std::string() : rows[0].Get<std::string>("name");
}

absl::StatusOr<Volume> LockVolume(db::Tx& tx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx.Exec(absl::StrCat("SELECT ", kVolumeColumns, " FROM volumes WHERE id = $1 FOR UPDATE"),
              {id}));
  if (rows.empty()) return store_rules::VolumeNotFound(id);
  return VolumeFromRow(rows[0]);
}

absl::StatusOr<bool> Exists(db::Tx& tx, const std::string& sql, const db::Params& params) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
  return !rows.empty();
}

std::string Where::Param(db::Param p) {
  params.push_back(std::move(p));
  return absl::StrCat("$", params.size());
}

std::string Where::Sql() const {
  return clauses.empty() ? "" : " WHERE " + absl::StrJoin(clauses, " AND ");
}

absl::StatusOr<db::Rows> SelectPage(db::Tx& tx, const std::string& columns,
                                    const std::string& table, Where where,
                                    const std::string& sort_key, bool sort_desc,
                                    const std::string& marker, int64_t limit) {
  const char* column = store_rules::SortColumn(sort_key);
  if (column == nullptr) return store_rules::BadSortKey(sort_key);
  if (!marker.empty()) {
    // The marker must be in the listing: the same filters, and its id.
    Where in = where;
    in.clauses.push_back("id = " + in.Param(marker));
    GUREUM_ASSIGN_OR_RETURN(bool found,
                            Exists(tx, absl::StrCat("SELECT 1 FROM ", table, in.Sql()), in.params));
    if (!found) return store_rules::MarkerNotFound(marker);
    where.clauses.push_back(absl::StrCat("(", column, ", id) ", sort_desc ? "<" : ">", " (SELECT ",
                                         column, ", id FROM ", table,
                                         " WHERE id = ", where.Param(marker), ")"));
  }
  const char* dir = sort_desc ? " DESC" : " ASC";
  std::string sql = absl::StrCat("SELECT ", columns, " FROM ", table, where.Sql(), " ORDER BY ",
                                 column, dir, ", id", dir);
  if (limit >= 0) absl::StrAppend(&sql, " LIMIT ", limit);
  return tx.Exec(sql, where.params);
}

}  // namespace gureum::block_storage::pg
