// /v3/OS-TRUST/trusts (trust_manager.h): kept and shown in Keystone's shapes; no token is
// issued by trust.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

json TrustRoleJson(const Call& call, const RoleRef& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"domain_id", nullptr},
          {"links", {{"self", call.Link("/v3/roles/" + r.id)}}}};
}

json TrustJson(const Call& call, const Trust& t) {
  json roles = json::array();
  for (const RoleRef& r : t.roles) roles.push_back(TrustRoleJson(call, r));
  const std::string self = "/v3/OS-TRUST/trusts/" + t.id;
  return {{"id", t.id},
          {"trustor_user_id", t.trustor_user_id},
          {"trustee_user_id", t.trustee_user_id},
          {"project_id", t.project_id},
          {"impersonation", t.impersonation},
          {"expires_at", TimeOrNull(t.expires_at)},
          {"remaining_uses", nullptr},
          {"allow_redelegation", false},
          {"redelegation_count", 0},
          {"roles", roles},
          {"roles_links",
           {{"self", call.Link(self + "/roles")}, {"previous", nullptr}, {"next", nullptr}}},
          {"links", {{"self", call.Link(self)}}}};
}

absl::Status CreateTrust(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "trust"));
  Trust t;
  std::optional<bool> impersonation;
  std::optional<std::string> expires_at;
  http::JsonReader r(body, "trust", /*open=*/true);
  r.String("trustor_user_id", &t.trustor_user_id, kRequiredString);
  r.String("trustee_user_id", &t.trustee_user_id, kRequiredString);
  r.String("project_id", &t.project_id, kNullable);
  r.OptionalBool("impersonation", &impersonation);
  r.OptionalString("expires_at", &expires_at, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!impersonation) return absl::InvalidArgumentError("'impersonation' is a required property");
  t.impersonation = *impersonation;
  if (expires_at) {
    GUREUM_ASSIGN_OR_RETURN(t.expires_at, ParseExpiry(*expires_at));
  }
  GUREUM_ASSIGN_OR_RETURN(t.roles, ParseRoles(body));
  GUREUM_ASSIGN_OR_RETURN(Trust created, call.manager().trusts().CreateTrust(call.caller, t));
  call.res.Json(201, {{"trust", TrustJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListTrusts(Call& call) {
  TrustFilter f;
  f.trustor_user_id = call.req.Query("trustor_user_id");
  f.trustee_user_id = call.req.Query("trustee_user_id");
  GUREUM_ASSIGN_OR_RETURN(auto list, call.manager().trusts().ListTrusts(call.caller, f));
  json items = json::array();
  for (const Trust& t : list) items.push_back(TrustJson(call, t));
  call.res.Json(
      200,
      {{"trusts", items},
       {"links",
        {{"self", call.Link("/v3/OS-TRUST/trusts")}, {"previous", nullptr}, {"next", nullptr}}}});
  return absl::OkStatus();
}

absl::Status GetTrust(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Trust t,
                          call.manager().trusts().GetTrust(call.caller, call.Param("trust_id")));
  call.res.Json(200, {{"trust", TrustJson(call, t)}});
  return absl::OkStatus();
}

absl::Status ListTrustRoles(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Trust t,
                          call.manager().trusts().GetTrust(call.caller, call.Param("trust_id")));
  json roles = json::array();
  for (const RoleRef& r : t.roles) roles.push_back(TrustRoleJson(call, r));
  call.res.Json(200, {{"roles", roles},
                      {"links",
                       {{"self", call.Link("/v3/OS-TRUST/trusts/" + t.id + "/roles")},
                        {"previous", nullptr},
                        {"next", nullptr}}}});
  return absl::OkStatus();
}

absl::Status GetTrustRole(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Trust t,
                          call.manager().trusts().GetTrust(call.caller, call.Param("trust_id")));
  const std::string& role_id = call.Param("role_id");
  for (const RoleRef& r : t.roles) {
    if (r.id == role_id) {
      call.res.Json(200, {{"role", TrustRoleJson(call, r)}});
      return absl::OkStatus();
    }
  }
  return NotFoundError("role", role_id);
}

absl::Status DeleteTrust(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().trusts().DeleteTrust(call.caller, call.Param("trust_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterTrustRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/OS-TRUST/trusts", CreateTrust);
  routes.Authed("GET", "/v3/OS-TRUST/trusts", ListTrusts);
  routes.Authed("GET", "/v3/OS-TRUST/trusts/{trust_id}", GetTrust);
  routes.Authed("DELETE", "/v3/OS-TRUST/trusts/{trust_id}", DeleteTrust);
  routes.Authed("GET", "/v3/OS-TRUST/trusts/{trust_id}/roles", ListTrustRoles);
  routes.Authed("GET", "/v3/OS-TRUST/trusts/{trust_id}/roles/{role_id}", GetTrustRole);
}

}  // namespace gureum::identity
