// What every API service's main() shares after service::Start: the token verifier (identity's
// public keys over gRPC, revocations over AMQP), the REST server started from the service's
// [<section>] options, and the wait for a termination signal that ends both servers.
//
//   auto authn = service::StartServiceAuth(*cfg);
//   if (!authn.ok()) return Fail("cannot reach identity", authn.status());
//   ...
//   auto rest = service::StartRestServer(*cfg, "image", ImageRest::ServerOptions(&metrics),
//                                        [&](http::Server& s) { rest.Register(s); });
//   if (!rest.ok()) return Fail("REST", rest.status());
//   service::ServeUntilSignal(**rest, grpc_server.get());
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/service_auth.h"
#include "common/config/config.h"
#include "common/grpc/server.h"
#include "common/http/server.h"

namespace gureum::service {

// auth::ServiceAuth from [service_auth] identity_grpc and [DEFAULT] transport_url.
absl::StatusOr<std::unique_ptr<auth::ServiceAuth>> StartServiceAuth(const config::Config& cfg);

// The base of the links in REST answers: [<section>] public_url, or http://[DEFAULT]
// my_ip:[<section>] rest_port; without a trailing slash or `version_suffix`.
std::string PublicBaseUrl(const config::Config& cfg, const std::string& section,
                          absl::string_view version_suffix = "");

// Starts the REST server on [<section>] host and rest_port (the metrics listener from the
// same section), after `register_routes` has added the routes.
absl::StatusOr<std::unique_ptr<http::Server>> StartRestServer(
    const config::Config& cfg, const std::string& section, http::ServerOptions options,
    const std::function<void(http::Server&)>& register_routes);

// Blocks until SIGTERM or SIGINT (BlockTerminationSignals must have run first), then stops
// the REST server (in-flight requests finish) and the gRPC server (5 s grace). `grpc` may
// be null.
void ServeUntilSignal(http::Server& rest, grpcx::Server* grpc);

}  // namespace gureum::service
