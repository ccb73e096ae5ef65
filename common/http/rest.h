// The REST kit: what every service's REST adapter needs around its handlers, written once.
//
//  - RestApi::Authed: the X-Auth-Token check. A route registered with it runs its handler
//    only for a valid token (verified the service's way, locally), with the caller set on
//    the request; without one the answer is 401 in the service's error envelope. A handler
//    returns absl::Status: a non-OK status becomes the service's error response, and a 5xx
//    is logged with the route (never the token).
//  - RestApi::Public: the same error handling for the few routes without a token (version
//    documents, token issue).
//  - ApiBaseUrl: the base URL links start with, from configuration (public_url.h), without
//    a trailing slash or a configured version suffix ("/v3", "/v2.1"), which links add.
//
// Reading a body's fields is json_reader.h; query strings (strict integers, pagination,
// filters) are query.h. Policy is not here: the managers enforce it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/caller.h"
#include "common/http/request.h"
#include "common/http/router.h"

namespace gureum::http {

class Server;

// Verifies a token and says who calls. Any error means 401 (the message never reaches the
// client: an invalid token and an expired one look the same from outside).
using TokenVerifier = std::function<absl::StatusOr<Caller>(const std::string& token)>;

// One request on an authenticated route, as its handler sees it.
struct RestCall {
  Request& req;
  Response& res;
  const Caller& caller;
  const std::string& token;     // the X-Auth-Token as sent (to call other services with it)
  const std::string& base_url;  // "http://ctl:8774": no trailing slash, no version

  const std::string& Param(const std::string& name) const { return req.PathParam(name); }
  // base_url + path ("/v2.1/servers/x").
  std::string Link(absl::string_view path) const;
};

using RestHandler = std::function<absl::Status(RestCall&)>;
using PublicHandler = std::function<absl::Status(Request&, Response&)>;

struct RestApiOptions {
  std::string base_url;  // ApiBaseUrl(...)
  TokenVerifier verify;
  // The 401 message of this API (each OpenStack API words it its own way).
  std::string auth_required_message = "The request you have made requires authentication.";
  // The WWW-Authenticate header of a 401, if the API sends one (Keystone: `Keystone
  // uri="<base>"`); empty: none.
  std::string challenge;
  // Runs on every authenticated route before the token is checked (Nova's microversion
  // negotiation); an error ends the request with that error. May be empty.
  std::function<absl::Status(Request&, Response&)> before;
};

class RestApi {
 public:
  // Routes are added to `server`, which must not be started yet. The routes keep what they
  // need (a copy of the options): this object may go away once they are registered.
  RestApi(Server& server, RestApiOptions options);

  // A route that needs a valid token. `handler` runs on the server's worker pool.
  void Authed(const std::string& method, const std::string& pattern, RestHandler handler,
              RouteOptions options = {});
  // A route without a token.
  void Public(const std::string& method, const std::string& pattern, PublicHandler handler,
              RouteOptions options = {});

  const std::string& base_url() const { return options_->base_url; }

 private:
  Server& server_;
  std::shared_ptr<const RestApiOptions> options_;
};

// The authenticated-route wrapper alone (what RestApi::Authed registers), for an adapter
// that registers its routes on the server itself.
Handler AuthenticatedHandler(std::shared_ptr<const RestApiOptions> options, RestHandler handler);

// Writes `status` as the error response (the server's ErrorStyle), logging a 5xx with the
// request's method and route.
void WriteError(const Request& req, Response& res, const absl::Status& status);

// `configured` public_url (or http://<my_ip>:<port> when empty) without trailing slashes
// and without `version_suffix` ("/v3") when the operator's URL ends with it.
std::string ApiBaseUrl(const std::string& configured, const std::string& my_ip, int port,
                       absl::string_view version_suffix = "");

}  // namespace gureum::http
