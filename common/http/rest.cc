#include "common/http/rest.h"

#include <utility>

#include <spdlog/spdlog.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/http/public_url.h"
#include "common/http/server.h"
#include "common/status/status.h"

namespace gureum::http {

std::string RestCall::Link(absl::string_view path) const { return absl::StrCat(base_url, path); }

RestApi::RestApi(Server& server, RestApiOptions options)
    : server_(server), options_(std::make_shared<const RestApiOptions>(std::move(options))) {}

void WriteError(const Request& req, Response& res, const absl::Status& status) {
  if (HttpStatusCode(status) >= 500) {
    spdlog::error("{} {}: {}", req.method, req.route, status.ToString());
  }
  res.Error(status);
}

void RestApi::Authed(const std::string& method, const std::string& pattern, RestHandler handler,
                     RouteOptions route_options) {
  server_.Route(method, pattern, AuthenticatedHandler(options_, std::move(handler)), route_options);
}

Handler AuthenticatedHandler(std::shared_ptr<const RestApiOptions> options, RestHandler handler) {
  return [options = std::move(options), handler = std::move(handler)](Request& req, Response& res) {
    if (options->before) {
      if (absl::Status s = options->before(req, res); !s.ok()) return WriteError(req, res, s);
    }
    const std::string token = req.Header("X-Auth-Token");
    absl::StatusOr<Caller> caller =
        token.empty() ? absl::UnauthenticatedError("no token") : options->verify(token);
    if (!caller.ok()) {
      res.Error(absl::UnauthenticatedError(options->auth_required_message));
      if (!options->challenge.empty()) res.SetHeader("WWW-Authenticate", options->challenge);
      return;
    }
    req.caller = *std::move(caller);
    RestCall call{req, res, req.caller, token, options->base_url};
    if (absl::Status s = handler(call); !s.ok()) WriteError(req, res, s);
  };
}

void RestApi::Public(const std::string& method, const std::string& pattern, PublicHandler handler,
                     RouteOptions route_options) {
  server_.Route(
      method, pattern,
      [handler = std::move(handler)](Request& req, Response& res) {
        if (absl::Status s = handler(req, res); !s.ok()) WriteError(req, res, s);
      },
      route_options);
}

std::string ApiBaseUrl(const std::string& configured, const std::string& my_ip, int port,
                       absl::string_view version_suffix) {
  std::string base = PublicUrl(configured, my_ip, port);
  if (!version_suffix.empty() && absl::EndsWith(base, version_suffix)) {
    base.resize(base.size() - version_suffix.size());
    while (absl::EndsWith(base, "/")) base.pop_back();
  }
  return base;
}

}  // namespace gureum::http
