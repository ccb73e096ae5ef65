// Flavors, keypairs, server groups and quotas in PostgreSQL; the shared helpers.
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/pg_store_internal.h"

namespace gureum::compute {
namespace internal {

using nlohmann::json;

std::string Text(const db::Row& row, const std::string& column) {
  auto v = row.Get<std::optional<std::string>>(column);
  return v.value_or("");
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string MapToJson(const StringMap& m) { return json(m).dump(); }

StringMap MapFromJson(const std::string& text) {
  StringMap out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto& [k, v] : j.items()) out[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return out;
}

json FlavorToJson(const FlavorRecord& f) {
  return {{"id", f.id},
          {"name", f.name},
          {"vcpus", f.vcpus},
          {"ram_mb", f.ram_mb},
          {"disk_gb", f.disk_gb},
          {"ephemeral_gb", f.ephemeral_gb},
          {"swap_mb", f.swap_mb},
          {"rxtx_factor", f.rxtx_factor},
          {"is_public", f.is_public},
          {"description", f.description},
          {"extra_specs", f.extra_specs}};
}

FlavorRecord FlavorFromJson(const json& j) {
  FlavorRecord f;
  f.id = j.value("id", "");
  f.name = j.value("name", "");
  f.vcpus = j.value("vcpus", 0);
  f.ram_mb = j.value("ram_mb", int64_t{0});
  f.disk_gb = j.value("disk_gb", int64_t{0});
  f.ephemeral_gb = j.value("ephemeral_gb", int64_t{0});
  f.swap_mb = j.value("swap_mb", int64_t{0});
  f.rxtx_factor = j.value("rxtx_factor", 1.0);
  f.is_public = j.value("is_public", true);
  f.description = j.value("description", "");
  if (j.contains("extra_specs") && j["extra_specs"].is_object()) {
    f.extra_specs = j["extra_specs"].get<StringMap>();
  }
  return f;
}

absl::Status Duplicate(absl::Status s, const std::string& message) {
  if (s.code() == absl::StatusCode::kAlreadyExists) return absl::AlreadyExistsError(message);
  return s;
}

absl::Status LockKey(db::Tx& tx, const std::string& key) {
  return tx.Exec("SELECT pg_advisory_xact_lock(hashtext($1))", {key}).status();
}

namespace {

constexpr char kFlavorColumns[] =
    "id, name, vcpus, ram_mb, disk_gb, ephemeral_gb, swap_mb, rxtx_factor, is_public, "
    "disabled, description, extra_specs::text AS extra_specs, created_at";

FlavorRecord FlavorFromRow(const db::Row& r) {
  FlavorRecord f;
  f.id = r.Get<std::string>("id");
  f.name = r.Get<std::string>("name");
  f.vcpus = r.Get<int>("vcpus");
  f.ram_mb = r.Get<int64_t>("ram_mb");
  f.disk_gb = r.Get<int64_t>("disk_gb");
  f.ephemeral_gb = r.Get<int64_t>("ephemeral_gb");
  f.swap_mb = r.Get<int64_t>("swap_mb");
  f.rxtx_factor = r.Get<double>("rxtx_factor");
  f.is_public = r.Get<bool>("is_public");
  f.disabled = r.Get<bool>("disabled");
  f.description = Text(r, "description");
  f.extra_specs = MapFromJson(r.Get<std::string>("extra_specs"));
  f.created_at = r.Get<absl::Time>("created_at");
  return f;
}

Keypair KeypairFromRow(const db::Row& r) {
  return {.user_id = r.Get<std::string>("user_id"),
          .name = r.Get<std::string>("name"),
          .type = r.Get<std::string>("type"),
          .public_key = r.Get<std::string>("public_key"),
          .fingerprint = r.Get<std::string>("fingerprint"),
          .created_at = r.Get<absl::Time>("created_at")};
}

absl::StatusOr<ServerGroup> LoadGroup(db::Tx& tx, const db::Row& r) {
  ServerGroup g;
  g.uuid = r.Get<std::string>("uuid");
  g.name = r.Get<std::string>("name");
  g.project_id = r.Get<std::string>("project_id");
  g.user_id = r.Get<std::string>("user_id");
  g.policy = r.Get<std::string>("policy");
  g.max_server_per_host = r.Get<int>("max_server_per_host");
  g.created_at = r.Get<absl::Time>("created_at");
  GUREUM_ASSIGN_OR_RETURN(db::Rows members,
                          tx.Exec("SELECT instance_uuid FROM server_group_members WHERE "
                                  "group_uuid = $1 ORDER BY instance_uuid",
                                  {g.uuid}));
  for (const db::Row& m : members) g.members.push_back(m.Get<std::string>("instance_uuid"));
  return g;
}

}  // namespace

// ---- flavors ----

absl::Status PgComputeStore::CreateFlavor(const FlavorRecord& f) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO flavors (id, name, vcpus, ram_mb, disk_gb, ephemeral_gb, "
            "swap_mb, rxtx_factor, is_public, description, extra_specs) VALUES "
            "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb)",
            {f.id, f.name, f.vcpus, f.ram_mb, f.disk_gb, f.ephemeral_gb, f.swap_mb, f.rxtx_factor,
             f.is_public, NullIfEmpty(f.description), MapToJson(f.extra_specs)})
        .status();
  });
  return Duplicate(s, "Flavor with ID " + f.id + " or name " + f.name + " already exists.");
}

absl::StatusOr<FlavorRecord> PgComputeStore::GetFlavor(const std::string& id) {
  FlavorRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Row r, tx.ExecOne(absl::StrCat("SELECT ", kFlavorColumns,
                                                               " FROM flavors WHERE id = $1"),
                                                  {id}, "flavor " + id));
    out = FlavorFromRow(r);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<FlavorRecord>> PgComputeStore::ListFlavors(const FlavorFilter& filter) {
  std::vector<FlavorRecord> out;
  std::string sql = absl::StrCat("SELECT ", kFlavorColumns, " FROM flavors f WHERE true");
  db::Params params;
  if (!filter.all) {
    params.push_back(filter.project_id);
    sql +=
        " AND (is_public OR EXISTS (SELECT 1 FROM flavor_projects p WHERE p.flavor_id = f.id "
        "AND p.project_id = $1))";
  }
  if (filter.is_public) {
    params.push_back(*filter.is_public);
    sql += absl::StrCat(" AND is_public = $", params.size());
  }
  if (filter.min_ram) {
    params.push_back(*filter.min_ram);
    sql += absl::StrCat(" AND ram_mb >= $", params.size());
  }
  if (filter.min_disk) {
    params.push_back(*filter.min_disk);
    sql += absl::StrCat(" AND disk_gb >= $", params.size());
  }
  sql += " ORDER BY ram_mb, id";
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
    for (const db::Row& r : rows) out.push_back(FlavorFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::DeleteFlavor(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM flavors WHERE id = $1", {id}));
    return n == 1 ? absl::OkStatus() : absl::NotFoundError("Flavor " + id + " could not be found.");
  });
}

absl::Status PgComputeStore::UpdateFlavorDescription(const std::string& id, const std::string& d) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("UPDATE flavors SET description = $2 WHERE id = $1", {id, NullIfEmpty(d)}));
    return n == 1 ? absl::OkStatus() : absl::NotFoundError("Flavor " + id + " could not be found.");
  });
}

absl::Status PgComputeStore::SetExtraSpecs(const std::string& id, const StringMap& specs) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("UPDATE flavors SET extra_specs = extra_specs || $2::jsonb WHERE id = $1",
                        {id, MapToJson(specs)}));
    return n == 1 ? absl::OkStatus() : absl::NotFoundError("Flavor " + id + " could not be found.");
  });
}

absl::Status PgComputeStore::DeleteExtraSpec(const std::string& id, const std::string& key) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected(
            "UPDATE flavors SET extra_specs = extra_specs - $2 WHERE id = $1 AND extra_specs ? $2",
            {id, key}));
    return n == 1
               ? absl::OkStatus()
               : absl::NotFoundError("Flavor " + id + " has no extra specs with key " + key + ".");
  });
}

absl::Status PgComputeStore::AddFlavorAccess(const std::string& id, const std::string& project) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec("INSERT INTO flavor_projects (flavor_id, project_id) VALUES ($1, $2)", {id, project})
        .status();
  });
  if (s.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::NotFoundError("Flavor " + id + " could not be found.");
  }
  return Duplicate(s, "Flavor access already exists for flavor " + id + " and project " + project +
                          " combination.");
}

absl::Status PgComputeStore::RemoveFlavorAccess(const std::string& id, const std::string& project) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("DELETE FROM flavor_projects WHERE flavor_id = $1 AND project_id = $2",
                        {id, project}));
    return n == 1 ? absl::OkStatus()
                  : absl::NotFoundError("Flavor access not found for " + id + " / " + project +
                                        " combination.");
  });
}

absl::StatusOr<std::vector<std::string>> PgComputeStore::ListFlavorAccess(const std::string& id) {
  std::vector<std::string> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT project_id FROM flavor_projects WHERE flavor_id = $1 ORDER BY project_id",
                {id}));
    for (const db::Row& r : rows) out.push_back(r.Get<std::string>("project_id"));
    return absl::OkStatus();
  }));
  return out;
}

// ---- keypairs ----

absl::Status PgComputeStore::CreateKeypair(const Keypair& k, int64_t limit) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LockKey(tx, "keypairs:" + k.user_id));
    GUREUM_ASSIGN_OR_RETURN(
        db::Row c,
        tx.ExecOne("SELECT count(*) AS n FROM keypairs WHERE user_id = $1", {k.user_id}, "count"));
    int64_t used = c.Get<int64_t>("n");
    if (limit >= 0 && used + 1 > limit) {
      return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                                "Quota exceeded for key_pairs: Requested 1, but already used ",
                                used, " of ", limit, " key_pairs")),
                            403);
    }
    return tx
        .Exec(
            "INSERT INTO keypairs (user_id, name, type, public_key, fingerprint) "
            "VALUES ($1,$2,$3,$4,$5)",
            {k.user_id, k.name, k.type, k.public_key, k.fingerprint})
        .status();
  });
  return Duplicate(s, "Key pair '" + k.name + "' already exists.");
}

absl::StatusOr<Keypair> PgComputeStore::GetKeypair(const std::string& user,
                                                   const std::string& name) {
  Keypair out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    auto r =
        tx.ExecOne("SELECT * FROM keypairs WHERE user_id = $1 AND name = $2", {user, name}, "");
    if (r.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("Keypair " + name + " not found for user " + user);
    }
    if (!r.ok()) return r.status();
    out = KeypairFromRow(*r);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Keypair>> PgComputeStore::ListKeypairs(const std::string& user) {
  std::vector<Keypair> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows, tx.Exec("SELECT * FROM keypairs WHERE user_id = $1 ORDER BY name", {user}));
    for (const db::Row& r : rows) out.push_back(KeypairFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::DeleteKeypair(const std::string& user, const std::string& name) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("DELETE FROM keypairs WHERE user_id = $1 AND name = $2", {user, name}));
    return n == 1 ? absl::OkStatus()
                  : absl::NotFoundError("Keypair " + name + " not found for user " + user);
  });
}

// ---- server groups ----

absl::Status PgComputeStore::CreateServerGroup(const ServerGroup& g, int64_t limit) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(LockKey(tx, "quota:" + g.project_id));
    GUREUM_ASSIGN_OR_RETURN(
        db::Row c, tx.ExecOne("SELECT count(*) AS n FROM server_groups WHERE project_id = $1",
                              {g.project_id}, "count"));
    int64_t used = c.Get<int64_t>("n");
    if (limit >= 0 && used + 1 > limit) {
      return WithHttpStatus(
          absl::ResourceExhaustedError(absl::StrCat(
              "Quota exceeded, too many server groups. (Requested 1, but already used ", used,
              " of ", limit, " server_groups)")),
          403);
    }
    return tx
        .Exec(
            "INSERT INTO server_groups (uuid, name, project_id, user_id, policy, "
            "max_server_per_host) VALUES ($1,$2,$3,$4,$5,$6)",
            {g.uuid, g.name, g.project_id, g.user_id, g.policy, g.max_server_per_host})
        .status();
  });
}

absl::StatusOr<ServerGroup> PgComputeStore::GetServerGroup(const std::string& uuid) {
  ServerGroup out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    auto r = tx.ExecOne("SELECT * FROM server_groups WHERE uuid = $1", {uuid}, "");
    if (r.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("Instance group " + uuid + " could not be found.");
    }
    if (!r.ok()) return r.status();
    GUREUM_ASSIGN_OR_RETURN(out, LoadGroup(tx, *r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<ServerGroup>> PgComputeStore::ListServerGroups(
    const std::string& project) {
  std::vector<ServerGroup> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT * FROM server_groups WHERE ($1 = '' OR "
                                                   "project_id = $1) ORDER BY created_at, uuid",
                                                   {project}));
    for (const db::Row& r : rows) {
      GUREUM_ASSIGN_OR_RETURN(ServerGroup g, LoadGroup(tx, r));
      out.push_back(std::move(g));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::DeleteServerGroup(const std::string& uuid) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM server_groups WHERE uuid = $1", {uuid}));
    return n == 1 ? absl::OkStatus()
                  : absl::NotFoundError("Instance group " + uuid + " could not be found.");
  });
}

// ---- quotas ----

absl::StatusOr<QuotaLimits> PgComputeStore::GetQuotaLimits(const std::string& project,
                                                           const QuotaLimits& defaults) {
  QuotaLimits out = defaults;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out = defaults;
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        // The default class's limits first, the project's own after (over them).
        tx.Exec("SELECT resource, hard_limit, 0 AS rank FROM quota_classes WHERE class_name = "
                "'default' UNION ALL SELECT resource, hard_limit, 1 FROM quotas WHERE "
                "project_id = $1 ORDER BY rank",
                {project}));
    for (const db::Row& r : rows) {
      const std::string res = r.Get<std::string>("resource");
      const int64_t v = r.Get<int64_t>("hard_limit");
      if (int64_t* kept = KeptQuota(out, res))
        *kept = v;
      else if (res == "instances")
        out.instances = v;
      else if (res == "cores")
        out.cores = v;
      else if (res == "ram")
        out.ram = v;
      else if (res == "key_pairs")
        out.key_pairs = v;
      else if (res == "server_groups")
        out.server_groups = v;
      else if (res == "server_group_members")
        out.server_group_members = v;
      else if (res == "metadata_items")
        out.metadata_items = v;
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> PgComputeStore::GetQuotaClass(
    const std::string& name) {
  std::map<std::string, int64_t> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT resource, hard_limit FROM quota_classes WHERE class_name = $1", {name}));
    for (const db::Row& r : rows)
      out[r.Get<std::string>("resource")] = r.Get<int64_t>("hard_limit");
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgComputeStore::SetQuotaClassLimit(const std::string& name,
                                                const std::string& resource, int64_t limit) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO quota_classes (class_name, resource, hard_limit) VALUES ($1,$2,$3) "
            "ON CONFLICT (class_name, resource) DO UPDATE SET hard_limit = $3",
            {name, resource, limit})
        .status();
  });
}

absl::Status PgComputeStore::SetQuotaLimit(const std::string& project, const std::string& resource,
                                           int64_t limit) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO quotas (project_id, resource, hard_limit) VALUES ($1,$2,$3) "
            "ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = $3",
            {project, resource, limit})
        .status();
  });
}

absl::Status PgComputeStore::DeleteQuotas(const std::string& project) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    return tx.Exec("DELETE FROM quotas WHERE project_id = $1", {project}).status();
  });
}

absl::StatusOr<QuotaUsage> PgComputeStore::GetQuotaUsage(const std::string& project,
                                                         const std::string& user) {
  QuotaUsage u;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Row r, tx.ExecOne("SELECT count(*) AS n, coalesce(sum(vcpus),0)::bigint AS c, "
                              "coalesce(sum(memory_mb),0)::bigint AS m, "
                              "(SELECT count(*) FROM server_groups WHERE project_id = $1) AS g, "
                              "(SELECT count(*) FROM keypairs WHERE user_id = $2) AS k "
                              "FROM instances WHERE project_id = $1",
                              {project, user}, "usage"));
    u.instances = r.Get<int64_t>("n");
    u.cores = r.Get<int64_t>("c");
    u.ram = r.Get<int64_t>("m");
    u.server_groups = r.Get<int64_t>("g");
    u.key_pairs = r.Get<int64_t>("k");
    return absl::OkStatus();
  }));
  return u;
}

}  // namespace internal

std::unique_ptr<ComputeStore> NewPgComputeStore(db::ConnectionPool& pool) {
  return std::make_unique<internal::PgComputeStore>(pool);
}

}  // namespace gureum::compute
