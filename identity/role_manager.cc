#include "identity/role_manager.h"

#include <map>
#include <set>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {

RoleManager::RoleManager(const ManagerDeps& deps)
    : store_(deps.store), ids_(deps.ids), revocations_(deps.revocations), access_(deps.access) {}

absl::StatusOr<Role> RoleManager::CreateRole(const Caller& caller, Role role) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_role", caller));
  GUREUM_RETURN_IF_ERROR(CheckName(role.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(role.description));
  if (!role.domain_id.empty()) {
    absl::StatusOr<Domain> d = store_.GetDomain(role.domain_id);
    if (absl::IsNotFound(d.status())) return InvalidFieldError("domain_id", "unknown domain");
    GUREUM_RETURN_IF_ERROR(d.status());
  }
  if (role.id.empty()) role.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateRole(role));
  return role;
}

absl::StatusOr<Role> RoleManager::GetRole(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_role", caller));
  return store_.GetRole(id);
}

absl::StatusOr<std::vector<Role>> RoleManager::ListRoles(const Caller& caller,
                                                         const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_roles", caller));
  return store_.ListRoles(filter);
}

absl::StatusOr<Role> RoleManager::UpdateRole(const Caller& caller, const std::string& id,
                                             const RoleUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_role", caller));
  GUREUM_ASSIGN_OR_RETURN(Role r, store_.GetRole(id));
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckName(*update.name));
    r.name = *update.name;
  }
  if (update.description) GUREUM_RETURN_IF_ERROR(CheckDescription(*update.description));
  if (update.description) r.description = *update.description;
  GUREUM_RETURN_IF_ERROR(store_.UpdateRole(r));
  return r;
}

absl::Status RoleManager::DeleteRole(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_role", caller));
  // Everyone holding the role loses it: revoke per grant, as Revoke would.
  AssignmentFilter f;
  f.role_id = id;
  GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> grants, store_.ListAssignments(f));
  Revocations events;
  for (const RoleAssignment& a : grants) {
    GUREUM_ASSIGN_OR_RETURN(Revocations more, revocations_.ForGrant(a));
    events.insert(events.end(), more.begin(), more.end());
  }
  GUREUM_RETURN_IF_ERROR(store_.DeleteRole(id, events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

absl::StatusOr<ImpliedRole> RoleManager::CreateImpliedRole(const Caller& caller,
                                                           const std::string& prior_id,
                                                           const std::string& implied_id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_implied_role", caller));
  GUREUM_ASSIGN_OR_RETURN(Role prior, store_.GetRole(prior_id));
  GUREUM_ASSIGN_OR_RETURN(Role implied, store_.GetRole(implied_id));
  if (prior.domain_id.empty() && !implied.domain_id.empty()) {
    // Keystone: a global role would hand out a domain's role everywhere.
    return absl::PermissionDeniedError(
        "Implication of a global role to a domain-specific role is not allowed.");
  }
  if (prior_id == implied_id) {
    return absl::FailedPreconditionError("A role cannot imply itself.");
  }
  // A cycle would appear if prior is already reachable from implied.
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> reach, ExpandImplied({implied_id}));
  for (const std::string& r : reach) {
    if (r == prior_id) {
      return absl::FailedPreconditionError("Implied role rule would create a cycle.");
    }
  }
  ImpliedRole rule{prior_id, implied_id};
  GUREUM_RETURN_IF_ERROR(store_.CreateImpliedRole(rule));
  return rule;
}

absl::Status RoleManager::DeleteImpliedRole(const Caller& caller, const std::string& prior_id,
                                            const std::string& implied_id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_implied_role", caller));
  return store_.DeleteImpliedRole({prior_id, implied_id});
}

absl::StatusOr<ImpliedRole> RoleManager::GetImpliedRole(const Caller& caller,
                                                        const std::string& prior_id,
                                                        const std::string& implied_id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_implied_role", caller));
  GUREUM_RETURN_IF_ERROR(store_.GetRole(prior_id).status());
  GUREUM_RETURN_IF_ERROR(store_.GetRole(implied_id).status());
  GUREUM_ASSIGN_OR_RETURN(std::vector<ImpliedRole> rules, store_.ListImpliedRoles());
  for (const ImpliedRole& r : rules) {
    if (r.prior_role_id == prior_id && r.implied_role_id == implied_id) return r;
  }
  return NotFoundError("implied role", prior_id + " -> " + implied_id);
}

absl::StatusOr<std::vector<ImpliedRole>> RoleManager::ListImpliedRoles(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_role_inference_rules", caller));
  return store_.ListImpliedRoles();
}

absl::StatusOr<std::vector<ImpliedRole>> RoleManager::ListImpliedBy(const Caller& caller,
                                                                    const std::string& prior_id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_implied_roles", caller));
  GUREUM_RETURN_IF_ERROR(store_.GetRole(prior_id).status());
  GUREUM_ASSIGN_OR_RETURN(std::vector<ImpliedRole> rules, store_.ListImpliedRoles());
  std::vector<ImpliedRole> out;
  for (const ImpliedRole& r : rules) {
    if (r.prior_role_id == prior_id) out.push_back(r);
  }
  return out;
}

absl::StatusOr<std::vector<Role>> RoleManager::AllRoles() { return store_.ListRoles(ListFilter{}); }

absl::StatusOr<std::vector<std::string>> RoleManager::ExpandImplied(
    std::vector<std::string> role_ids) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<ImpliedRole> rules, store_.ListImpliedRoles());
  std::multimap<std::string, std::string> implies;
  for (const ImpliedRole& r : rules) implies.emplace(r.prior_role_id, r.implied_role_id);
  std::set<std::string> seen(role_ids.begin(), role_ids.end());
  std::vector<std::string> todo = role_ids;
  // Breadth over the rule graph; `seen` also guards against a cycle in stored data.
  while (!todo.empty()) {
    std::string id = todo.back();
    todo.pop_back();
    auto [b, e] = implies.equal_range(id);
    for (auto it = b; it != e; ++it) {
      if (seen.insert(it->second).second) todo.push_back(it->second);
    }
  }
  return std::vector<std::string>(seen.begin(), seen.end());
}

absl::StatusOr<std::vector<RoleRef>> RoleManager::RoleRefs(
    const std::vector<std::string>& role_ids) {
  std::vector<RoleRef> out;
  for (const std::string& id : role_ids) {
    absl::StatusOr<Role> r = store_.GetRole(id);
    if (absl::IsNotFound(r.status())) continue;  // deleted meanwhile
    GUREUM_RETURN_IF_ERROR(r.status());
    out.push_back({r->id, r->name});
  }
  return out;
}

}  // namespace gureum::identity
