// /v3/roles, implied roles (/v3/roles/{prior}/implies/...) and /v3/role_inferences.
#include <map>

#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

absl::Status CreateRole(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "role"));
  Role r;
  http::JsonReader reader(body, "role", /*open=*/true);
  reader.String("name", &r.name, kRequiredString);
  reader.String("domain_id", &r.domain_id, kNullable);
  reader.String("description", &r.description, kNullable);
  GUREUM_RETURN_IF_ERROR(reader.Finish());
  GUREUM_ASSIGN_OR_RETURN(Role created, call.manager().roles().CreateRole(call.caller, r));
  call.res.Json(201, {{"role", RoleJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListRoles(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  if (!filter.domain_id) filter.domain_id = "";  // as Keystone: global roles unless asked
  GUREUM_ASSIGN_OR_RETURN(auto roles, call.manager().roles().ListRoles(call.caller, filter));
  call.res.Json(200, EncodeList(call, "roles", roles, filter, RoleJson));
  return absl::OkStatus();
}

absl::Status GetRole(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Role r,
                          call.manager().roles().GetRole(call.caller, call.Param("role_id")));
  call.res.Json(200, {{"role", RoleJson(call, r)}});
  return absl::OkStatus();
}

absl::Status UpdateRole(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "role"));
  RoleUpdate u;
  http::JsonReader reader(body, "role", /*open=*/true);
  reader.OptionalString("name", &u.name, kNullable);
  reader.OptionalString("description", &u.description, kNullable);
  GUREUM_RETURN_IF_ERROR(reader.Finish());
  GUREUM_ASSIGN_OR_RETURN(Role r,
                          call.manager().roles().UpdateRole(call.caller, call.Param("role_id"), u));
  call.res.Json(200, {{"role", RoleJson(call, r)}});
  return absl::OkStatus();
}

absl::Status DeleteRole(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().roles().DeleteRole(call.caller, call.Param("role_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- implied roles ----

json RoleRefJson(const Call& call, const Role& r) {
  return {{"id", r.id}, {"name", r.name}, {"links", {{"self", call.Link("/v3/roles/" + r.id)}}}};
}

json InferenceJson(const Call& call, const Role& prior, const Role& implied) {
  return {{"role_inference",
           {{"prior_role", RoleRefJson(call, prior)}, {"implies", RoleRefJson(call, implied)}}},
          {"links", {{"self", call.Link("/v3/roles/" + prior.id + "/implies/" + implied.id)}}}};
}

absl::Status CreateImplied(Call& call) {
  const std::string& prior_id = call.Param("prior_role_id");
  const std::string& implied_id = call.Param("implied_role_id");
  GUREUM_RETURN_IF_ERROR(
      call.manager().roles().CreateImpliedRole(call.caller, prior_id, implied_id).status());
  GUREUM_ASSIGN_OR_RETURN(Role prior, call.manager().roles().GetRole(call.caller, prior_id));
  GUREUM_ASSIGN_OR_RETURN(Role implied, call.manager().roles().GetRole(call.caller, implied_id));
  call.res.Json(201, InferenceJson(call, prior, implied));
  return absl::OkStatus();
}

absl::Status GetImplied(Call& call) {
  const std::string& prior_id = call.Param("prior_role_id");
  const std::string& implied_id = call.Param("implied_role_id");
  GUREUM_RETURN_IF_ERROR(
      call.manager().roles().GetImpliedRole(call.caller, prior_id, implied_id).status());
  GUREUM_ASSIGN_OR_RETURN(Role prior, call.manager().roles().GetRole(call.caller, prior_id));
  GUREUM_ASSIGN_OR_RETURN(Role implied, call.manager().roles().GetRole(call.caller, implied_id));
  if (call.req.method == "HEAD") {
    call.res.Empty(204);  // Keystone's "check implied role"
  } else {
    call.res.Json(200, InferenceJson(call, prior, implied));
  }
  return absl::OkStatus();
}

absl::Status DeleteImplied(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().roles().DeleteImpliedRole(
      call.caller, call.Param("prior_role_id"), call.Param("implied_role_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// Every role by id, and the rules grouped by prior role.
struct Inferences {
  std::map<std::string, Role> roles;
  std::map<std::string, std::vector<std::string>> implies;  // prior id -> implied ids
};

// `rules` with every role's name (the caller has been allowed to list the rules).
absl::StatusOr<Inferences> LoadInferences(Call& call, const std::vector<ImpliedRole>& rules) {
  Inferences out;
  GUREUM_ASSIGN_OR_RETURN(auto roles, call.manager().roles().AllRoles());
  for (Role& r : roles) out.roles[r.id] = std::move(r);
  for (const ImpliedRole& rule : rules) {
    out.implies[rule.prior_role_id].push_back(rule.implied_role_id);
  }
  return out;
}

json PriorJson(const Call& call, const Inferences& inf, const Role& prior) {
  json implies = json::array();
  auto it = inf.implies.find(prior.id);
  if (it != inf.implies.end()) {
    for (const std::string& id : it->second) {
      auto role = inf.roles.find(id);
      if (role != inf.roles.end()) implies.push_back(RoleRefJson(call, role->second));
    }
  }
  return {{"prior_role", RoleRefJson(call, prior)}, {"implies", std::move(implies)}};
}

absl::Status ListImpliedByRole(Call& call) {
  const std::string& prior_id = call.Param("prior_role_id");
  GUREUM_ASSIGN_OR_RETURN(auto rules, call.manager().roles().ListImpliedBy(call.caller, prior_id));
  GUREUM_ASSIGN_OR_RETURN(Inferences inf, LoadInferences(call, rules));
  auto found = inf.roles.find(prior_id);
  if (found == inf.roles.end()) return NotFoundError("role", prior_id);  // deleted meanwhile
  const Role& prior = found->second;
  call.res.Json(200, {{"role_inference", PriorJson(call, inf, prior)},
                      {"links", {{"self", call.Link("/v3/roles/" + prior.id + "/implies")}}}});
  return absl::OkStatus();
}

absl::Status ListInferences(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto rules, call.manager().roles().ListImpliedRoles(call.caller));
  GUREUM_ASSIGN_OR_RETURN(Inferences inf, LoadInferences(call, rules));
  json out = json::array();
  for (const auto& [prior_id, implied] : inf.implies) {
    auto prior = inf.roles.find(prior_id);
    if (prior != inf.roles.end()) out.push_back(PriorJson(call, inf, prior->second));
  }
  call.res.Json(200, {{"role_inferences", std::move(out)},
                      {"links", {{"self", call.Link("/v3/role_inferences")}}}});
  return absl::OkStatus();
}

}  // namespace

void RegisterRoleRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/roles", CreateRole);
  routes.Authed("GET", "/v3/roles", ListRoles);
  routes.Authed("GET", "/v3/roles/{role_id}", GetRole);
  routes.Authed("PATCH", "/v3/roles/{role_id}", UpdateRole);
  routes.Authed("DELETE", "/v3/roles/{role_id}", DeleteRole);
  routes.Authed("GET", "/v3/roles/{prior_role_id}/implies", ListImpliedByRole);
  routes.Authed("PUT", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", CreateImplied);
  routes.Authed("GET", "/v3/roles/{prior_role_id}/implies/{implied_role_id}",
                GetImplied);  // + HEAD
  routes.Authed("DELETE", "/v3/roles/{prior_role_id}/implies/{implied_role_id}", DeleteImplied);
  routes.Authed("GET", "/v3/role_inferences", ListInferences);
}

}  // namespace gureum::identity
