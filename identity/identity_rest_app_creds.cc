// /v3/users/{user_id}/application_credentials: the secret is shown once, at creation.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

absl::Status CreateAppCredential(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "application_credential"));
  ApplicationCredentialCreate req;
  req.user_id = call.Param("user_id");
  std::optional<std::string> expires_at;
  std::optional<bool> unrestricted;
  http::JsonReader r(body, "application_credential", /*open=*/true);
  r.String("name", &req.name, kRequiredString);
  r.String("description", &req.description, kNullable);
  r.String("secret", &req.secret, kNullable);
  r.OptionalString("expires_at", &expires_at, kNullable);
  r.OptionalBool("unrestricted", &unrestricted);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(req.roles, ParseRoles(body));
  if (expires_at) {
    GUREUM_ASSIGN_OR_RETURN(req.expires_at, ParseExpiry(*expires_at));
  }
  req.unrestricted = unrestricted.value_or(false);
  // The one handler that needs the token's claims: verified again (in-process, cheap).
  GUREUM_ASSIGN_OR_RETURN(auth::TokenClaims claims,
                          call.manager().tokens().VerifyToken(call.token));
  GUREUM_ASSIGN_OR_RETURN(
      CreatedApplicationCredential created,
      call.manager().app_credentials().CreateApplicationCredential(claims, req));
  json out = AppCredentialJson(call, created.credential);
  out["secret"] = created.secret;
  call.res.Json(201, {{"application_credential", std::move(out)}});
  return absl::OkStatus();
}

absl::Status ListAppCredentials(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto creds,
                          call.manager().app_credentials().ListApplicationCredentials(
                              call.caller, call.Param("user_id"), call.req.Query("name")));
  call.res.Json(
      200, EncodeList(call, "application_credentials", creds, ListFilter{}, AppCredentialJson));
  return absl::OkStatus();
}

absl::Status GetAppCredential(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      ApplicationCredential c,
      call.manager().app_credentials().GetApplicationCredential(
          call.caller, call.Param("user_id"), call.Param("application_credential_id")));
  call.res.Json(200, {{"application_credential", AppCredentialJson(call, c)}});
  return absl::OkStatus();
}

absl::Status DeleteAppCredential(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().app_credentials().DeleteApplicationCredential(
      call.caller, call.Param("user_id"), call.Param("application_credential_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterAppCredentialRoutes(Routes& routes) {
  const std::string base = "/v3/users/{user_id}/application_credentials";
  routes.Authed("POST", base, CreateAppCredential);
  routes.Authed("GET", base, ListAppCredentials);
  routes.Authed("GET", base + "/{application_credential_id}", GetAppCredential);
  routes.Authed("DELETE", base + "/{application_credential_id}", DeleteAppCredential);
}

}  // namespace gureum::identity
