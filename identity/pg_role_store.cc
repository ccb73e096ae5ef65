// PostgreSQL IdentityStore: groups and membership, roles, implied roles, assignments.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/pg_store_internal.h"

namespace gureum::identity::internal {
namespace {

Group ToGroup(const db::Row& r) {
  return Group{r.Get<std::string>("id"), r.Get<std::string>("name"),
               r.Get<std::string>("domain_id"), r.Get<std::string>("description")};
}

Role ToRole(const db::Row& r) {
  return Role{r.Get<std::string>("id"), r.Get<std::string>("name"), Text(r, "domain_id"),
              r.Get<std::string>("description")};
}

RoleAssignment ToAssignment(const db::Row& r) {
  return RoleAssignment{r.Get<std::string>("role_id"), Text(r, "user_id"),   Text(r, "group_id"),
                        Text(r, "project_id"),         Text(r, "domain_id"), r.Get<bool>("system"),
                        r.Get<bool>("inherited")};
}

std::string RoleScope(const std::string& domain_id) {
  return domain_id.empty() ? "" : "domain '" + domain_id + "'";
}

// The grant's identity, NULL-safe, for UPDATE/DELETE/SELECT of one assignment.
void MatchAssignment(Where& w, const RoleAssignment& a) {
  w.Eq("role_id", a.role_id);
  w.EqOrNull("user_id", a.user_id);
  w.EqOrNull("group_id", a.group_id);
  w.EqOrNull("project_id", a.project_id);
  w.EqOrNull("domain_id", a.domain_id);
  w.Eq("system", a.system);
  w.Eq("inherited", a.inherited);
}

}  // namespace

// ---- groups ----

absl::Status PgIdentityStore::CreateGroup(const Group& g) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "domains", "domain", g.domain_id));
    return tx
        .Exec("INSERT INTO groups (id, name, domain_id, description) VALUES ($1, $2, $3, $4)",
              {g.id, g.name, g.domain_id, g.description})
        .status();
  }),
                   "group", g.name, "domain '" + g.domain_id + "'");
}

absl::StatusOr<Group> PgIdentityStore::GetGroup(const std::string& id) {
  Group out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT * FROM groups WHERE id = $1", {id}));
    if (rows.empty()) return NotFoundError("group", id);
    out = ToGroup(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Group> PgIdentityStore::GetGroupByName(const std::string& domain_id,
                                                      const std::string& name) {
  Group out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM groups WHERE domain_id = $1 AND name = $2", {domain_id, name}));
    if (rows.empty()) return NotFoundError("group", name);
    out = ToGroup(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Group>> PgIdentityStore::ListGroups(const ListFilter& f) {
  Where w;
  if (f.name) w.Eq("name", *f.name);
  if (f.domain_id) w.Eq("domain_id", *f.domain_id);
  std::string sql = "SELECT * FROM groups" + w.Paged(f.page);
  std::vector<Group> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToGroup(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateGroup(const Group& g) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n, tx.ExecAffected("UPDATE groups SET name = $2, description = $3 WHERE id = $1",
                                   {g.id, g.name, g.description}));
    return n == 0 ? NotFoundError("group", g.id) : absl::OkStatus();
  }),
                   "group", g.name, "domain '" + g.domain_id + "'");
}

absl::Status PgIdentityStore::DeleteGroup(const std::string& id, const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM groups WHERE id = $1", {id}));
    if (n == 0) return NotFoundError("group", id);
    return InsertEvents(tx, events);
  });
}

absl::Status PgIdentityStore::AddUserToGroup(const std::string& user_id,
                                             const std::string& group_id) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "users", "user", user_id));
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "groups", "group", group_id));
    return tx
        .Exec(
            "INSERT INTO user_group_membership (user_id, group_id) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING",
            {user_id, group_id})
        .status();
  });
}

absl::Status PgIdentityStore::RemoveUserFromGroup(const std::string& user_id,
                                                  const std::string& group_id,
                                                  const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected("DELETE FROM user_group_membership WHERE user_id = $1 AND group_id = $2",
                        {user_id, group_id}));
    if (n == 0) {
      return absl::NotFoundError("User " + user_id + " is not a member of group " + group_id + ".");
    }
    return InsertEvents(tx, events);
  });
}

absl::StatusOr<std::vector<User>> PgIdentityStore::ListGroupUsers(const std::string& group_id) {
  std::vector<User> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "groups", "group", group_id));
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT u.id FROM users u JOIN user_group_membership m ON m.user_id = u.id "
                "WHERE m.group_id = $1 ORDER BY u.id",
                {group_id}));
    for (const db::Row& r : rows) {
      User u;
      u.id = r.Get<std::string>("id");
      out.push_back(u);
    }
    return absl::OkStatus();
  }));
  // Full records through GetUser keep one row mapping (the list is a group's members).
  for (User& u : out) {
    GUREUM_ASSIGN_OR_RETURN(UserRecord r, GetUser(u.id));
    u = r.user;
  }
  return out;
}

absl::StatusOr<std::vector<Group>> PgIdentityStore::ListUserGroups(const std::string& user_id) {
  std::vector<Group> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "users", "user", user_id));
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT g.* FROM groups g JOIN user_group_membership m ON m.group_id = g.id "
                "WHERE m.user_id = $1 ORDER BY g.id",
                {user_id}));
    for (const db::Row& r : rows) out.push_back(ToGroup(r));
    return absl::OkStatus();
  }));
  return out;
}

// ---- roles ----

absl::Status PgIdentityStore::CreateRole(const Role& r) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    if (!r.domain_id.empty())
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "domains", "domain", r.domain_id));
    return tx
        .Exec("INSERT INTO roles (id, name, domain_id, description) VALUES ($1, $2, $3, $4)",
              {r.id, r.name, NullIfEmpty(r.domain_id), r.description})
        .status();
  }),
                   "role", r.name, RoleScope(r.domain_id));
}

absl::StatusOr<Role> PgIdentityStore::GetRole(const std::string& id) {
  Role out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT * FROM roles WHERE id = $1", {id}));
    if (rows.empty()) return NotFoundError("role", id);
    out = ToRole(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<Role> PgIdentityStore::GetRoleByName(const std::string& domain_id,
                                                    const std::string& name) {
  Role out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM roles WHERE COALESCE(domain_id, '') = $1 AND name = $2",
                {domain_id, name}));
    if (rows.empty()) return NotFoundError("role", name);
    out = ToRole(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Role>> PgIdentityStore::ListRoles(const ListFilter& f) {
  Where w;
  if (f.name) w.Eq("name", *f.name);
  if (f.domain_id) w.Eq("COALESCE(domain_id, '')", *f.domain_id);
  std::string sql = "SELECT * FROM roles" + w.Paged(f.page);
  std::vector<Role> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToRole(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PgIdentityStore::UpdateRole(const Role& r) {
  return Duplicate(pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n, tx.ExecAffected("UPDATE roles SET name = $2, description = $3 WHERE id = $1",
                                   {r.id, r.name, r.description}));
    return n == 0 ? NotFoundError("role", r.id) : absl::OkStatus();
  }),
                   "role", r.name, RoleScope(r.domain_id));
}

absl::Status PgIdentityStore::DeleteRole(const std::string& id, const Revocations& events) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected("DELETE FROM roles WHERE id = $1", {id}));
    if (n == 0) return NotFoundError("role", id);
    return InsertEvents(tx, events);
  });
}

absl::Status PgIdentityStore::CreateImpliedRole(const ImpliedRole& rule) {
  absl::Status s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "roles", "role", rule.prior_role_id));
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "roles", "role", rule.implied_role_id));
    return tx
        .Exec("INSERT INTO implied_roles (prior_role_id, implied_role_id) VALUES ($1, $2)",
              {rule.prior_role_id, rule.implied_role_id})
        .status();
  });
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError("Duplicate entry: implied role " + rule.prior_role_id + " -> " +
                                    rule.implied_role_id + ".");
  }
  return s;
}

absl::Status PgIdentityStore::DeleteImpliedRole(const ImpliedRole& rule) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        int64_t n,
        tx.ExecAffected(
            "DELETE FROM implied_roles WHERE prior_role_id = $1 AND implied_role_id = $2",
            {rule.prior_role_id, rule.implied_role_id}));
    return n == 0
               ? NotFoundError("implied role", rule.prior_role_id + " -> " + rule.implied_role_id)
               : absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ImpliedRole>> PgIdentityStore::ListImpliedRoles() {
  std::vector<ImpliedRole> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        tx.Exec("SELECT * FROM implied_roles ORDER BY prior_role_id, implied_role_id"));
    for (const db::Row& r : rows) {
      out.push_back({r.Get<std::string>("prior_role_id"), r.Get<std::string>("implied_role_id")});
    }
    return absl::OkStatus();
  }));
  return out;
}

// ---- assignments ----

absl::Status PgIdentityStore::CreateAssignment(const RoleAssignment& a) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(MustExist(tx, "roles", "role", a.role_id));
    if (!a.user_id.empty()) GUREUM_RETURN_IF_ERROR(MustExist(tx, "users", "user", a.user_id));
    if (!a.group_id.empty()) GUREUM_RETURN_IF_ERROR(MustExist(tx, "groups", "group", a.group_id));
    if (!a.project_id.empty()) {
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "projects", "project", a.project_id));
    }
    if (!a.domain_id.empty())
      GUREUM_RETURN_IF_ERROR(MustExist(tx, "domains", "domain", a.domain_id));
    return tx
        .Exec(
            "INSERT INTO role_assignments (role_id, user_id, group_id, project_id, "
            "domain_id, system, inherited) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT DO NOTHING",
            {a.role_id, NullIfEmpty(a.user_id), NullIfEmpty(a.group_id), NullIfEmpty(a.project_id),
             NullIfEmpty(a.domain_id), a.system, a.inherited})
        .status();
  });
}

absl::Status PgIdentityStore::DeleteAssignment(const RoleAssignment& a, const Revocations& events) {
  Where w;
  MatchAssignment(w, a);
  std::string sql = "DELETE FROM role_assignments" + w.Sql();
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.ExecAffected(sql, w.params()));
    if (n == 0) return NotFoundError("role assignment", a.role_id);
    return InsertEvents(tx, events);
  });
}

absl::StatusOr<std::vector<RoleAssignment>> PgIdentityStore::ListAssignments(
    const AssignmentFilter& f) {
  Where w;
  // An empty string filters for "no such actor/target" (NULL), as the fake does.
  if (f.user_id) w.EqOrNull("user_id", *f.user_id);
  if (f.group_id) w.EqOrNull("group_id", *f.group_id);
  if (f.role_id) w.Eq("role_id", *f.role_id);
  if (f.project_id) w.EqOrNull("project_id", *f.project_id);
  if (f.domain_id) w.EqOrNull("domain_id", *f.domain_id);
  if (f.system) w.Eq("system", *f.system);
  if (f.inherited) w.Eq("inherited", *f.inherited);
  std::string sql =
      "SELECT * FROM role_assignments" + w.Sql() +
      " ORDER BY role_id, user_id, group_id, project_id, domain_id, system, inherited";
  std::vector<RoleAssignment> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, w.params()));
    for (const db::Row& r : rows) out.push_back(ToAssignment(r));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace gureum::identity::internal
