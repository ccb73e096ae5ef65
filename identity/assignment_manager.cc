#include "identity/assignment_manager.h"

#include <map>
#include <set>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {

AssignmentManager::AssignmentManager(const ManagerDeps& deps, RoleManager& roles)
    : store_(deps.store), revocations_(deps.revocations), access_(deps.access), roles_(roles) {}

absl::Status AssignmentManager::CheckAssignmentShape(const RoleAssignment& a) {
  if (a.role_id.empty()) return InvalidFieldError("role_id", "must not be empty");
  if (a.user_id.empty() == a.group_id.empty()) {
    return InvalidFieldError("actor", "exactly one of user and group is required");
  }
  int targets = (a.project_id.empty() ? 0 : 1) + (a.domain_id.empty() ? 0 : 1) + (a.system ? 1 : 0);
  if (targets != 1) {
    return InvalidFieldError("scope", "exactly one of project, domain and system is required");
  }
  if (a.system && a.inherited) return InvalidFieldError("inherited", "not allowed on system");
  return absl::OkStatus();
}

absl::Status AssignmentManager::Grant(const Caller& caller, const RoleAssignment& a) {
  GUREUM_RETURN_IF_ERROR(access_.AuthorizeGrant("create", caller, a));
  GUREUM_RETURN_IF_ERROR(CheckAssignmentShape(a));
  return store_.CreateAssignment(a);
}

absl::Status AssignmentManager::Revoke(const Caller& caller, const RoleAssignment& a) {
  GUREUM_RETURN_IF_ERROR(access_.AuthorizeGrant("revoke", caller, a));
  GUREUM_RETURN_IF_ERROR(CheckAssignmentShape(a));
  GUREUM_RETURN_IF_ERROR(Exists(a));
  GUREUM_ASSIGN_OR_RETURN(Revocations events, revocations_.ForGrant(a));
  GUREUM_RETURN_IF_ERROR(store_.DeleteAssignment(a, events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

absl::Status AssignmentManager::CheckGrant(const Caller& caller, const RoleAssignment& a) {
  GUREUM_RETURN_IF_ERROR(access_.AuthorizeGrant("check", caller, a));
  return Exists(a);
}

absl::Status AssignmentManager::Exists(const RoleAssignment& a) {
  GUREUM_RETURN_IF_ERROR(CheckAssignmentShape(a));
  AssignmentFilter f;
  f.role_id = a.role_id;
  f.user_id = a.user_id;
  f.group_id = a.group_id;
  f.project_id = a.project_id;
  f.domain_id = a.domain_id;
  f.system = a.system;
  f.inherited = a.inherited;
  GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> found, store_.ListAssignments(f));
  if (found.empty()) {
    GUREUM_RETURN_IF_ERROR(store_.GetRole(a.role_id).status());
    return NotFoundError("role assignment", a.role_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Project>> AssignmentManager::ProjectChain(
    const std::string& project_id) {
  std::vector<Project> chain;
  std::string id = project_id;
  while (!id.empty() && chain.size() < 100) {  // a depth bound against corrupt data
    GUREUM_ASSIGN_OR_RETURN(Project p, store_.GetProject(id));
    id = p.parent_id;
    chain.push_back(std::move(p));
  }
  return chain;
}

absl::StatusOr<std::vector<std::string>> AssignmentManager::EffectiveRoleIds(
    const std::string& user_id, const ScopeTarget& target) {
  std::vector<RoleAssignment> grants;
  AssignmentFilter by_user;
  by_user.user_id = user_id;
  GUREUM_ASSIGN_OR_RETURN(grants, store_.ListAssignments(by_user));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Group> groups, store_.ListUserGroups(user_id));
  for (const Group& g : groups) {
    AssignmentFilter by_group;
    by_group.group_id = g.id;
    GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> more, store_.ListAssignments(by_group));
    grants.insert(grants.end(), more.begin(), more.end());
  }
  std::set<std::string> ancestors;
  std::vector<std::string> direct;
  if (target.project) {
    GUREUM_ASSIGN_OR_RETURN(std::vector<Project> chain, ProjectChain(target.project->id));
    for (size_t i = 1; i < chain.size(); ++i) ancestors.insert(chain[i].id);
  }
  for (const RoleAssignment& a : grants) {
    bool applies = false;
    if (target.project) {
      applies = (a.project_id == target.project->id && !a.inherited) ||
                (a.inherited && ancestors.count(a.project_id)) ||
                (a.inherited && a.domain_id == target.project->domain_id);
    } else if (target.domain) {
      applies = a.domain_id == target.domain->id && !a.inherited;
    } else if (target.system) {
      applies = a.system;
    }
    if (applies) direct.push_back(a.role_id);
  }
  if (direct.empty()) return direct;
  return roles_.ExpandImplied(direct);
}

absl::StatusOr<std::vector<RoleAssignmentView>> AssignmentManager::ListGrants(
    const Caller& caller, const RoleAssignment& a) {
  GUREUM_RETURN_IF_ERROR(access_.AuthorizeGrant("list", caller, a));
  AssignmentQuery q;
  if (!a.user_id.empty()) q.filter.user_id = a.user_id;
  if (!a.group_id.empty()) q.filter.group_id = a.group_id;
  if (!a.project_id.empty()) q.filter.project_id = a.project_id;
  if (!a.domain_id.empty()) q.filter.domain_id = a.domain_id;
  if (a.system) q.filter.system = true;
  q.filter.inherited = a.inherited;
  return Assignments(q);
}

absl::StatusOr<std::vector<RoleAssignmentView>> AssignmentManager::ListRoleAssignments(
    const Caller& caller, const AssignmentQuery& q) {
  // target.domain_id: the scope.domain.id filter; target.user_id: the user.id filter.
  policy::Target target;
  if (q.filter.user_id) target["target.user_id"] = *q.filter.user_id;
  if (q.filter.domain_id) target["target.domain_id"] = *q.filter.domain_id;
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_role_assignments", caller, target));
  return Assignments(q);
}

absl::StatusOr<std::vector<RoleAssignmentView>> AssignmentManager::Assignments(
    const AssignmentQuery& q) {
  std::vector<RoleAssignmentView> rows;
  if (!q.effective) {
    GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> grants, store_.ListAssignments(q.filter));
    for (const RoleAssignment& a : grants) rows.push_back(RoleAssignmentView{a});
  } else {
    GUREUM_ASSIGN_OR_RETURN(rows, EffectiveAssignments(q.filter));
  }
  if (q.include_names) FillNames(rows);
  return rows;
}

absl::StatusOr<std::vector<RoleAssignmentView>> AssignmentManager::EffectiveAssignments(
    const AssignmentFilter& f) {
  std::vector<RoleAssignmentView> rows;
  // Start from every grant that could yield a matching row, expand, then filter.
  GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> grants,
                          store_.ListAssignments(AssignmentFilter{}));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Project> projects, store_.ListProjects(ListFilter{}));
  std::multimap<std::string, std::string> children;  // parent -> child
  for (const Project& p : projects) children.emplace(p.parent_id, p.id);
  std::map<std::string, std::vector<std::string>> implied_cache;
  std::set<std::tuple<std::string, std::string, std::string, std::string, bool>> seen;
  for (const RoleAssignment& g : grants) {
    std::vector<std::pair<std::string, std::string>> actors;  // (user, via group)
    if (!g.user_id.empty()) {
      actors.push_back({g.user_id, ""});
    } else {
      GUREUM_ASSIGN_OR_RETURN(std::vector<User> members, store_.ListGroupUsers(g.group_id));
      for (const User& u : members) actors.push_back({u.id, g.group_id});
    }
    // Targets: (project, domain, system, inherited_from).
    std::vector<std::tuple<std::string, std::string, bool, std::string>> targets;
    if (!g.inherited) {
      targets.push_back({g.project_id, g.domain_id, g.system, ""});
    } else if (!g.project_id.empty()) {
      std::vector<std::string> todo{g.project_id};
      while (!todo.empty()) {
        std::string id = todo.back();
        todo.pop_back();
        auto [b, e] = children.equal_range(id);
        for (auto it = b; it != e; ++it) {
          targets.push_back({it->second, "", false, g.project_id});
          todo.push_back(it->second);
        }
      }
    } else {
      for (const Project& p : projects) {
        if (p.domain_id == g.domain_id) targets.push_back({p.id, "", false, g.domain_id});
      }
    }
    auto cached = implied_cache.find(g.role_id);
    if (cached == implied_cache.end()) {
      GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> ids, roles_.ExpandImplied({g.role_id}));
      cached = implied_cache.emplace(g.role_id, std::move(ids)).first;
    }
    for (const auto& [user, via] : actors) {
      for (const auto& [project, domain, system, from] : targets) {
        for (const std::string& role : cached->second) {
          if (!seen.insert({user, role, project, domain, system}).second) continue;
          RoleAssignmentView v;
          v.assignment = RoleAssignment{role, user, "", project, domain, system, false};
          v.via_group_id = via;
          v.inherited_from_project_id = from;
          if (role != g.role_id) v.implied_from_role_id = g.role_id;
          rows.push_back(std::move(v));
        }
      }
    }
  }
  // Keystone: a domain-specific role never shows in effective rows (nor in tokens); only
  // the global roles it implies do.
  GUREUM_ASSIGN_OR_RETURN(std::set<std::string> domain_roles, DomainSpecificRoleIds());
  std::vector<RoleAssignmentView> kept;
  for (RoleAssignmentView& v : rows) {
    const RoleAssignment& a = v.assignment;
    if (domain_roles.count(a.role_id) || (f.user_id && a.user_id != *f.user_id) ||
        (f.role_id && a.role_id != *f.role_id) || (f.project_id && a.project_id != *f.project_id) ||
        (f.domain_id && a.domain_id != *f.domain_id) || (f.system && a.system != *f.system) ||
        (f.group_id && v.via_group_id != *f.group_id)) {
      continue;
    }
    kept.push_back(std::move(v));
  }
  return kept;
}

absl::StatusOr<std::set<std::string>> AssignmentManager::DomainSpecificRoleIds() {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Role> roles, store_.ListRoles(ListFilter{}));
  std::set<std::string> ids;
  for (const Role& r : roles) {
    if (!r.domain_id.empty()) ids.insert(r.id);
  }
  return ids;
}

void AssignmentManager::FillNames(std::vector<RoleAssignmentView>& rows) {
  for (RoleAssignmentView& v : rows) {
    const RoleAssignment& a = v.assignment;
    if (auto r = store_.GetRole(a.role_id); r.ok()) {
      v.role_name = r->name;
      v.role_domain_id = r->domain_id;
    }
    if (!a.user_id.empty()) {
      if (auto u = store_.GetUser(a.user_id); u.ok()) {
        v.user_name = u->user.name;
        v.user_domain_id = u->user.domain_id;
      }
    }
    if (!a.group_id.empty()) {
      if (auto g = store_.GetGroup(a.group_id); g.ok()) {
        v.group_name = g->name;
        v.group_domain_id = g->domain_id;
      }
    }
    if (!a.project_id.empty()) {
      if (auto p = store_.GetProject(a.project_id); p.ok()) {
        v.project_name = p->name;
        v.project_domain_id = p->domain_id;
      }
    }
    if (!a.domain_id.empty()) {
      if (auto d = store_.GetDomain(a.domain_id); d.ok()) v.domain_name = d->name;
    }
  }
}

absl::StatusOr<std::vector<Project>> AssignmentManager::ListUserProjects(
    const Caller& caller, const std::string& user_id) {
  GUREUM_ASSIGN_OR_RETURN(UserRecord r, store_.GetUser(user_id));
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:list_user_projects", caller, UserTarget(r.user)));
  return UserProjects(user_id);
}

absl::StatusOr<std::vector<Project>> AssignmentManager::AuthProjects(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_auth_projects", caller));
  GUREUM_RETURN_IF_ERROR(store_.GetUser(caller.user_id).status());
  return UserProjects(caller.user_id);
}

absl::StatusOr<std::vector<Domain>> AssignmentManager::AuthDomains(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_auth_domains", caller));
  GUREUM_ASSIGN_OR_RETURN(auto assignments, OwnAssignments(caller));
  std::set<std::string> ids;
  for (const auto& a : assignments) {
    if (!a.assignment.domain_id.empty() && !a.assignment.inherited) {
      ids.insert(a.assignment.domain_id);
    }
  }
  std::vector<Domain> domains;
  for (const std::string& id : ids) {
    absl::StatusOr<Domain> d = store_.GetDomain(id);
    if (d.ok() && d->enabled) domains.push_back(*std::move(d));
  }
  return domains;
}

absl::StatusOr<bool> AssignmentManager::AuthSystem(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_auth_system", caller));
  GUREUM_ASSIGN_OR_RETURN(auto assignments, OwnAssignments(caller));
  for (const auto& a : assignments) {
    if (a.assignment.system) return true;
  }
  return false;
}

absl::StatusOr<std::vector<RoleAssignmentView>> AssignmentManager::OwnAssignments(
    const Caller& caller) {
  AssignmentQuery q;
  q.filter.user_id = caller.user_id;
  q.effective = true;
  return Assignments(q);
}

absl::StatusOr<std::vector<Project>> AssignmentManager::UserProjects(const std::string& user_id) {
  // Candidates: every enabled project; EffectiveRoleIds decides. Fine for the hundreds of
  // projects of a private cloud; a per-user index is the fix if that ever grows.
  ListFilter enabled;
  enabled.enabled = true;
  GUREUM_ASSIGN_OR_RETURN(std::vector<Project> projects, store_.ListProjects(enabled));
  std::vector<Project> out;
  for (const Project& p : projects) {
    ScopeTarget t;
    t.project = p;
    absl::StatusOr<std::vector<std::string>> roles = EffectiveRoleIds(user_id, t);
    if (absl::IsNotFound(roles.status())) continue;  // deleted (or its parent) since listed
    if (!roles.ok()) return roles.status();
    if (!roles->empty()) out.push_back(p);
  }
  return out;
}

}  // namespace gureum::identity
