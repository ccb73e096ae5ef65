// PostgreSQL IdentityStore: helpers, domains, projects, users and revocation events.
// Groups, roles and assignments are in pg_role_store.cc; catalog and application
// credentials in pg_catalog_store.cc.
#include "identity/pg_identity_store.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/pg_store_internal.h"

namespace gureum::identity {
namespace internal {

void Where::Eq(const std::string& column, db::Param value) {
  conditions_.push_back(column + " = " + Next());
  params_.push_back(std::move(value));
}

void Where::EqOrNull(const std::string& column, const std::string& value) {
  if (value.empty()) {
    conditions_.push_back(column + " IS NULL");
  } else {
    Eq(column, value);
  }
}

std::string Where::Sql() const {
  return conditions_.empty() ? "" : " WHERE " + absl::StrJoin(conditions_, " AND ");
}

std::string Where::Paged(const Page& page, const std::string& id_column) {
  if (!page.marker.empty()) {
    conditions_.push_back(id_column + " > " + Next());
    params_.push_back(page.marker);
  }
  std::string sql = Sql() + " ORDER BY " + id_column;
  if (page.limit > 0) sql += " LIMIT " + std::to_string(page.limit);
  return sql;
}

absl::Status InsertEvents(db::Tx& tx, const Revocations& events) {
  for (const StoredRevocationEvent& e : events) {
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO revocation_events (audit_id, user_id, project_id, issued_before, "
                "revoked_at) VALUES ($1, $2, $3, $4, $5)",
                {NullIfEmpty(e.audit_id), NullIfEmpty(e.user_id), NullIfEmpty(e.project_id),
                 e.issued_before, e.revoked_at})
            .status());
  }
  return absl::OkStatus();
}

absl::Status MustExist(db::Tx& tx, const std::string& table, const std::string& kind,
                       const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx.Exec("SELECT 1 FROM " + table + " WHERE id = $1", {id}));
  return rows.empty() ? NotFoundError(kind, id) : absl::OkStatus();
}

absl::Status Duplicate(absl::Status s, const std::string& kind, const std::string& name,
                       const std::string& scope) {
  if (absl::IsAlreadyExists(s)) return DuplicateError(kind, name, scope);
  return s;
}

std::string Text(const db::Row& row, const std::string& column) {
  return row.Get<std::optional<std::string>>(column).value_or("");
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

namespace {

Domain ToDomain(const db::Row& r) {
  return Domain{r.Get<std::string>("id"), r.Get<std::string>("name"),
                r.Get<std::string>("description"), r.Get<bool>("enabled")};
}

constexpr char kProjectColumns[] =
    "SELECT p.id, p.name, p.domain_id, p.parent_id, p.description, p.enabled, "
    "COALESCE((SELECT string_agg(tag, ',' ORDER BY tag) FROM project_tags t "
    "WHERE t.project_id = p.id), '') AS tags FROM projects p";

Project ToProject(const db::Row& r) {
  Project p{r.Get<std::string>("id"),
            r.Get<std::string>("name"),
            r.Get<std::string>("domain_id"),
            Text(r, "parent_id"),
            r.Get<std::string>("description"),
            r.Get<bool>("enabled"),
            {}};
  // Tags never hold ',' (the manager refuses them), so a joined string round-trips.
  p.tags = absl::StrSplit(r.Get<std::string>("tags"), ',', absl::SkipEmpty());
  return p;
}

constexpr char kUserColumns[] =
    "SELECT id, name, domain_id, default_project_id, description, email, enabled, "
    "ignore_lockout, password_hash, password_expires_at, failed_auth_count, "
    "last_failed_auth_at, extra FROM users";

UserRecord ToUser(const db::Row& r) {
  UserRecord u;
  u.user.id = r.Get<std::string>("id");
  u.user.name = r.Get<std::string>("name");
  u.user.domain_id = r.Get<std::string>("domain_id");
  u.user.default_project_id = Text(r, "default_project_id");
  u.user.description = r.Get<std::string>("description");
  u.user.email = r.Get<std::string>("email");
  u.user.extra = r.Get<std::string>("extra");
  u.user.enabled = r.Get<bool>("enabled");
  u.user.options.ignore_lockout_failure_attempts = r.Get<bool>("ignore_lockout");
  u.user.password_expires_at = r.Get<std::optional<absl::Time>>("password_expires_at");
  u.password_hash = r.Get<std::string>("password_hash");
  u.failed_auth_count = r.Get<int>("failed_auth_count");
  u.last_failed_auth_at = r.Get<std::optional<absl::Time>>("last_failed_auth_at");
  return u;
}

absl::Status WriteTags(db::Tx& tx, const Project& p) {
  GUREUM_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM project_tags WHERE project_id = $1", {p.id}).status());
  for (const std::string& tag : p.tags) {
    GUREUM_RETURN_IF_ERROR(tx.Exec("INSERT INTO project_tags (project_id, tag) VALUES ($1, $2) "
                                   "ON CONFLICT DO NOTHING",
                                   {p.id, tag})
                               .status());
  }
  return absl::OkStatus();
}

}  // namespace

// ---- domains ----

absl::Status PgIdentityStore::CreateDomain(const Domain& d) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) {
    return tx
        .Exec("INSERT INTO domains (id, name, description, enabled) VALUES ($1, $2, $3, $4)",
              {d.id, d.name, d.description, d.enabled})
        .status();
  }),
                   "domain", d.name);
}

absl::StatusOr<Domain> PgIdentityStore::GetDomain(const std::string& id) {
  Domain out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT * FROM domains WHERE id = $1", {id}));
    if (rows.empty()) return NotFoundError("domain", id);
    out = ToDomain(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Domain> PgIdentityStore::GetDomainByName(const std::string& name) {
  Domain out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec("SELECT * FROM domains WHERE name = $1", {name}));
    if (rows.empty()) return NotFoundError("domain", name);
    out = ToDomain(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Domain>> PgIdentityStore::ListDomains(const ListFilter& f) {
  Where w;
  if (f.name) w.Eq("name", *f.name);
  if (f.enabled) w.Eq("enabled", *f.enabled);
  std::string sql = "SELECT * FROM domains" + w.Paged(f.page);
  std::vector<Domain> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToDomain(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateDomain(const Domain& d, const Revocations& events) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n, tx.ExecAffected(
                       "UPDATE domains SET name = $2, description = $3, enabled = $4 WHERE id = $1",
                       {d.id, d.name, d.description, d.enabled}));
    if (n == 0) return NotFoundError("domain", d.id);
    return InsertEvents(tx, events);
  }),
                   "domain", d.name);
}

absl::Status PgIdentityStore::DeleteDomain(const std::string& id, const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    // Cascades (0001_initial.sql) remove projects, users, groups, domain roles and grants.
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM domains WHERE id = $1", {id}));
    if (n == 0) return NotFoundError("domain", id);
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM documents WHERE kind = 'domain_config' AND id = $1", {id}).status());
    return InsertEvents(tx, events);
  });
}

// ---- projects ----

absl::Status PgIdentityStore::CreateProject(const Project& p) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "domains", "domain", p.domain_id));
    if (!p.parent_id.empty())
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "projects", "project", p.parent_id));
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO projects (id, name, domain_id, parent_id, "
                "description, enabled) VALUES ($1, $2, $3, $4, $5, $6)",
                {p.id, p.name, p.domain_id, NullIfEmpty(p.parent_id), p.description, p.enabled})
            .status());
    return WriteTags(tx, p);
  }),
                   "project", p.name, "domain '" + p.domain_id + "'");
}

absl::StatusOr<Project> PgIdentityStore::GetProject(const std::string& id) {
  Project out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec(std::string(kProjectColumns) + " WHERE p.id = $1", {id}));
    if (rows.empty()) return NotFoundError("project", id);
    out = ToProject(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Project> PgIdentityStore::GetProjectByName(const std::string& domain_id,
                                                          const std::string& name) {
  Project out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(std::string(kProjectColumns) +
                                                       " WHERE p.domain_id = $1 AND p.name = $2",
                                                   {domain_id, name}));
    if (rows.empty()) return NotFoundError("project", name);
    out = ToProject(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Project>> PgIdentityStore::ListProjects(const ListFilter& f) {
  Where w;
  if (f.name) w.Eq("p.name", *f.name);
  if (f.domain_id) w.Eq("p.domain_id", *f.domain_id);
  if (f.enabled) w.Eq("p.enabled", *f.enabled);
  if (f.parent_id) w.EqOrNull("p.parent_id", *f.parent_id);
  std::string sql = kProjectColumns + w.Paged(f.page, "p.id");
  std::vector<Project> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToProject(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateProject(const Project& p, const Revocations& events) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected(
            "UPDATE projects SET name = $2, description = $3, enabled = $4 WHERE id = $1",
            {p.id, p.name, p.description, p.enabled}));
    if (n == 0) return NotFoundError("project", p.id);
    GUREUM_RETURN_IF_ERROR(WriteTags(tx, p));
    return InsertEvents(tx, events);
  }),
                   "project", p.name, "domain '" + p.domain_id + "'");
}

absl::Status PgIdentityStore::DeleteProject(const std::string& id, const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows kids,
                            tx.Exec("SELECT 1 FROM projects WHERE parent_id = $1 LIMIT 1", {id}));
    if (!kids.empty()) {
      return absl::FailedPreconditionError("Project " + id +
                                           " has sub-projects; delete them first.");
    }
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM projects WHERE id = $1", {id}));
    if (n == 0) return NotFoundError("project", id);
    return InsertEvents(tx, events);
  });
}

// ---- users ----

absl::Status PgIdentityStore::CreateUser(const UserRecord& r) {
  const User& u = r.user;
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "domains", "domain", u.domain_id));
    return tx
        .Exec(
            "INSERT INTO users (id, name, domain_id, default_project_id, description, "
            "email, enabled, ignore_lockout, password_hash, password_expires_at, "
            "failed_auth_count, last_failed_auth_at, extra) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            {u.id, u.name, u.domain_id, NullIfEmpty(u.default_project_id), u.description, u.email,
             u.enabled, u.options.ignore_lockout_failure_attempts, r.password_hash,
             u.password_expires_at, r.failed_auth_count, r.last_failed_auth_at, u.extra})
        .status();
  }),
                   "user", u.name, "domain '" + u.domain_id + "'");
}

absl::StatusOr<UserRecord> PgIdentityStore::GetUser(const std::string& id) {
  UserRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                            tx.Exec(std::string(kUserColumns) + " WHERE id = $1", {id}));
    if (rows.empty()) return NotFoundError("user", id);
    out = ToUser(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<UserRecord> PgIdentityStore::GetUserByName(const std::string& domain_id,
                                                          const std::string& name) {
  UserRecord out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows, tx.Exec(std::string(kUserColumns) + " WHERE domain_id = $1 AND name = $2",
                               {domain_id, name}));
    if (rows.empty()) return NotFoundError("user", name);
    out = ToUser(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<User>> PgIdentityStore::ListUsers(const ListFilter& f) {
  Where w;
  if (f.name) w.Eq("name", *f.name);
  if (f.domain_id) w.Eq("domain_id", *f.domain_id);
  if (f.enabled) w.Eq("enabled", *f.enabled);
  std::string sql = kUserColumns + w.Paged(f.page);
  std::vector<User> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToUser(r).user);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateUser(const UserRecord& r, const Revocations& events) {
  const User& u = r.user;
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected(
            "UPDATE users SET name = $2, default_project_id = $3, description = $4, email = $5, "
            "enabled = $6, ignore_lockout = $7, password_hash = $8, password_expires_at = $9, "
            "extra = $10 WHERE id = $1",
            {u.id, u.name, NullIfEmpty(u.default_project_id), u.description, u.email, u.enabled,
             u.options.ignore_lockout_failure_attempts, r.password_hash, u.password_expires_at,
             u.extra}));
    if (n == 0) return NotFoundError("user", u.id);
    return InsertEvents(tx, events);
  }),
                   "user", u.name, "domain '" + u.domain_id + "'");
}

absl::Status PgIdentityStore::DeleteUser(const std::string& id, const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM users WHERE id = $1", {id}));
    if (n == 0) return NotFoundError("user", id);
    return InsertEvents(tx, events);
  });
}

absl::Status PgIdentityStore::RecordAuthResult(const std::string& user_id, int failed_count,
                                               std::optional<absl::Time> last_failed_at) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected(
            "UPDATE users SET failed_auth_count = $2, last_failed_auth_at = $3 WHERE id = $1",
            {user_id, failed_count, last_failed_at}));
    return n == 0 ? NotFoundError("user", user_id) : absl::OkStatus();
  });
}

// ---- revocation events ----

absl::Status PgIdentityStore::AddRevocationEvents(const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) { return InsertEvents(tx, events); });
}

absl::StatusOr<std::vector<StoredRevocationEvent>> PgIdentityStore::ListRevocationEvents(
    absl::Time since) {
  // db::Param cannot spell an infinite time; nothing predates the epoch anyway.
  if (since < absl::UnixEpoch()) since = absl::UnixEpoch();
  std::vector<StoredRevocationEvent> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM revocation_events WHERE revoked_at >= $1 ORDER BY revoked_at, seq",
                {since}));
    for (const db::Row& r : rows) {
      out.push_back({Text(r, "audit_id"), Text(r, "user_id"), Text(r, "project_id"),
                     r.Get<absl::Time>("issued_before"), r.Get<absl::Time>("revoked_at")});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::PurgeRevocationEvents(absl::Time before) {
  return pool_.Transact([&](db::Tx& tx) {
    return tx.Exec("DELETE FROM revocation_events WHERE revoked_at < $1", {before}).status();
  });
}

}  // namespace internal

std::unique_ptr<IdentityStore> NewPgIdentityStore(db::ConnectionPool& pool) {
  return std::make_unique<internal::PgIdentityStore>(pool);
}

}  // namespace gureum::identity
