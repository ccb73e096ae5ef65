// Everything a Gureum service needs to authenticate its callers, wired once: a
// TokenAuthenticator fed by identity's gRPC API (public keys and revocation events, at
// start-up and every refresh_interval) and a consumer of the identity.revocations fanout
// (its own exclusive queue), so a revocation reaches the service within milliseconds and a
// missed message within one refresh.
//
//   auto authn = ServiceAuth::Start({.identity_grpc = "ctl:15000",
//                                    .transport_url = cfg.GetString("DEFAULT", "transport_url")});
//   env.auth = [&](const std::string& t) { return (*authn)->Authenticate(t); };
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/base/caller.h"

namespace gureum::amqp {
class Consumer;
}

namespace gureum::auth {

class GrpcKeyFetcher;

struct ServiceAuthOptions {
  std::string identity_grpc;  // host:port of identity's gRPC API
  std::string transport_url;  // amqp://...; empty: no push, refresh only
  AuthenticatorOptions authenticator;
  // How long Start waits for identity to answer (services often start together).
  absl::Duration startup_timeout = absl::Seconds(60);
};

class ServiceAuth {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceAuth>> Start(const ServiceAuthOptions& options);
  ~ServiceAuth();

  absl::StatusOr<Caller> Authenticate(const std::string& token) const {
    return authenticator_->Authenticate(token);
  }
  TokenAuthenticator& authenticator() { return *authenticator_; }

 private:
  ServiceAuth() = default;
  std::unique_ptr<GrpcKeyFetcher> fetcher_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  std::unique_ptr<amqp::Consumer> consumer_;
};

}  // namespace gureum::auth
