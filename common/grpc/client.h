// gRPC client side: channels that retry on UNAVAILABLE (a service restarting must not
// fail its callers' requests), and per-call contexts carrying the caller's token, the
// request id of the work in progress, and a deadline.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "absl/time/time.h"

namespace gureum::grpcx {

struct ChannelOptions {
  int max_attempts = 5;  // gRPC caps this at 5
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  int max_message_bytes = 16 << 20;
  // Channels to the same target share one TCP connection unless their ids differ; a
  // busy client (a benchmark, a conductor) may want several.
  int connection_id = 0;
};

// A channel to `target` ("host:port") with transparent retries of UNAVAILABLE calls,
// configured through gRPC's own retry policy (service config), not a hand-made loop.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelOptions& options = {});

struct CallOptions {
  std::string token;                          // sent as x-auth-token when non-empty
  absl::Duration timeout = absl::Seconds(30);  // the call's deadline from now
  std::string request_id;                     // empty: the current thread's, or a new one
};

// Fills `context` for one call.
void PrepareContext(grpc::ClientContext& context, const CallOptions& options);

}  // namespace gureum::grpcx
