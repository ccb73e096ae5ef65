// /v3/auth/*: token issue, validate, check, revoke, and what a token may be scoped to.
#include <set>

#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

absl::Status Required(const std::string& field) {
  return absl::InvalidArgumentError(absl::StrCat("'", field, "' is a required property"));
}

// `obj[field]` as an object, or InvalidArgument naming the field.
absl::StatusOr<json> Object(const json& obj, const std::string& field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return Required(field);
  if (!it->is_object()) return InvalidFieldError(field, "must be an object");
  return *it;
}

// {"id": ...} or {"name": ...}, strings.
absl::Status IdOrName(const json& obj, const std::string& what, std::string& id,
                      std::string& name) {
  std::optional<std::string> i, n;
  http::JsonReader r(obj, what, /*open=*/true);
  r.OptionalString("id", &i, kNullable);
  r.OptionalString("name", &n, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!i && !n) {
    return absl::InvalidArgumentError(
        absl::StrCat("'id' or 'name' is a required property of '", what, "'"));
  }
  id = i.value_or("");
  name = n.value_or("");
  return absl::OkStatus();
}

// A user by id, or by name and domain (by id or name).
absl::StatusOr<UserRef> ParseUser(const json& obj) {
  UserRef user;
  GUREUM_RETURN_IF_ERROR(IdOrName(obj, "user", user.id, user.name));
  if (user.id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(json domain, Object(obj, "domain"));
    GUREUM_RETURN_IF_ERROR(IdOrName(domain, "domain", user.domain_id, user.domain_name));
  }
  return user;
}

// {"system": {"all": true}}, the one system scope there is.
absl::Status ParseSystemScope(const json& scope) {
  GUREUM_ASSIGN_OR_RETURN(json system, Object(scope, "system"));
  std::optional<bool> all;
  http::JsonReader r(system, "system", /*open=*/true);
  r.OptionalBool("all", &all);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!all.value_or(false)) return InvalidFieldError("system", "only {\"all\": true} is supported");
  return absl::OkStatus();
}

absl::StatusOr<AuthScope> ParseScope(const json& auth) {
  AuthScope scope;
  auto it = auth.find("scope");
  if (it == auth.end() || it->is_null()) return scope;
  if (it->is_string() && it->get<std::string>() == "unscoped") {
    scope.kind = ScopeKind::kUnscoped;
    return scope;
  }
  if (!it->is_object()) return InvalidFieldError("scope", "must be an object or \"unscoped\"");
  const json& s = *it;
  if (s.contains("project")) {
    scope.kind = ScopeKind::kProject;
    GUREUM_ASSIGN_OR_RETURN(json project, Object(s, "project"));
    GUREUM_RETURN_IF_ERROR(IdOrName(project, "project", scope.project_id, scope.project_name));
    if (scope.project_id.empty()) {
      GUREUM_ASSIGN_OR_RETURN(json domain, Object(project, "domain"));
      GUREUM_RETURN_IF_ERROR(
          IdOrName(domain, "domain", scope.project_domain_id, scope.project_domain_name));
    }
  } else if (s.contains("domain")) {
    scope.kind = ScopeKind::kDomain;
    GUREUM_ASSIGN_OR_RETURN(json domain, Object(s, "domain"));
    GUREUM_RETURN_IF_ERROR(IdOrName(domain, "domain", scope.domain_id, scope.domain_name));
  } else if (s.contains("system")) {
    GUREUM_RETURN_IF_ERROR(ParseSystemScope(s));
    scope.kind = ScopeKind::kSystem;
  } else if (!s.empty()) {
    return InvalidFieldError("scope", "expected project, domain or system");
  }
  return scope;
}

absl::StatusOr<PasswordMethod> ParsePasswordMethod(const json& identity) {
  GUREUM_ASSIGN_OR_RETURN(json password, Object(identity, "password"));
  GUREUM_ASSIGN_OR_RETURN(json user, Object(password, "user"));
  PasswordMethod m;
  GUREUM_ASSIGN_OR_RETURN(m.user, ParseUser(user));
  std::optional<std::string> secret;
  http::JsonReader r(user, "user", /*open=*/true);
  r.OptionalString("password", &secret, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!secret) return Required("password");
  m.password = *secret;
  return m;
}

absl::StatusOr<ApplicationCredentialMethod> ParseAppCredentialMethod(const json& identity) {
  GUREUM_ASSIGN_OR_RETURN(json ac, Object(identity, "application_credential"));
  ApplicationCredentialMethod m;
  GUREUM_RETURN_IF_ERROR(IdOrName(ac, "application_credential", m.id, m.name));
  if (m.id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(json user, Object(ac, "user"));
    GUREUM_ASSIGN_OR_RETURN(m.user, ParseUser(user));
  }
  http::JsonReader r(ac, "application_credential", /*open=*/true);
  r.String("secret", &m.secret, kRequiredString);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  return m;
}

absl::StatusOr<AuthRequest> ParseAuthRequest(const http::Request& req) {
  GUREUM_ASSIGN_OR_RETURN(json auth, BodyEntity(req, "auth"));
  GUREUM_ASSIGN_OR_RETURN(json identity, Object(auth, "identity"));
  AuthRequest out;
  std::optional<std::vector<std::string>> methods;
  http::JsonReader r(identity, "identity", /*open=*/true);
  r.OptionalStringList("methods", &methods);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!methods) return Required("methods");
  if (methods->empty()) return InvalidFieldError("methods", "must not be empty");
  out.methods = *methods;
  for (const std::string& method : out.methods) {
    if (method == "password") {
      GUREUM_ASSIGN_OR_RETURN(out.password, ParsePasswordMethod(identity));
    } else if (method == "token") {
      GUREUM_ASSIGN_OR_RETURN(json token, Object(identity, "token"));
      std::string id;
      http::JsonReader t(token, "token", /*open=*/true);
      t.String("id", &id, kRequiredString);
      GUREUM_RETURN_IF_ERROR(t.Finish());
      out.token = std::move(id);
    } else if (method == "application_credential") {
      GUREUM_ASSIGN_OR_RETURN(out.application_credential, ParseAppCredentialMethod(identity));
    } else {
      return absl::UnauthenticatedError("Attempted to authenticate with an unsupported method.");
    }
  }
  GUREUM_ASSIGN_OR_RETURN(out.scope, ParseScope(auth));
  return out;
}

// Every failed authentication looks the same to the client.
absl::Status Generic401(const absl::Status& s) {
  if (s.code() == absl::StatusCode::kUnauthenticated) {
    return absl::UnauthenticatedError(auth::kAuthRequired);
  }
  return s;
}

void SendToken(RestContext& ctx, http::Response& res, int status, const std::string& token,
               const TokenData& data, bool with_catalog) {
  res.status = status;
  res.content_type = "application/json";
  res.body = TokenBody(ctx.catalogs, data, with_catalog);
  res.SetHeader("X-Subject-Token", token);
  res.SetHeader("Vary", "X-Auth-Token");
}

absl::StatusOr<std::string> SubjectToken(const Call& call) {
  std::string subject = call.req.Header("X-Subject-Token");
  if (subject.empty()) return absl::InvalidArgumentError("'X-Subject-Token' header is required");
  return subject;
}

absl::Status ValidateToken(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::string subject, SubjectToken(call));
  GUREUM_ASSIGN_OR_RETURN(TokenData data,
                          call.manager().tokens().ValidateToken(call.caller, subject));
  SendToken(call.ctx, call.res, 200, subject, data, !call.req.Query("nocatalog").has_value());
  return absl::OkStatus();
}

absl::Status RevokeToken(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::string subject, SubjectToken(call));
  GUREUM_RETURN_IF_ERROR(call.manager().tokens().RevokeToken(call.caller, subject));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status AuthCatalog(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto catalog, call.manager().catalog().CallerCatalog(call.caller));
  call.res.Json(
      200, {{"catalog", CatalogJson(catalog)},
            {"links",
             {{"self", call.Link("/v3/auth/catalog")}, {"previous", nullptr}, {"next", nullptr}}}});
  return absl::OkStatus();
}

absl::Status AuthProjects(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto projects, call.manager().assignments().AuthProjects(call.caller));
  call.res.Json(200, EncodeList(call, "projects", projects, ListFilter{}, ProjectJson));
  return absl::OkStatus();
}

absl::Status AuthDomains(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto domains, call.manager().assignments().AuthDomains(call.caller));
  call.res.Json(200, EncodeList(call, "domains", domains, ListFilter{}, DomainJson));
  return absl::OkStatus();
}

absl::Status AuthSystem(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(bool system, call.manager().assignments().AuthSystem(call.caller));
  json entries = json::array();
  if (system) entries.push_back({{"all", true}});
  call.res.Json(
      200, {{"system", std::move(entries)},
            {"links",
             {{"self", call.Link("/v3/auth/system")}, {"previous", nullptr}, {"next", nullptr}}}});
  return absl::OkStatus();
}

}  // namespace

void RegisterAuthRoutes(Routes& routes) {
  // The one route without X-Auth-Token: the credentials are in the body.
  RestContext& ctx = routes.ctx();
  routes.Public("POST", "/v3/auth/tokens", [&ctx](http::Request& req, http::Response& res) {
    absl::StatusOr<AuthRequest> request = ParseAuthRequest(req);
    if (!request.ok()) return Generic401(request.status());
    absl::StatusOr<IssuedToken> issued = ctx.manager.auth().Authenticate(*request);
    if (!issued.ok()) return Generic401(issued.status());
    SendToken(ctx, res, 201, issued->token, issued->data, !req.Query("nocatalog").has_value());
    return absl::OkStatus();
  });
  routes.Authed("GET", "/v3/auth/tokens", ValidateToken);  // and HEAD
  routes.Authed("DELETE", "/v3/auth/tokens", RevokeToken);
  routes.Authed("GET", "/v3/auth/catalog", AuthCatalog);
  routes.Authed("GET", "/v3/auth/projects", AuthProjects);
  routes.Authed("GET", "/v3/auth/domains", AuthDomains);
  routes.Authed("GET", "/v3/auth/system", AuthSystem);
}

}  // namespace gureum::identity
