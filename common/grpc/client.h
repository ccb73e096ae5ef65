// gRPC client side: channels, per-call contexts carrying the caller's token, the request
// id of the work in progress and a deadline, and unary calls retried on UNAVAILABLE (a
// service restarting must not fail its callers' requests).
//
//   echo::v1::EchoResponse resp;
//   grpc::Status s = grpcx::CallUnary(*stub, &Stub::Echo, req, &resp, {.token = token});
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "absl/time/time.h"

namespace gureum::grpcx {

struct ChannelOptions {
  int max_message_bytes = 16 << 20;
  // Channels to the same target share one TCP connection unless their ids differ; a
  // busy client (a benchmark, a conductor) may want several.
  int connection_id = 0;
};

// A channel to `target` ("host:port"). gRPC's own retry machinery is off: its retry filter
// keeps a copy of every call's metadata and message in case it is needed, which cost
// 15-20% of the CPU of an echo call (grpc_bench, three alternating runs: 21-24k calls/s
// without it, 17-18.5k with it). CallUnary retries instead, at no cost until a call fails.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target,
                                           const ChannelOptions& options = {});

// How CallUnary repeats a call that ended UNAVAILABLE: at most `max_attempts` attempts
// in all, waiting a random part of a backoff that starts at `initial_backoff` and doubles
// up to `max_backoff` (gRPC's retry policy, done by hand), and never past the deadline.
struct RetryPolicy {
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

struct CallOptions {
  std::string token;                           // sent as x-auth-token when non-empty
  absl::Duration timeout = absl::Seconds(30);  // the call's deadline from now, all attempts
  std::string request_id;                      // empty: the current thread's, or a new one
  RetryPolicy retry;                           // CallUnary / CallWithRetry only
  // true: an attempt waits (within the deadline) for a server that cannot be reached yet,
  // as a service wants of a peer that is restarting. false: it fails UNAVAILABLE at once
  // when the channel cannot connect, so CallUnary gives up after its few retries (about
  // a second) instead of at the deadline, as a person at a command line wants.
  bool wait_for_ready = true;
};

// Fills `context` for one call that is not repeated (a stream, a probe).
void PrepareContext(grpc::ClientContext& context, const CallOptions& options);

// Makes one logical call: `attempt` gets a fresh context (token, request id, the deadline
// from options.timeout) and runs again while it ends UNAVAILABLE, as options.retry says.
// Every attempt carries the same request id and shares the one deadline. Returns the last
// attempt's status: UNAVAILABLE when the attempts or the time ran out.
grpc::Status CallWithRetry(const CallOptions& options,
                           const std::function<grpc::Status(grpc::ClientContext&)>& attempt);

// CallWithRetry for a unary method of a generated stub: CallUnary(*stub, &Stub::Get, req,
// &resp, options).
template <typename Stub, typename Request, typename Response>
grpc::Status CallUnary(Stub& stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
                       const Request& request, Response* response, const CallOptions& options) {
  return CallWithRetry(options, [&](grpc::ClientContext& context) {
    return (stub.*method)(&context, request, response);
  });
}

}  // namespace gureum::grpcx
