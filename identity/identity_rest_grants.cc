// Role grants on projects, domains and the system (and OS-INHERIT inherited ones), and
// GET /v3/role_assignments.
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

enum class TargetKind { kProject, kDomain, kSystem };

// Which grant routes a handler serves: the target, the actor, and whether inherited.
struct GrantKind {
  TargetKind target;
  bool group;  // actor is a group (else a user)
  bool inherited;
};

RoleAssignment AssignmentFromPath(const Call& call, GrantKind kind) {
  RoleAssignment a;
  a.role_id = call.Param("role_id");
  (kind.group ? a.group_id : a.user_id) = call.Param(kind.group ? "group_id" : "user_id");
  if (kind.target == TargetKind::kProject) a.project_id = call.Param("project_id");
  if (kind.target == TargetKind::kDomain) a.domain_id = call.Param("domain_id");
  a.system = kind.target == TargetKind::kSystem;
  a.inherited = kind.inherited;
  return a;
}

absl::Status CreateGrant(Call& call, GrantKind kind) {
  RoleAssignment a = AssignmentFromPath(call, kind);
  GUREUM_RETURN_IF_ERROR(call.manager().assignments().Grant(call.caller, a));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status CheckGrant(Call& call, GrantKind kind) {
  RoleAssignment a = AssignmentFromPath(call, kind);
  GUREUM_RETURN_IF_ERROR(call.manager().assignments().CheckGrant(call.caller, a));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status RevokeGrant(Call& call, GrantKind kind) {
  RoleAssignment a = AssignmentFromPath(call, kind);
  GUREUM_RETURN_IF_ERROR(call.manager().assignments().Revoke(call.caller, a));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ListGrants(Call& call, GrantKind kind) {
  RoleAssignment a = AssignmentFromPath(call, kind);
  GUREUM_ASSIGN_OR_RETURN(auto assignments,
                          call.manager().assignments().ListGrants(call.caller, a));
  GUREUM_ASSIGN_OR_RETURN(auto roles, call.manager().roles().AllRoles());
  std::map<std::string, Role> by_id;
  for (Role& r : roles) by_id[r.id] = std::move(r);
  json out = json::array();
  for (const RoleAssignmentView& v : assignments) {
    auto it = by_id.find(v.assignment.role_id);
    if (it != by_id.end()) out.push_back(RoleJson(call, it->second));
  }
  call.res.Json(200, ListEnvelope(call, "roles", std::move(out), ListFilter{}, ""));
  return absl::OkStatus();
}

// ---- /v3/role_assignments ----

// The URL of the grant `a` (Keystone's links.assignment).
std::string AssignmentLink(const Call& call, const RoleAssignment& a) {
  std::string target = a.system                ? "/system"
                       : !a.project_id.empty() ? "/projects/" + a.project_id
                                               : "/domains/" + a.domain_id;
  std::string actor = a.user_id.empty() ? "/groups/" + a.group_id : "/users/" + a.user_id;
  std::string path =
      absl::StrCat(a.inherited ? "/v3/OS-INHERIT" : "/v3", target, actor, "/roles/", a.role_id);
  if (a.inherited) path += "/inherited_to_projects";
  return call.Link(path);
}

absl::StatusOr<AssignmentQuery> ParseAssignmentQuery(const http::Request& req) {
  AssignmentQuery q;
  q.filter.user_id = req.Query("user.id");
  q.filter.group_id = req.Query("group.id");
  q.filter.role_id = req.Query("role.id");
  q.filter.project_id = req.Query("scope.project.id");
  q.filter.domain_id = req.Query("scope.domain.id");
  if (auto system = req.Query("scope.system")) {
    if (*system != "all") return InvalidFieldError("scope.system", "only 'all' is supported");
    q.filter.system = true;
  }
  if (auto inherited = req.Query("scope.OS-INHERIT:inherited_to")) {
    if (*inherited != "projects") {
      return InvalidFieldError("scope.OS-INHERIT:inherited_to", "only 'projects' is supported");
    }
    q.filter.inherited = true;
  }
  if (auto effective = req.Query("effective")) {
    GUREUM_ASSIGN_OR_RETURN(q.effective, ParseBoolQuery("effective", *effective));
  }
  if (auto names = req.Query("include_names")) {
    GUREUM_ASSIGN_OR_RETURN(q.include_names, ParseBoolQuery("include_names", *names));
  }
  if (q.effective && q.filter.group_id) {
    return InvalidFieldError("group.id", "cannot be combined with effective");
  }
  return q;
}

// Renders role assignment rows, looking domain names up once each when names are asked.
class AssignmentEncoder {
 public:
  AssignmentEncoder(Call& call, bool names) : call_(call), names_(names) {}

  json Encode(const RoleAssignmentView& v) {
    const RoleAssignment& a = v.assignment;
    json role = {{"id", a.role_id}};
    if (names_) {
      role["name"] = v.role_name;
      if (!v.role_domain_id.empty()) role["domain"] = DomainRef(v.role_domain_id);
    }
    json out = {{"role", std::move(role)}};
    if (!a.user_id.empty()) out["user"] = Actor(a.user_id, v.user_name, v.user_domain_id);
    if (!a.group_id.empty()) out["group"] = Actor(a.group_id, v.group_name, v.group_domain_id);
    json scope;
    if (a.system) {
      scope["system"] = {{"all", true}};
    } else if (!a.project_id.empty()) {
      json project = {{"id", a.project_id}};
      if (names_) {
        project["name"] = v.project_name;
        project["domain"] = DomainRef(v.project_domain_id);
      }
      scope["project"] = std::move(project);
    } else {
      json domain = {{"id", a.domain_id}};
      if (names_) domain["name"] = v.domain_name;
      scope["domain"] = std::move(domain);
    }
    if (a.inherited) scope["OS-INHERIT:inherited_to"] = "projects";
    out["scope"] = std::move(scope);
    out["links"] = Links(v);
    return out;
  }

 private:
  json Actor(const std::string& id, const std::string& name, const std::string& domain_id) {
    json actor = {{"id", id}};
    if (names_) {
      actor["name"] = name;
      actor["domain"] = DomainRef(domain_id);
    }
    return actor;
  }

  json DomainRef(const std::string& id) { return {{"id", id}, {"name", DomainName(id)}}; }

  // "" when `id` is not a domain.
  std::string DomainName(const std::string& id) {
    auto it = domains_.find(id);
    if (it != domains_.end()) return it->second;
    absl::StatusOr<Domain> d = call_.manager().projects().FindDomain(id);
    return domains_[id] = d.ok() ? d->name : "";
  }

  // For effective rows, `assignment` links the grant the row derives from.
  json Links(const RoleAssignmentView& v) {
    RoleAssignment source = v.assignment;
    json links;
    if (!v.via_group_id.empty()) {
      source.user_id.clear();
      source.group_id = v.via_group_id;
      links["membership"] =
          call_.Link("/v3/groups/" + v.via_group_id + "/users/" + v.assignment.user_id);
    }
    if (!v.inherited_from_project_id.empty()) {
      source.inherited = true;
      source.project_id.clear();
      source.domain_id.clear();
      (DomainName(v.inherited_from_project_id).empty() ? source.project_id : source.domain_id) =
          v.inherited_from_project_id;
    }
    if (!v.implied_from_role_id.empty()) {
      source.role_id = v.implied_from_role_id;
      links["prior_role"] =
          call_.Link("/v3/roles/" + v.implied_from_role_id + "/implies/" + v.assignment.role_id);
    }
    links["assignment"] = AssignmentLink(call_, source);
    return links;
  }

  Call& call_;
  bool names_;
  std::map<std::string, std::string> domains_;
};

absl::Status ListRoleAssignments(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(AssignmentQuery q, ParseAssignmentQuery(call.req));
  GUREUM_ASSIGN_OR_RETURN(auto views,
                          call.manager().assignments().ListRoleAssignments(call.caller, q));
  AssignmentEncoder encoder(call, q.include_names);
  json out = json::array();
  for (const RoleAssignmentView& v : views) out.push_back(encoder.Encode(v));
  call.res.Json(200, ListEnvelope(call, "role_assignments", std::move(out), ListFilter{}, ""));
  return absl::OkStatus();
}

// Registers PUT/GET(+HEAD)/DELETE on `grant` and GET on its collection for `kind`.
void AddGrantRoutes(Routes& routes, const std::string& collection, const std::string& suffix,
                    GrantKind kind) {
  const std::string grant = collection + "/{role_id}" + suffix;
  routes.Authed("PUT", grant, [kind](Call& c) { return CreateGrant(c, kind); });
  routes.Authed("GET", grant, [kind](Call& c) { return CheckGrant(c, kind); });
  routes.Authed("DELETE", grant, [kind](Call& c) { return RevokeGrant(c, kind); });
  routes.Authed("GET", collection + suffix, [kind](Call& c) { return ListGrants(c, kind); });
}

}  // namespace

void RegisterGrantRoutes(Routes& routes) {
  struct Target {
    const char* prefix;
    TargetKind kind;
  };
  for (const Target& t : {Target{"/v3/projects/{project_id}", TargetKind::kProject},
                          Target{"/v3/domains/{domain_id}", TargetKind::kDomain},
                          Target{"/v3/system", TargetKind::kSystem}}) {
    for (bool group : {false, true}) {
      const std::string actor = group ? "/groups/{group_id}/roles" : "/users/{user_id}/roles";
      AddGrantRoutes(routes, t.prefix + actor, "", {t.kind, group, false});
      if (t.kind != TargetKind::kSystem) {
        AddGrantRoutes(routes, std::string("/v3/OS-INHERIT") + (t.prefix + 3) + actor,
                       "/inherited_to_projects", {t.kind, group, true});
      }
    }
  }
  routes.Authed("GET", "/v3/role_assignments", ListRoleAssignments);
}

}  // namespace gureum::identity
