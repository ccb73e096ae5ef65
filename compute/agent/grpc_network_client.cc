#include <grpcpp/grpcpp.h>

#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "compute/agent/network_client.h"

#include "network.grpc.pb.h"

namespace gureum::compute_agent {
namespace {

class GrpcNetworkClient final : public NetworkClient {
 public:
  GrpcNetworkClient(const std::string& target, auth::ServiceToken* token)
      : channel_(grpcx::MakeChannel(target)),
        compute_(npb::ComputeNetworking::NewStub(channel_)),
        networks_(npb::Networks::NewStub(channel_)),
        token_(token) {}

  absl::StatusOr<npb::Port> AllocatePort(const npb::AllocatePortRequest& req) override {
    npb::Port out;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return compute_->AllocatePort(&ctx, req, &out);
    }));
    return out;
  }

  absl::StatusOr<npb::Port> BindPort(const npb::BindPortRequest& req) override {
    npb::Port out;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return compute_->BindPort(&ctx, req, &out);
    }));
    return out;
  }

  absl::Status ReleasePorts(const npb::ReleasePortsRequest& req) override {
    npb::Empty out;
    return auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return compute_->ReleasePorts(&ctx, req, &out);
    });
  }

  absl::StatusOr<npb::Port> GetPort(const std::string& id) override {
    return Get<npb::Port>(id, &npb::Networks::Stub::GetPort);
  }
  absl::StatusOr<npb::Network> GetNetwork(const std::string& id) override {
    return Get<npb::Network>(id, &npb::Networks::Stub::GetNetwork);
  }
  absl::StatusOr<npb::Subnet> GetSubnet(const std::string& id) override {
    return Get<npb::Subnet>(id, &npb::Networks::Stub::GetSubnet);
  }

 private:
  template <typename T, typename Method>
  absl::StatusOr<T> Get(const std::string& id, Method method) {
    npb::Id req;
    req.set_id(id);
    T out;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return ((*networks_).*method)(&ctx, req, &out);
    }));
    return out;
  }

  static constexpr absl::Duration kTimeout = absl::Seconds(10);
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<npb::ComputeNetworking::Stub> compute_;
  std::unique_ptr<npb::Networks::Stub> networks_;
  auth::ServiceToken* token_;
};

}  // namespace

std::unique_ptr<NetworkClient> NewGrpcNetworkClient(const std::string& target,
                                                    auth::ServiceToken* token) {
  return std::make_unique<GrpcNetworkClient>(target, token);
}

}  // namespace gureum::compute_agent
