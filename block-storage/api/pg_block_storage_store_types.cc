// PgBlockStorageStore: volume types and their access, backends, quotas.
#include "absl/strings/str_cat.h"
#include "block-storage/api/pg_block_storage_store_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage::pg {

using store_rules::BackendNotFound;
using store_rules::TypeNotFound;

namespace {

absl::StatusOr<VolumeType> OneType(db::ConnectionPool& pool, const std::string& column,
                                   const std::string& value, const absl::Status& not_found) {
  VolumeType out;
  GUREUM_RETURN_IF_ERROR(pool.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec(absl::StrCat("SELECT ", kTypeColumns, " FROM volume_types WHERE ", column, " = $1"),
                {value}));
    if (rows.empty()) return not_found;
    out = TypeFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status LockType(db::Tx& tx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(bool found,
                          Exists(tx, "SELECT 1 FROM volume_types WHERE id = $1 FOR UPDATE", {id}));
  return found ? absl::OkStatus() : TypeNotFound(id);
}

}  // namespace

absl::Status PgBlockStorageStore::CreateType(const VolumeType& t) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO volume_types (id, name, description, is_public, extra_specs, "
            "created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
            {t.id, t.name, t.description, t.is_public, MetadataJson(t.extra_specs), t.created_at})
        .status();
  });
  return absl::IsAlreadyExists(s) ? store_rules::TypeExists(t.name) : s;
}

absl::StatusOr<VolumeType> PgBlockStorageStore::GetType(const std::string& id) {
  return OneType(pool_, "id", id, TypeNotFound(id));
}

absl::StatusOr<VolumeType> PgBlockStorageStore::GetTypeByName(const std::string& name) {
  return OneType(pool_, "name", name, store_rules::TypeNameNotFound(name));
}

absl::StatusOr<std::vector<VolumeType>> PgBlockStorageStore::ListTypes(
    const std::string& project_id) {
  std::vector<VolumeType> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    std::string sql = absl::StrCat("SELECT ", kTypeColumns, " FROM volume_types");
    db::Params params;
    if (!project_id.empty()) {
      sql +=
          " WHERE is_public OR EXISTS (SELECT 1 FROM volume_type_access a WHERE "
          "a.type_id = volume_types.id AND a.project_id = $1)";
      params.push_back(project_id);
    }
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql + " ORDER BY name, id", params));
    for (const db::Row& r : rows) out.push_back(TypeFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgBlockStorageStore::UpdateType(const VolumeType& t) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("UPDATE volume_types SET name = $2, description = $3, "
                        "is_public = $4, extra_specs = $5::jsonb WHERE id = $1",
                        {t.id, t.name, t.description, t.is_public, MetadataJson(t.extra_specs)}));
    return n == 1 ? absl::OkStatus() : TypeNotFound(t.id);
  });
  return absl::IsAlreadyExists(s) ? store_rules::TypeExists(t.name) : s;
}

absl::Status PgBlockStorageStore::DeleteType(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    // Locked for update: a volume create holds the type's row shared until it commits.
    GUREUM_RETURN_IF_ERROR(LockType(tx, id));
    GUREUM_ASSIGN_OR_RETURN(
        bool used, Exists(tx, "SELECT 1 FROM volumes WHERE volume_type_id = $1 LIMIT 1", {id}));
    if (used) return absl::FailedPreconditionError("in use");
    return tx.Exec("DELETE FROM volume_types WHERE id = $1", {id}).status();
  });
}

absl::Status PgBlockStorageStore::AddTypeAccess(const std::string& type_id,
                                                const std::string& project_id) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LockType(tx, type_id));
    return tx
        .Exec("INSERT INTO volume_type_access (type_id, project_id) VALUES ($1, $2)",
              {type_id, project_id})
        .status();
  });
  return absl::IsAlreadyExists(s) ? store_rules::TypeAccessExists(type_id, project_id) : s;
}

absl::Status PgBlockStorageStore::RemoveTypeAccess(const std::string& type_id,
                                                   const std::string& project_id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("DELETE FROM volume_type_access WHERE type_id = $1 AND project_id = $2",
                        {type_id, project_id}));
    return n == 1 ? absl::OkStatus() : store_rules::TypeAccessNotFound(type_id, project_id);
  });
}

absl::StatusOr<std::vector<std::string>> PgBlockStorageStore::ListTypeAccess(
    const std::string& type_id) {
  std::vector<std::string> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(bool found,
                            Exists(tx, "SELECT 1 FROM volume_types WHERE id = $1", {type_id}));
    if (!found) return TypeNotFound(type_id);
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT project_id FROM volume_type_access "
                                                   "WHERE type_id = $1 ORDER BY project_id",
                                                   {type_id}));
    for (const db::Row& r : rows) out.push_back(r.Get<std::string>("project_id"));
    return absl::OkStatus();
  }));
  return out;
}

// ---- backends ----

absl::Status PgBlockStorageStore::ReportBackend(const Backend& b) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO backends (key, host, backend, driver, availability_zone, total_gb, "
            "free_gb, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO "
            "UPDATE SET host = EXCLUDED.host, backend = EXCLUDED.backend, driver = "
            "EXCLUDED.driver, availability_zone = EXCLUDED.availability_zone, total_gb = "
            "EXCLUDED.total_gb, free_gb = EXCLUDED.free_gb, updated_at = EXCLUDED.updated_at",
            {b.key, b.host, b.backend, b.driver, b.availability_zone, b.total_gb, b.free_gb,
             b.updated_at})
        .status();
  });
}

absl::StatusOr<std::vector<Backend>> PgBlockStorageStore::ListBackends() {
  std::vector<Backend> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT b.*, (SELECT COALESCE(sum(size_gb), 0) FROM volumes v WHERE "
                "v.backend_key = b.key)::bigint + (SELECT COALESCE(sum(size_gb), 0) FROM "
                "snapshots s WHERE s.backend_key = b.key)::bigint AS allocated_gb FROM "
                "backends b ORDER BY key"));
    for (const db::Row& r : rows) {
      Backend b;
      b.key = r.Get<std::string>("key");
      b.host = r.Get<std::string>("host");
      b.backend = r.Get<std::string>("backend");
      b.driver = r.Get<std::string>("driver");
      b.availability_zone = r.Get<std::string>("availability_zone");
      b.total_gb = r.Get<int64_t>("total_gb");
      b.free_gb = r.Get<int64_t>("free_gb");
      b.allocated_gb = r.Get<int64_t>("allocated_gb");
      b.disabled = r.Get<bool>("disabled");
      b.disabled_reason = r.Get<std::string>("disabled_reason");
      b.updated_at = r.Get<absl::Time>("updated_at");
      out.push_back(std::move(b));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgBlockStorageStore::SetBackendDisabled(const std::string& key, bool disabled,
                                                     const std::string& reason) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n, tx.ExecAffected("UPDATE backends SET disabled = $2, disabled_reason = $3 "
                                   "WHERE key = $1",
                                   {key, disabled, reason}));
    return n == 1 ? absl::OkStatus() : BackendNotFound(key);
  });
}

absl::Status PgBlockStorageStore::ClaimBackend(const std::string& volume_id, const std::string& key,
                                               int64_t capacity_gb, absl::Time now) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    // The backend's row lock serialises claims on it (then the volume's, see the header).
    GUREUM_ASSIGN_OR_RETURN(bool found,
                            Exists(tx, "SELECT 1 FROM backends WHERE key = $1 FOR UPDATE", {key}));
    if (!found) return BackendNotFound(key);
    GUREUM_ASSIGN_OR_RETURN(Volume v, LockVolume(tx, volume_id));
    GUREUM_ASSIGN_OR_RETURN(
        db::Row row,
        tx.ExecOne("SELECT (SELECT COALESCE(sum(size_gb), 0) FROM volumes WHERE backend_key = $1 "
                   "AND id <> $2)::bigint + (SELECT COALESCE(sum(size_gb), 0) FROM snapshots "
                   "WHERE backend_key = $1)::bigint AS n",
                   {key, volume_id}, "allocation"));
    int64_t allocated = row.Get<int64_t>("n");
    if (allocated + v.size_gb > capacity_gb) {
      return store_rules::BackendFull(key, allocated, v.size_gb, capacity_gb);
    }
    return tx
        .Exec("UPDATE volumes SET backend_key = $2, updated_at = $3 WHERE id = $1",
              {volume_id, key, now})
        .status();
  });
}

// ---- quotas ----

absl::StatusOr<QuotaLimits> PgBlockStorageStore::GetQuotas(const std::string& project_id) {
  QuotaLimits out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT resource, hard_limit FROM quotas WHERE project_id = $1", {project_id}));
    for (const db::Row& r : rows) {
      out[r.Get<std::string>("resource")] = r.Get<int64_t>("hard_limit");
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgBlockStorageStore::SetQuotas(const std::string& project_id,
                                            const QuotaLimits& limits) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    for (const auto& [resource, limit] : limits) {
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO quotas (project_id, resource, hard_limit) VALUES ($1, $2, $3) "
                  "ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = $3",
                  {project_id, resource, limit})
              .status());
    }
    return absl::OkStatus();
  });
}

absl::Status PgBlockStorageStore::DeleteQuotas(const std::string& project_id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx.Exec("DELETE FROM quotas WHERE project_id = $1", {project_id}).status();
  });
}

absl::StatusOr<QuotaUsage> PgBlockStorageStore::GetUsage(const std::string& project_id) {
  QuotaUsage out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, UsageIn(tx, project_id));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gureum::block_storage::pg
