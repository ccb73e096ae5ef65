// KeyFetcher over identity's gRPC API (GetPublicKeys, ListRevocationEvents): what a
// service's TokenAuthenticator uses in production.
#pragma once

#include <memory>
#include <string>

#include "common/auth/authenticator.h"

namespace gureum::auth {

class GrpcKeyFetcher final : public KeyFetcher {
 public:
  // `target` is identity's gRPC address, host:port. `service_token` authenticates the
  // revocation-event listing (a token of the service's own user).
  GrpcKeyFetcher(const std::string& target, std::function<std::string()> service_token);
  ~GrpcKeyFetcher() override;

  absl::StatusOr<std::vector<PublicKey>> FetchPublicKeys() override;
  absl::StatusOr<std::vector<RevocationEvent>> FetchRevocationEvents(absl::Time since) override;

 private:
  struct Stub;
  std::unique_ptr<Stub> stub_;
  std::function<std::string()> service_token_;
};

}  // namespace gureum::auth
