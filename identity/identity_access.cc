#include "identity/identity_access.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::identity {

policy::Target DomainTarget(const std::string& domain_id) {
  return {{"target.domain_id", domain_id}};
}

policy::Target ProjectTarget(const Project& p) {
  return {{"target.project_id", p.id}, {"target.domain_id", p.domain_id}};
}

policy::Target UserTarget(const User& u) {
  return {{"target.user_id", u.id}, {"target.domain_id", u.domain_id}};
}

policy::Target GroupTarget(const Group& g) { return {{"target.domain_id", g.domain_id}}; }

std::string GrantRule(const std::string& verb, bool system) {
  return absl::StrCat("identity:", verb, system ? "_system" : "",
                      verb == "list" ? "_grants" : "_grant");
}

IdentityAccess::IdentityAccess(IdentityStore& store, const policy::Enforcer& enforcer,
                               AdminProjectOptions admin_project)
    : store_(store), enforcer_(enforcer), admin_project_(std::move(admin_project)) {}

absl::Status IdentityAccess::Enforce(const std::string& rule, const Caller& caller,
                                     policy::Target target) {
  // Only a project-scoped admin can match the admin-project rule: spare the others the
  // lookup.
  if (!caller.project_id.empty() && caller.HasRole("admin")) {
    target["admin_project_id"] = AdminProjectId();
  }
  return enforcer_.Enforce(rule, caller, target);
}

absl::Status IdentityAccess::AuthorizeGrant(const std::string& verb, const Caller& caller,
                                            const RoleAssignment& a) {
  policy::Target target;
  if (!a.user_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(UserRecord record, store_.GetUser(a.user_id));
    const User& u = record.user;
    target["target.actor_domain_id"] = u.domain_id;
    target["target.user_id"] = u.id;
  } else {
    GUREUM_ASSIGN_OR_RETURN(Group g, store_.GetGroup(a.group_id));
    target["target.actor_domain_id"] = g.domain_id;
  }
  if (!a.project_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(Project p, store_.GetProject(a.project_id));
    target["target.project_id"] = p.id;
    if (p.id != AdminProjectId()) target["target.domain_id"] = p.domain_id;
  } else if (!a.domain_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(Domain d, store_.GetDomain(a.domain_id));
    target["target.domain_id"] = d.id;
  }
  return Enforce(GrantRule(verb, a.system), caller, target);
}

std::string IdentityAccess::AdminProjectId() {
  {
    absl::MutexLock lock(&mu_);
    if (!admin_project_id_.empty()) return admin_project_id_;
  }
  ListFilter filter;
  filter.name = admin_project_.name;
  filter.domain_id = admin_project_.domain_id;
  auto projects = store_.ListProjects(filter);
  if (!projects.ok() || projects->size() != 1) return "";
  absl::MutexLock lock(&mu_);
  admin_project_id_ = projects->front().id;
  return admin_project_id_;
}

void IdentityAccess::ForgetAdminProject() {
  absl::MutexLock lock(&mu_);
  admin_project_id_.clear();
}

}  // namespace gureum::identity
