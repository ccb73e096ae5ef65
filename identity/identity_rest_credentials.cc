// /v3/credentials and /v3/users/{user_id}/credentials/OS-EC2 (Keystone's shapes). Blobs
// and secrets travel in bodies only, never in logs.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

json CredentialJson(const Call& call, const Credential& c) {
  return {{"id", c.id},
          {"user_id", c.user_id},
          {"project_id", StringOrNull(c.project_id)},
          {"type", c.type},
          {"blob", c.blob},
          {"links", {{"self", call.Link("/v3/credentials/" + c.id)}}}};
}

json Ec2Json(const Call& call, const Ec2Credential& c) {
  return {{"user_id", c.user_id},
          {"tenant_id", c.project_id},
          {"access", c.access},
          {"secret", c.secret},
          {"trust_id", StringOrNull(c.trust_id)},
          {"links",
           {{"self", call.Link("/v3/users/" + c.user_id + "/credentials/OS-EC2/" + c.access)}}}};
}

absl::Status CreateCredential(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "credential"));
  Credential c;
  http::JsonReader r(body, "credential", /*open=*/true);
  r.String("user_id", &c.user_id, kRequiredString);
  r.String("type", &c.type, kRequiredString);
  r.String("blob", &c.blob, kRequiredString);
  r.String("project_id", &c.project_id, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Credential created,
                          call.manager().credentials().CreateCredential(call.caller, c));
  call.res.Json(201, {{"credential", CredentialJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListCredentials(Call& call) {
  ListFilter filter;
  filter.user_id = call.req.Query("user_id");
  filter.type = call.req.Query("type");
  GUREUM_ASSIGN_OR_RETURN(auto list,
                          call.manager().credentials().ListCredentials(call.caller, filter));
  json out = json::array();
  for (const Credential& c : list) out.push_back(CredentialJson(call, c));
  call.res.Json(
      200, {{"credentials", out},
            {"links",
             {{"self", call.Link("/v3/credentials")}, {"previous", nullptr}, {"next", nullptr}}}});
  return absl::OkStatus();
}

absl::Status GetCredential(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Credential c, call.manager().credentials().GetCredential(
                                            call.caller, call.Param("credential_id")));
  call.res.Json(200, {{"credential", CredentialJson(call, c)}});
  return absl::OkStatus();
}

absl::Status UpdateCredential(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "credential"));
  CredentialUpdate u;
  http::JsonReader r(body, "credential", /*open=*/true);
  r.OptionalString("user_id", &u.user_id, kNullable);
  r.OptionalString("project_id", &u.project_id, kNullable);
  r.OptionalString("type", &u.type, kNullable);
  r.OptionalString("blob", &u.blob, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Credential c, call.manager().credentials().UpdateCredential(
                                            call.caller, call.Param("credential_id"), u));
  call.res.Json(200, {{"credential", CredentialJson(call, c)}});
  return absl::OkStatus();
}

absl::Status DeleteCredential(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().credentials().DeleteCredential(call.caller, call.Param("credential_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- OS-EC2 ----

absl::Status CreateEc2(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  std::string project_id;
  http::JsonReader r(body, "credential", /*open=*/true);
  r.String("tenant_id", &project_id, kRequiredString);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Ec2Credential c, call.manager().credentials().CreateEc2Credential(
                                               call.caller, call.Param("user_id"), project_id));
  call.res.Json(201, {{"credential", Ec2Json(call, c)}});
  return absl::OkStatus();
}

absl::Status ListEc2(Call& call) {
  const std::string& user_id = call.Param("user_id");
  GUREUM_ASSIGN_OR_RETURN(auto list,
                          call.manager().credentials().ListEc2Credentials(call.caller, user_id));
  json out = json::array();
  for (const Ec2Credential& c : list) out.push_back(Ec2Json(call, c));
  call.res.Json(200, {{"credentials", out},
                      {"links",
                       {{"self", call.Link("/v3/users/" + user_id + "/credentials/OS-EC2")},
                        {"previous", nullptr},
                        {"next", nullptr}}}});
  return absl::OkStatus();
}

absl::Status GetEc2(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Ec2Credential c,
                          call.manager().credentials().GetEc2Credential(
                              call.caller, call.Param("user_id"), call.Param("access")));
  call.res.Json(200, {{"credential", Ec2Json(call, c)}});
  return absl::OkStatus();
}

absl::Status DeleteEc2(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().credentials().DeleteEc2Credential(
      call.caller, call.Param("user_id"), call.Param("access")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterCredentialRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/credentials", CreateCredential);
  routes.Authed("GET", "/v3/credentials", ListCredentials);
  routes.Authed("GET", "/v3/credentials/{credential_id}", GetCredential);
  routes.Authed("PATCH", "/v3/credentials/{credential_id}", UpdateCredential);
  routes.Authed("DELETE", "/v3/credentials/{credential_id}", DeleteCredential);
  routes.Authed("POST", "/v3/users/{user_id}/credentials/OS-EC2", CreateEc2);
  routes.Authed("GET", "/v3/users/{user_id}/credentials/OS-EC2", ListEc2);
  routes.Authed("GET", "/v3/users/{user_id}/credentials/OS-EC2/{access}", GetEc2);
  routes.Authed("DELETE", "/v3/users/{user_id}/credentials/OS-EC2/{access}", DeleteEc2);
}

}  // namespace gureum::identity
