// What compute's gRPC clients of other services (image_client.h, placement_client.h,
// network_client.h) are made with, and who their calls run as.
//
// Calls that may run for a user take a `token` first: the caller's own token (compute-api
// passes the user's, so gureum-image and gureum-network answer only what that user may
// see), or kAsService for a call as the service user whose ServiceToken the client was made
// with (the agent's calls, and placement's always). A client made without a service token
// sends no token at all for kAsService: compute-api makes its image and network clients so,
// and a call of its that lacked a user token can never run with the service's rights.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace gureum::auth {
class ServiceToken;
}

namespace gureum::compute {

// The `token` of a call that runs as the client's service user.
inline constexpr char kAsService[] = "";

struct GrpcClientOptions {
  std::string target;  // host:port
  // Renews the service user's token for kAsService calls; null: those carry no token (a
  // test host without [service_auth], or compute-api's user-token clients). Must outlive
  // the client.
  auth::ServiceToken* service_token = nullptr;
  // Each unary call's deadline, all retries included (a download has its own).
  absl::Duration timeout = absl::Seconds(10);
};

}  // namespace gureum::compute
