#include "object-storage/proxy/grpc_identity_client.h"

#include "common/grpc/client.h"
#include "common/status/macros.h"

#include "identity.grpc.pb.h"

namespace gureum::object::proxy {
namespace {

namespace idv1 = gureum::identity::v1;

class GrpcIdentityClient final : public IdentityClient {
 public:
  GrpcIdentityClient(const std::string& target, auth::ServiceToken& token)
      : stub_(idv1::Identity::NewStub(grpcx::MakeChannel(target))), token_(token) {}

  absl::StatusOr<Ec2Credential> GetEc2Credential(const std::string& access) override {
    idv1::GetEc2CredentialRequest req;
    req.set_access(access);
    idv1::Ec2Credential resp;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(
        &token_, absl::Seconds(5),
        [&](grpc::ClientContext& ctx) { return stub_->GetEc2Credential(&ctx, req, &resp); }));
    return Ec2Credential{resp.access(), resp.secret(), resp.user_id(), resp.project_id()};
  }

 private:
  std::unique_ptr<idv1::Identity::Stub> stub_;
  auth::ServiceToken& token_;
};

}  // namespace

std::unique_ptr<IdentityClient> MakeGrpcIdentityClient(const std::string& target,
                                                       auth::ServiceToken& token) {
  return std::make_unique<GrpcIdentityClient>(target, token);
}

}  // namespace gureum::object::proxy
