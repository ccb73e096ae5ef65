// Who may do what in gureum-identity: the policy targets each resource is checked against
// and the enforcement that adds %(admin_project_id)s. The manager classes get one through
// ManagerDeps and check each call's caller with it (so the REST and gRPC APIs get the
// same enforcement); the adapters still use it for the families whose checks have not
// moved into their manager yet.
//
//   IdentityAccess access(store, enforcer, {});
//   GUREUM_ASSIGN_OR_RETURN(Project p, store.GetProject(id));
//   GUREUM_RETURN_IF_ERROR(access.Enforce("identity:get_project", caller, ProjectTarget(p)));
//
// Thread-safe. `store` and `enforcer` must outlive it.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/base/caller.h"
#include "common/policy/enforcer.h"
#include "common/status/macros.h"
#include "identity/identity_store.h"
#include "identity/model.h"

namespace gureum::identity {

struct AdminProjectOptions {
  // An `admin` on this project is a cloud administrator (identity_policy.h), as Keystone's
  // [resource] admin_project_name / admin_project_domain_name.
  std::string name = "admin";
  std::string domain_id = kDefaultDomainId;
};

// ---- targets (the keys identity_policy.h documents) ----
policy::Target DomainTarget(const std::string& domain_id);
policy::Target ProjectTarget(const Project& project);
policy::Target UserTarget(const User& user);
policy::Target GroupTarget(const Group& group);

// identity:<verb>_grant, or identity:<verb>_system_grant for system grants ("list" makes
// _grants).
std::string GrantRule(const std::string& verb, bool system);

class IdentityAccess {
 public:
  IdentityAccess(IdentityStore& store, const policy::Enforcer& enforcer,
                 AdminProjectOptions admin_project);

  // PermissionDenied unless `rule` allows `caller` on `target` (admin_project_id added).
  absl::Status Enforce(const std::string& rule, const Caller& caller, policy::Target target = {});

  // Looks up the grant's actor and target (NotFound if missing) and enforces `verb`
  // (create, check, revoke, list). Grants on the admin project leave target.domain_id
  // unset, so only cloud admins make them: a domain admin must not make anyone a cloud
  // admin.
  absl::Status AuthorizeGrant(const std::string& verb, const Caller& caller,
                              const RoleAssignment& grant);

  // The admin project's id (looked up on first need, then cached), or "" if none.
  std::string AdminProjectId();
  // Forgets the cached id (after a project is deleted or renamed).
  void ForgetAdminProject();

 private:
  IdentityStore& store_;
  const policy::Enforcer& enforcer_;
  const AdminProjectOptions admin_project_;
  absl::Mutex mu_;
  std::string admin_project_id_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::identity
