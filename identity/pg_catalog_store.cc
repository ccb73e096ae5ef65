// PostgreSQL IdentityStore: regions, services, endpoints, application credentials.
#include <nlohmann/json.hpp>

#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/pg_store_internal.h"

namespace gureum::identity::internal {
namespace {

Region ToRegion(const db::Row& r) {
  return Region{r.Get<std::string>("id"), r.Get<std::string>("description"),
                Text(r, "parent_region_id")};
}

Service ToService(const db::Row& r) {
  return Service{r.Get<std::string>("id"), r.Get<std::string>("type"), r.Get<std::string>("name"),
                 r.Get<std::string>("description"), r.Get<bool>("enabled")};
}

Endpoint ToEndpoint(const db::Row& r) {
  return Endpoint{r.Get<std::string>("id"),  r.Get<std::string>("service_id"),
                  Text(r, "region_id"),      r.Get<std::string>("interface"),
                  r.Get<std::string>("url"), r.Get<bool>("enabled")};
}

// Roles travel as a JSON array so that names may hold any character.
constexpr char kCredentialColumns[] =
    "SELECT c.*, COALESCE((SELECT json_agg(json_build_object('id', r.id, 'name', r.name) "
    "ORDER BY r.id) FROM application_credential_roles cr JOIN roles r ON r.id = cr.role_id "
    "WHERE cr.credential_id = c.id), '[]') AS roles FROM application_credentials c";

ApplicationCredentialRecord ToCredential(const db::Row& r) {
  ApplicationCredentialRecord out;
  ApplicationCredential& c = out.credential;
  c.id = r.Get<std::string>("id");
  c.name = r.Get<std::string>("name");
  c.user_id = r.Get<std::string>("user_id");
  c.project_id = r.Get<std::string>("project_id");
  c.description = r.Get<std::string>("description");
  c.expires_at = r.Get<std::optional<absl::Time>>("expires_at");
  c.unrestricted = r.Get<bool>("unrestricted");
  for (const auto& j : nlohmann::json::parse(r.Get<std::string>("roles"))) {
    c.roles.push_back({j.at("id").get<std::string>(), j.at("name").get<std::string>()});
  }
  out.secret_hash = r.Get<std::string>("secret_hash");
  return out;
}

template <typename T>
absl::StatusOr<T> GetOne(db::ConnectionPool& pool, const std::string& sql, const db::Params& params,
                         const std::string& kind, const std::string& id,
                         T (*convert)(const db::Row&)) {
  T out;
  GUREUM_RETURN_IF_ERROR(pool.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
    if (rows.empty()) return NotFoundError(kind, id);
    out = convert(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

template <typename T>
absl::StatusOr<std::vector<T>> GetMany(db::ConnectionPool& pool, const std::string& sql,
                                       const db::Params& params, T (*convert)(const db::Row&)) {
  std::vector<T> out;
  GUREUM_RETURN_IF_ERROR(pool.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
    for (const db::Row& r : rows) out.push_back(convert(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status EndpointRefs(db::Tx& tx, const Endpoint& e) {
  GUREUM_RETURN_IF_ERROR(MustExist(tx, "services", "service", e.service_id));
  if (!e.region_id.empty()) GUREUM_RETURN_IF_ERROR(MustExist(tx, "regions", "region", e.region_id));
  return absl::OkStatus();
}

}  // namespace

// ---- regions ----

absl::Status PgIdentityStore::CreateRegion(const Region& r) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    if (!r.parent_region_id.empty()) {
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "regions", "region", r.parent_region_id));
    }
    return tx
        .Exec("INSERT INTO regions (id, description, parent_region_id) VALUES ($1, $2, $3)",
              {r.id, r.description, NullIfEmpty(r.parent_region_id)})
        .status();
  });
  if (absl::IsAlreadyExists(s))
    return absl::AlreadyExistsError("Duplicate entry: region " + r.id + ".");
  return s;
}

absl::StatusOr<Region> PgIdentityStore::GetRegion(const std::string& id) {
  return GetOne<Region>(pool_, "SELECT * FROM regions WHERE id = $1", {id}, "region", id, ToRegion);
}

absl::StatusOr<std::vector<Region>> PgIdentityStore::ListRegions(const ListFilter& f) {
  Where w;
  if (f.parent_id) w.EqOrNull("parent_region_id", *f.parent_id);
  std::string sql = "SELECT * FROM regions" + w.Paged(f.page);
  return GetMany<Region>(pool_, sql, w.params(), ToRegion);
}

absl::Status PgIdentityStore::UpdateRegion(const Region& r) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    if (!r.parent_region_id.empty()) {
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "regions", "region", r.parent_region_id));
    }
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("UPDATE regions SET description = $2, parent_region_id = $3 WHERE id = $1",
                        {r.id, r.description, NullIfEmpty(r.parent_region_id)}));
    return n == 0 ? NotFoundError("region", r.id) : absl::OkStatus();
  });
}

absl::Status PgIdentityStore::DeleteRegion(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "regions", "region", id));
    GUREUM_ASSIGN_OR_RETURN(db::Rows used,
                            tx.Exec("SELECT 1 FROM endpoints WHERE region_id = $1 UNION ALL "
                                    "SELECT 1 FROM regions WHERE parent_region_id = $1 LIMIT 1",
                                    {id}));
    if (!used.empty()) {
      return absl::FailedPreconditionError("Region " + id + " has endpoints or child regions.");
    }
    return tx.Exec("DELETE FROM regions WHERE id = $1", {id}).status();
  });
}

// ---- services ----

absl::Status PgIdentityStore::CreateService(const Service& s) {
  return pool_.Transact([&](db::Tx& tx) {
    return tx
        .Exec(
            "INSERT INTO services (id, type, name, description, enabled) "
            "VALUES ($1, $2, $3, $4, $5)",
            {s.id, s.type, s.name, s.description, s.enabled})
        .status();
  });
}

absl::StatusOr<Service> PgIdentityStore::GetService(const std::string& id) {
  return GetOne<Service>(pool_, "SELECT * FROM services WHERE id = $1", {id}, "service", id,
                         ToService);
}

absl::StatusOr<std::vector<Service>> PgIdentityStore::ListServices(const ListFilter& f) {
  Where w;
  if (f.name) w.Eq("name", *f.name);
  if (f.type) w.Eq("type", *f.type);
  if (f.enabled) w.Eq("enabled", *f.enabled);
  std::string sql = "SELECT * FROM services" + w.Paged(f.page);
  return GetMany<Service>(pool_, sql, w.params(), ToService);
}

absl::Status PgIdentityStore::UpdateService(const Service& s) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("UPDATE services SET type = $2, name = $3, description "
                                            "= $4, enabled = $5 WHERE id = $1",
                                            {s.id, s.type, s.name, s.description, s.enabled}));
    return n == 0 ? NotFoundError("service", s.id) : absl::OkStatus();
  });
}

absl::Status PgIdentityStore::DeleteService(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM services WHERE id = $1", {id}));
    return n == 0 ? NotFoundError("service", id) : absl::OkStatus();
  });
}

// ---- endpoints ----

absl::Status PgIdentityStore::CreateEndpoint(const Endpoint& e) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(EndpointRefs(tx, e));
    return tx
        .Exec(
            "INSERT INTO endpoints (id, service_id, region_id, interface, url, enabled) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            {e.id, e.service_id, NullIfEmpty(e.region_id), e.interface, e.url, e.enabled})
        .status();
  });
}

absl::StatusOr<Endpoint> PgIdentityStore::GetEndpoint(const std::string& id) {
  return GetOne<Endpoint>(pool_, "SELECT * FROM endpoints WHERE id = $1", {id}, "endpoint", id,
                          ToEndpoint);
}

absl::StatusOr<std::vector<Endpoint>> PgIdentityStore::ListEndpoints(const ListFilter& f) {
  Where w;
  if (f.service_id) w.Eq("service_id", *f.service_id);
  if (f.interface) w.Eq("interface", *f.interface);
  if (f.region_id) w.EqOrNull("region_id", *f.region_id);
  if (f.enabled) w.Eq("enabled", *f.enabled);
  std::string sql = "SELECT * FROM endpoints" + w.Paged(f.page);
  return GetMany<Endpoint>(pool_, sql, w.params(), ToEndpoint);
}

absl::Status PgIdentityStore::UpdateEndpoint(const Endpoint& e) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "endpoints", "endpoint", e.id));
    GUREUM_RETURN_IF_ERROR(EndpointRefs(tx, e));
    return tx
        .Exec(
            "UPDATE endpoints SET service_id = $2, region_id = $3, interface = $4, "
            "url = $5, enabled = $6 WHERE id = $1",
            {e.id, e.service_id, NullIfEmpty(e.region_id), e.interface, e.url, e.enabled})
        .status();
  });
}

absl::Status PgIdentityStore::DeleteEndpoint(const std::string& id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n,
                            tx.ExecAffected("DELETE FROM endpoints WHERE id = $1", {id}));
    return n == 0 ? NotFoundError("endpoint", id) : absl::OkStatus();
  });
}

// ---- application credentials ----

absl::Status PgIdentityStore::CreateApplicationCredential(const ApplicationCredentialRecord& rec) {
  const ApplicationCredential& c = rec.credential;
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "users", "user", c.user_id));
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "projects", "project", c.project_id));
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO application_credentials (id, name, user_id, project_id, description, "
                "secret_hash, expires_at, unrestricted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {c.id, c.name, c.user_id, c.project_id, c.description, rec.secret_hash,
                 c.expires_at, c.unrestricted})
            .status());
    for (const RoleRef& r : c.roles) {
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "roles", "role", r.id));
      GUREUM_RETURN_IF_ERROR(tx.Exec("INSERT INTO application_credential_roles (credential_id, "
                                     "role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                     {c.id, r.id})
                                 .status());
    }
    return absl::OkStatus();
  }),
                   "application credential", c.name, "user '" + c.user_id + "'");
}

absl::StatusOr<ApplicationCredentialRecord> PgIdentityStore::GetApplicationCredential(
    const std::string& id) {
  return GetOne<ApplicationCredentialRecord>(pool_,
                                             std::string(kCredentialColumns) + " WHERE c.id = $1",
                                             {id}, "application credential", id, ToCredential);
}

absl::StatusOr<ApplicationCredentialRecord> PgIdentityStore::GetApplicationCredentialByName(
    const std::string& user_id, const std::string& name) {
  return GetOne<ApplicationCredentialRecord>(
      pool_, std::string(kCredentialColumns) + " WHERE c.user_id = $1 AND c.name = $2",
      {user_id, name}, "application credential", name, ToCredential);
}

absl::StatusOr<std::vector<ApplicationCredential>> PgIdentityStore::ListApplicationCredentials(
    const std::string& user_id) {
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<ApplicationCredentialRecord> records,
      GetMany<ApplicationCredentialRecord>(
          pool_, std::string(kCredentialColumns) + " WHERE c.user_id = $1 ORDER BY c.id", {user_id},
          ToCredential));
  std::vector<ApplicationCredential> out;
  for (auto& r : records) out.push_back(std::move(r.credential));
  return out;
}

absl::Status PgIdentityStore::RecordApplicationCredentialToken(const std::string& credential_id,
                                                               const std::string& audit_id,
                                                               absl::Time expires_at,
                                                               absl::Time now) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    // The foreign key's share lock waits for a deletion holding the row (FOR UPDATE below),
    // then fails: no token escapes a deletion.
    GUREUM_RETURN_IF_ERROR(
        MustExist(tx, "application_credentials", "application credential", credential_id));
    GUREUM_RETURN_IF_ERROR(tx.Exec("DELETE FROM application_credential_tokens WHERE "
                                   "credential_id = $1 AND expires_at <= $2",
                                   {credential_id, now})
                               .status());
    absl::Status s = tx.Exec(
                           "INSERT INTO application_credential_tokens (credential_id, audit_id, "
                           "expires_at) VALUES ($1, $2, $3)",
                           {credential_id, audit_id, expires_at})
                         .status();
    if (absl::IsFailedPrecondition(s) || absl::IsNotFound(s)) {
      return NotFoundError("application credential", credential_id);
    }
    return s;
  });
}

absl::StatusOr<Revocations> PgIdentityStore::DeleteApplicationCredential(const std::string& id,
                                                                         absl::Time now) {
  Revocations events;
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    events.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows locked,
        tx.Exec("SELECT id FROM application_credentials WHERE id = $1 FOR UPDATE", {id}));
    if (locked.empty()) return NotFoundError("application credential", id);
    GUREUM_ASSIGN_OR_RETURN(db::Rows tokens,
                            tx.Exec("SELECT audit_id FROM application_credential_tokens WHERE "
                                    "credential_id = $1 AND expires_at > $2 ORDER BY audit_id",
                                    {id, now}));
    for (const db::Row& r : tokens) {
      events.push_back(StoredRevocationEvent{r.Get<std::string>("audit_id"), "", "", now, now});
    }
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM application_credentials WHERE id = $1", {id}).status());
    return InsertEvents(tx, events);
  }));
  return events;
}

}  // namespace gureum::identity::internal
