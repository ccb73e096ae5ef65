// How compute's gRPC clients make a call with a user's token or as their service user
// (client_options.h). Private to compute/clients.
#pragma once

#include <functional>
#include <string>

#include <grpcpp/client_context.h>

#include "absl/status/status.h"
#include "compute/clients/client_options.h"

namespace gureum::compute {

// One unary call, retried while it ends UNAVAILABLE: with `token` when it is not
// kAsService, else as options.service_token's user (auth::CallAsService, which also renews
// a token the callee no longer accepts). `attempt` runs once per attempt.
absl::Status CallAs(const GrpcClientOptions& options, const std::string& token,
                    absl::Duration timeout,
                    const std::function<grpc::Status(grpc::ClientContext&)>& attempt);

// Fills `context` for one call that is not repeated (a stream), as CallAs picks the token.
absl::Status PrepareAs(const GrpcClientOptions& options, const std::string& token,
                       absl::Duration timeout, grpc::ClientContext& context);

}  // namespace gureum::compute
