#include <grpcpp/grpcpp.h>

#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "network/agent/server_client.h"

#include "network.grpc.pb.h"

namespace gureum::network_agent {
namespace {

class GrpcServerClient final : public ServerClient {
 public:
  GrpcServerClient(const std::string& target, auth::ServiceToken* token)
      : stub_(pb::NetworkAgents::NewStub(grpcx::MakeChannel(target))), token_(token) {}

  absl::StatusOr<pb::HostState> GetHostState(const std::string& host) override {
    pb::HostRequest req;
    req.set_host(host);
    pb::HostState out;
    absl::Status s = auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return stub_->GetHostState(&ctx, req, &out);
    });
    if (!s.ok()) return s;
    return out;
  }

  absl::Status ReportAgent(const pb::AgentReport& report) override {
    pb::Empty out;
    return auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return stub_->ReportAgent(&ctx, report, &out);
    });
  }

  absl::Status UpdatePortStatus(const pb::PortStatusUpdate& update) override {
    pb::Empty out;
    return auth::CallAsService(token_, kTimeout, [&](grpc::ClientContext& ctx) {
      return stub_->UpdatePortStatus(&ctx, update, &out);
    });
  }

 private:
  static constexpr absl::Duration kTimeout = absl::Seconds(10);
  std::unique_ptr<pb::NetworkAgents::Stub> stub_;
  auth::ServiceToken* token_;
};

}  // namespace

std::unique_ptr<ServerClient> NewGrpcServerClient(const std::string& target,
                                                  auth::ServiceToken* token) {
  return std::make_unique<GrpcServerClient>(target, token);
}

}  // namespace gureum::network_agent
