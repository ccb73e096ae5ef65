#include "common/auth/identity_fetcher.h"

#include "common/grpc/client.h"
#include "common/status/status.h"

#include "identity.grpc.pb.h"

namespace gureum::auth {

struct GrpcKeyFetcher::Stub {
  std::unique_ptr<gureum::identity::v1::Identity::Stub> stub;
};

GrpcKeyFetcher::GrpcKeyFetcher(const std::string& target,
                               std::function<std::string()> service_token)
    : stub_(std::make_unique<Stub>()), service_token_(std::move(service_token)) {
  stub_->stub = gureum::identity::v1::Identity::NewStub(grpcx::MakeChannel(target));
}

GrpcKeyFetcher::~GrpcKeyFetcher() = default;

absl::StatusOr<std::vector<PublicKey>> GrpcKeyFetcher::FetchPublicKeys() {
  gureum::identity::v1::GetPublicKeysResponse resp;
  grpc::Status s =
      grpcx::CallUnary(*stub_->stub, &gureum::identity::v1::Identity::Stub::GetPublicKeys, {},
                       &resp, {.timeout = absl::Seconds(10)});
  if (!s.ok()) return FromGrpcStatus(s);
  std::vector<PublicKey> keys;
  for (const auto& k : resp.keys()) keys.push_back({k.key_id(), k.ed25519()});
  return keys;
}

absl::StatusOr<std::vector<RevocationEvent>> GrpcKeyFetcher::FetchRevocationEvents(
    absl::Time since) {
  gureum::identity::v1::ListRevocationEventsRequest req;
  req.set_since_unix_us(absl::ToUnixMicros(since));
  gureum::identity::v1::ListRevocationEventsResponse resp;
  grpc::Status s = grpcx::CallUnary(
      *stub_->stub, &gureum::identity::v1::Identity::Stub::ListRevocationEvents, req, &resp,
      {.token = service_token_ ? service_token_() : "", .timeout = absl::Seconds(10)});
  if (!s.ok()) return FromGrpcStatus(s);
  std::vector<RevocationEvent> events;
  for (const auto& e : resp.events()) {
    events.push_back({.audit_id = e.audit_id(),
                      .user_id = e.user_id(),
                      .project_id = e.project_id(),
                      .issued_before = absl::FromUnixMicros(e.issued_before_unix_us()),
                      .revoked_at = absl::FromUnixMicros(e.revoked_at_unix_us())});
  }
  return events;
}

}  // namespace gureum::auth
