// The gureum CLI's connection to the cloud: where identity's gRPC API is, the token
// (a password authentication from the OS_* settings, done once on first need, or
// OS_TOKEN as given), and unary calls that carry it.
//
// Identity's gRPC endpoint: --os-identity-grpc, else OS_IDENTITY_GRPC, else the host of
// OS_AUTH_URL with port 15000 (identity's gRPC port, ARCHITECTURE.md), so the usual
// admin-openrc is enough.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli/auth_env.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "common/status/status.h"

#include "identity.grpc.pb.h"

namespace gureum::cli {

inline constexpr int kIdentityGrpcPort = 15000;

// How the CLI calls a Gureum API: like the openstack client, a command against an API
// that cannot be reached fails in about a second (CallUnary's retries of UNAVAILABLE),
// not at the deadline; services, which wait for a restarting peer, keep wait_for_ready.
inline grpcx::CallOptions CliCallOptions(std::string token,
                                         absl::Duration timeout = absl::Seconds(30)) {
  return {.token = std::move(token), .timeout = timeout, .wait_for_ready = false};
}

// FromGrpcStatus for a CLI call to `api` at `endpoint`: UNAVAILABLE says which API could
// not be reached where, and the option that points the CLI elsewhere.
absl::Status FromCliCall(const grpc::Status& status, const std::string& api,
                         const std::string& endpoint, const std::string& option);

// "host:15000" from an auth URL ("http://ctl:5000/v3" -> "ctl:15000"; IPv6 literals keep
// their brackets). InvalidArgument when the URL names no host.
absl::StatusOr<std::string> IdentityGrpcFromAuthUrl(const std::string& auth_url);

// The endpoint to use: `option` if set, else `env` (OS_IDENTITY_GRPC) if set, else derived
// from `settings.auth_url`.
absl::StatusOr<std::string> IdentityGrpcEndpoint(const std::string& option, const char* env,
                                                 const AuthSettings& settings);

class Session {
 public:
  using Stub = identity::v1::Identity::Stub;

  Session(AuthSettings settings, std::string identity_endpoint);

  // The token, authenticating first if needed (the response is kept: token issue prints it).
  absl::StatusOr<std::string> Token();
  // What Authenticate answered; empty when OS_TOKEN was used and not validated.
  const identity::v1::AuthenticateResponse& auth() const { return auth_; }
  const AuthSettings& settings() const { return settings_; }

  // One authenticated unary call to identity: `Call(&Stub::GetProject, req)`.
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                            const Req& req) {
    GUREUM_ASSIGN_OR_RETURN(std::string token, Token());
    Resp resp;
    GUREUM_RETURN_IF_ERROR(
        FromCliCall(grpcx::CallUnary(*stub_, method, req, &resp, CliCallOptions(token)), "identity",
                    endpoint_, "--os-identity-grpc"));
    return resp;
  }

 private:
  absl::Status Authenticate();

  AuthSettings settings_;
  std::string endpoint_;
  std::unique_ptr<Stub> stub_;
  std::string token_;
  identity::v1::AuthenticateResponse auth_;
};

}  // namespace gureum::cli
