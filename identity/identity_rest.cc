#include "identity/identity_rest.h"

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/auth/verifier.h"
#include "common/http/public_url.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {

IdentityRest::IdentityRest(IdentityManager& manager, const policy::Enforcer& enforcer,
                           IdentityRestOptions options)
    : ctx_(std::make_unique<RestContext>(manager, std::move(options))) {}

IdentityRest::~IdentityRest() = default;

void IdentityRest::Register(http::Server& server) {
  RegisterDiscoveryRoutes(*ctx_, server);
  RegisterAuthRoutes(*ctx_, server);
  RegisterProjectRoutes(*ctx_, server);
  RegisterUserRoutes(*ctx_, server);
  RegisterRoleRoutes(*ctx_, server);
  RegisterGrantRoutes(*ctx_, server);
  RegisterCatalogRoutes(*ctx_, server);
  RegisterAppCredentialRoutes(*ctx_, server);
}

http::ServerOptions IdentityRest::ServerOptions(const std::string& host, int port,
                                                metrics::Metrics* metrics) {
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.max_body_bytes = 1 << 20;
  options.error_style = ErrorStyle::kKeystone;
  options.metrics = metrics;
  return options;
}

std::string BaseUrl(const RestContext& ctx, const http::Request& req) {
  std::string base = http::PublicUrl(ctx.options.public_url, "localhost", 5000);
  while (absl::EndsWith(base, "/")) base.pop_back();
  // A configured ".../v3" is accepted too: links add /v3 themselves.
  if (absl::EndsWith(base, "/v3")) base.resize(base.size() - 3);
  return base;
}

void AddRoute(RestContext& ctx, http::Server& server, const std::string& method,
              const std::string& pattern, CallHandler handler) {
  server.Route(method, pattern, [&ctx, handler](http::Request& req, http::Response& res) {
    const std::string token = req.Header("X-Auth-Token");
    absl::StatusOr<auth::TokenClaims> claims = token.empty()
                                                   ? absl::UnauthenticatedError(auth::kAuthRequired)
                                                   : ctx.manager.tokens().VerifyToken(token);
    if (!claims.ok()) {
      res.Error(absl::UnauthenticatedError(auth::kAuthRequired));
      res.SetHeader("WWW-Authenticate", absl::StrCat("Keystone uri=\"", BaseUrl(ctx, req), "\""));
      return;
    }
    req.caller = auth::CallerFromClaims(*claims);
    Call call{req, res, ctx, *std::move(claims), req.caller, BaseUrl(ctx, req)};
    absl::Status status = handler(call);
    if (!status.ok()) {
      if (HttpStatusCode(status) >= 500) {
        spdlog::error("{} {}: {}", req.method, req.route, status.ToString());
      }
      res.Error(status);
    }
  });
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

void RegisterDiscoveryRoutes(RestContext& ctx, http::Server& server) {
  server.Route("GET", "/", [&ctx](http::Request& req, http::Response& res) {
    const std::string base = BaseUrl(ctx, req);
    res.Json(300, {{"versions", {{"values", json::array({VersionJson(base)})}}}});
    res.SetHeader("Location", base + "/v3/");
  });
  server.Route("GET", "/v3", [&ctx](http::Request& req, http::Response& res) {
    res.Json(200, {{"version", VersionJson(BaseUrl(ctx, req))}});
  });
}

}  // namespace gureum::identity
