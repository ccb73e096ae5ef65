// The per-call prologue and epilogue every gRPC handler shares: request id in and out,
// the auth hook, metrics, and the absl::Status -> grpc::Status mapping. It keeps handlers
// thin:
//
//   grpc::Status GetProject(grpc::ServerContext* ctx, const GetProjectRequest* req,
//                           Project* resp) override {
//     ServerCall call(ctx, env_, "GetProject");
//     if (!call.ok()) return call.Finish();
//     return call.Finish(manager_.GetProject(call.caller(), req->id(), resp));
//   }
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <grpcpp/server_context.h>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/log/log.h"
#include "common/metrics/metrics.h"

namespace gureum::grpcx {

// Metadata key of the caller's token (the REST APIs use the X-Auth-Token header).
inline constexpr char kTokenKey[] = "x-auth-token";

// Turns a token into a Caller, or fails with Unauthenticated. Called for every call to a
// method that is not public. The token check itself comes from the identity library.
using AuthHook = std::function<absl::StatusOr<Caller>(const std::string& token)>;

// What a service's handlers share. Owned by main(); outlives the server.
struct CallEnv {
  AuthHook auth;                                    // empty: every method is public
  metrics::Metrics* metrics = nullptr;              // may be null
  absl::flat_hash_set<std::string> public_methods;  // method names needing no token
};

class ServerCall {
 public:
  ServerCall(grpc::ServerContextBase* context, const CallEnv& env, const char* method);
  ServerCall(const ServerCall&) = delete;
  ServerCall& operator=(const ServerCall&) = delete;

  // False when the auth hook refused the call; then return Finish().
  bool ok() const { return auth_status_.ok(); }
  const Caller& caller() const { return caller_; }
  const std::string& request_id() const { return request_id_; }

  // Records the outcome and maps it to a gRPC status. Without an argument it finishes
  // with the auth failure.
  grpc::Status Finish(const absl::Status& status);
  grpc::Status Finish() { return Finish(auth_status_); }

 private:
  const CallEnv& env_;
  const char* method_;
  std::string request_id_;
  std::optional<log::ScopedRequestId> scoped_request_id_;
  std::chrono::steady_clock::time_point start_;
  absl::Status auth_status_;
  Caller caller_;
};

}  // namespace gureum::grpcx
