#include "identity/identity_rest.h"

#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/auth/verifier.h"
#include "common/status/macros.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {

RestContext::RestContext(IdentityManager& m, IdentityRestOptions o)
    : manager(m),
      options(std::move(o)),
      // A configured ".../v3" is accepted too: links add /v3 themselves.
      base_url(http::ApiBaseUrl(options.public_url, "localhost", 5000, "/v3")) {}

Routes::Routes(RestContext& ctx, http::Server& server)
    : ctx_(ctx),
      api_(server, {.base_url = ctx.base_url,
                    // The verifier checks the token in-process (no store access): the hot path of
                    // every token check in the cloud.
                    .verify = [&ctx](const std::string& token) -> absl::StatusOr<Caller> {
                      GUREUM_ASSIGN_OR_RETURN(auth::TokenClaims claims,
                                              ctx.manager.tokens().VerifyToken(token));
                      return auth::CallerFromClaims(claims);
                    },
                    .auth_required_message = auth::kAuthRequired,
                    .challenge = absl::StrCat("Keystone uri=\"", ctx.base_url, "\"")}) {}

void Routes::Authed(const std::string& method, const std::string& pattern, CallHandler handler) {
  api_.Authed(method, pattern, [&ctx = ctx_, handler = std::move(handler)](http::RestCall& rest) {
    Call call(rest, ctx);
    return handler(call);
  });
}

void Routes::Public(const std::string& method, const std::string& pattern,
                    http::PublicHandler handler) {
  api_.Public(method, pattern, std::move(handler));
}

IdentityRest::IdentityRest(IdentityManager& manager, const policy::Enforcer& enforcer,
                           IdentityRestOptions options)
    : ctx_(std::make_unique<RestContext>(manager, std::move(options))) {}

IdentityRest::~IdentityRest() = default;

void IdentityRest::Register(http::Server& server) {
  Routes routes(*ctx_, server);
  RegisterDiscoveryRoutes(routes);
  RegisterAuthRoutes(routes);
  RegisterProjectRoutes(routes);
  RegisterUserRoutes(routes);
  RegisterRoleRoutes(routes);
  RegisterGrantRoutes(routes);
  RegisterCatalogRoutes(routes);
  RegisterAppCredentialRoutes(routes);
  RegisterCredentialRoutes(routes);
  RegisterExtensionRoutes(routes);
  RegisterTrustRoutes(routes);
}

http::ServerOptions IdentityRest::ServerOptions(const std::string& host, int port,
                                                metrics::Metrics* metrics) {
  // The server's 1 MiB body limit (413 beyond) as it is; Keystone's error envelope.
  return {.host = host, .port = port, .error_style = ErrorStyle::kKeystone, .metrics = metrics};
}

namespace {

json VersionJson(const std::string& base) {
  return {{"id", "v3.14"},
          {"status", "stable"},
          {"updated", "2020-04-07T00:00:00Z"},
          {"links", json::array({{{"rel", "self"}, {"href", base + "/v3/"}}})},
          {"media-types", json::array({{{"base", "application/json"},
                                        {"type", "application/vnd.openstack.identity-v3+json"}}})}};
}

}  // namespace

void RegisterDiscoveryRoutes(Routes& routes) {
  const std::string& base = routes.ctx().base_url;
  routes.Public("GET", "/", [base](http::Request&, http::Response& res) {
    res.Json(300, {{"versions", {{"values", json::array({VersionJson(base)})}}}});
    res.SetHeader("Location", base + "/v3/");
    return absl::OkStatus();
  });
  routes.Public("GET", "/v3", [base](http::Request&, http::Response& res) {
    res.Json(200, {{"version", VersionJson(base)}});
    return absl::OkStatus();
  });
}

}  // namespace gureum::identity
