// The gRPC adapters (Networks, ComputeNetworking, NetworkAgents) on a real server and
// PostgreSQL: tokens required, roles enforced (members cannot call the compute or agent
// services), NotFound across projects, create presence rules, update masks.
#include <grpcpp/grpcpp.h>

#include "common/grpc/client.h"
#include "common/grpc/server.h"
#include "network/server/network_service.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

class GrpcEnv {
 public:
  GrpcEnv() {
    env_.auth = [this](const std::string& token) -> absl::StatusOr<Caller> {
      if (token == "a") return f.a;
      if (token == "b") return f.b;
      if (token == "service") return f.service;
      return absl::UnauthenticatedError("bad token");
    };
    networks_ = std::make_unique<NetworksService>(f.m(), env_);
    compute_ = std::make_unique<ComputeNetworkingService>(f.m(), env_);
    agents_ = std::make_unique<NetworkAgentsService>(f.m(), env_);
    auto server = grpcx::Server::Start({.listen_address = "127.0.0.1:0"},
                                       {networks_.get(), compute_.get(), agents_.get()});
    REQUIRE(server.ok());
    server_ = *std::move(server);
    auto channel = grpcx::MakeChannel("127.0.0.1:" + std::to_string(server_->port()));
    net = v1::Networks::NewStub(channel);
    comp = v1::ComputeNetworking::NewStub(channel);
    agt = v1::NetworkAgents::NewStub(channel);
  }
  ~GrpcEnv() { server_->Shutdown(absl::Seconds(1)); }

  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(Stub& stub, grpc::Status (Stub::*m)(grpc::ClientContext*, const Req&, Resp*),
                    const std::string& token, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = token});
    return (stub.*m)(&ctx, req, resp);
  }

  Fixture f;
  std::unique_ptr<v1::Networks::Stub> net;
  std::unique_ptr<v1::ComputeNetworking::Stub> comp;
  std::unique_ptr<v1::NetworkAgents::Stub> agt;

 private:
  grpcx::CallEnv env_;
  std::unique_ptr<NetworksService> networks_;
  std::unique_ptr<ComputeNetworkingService> compute_;
  std::unique_ptr<NetworkAgentsService> agents_;
  std::unique_ptr<grpcx::Server> server_;
};

TEST_CASE("gRPC: tokens, roles, isolation, presence and update masks") {
  GrpcEnv e;
  v1::Network n, made;
  n.set_name("g");
  CHECK(e.Call(*e.net, &v1::Networks::Stub::CreateNetwork, "", n, &made).error_code() ==
        grpc::UNAUTHENTICATED);
  REQUIRE(e.Call(*e.net, &v1::Networks::Stub::CreateNetwork, "a", n, &made).ok());
  CHECK(made.admin_state_up());  // proto3 false = unset: Neutron's default true
  CHECK(made.mtu() == 1450);
  v1::Id id;
  id.set_id(made.id());
  v1::Network other;
  CHECK(e.Call(*e.net, &v1::Networks::Stub::GetNetwork, "b", id, &other).error_code() ==
        grpc::NOT_FOUND);

  v1::Subnet s, sub;
  s.set_network_id(made.id());
  s.set_cidr("10.7.0.0/24");
  REQUIRE(e.Call(*e.net, &v1::Networks::Stub::CreateSubnet, "a", s, &sub).ok());
  CHECK_FALSE(sub.enable_dhcp());  // taken as sent
  s.set_cidr("10.7.0.0/33");
  CHECK(e.Call(*e.net, &v1::Networks::Stub::CreateSubnet, "a", s, &sub).error_code() ==
        grpc::INVALID_ARGUMENT);

  v1::UpdateNetworkRequest up;
  up.mutable_network()->set_id(made.id());
  up.mutable_network()->set_name("renamed");
  up.add_update_mask("name");
  v1::Network renamed;
  REQUIRE(e.Call(*e.net, &v1::Networks::Stub::UpdateNetwork, "a", up, &renamed).ok());
  CHECK(renamed.name() == "renamed");
  CHECK(renamed.revision_number() == 2);

  v1::AllocatePortRequest req;
  req.set_network_id(made.id());
  req.set_project_id("project-a");
  req.set_device_id("vm-g");
  req.set_device_owner("compute:nova");
  req.set_host("gh");
  v1::Port port;
  CHECK(e.Call(*e.comp, &v1::ComputeNetworking::Stub::AllocatePort, "a", req, &port).error_code() ==
        grpc::PERMISSION_DENIED);
  REQUIRE(e.Call(*e.comp, &v1::ComputeNetworking::Stub::AllocatePort, "service", req, &port).ok());
  CHECK(port.binding_host() == "gh");
  CHECK(port.status() == "DOWN");
  req.set_project_id("project-b");  // project b cannot see a's network
  req.set_device_id("vm-b");
  v1::Port denied;
  CHECK(e.Call(*e.comp, &v1::ComputeNetworking::Stub::AllocatePort, "service", req, &denied)
            .error_code() == grpc::NOT_FOUND);

  v1::HostRequest hr;
  hr.set_host("gh");
  v1::HostState state;
  CHECK(e.Call(*e.agt, &v1::NetworkAgents::Stub::GetHostState, "a", hr, &state).error_code() ==
        grpc::PERMISSION_DENIED);
  REQUIRE(e.Call(*e.agt, &v1::NetworkAgents::Stub::GetHostState, "service", hr, &state).ok());
  REQUIRE(state.ports_size() == 1);
  CHECK(state.ports(0).id() == port.id());
  v1::PortStatusUpdate st;
  st.set_host("gh");
  (*st.mutable_port_status())[port.id()] = "ACTIVE";
  v1::Empty empty;
  REQUIRE(e.Call(*e.agt, &v1::NetworkAgents::Stub::UpdatePortStatus, "service", st, &empty).ok());
  v1::Id pid;
  pid.set_id(port.id());
  v1::Port now;
  REQUIRE(e.Call(*e.net, &v1::Networks::Stub::GetPort, "a", pid, &now).ok());
  CHECK(now.status() == "ACTIVE");
  v1::ReleasePortsRequest rel;
  rel.set_device_id("vm-g");
  REQUIRE(e.Call(*e.comp, &v1::ComputeNetworking::Stub::ReleasePorts, "service", rel, &empty).ok());
  CHECK(e.Call(*e.net, &v1::Networks::Stub::GetPort, "a", pid, &now).error_code() ==
        grpc::NOT_FOUND);
}

}  // namespace
}  // namespace gureum::network::testing
