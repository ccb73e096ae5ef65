// Role assignments (grants) of gureum-identity: granting and revoking with their
// revocation events, the effective roles of a user on a scope (direct, through groups,
// inherited down the project tree, implied), and GET /v3/role_assignments.
//
// The methods taking a caller check the identity policy (grants: identity:<verb>_grant
// or _system_grant with IdentityAccess::AuthorizeGrant's targets; list_role_assignments,
// list_user_projects, get_auth_*). Errors in Keystone's words (identity_errors.h).
// Thread-safe; every method calls the store.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "identity/manager_deps.h"
#include "identity/model.h"
#include "identity/role_manager.h"

namespace gureum::identity {

// ---- role assignment listing (GET /v3/role_assignments) ----
struct AssignmentQuery {
  AssignmentFilter filter;  // user.id, group.id, role.id, scope.project.id, ...
  // Expand group grants into their members, inherited grants into the projects they
  // reach, and implied roles; then apply the user/project/role filters.
  bool effective = false;
  bool include_names = false;
};

// A scope resolved to records: at most one of project/domain/system.
struct ScopeTarget {
  std::optional<Project> project;
  std::optional<Domain> domain;  // the project's domain, or the scoped domain
  bool system = false;
};

class AssignmentManager {
 public:
  // `roles` must outlive the manager.
  AssignmentManager(const ManagerDeps& deps, RoleManager& roles);

  // InvalidArgument unless exactly one actor and one target are set; NotFound for an
  // unknown role/actor/target. Idempotent.
  absl::Status Grant(const Caller& caller, const RoleAssignment& assignment);
  // NotFound if not granted. Revokes: user+project for a project grant; for a group,
  // each member; user-wide for domain, system and inherited grants.
  absl::Status Revoke(const Caller& caller, const RoleAssignment& assignment);
  // NotFound if the exact grant does not exist (HEAD .../roles/{role_id}).
  absl::Status CheckGrant(const Caller& caller, const RoleAssignment& assignment);
  // The grants of `assignment`'s actor on its target, any role (GET .../roles).
  absl::StatusOr<std::vector<RoleAssignmentView>> ListGrants(const Caller& caller,
                                                             const RoleAssignment& assignment);
  absl::StatusOr<std::vector<RoleAssignmentView>> ListRoleAssignments(const Caller& caller,
                                                                      const AssignmentQuery& q);
  // Projects where `user_id` has at least one effective role (/v3/users/{id}/projects);
  // enabled ones only.
  absl::StatusOr<std::vector<Project>> ListUserProjects(const Caller& caller,
                                                        const std::string& user_id);
  // The caller's own: projects (GET /v3/auth/projects), enabled domains they hold a role
  // on (/v3/auth/domains), whether they hold a system role (/v3/auth/system).
  absl::StatusOr<std::vector<Project>> AuthProjects(const Caller& caller);
  absl::StatusOr<std::vector<Domain>> AuthDomains(const Caller& caller);
  absl::StatusOr<bool> AuthSystem(const Caller& caller);

  // Unchecked, for TokenManager and AuthManager: effective role ids of a user on a target
  // (direct, via groups, inherited, implied).
  absl::StatusOr<std::vector<std::string>> EffectiveRoleIds(const std::string& user_id,
                                                            const ScopeTarget& target);

 private:
  absl::Status Exists(const RoleAssignment& a);
  absl::StatusOr<std::vector<RoleAssignmentView>> Assignments(const AssignmentQuery& q);
  absl::StatusOr<std::vector<RoleAssignmentView>> OwnAssignments(const Caller& caller);
  absl::StatusOr<std::vector<Project>> UserProjects(const std::string& user_id);
  absl::Status CheckAssignmentShape(const RoleAssignment& a);
  // Every grant expanded (groups into members, inherited grants into the projects they
  // reach, implied roles), then filtered by `f`.
  absl::StatusOr<std::vector<RoleAssignmentView>> EffectiveAssignments(const AssignmentFilter& f);
  // The names of each row's role, actor and target (where they still exist).
  void FillNames(std::vector<RoleAssignmentView>& rows);
  // The ids of the roles that belong to a domain (hidden from effective listings).
  absl::StatusOr<std::set<std::string>> DomainSpecificRoleIds();
  // The project and its ancestors, the project first.
  absl::StatusOr<std::vector<Project>> ProjectChain(const std::string& project_id);

  IdentityStore& store_;
  RevocationLog& revocations_;
  IdentityAccess& access_;
  RoleManager& roles_;
};

}  // namespace gureum::identity
