// GrpcNetworkClient against an in-process gureum.network.v1 server on 127.0.0.1 port 0:
// our model types go out and come back as network.proto says, and the caller's token (or
// none, for kAsService without a service token) travels as x-auth-token.
#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "compute/clients/network_client.h"

#include "network.grpc.pb.h"

namespace gureum::compute {
namespace {

namespace npb = ::gureum::network::v1;

std::string TokenOf(const grpc::ServerContext* ctx) {
  auto it = ctx->client_metadata().find("x-auth-token");
  return it == ctx->client_metadata().end() ? ""
                                            : std::string(it->second.data(), it->second.size());
}

class NetworksServer final : public npb::Networks::Service {
 public:
  grpc::Status GetPort(grpc::ServerContext* ctx, const npb::Id* req, npb::Port* out) override {
    if (req->id() != "port-1") return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such port");
    Seen(ctx);
    out->set_id("port-1");
    out->set_network_id("net-1");
    out->set_status("ACTIVE");
    out->set_mac_address("fa:16:3e:00:00:01");
    out->set_bridge_name("brqnet-1");
    out->set_tap_name("tapport-1");
    out->set_mtu(1450);
    out->set_binding_host("node-a");
    npb::FixedIp* ip = out->add_fixed_ips();
    ip->set_subnet_id("sub-1");
    ip->set_ip_address("10.0.0.5");
    return grpc::Status::OK;
  }
  grpc::Status ListFloatingIps(grpc::ServerContext* ctx, const npb::ListRequest*,
                               npb::FloatingIpList* out) override {
    Seen(ctx);
    npb::FloatingIp* free = out->add_floating_ips();
    free->set_floating_ip_address("172.24.4.9");
    npb::FloatingIp* used = out->add_floating_ips();
    used->set_port_id("port-1");
    used->set_fixed_ip_address("10.0.0.5");
    used->set_floating_ip_address("172.24.4.10");
    return grpc::Status::OK;
  }
  void Seen(const grpc::ServerContext* ctx) {
    absl::MutexLock l(&mu);
    tokens.push_back(TokenOf(ctx));
  }
  absl::Mutex mu;
  std::vector<std::string> tokens ABSL_GUARDED_BY(mu);
};

class ComputeNetworkingServer final : public npb::ComputeNetworking::Service {
 public:
  grpc::Status AllocatePort(grpc::ServerContext*, const npb::AllocatePortRequest* req,
                            npb::Port* out) override {
    absl::MutexLock l(&mu);
    allocation = *req;
    out->set_id("port-2");
    out->set_network_id(req->network_id());
    out->set_device_id(req->device_id());
    return grpc::Status::OK;
  }
  grpc::Status ReleasePorts(grpc::ServerContext*, const npb::ReleasePortsRequest* req,
                            npb::Empty*) override {
    absl::MutexLock l(&mu);
    release = *req;
    return grpc::Status::OK;
  }
  absl::Mutex mu;
  npb::AllocatePortRequest allocation ABSL_GUARDED_BY(mu);
  npb::ReleasePortsRequest release ABSL_GUARDED_BY(mu);
};

TEST_CASE("GrpcNetworkClient: model types to and from network.proto, the caller's token") {
  NetworksServer networks;
  ComputeNetworkingServer compute;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&networks);
  builder.RegisterService(&compute);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server);
  std::unique_ptr<NetworkClient> client =
      NewGrpcNetworkClient({.target = "127.0.0.1:" + std::to_string(port)});

  absl::StatusOr<Port> p = client->GetPort("user-token", "port-1");
  REQUIRE(p.ok());
  CHECK(p->network_id == "net-1");
  CHECK(p->status == "ACTIVE");
  CHECK(p->bridge_name == "brqnet-1");
  CHECK(p->tap_name == "tapport-1");
  CHECK(p->mtu == 1450);
  CHECK(p->binding_host == "node-a");
  REQUIRE(p->fixed_ips.size() == 1);
  CHECK(p->fixed_ips[0].subnet_id == "sub-1");
  CHECK(p->fixed_ips[0].ip_address == "10.0.0.5");
  CHECK(client->GetPort("user-token", "nope").status().code() == absl::StatusCode::kNotFound);

  absl::StatusOr<std::vector<FloatingIp>> fips = client->ListFloatingIps(kAsService);
  REQUIRE(fips.ok());
  REQUIRE(fips->size() == 1);  // only the associated one
  CHECK((*fips)[0].port_id == "port-1");
  CHECK((*fips)[0].floating_ip_address == "172.24.4.10");
  {
    absl::MutexLock l(&networks.mu);
    CHECK(networks.tokens == std::vector<std::string>{"user-token", ""});
  }

  absl::StatusOr<Port> made = client->AllocatePort({.network_id = "net-1",
                                                    .project_id = "p1",
                                                    .device_id = "vm-1",
                                                    .device_owner = "compute:nova",
                                                    .host = "node-a",
                                                    .nic_index = 1,
                                                    .security_group_names = {"web"},
                                                    .fixed_ip = "10.0.0.7"});
  REQUIRE(made.ok());
  CHECK(made->id == "port-2");
  REQUIRE(client->ReleasePorts("vm-1", {"port-1"}).ok());
  absl::MutexLock l(&compute.mu);
  CHECK(compute.allocation.network_id() == "net-1");
  CHECK(compute.allocation.host() == "node-a");
  CHECK(compute.allocation.nic_index() == 1);
  REQUIRE(compute.allocation.security_group_names_size() == 1);
  CHECK(compute.allocation.security_group_names(0) == "web");
  REQUIRE(compute.allocation.fixed_ips_size() == 1);
  CHECK(compute.allocation.fixed_ips(0).ip_address() == "10.0.0.7");
  CHECK(compute.release.device_id() == "vm-1");
  REQUIRE(compute.release.keep_port_ids_size() == 1);
  CHECK(compute.release.keep_port_ids(0) == "port-1");
}

// What Nova's network proxies send: the user's token on every call, the group, rule,
// port-update and floating-IP messages with their update masks.
class ProxyServer final : public npb::Networks::Service {
 public:
  grpc::Status CreateSecurityGroup(grpc::ServerContext* ctx, const npb::SecurityGroup* req,
                                   npb::SecurityGroup* out) override {
    Seen(ctx);
    *out = *req;
    out->set_id("sg-1");
    out->set_project_id("p1");
    npb::SecurityGroupRule* r = out->add_rules();
    r->set_id("rule-0");
    r->set_direction("egress");
    r->set_port_range_min(-1);
    r->set_port_range_max(-1);
    return grpc::Status::OK;
  }
  grpc::Status CreateSecurityGroupRule(grpc::ServerContext* ctx, const npb::SecurityGroupRule* req,
                                       npb::SecurityGroupRule* out) override {
    Seen(ctx);
    *out = *req;
    out->set_id("rule-1");
    return grpc::Status::OK;
  }
  grpc::Status ListPorts(grpc::ServerContext* ctx, const npb::ListRequest* req,
                         npb::PortList* out) override {
    Seen(ctx);
    auto it = req->filters().find("device_id");
    if (it != req->filters().end() && it->second == "vm-1") out->add_ports()->set_id("port-1");
    return grpc::Status::OK;
  }
  grpc::Status UpdatePort(grpc::ServerContext* ctx, const npb::UpdatePortRequest* req,
                          npb::Port* out) override {
    Seen(ctx);
    absl::MutexLock l(&mu);
    port_update = *req;
    *out = req->port();
    return grpc::Status::OK;
  }
  grpc::Status UpdateFloatingIp(grpc::ServerContext* ctx, const npb::UpdateFloatingIpRequest* req,
                                npb::FloatingIp* out) override {
    Seen(ctx);
    absl::MutexLock l(&mu);
    fip_update = *req;
    *out = req->floating_ip();
    out->set_floating_ip_address("172.24.4.10");
    out->set_floating_network_id("public");
    return grpc::Status::OK;
  }
  grpc::Status DeleteSecurityGroup(grpc::ServerContext* ctx, const npb::Id* req,
                                   npb::Empty*) override {
    Seen(ctx);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "Security Group in use.");
  }
  void Seen(const grpc::ServerContext* ctx) {
    absl::MutexLock l(&mu);
    tokens.push_back(TokenOf(ctx));
  }
  absl::Mutex mu;
  std::vector<std::string> tokens ABSL_GUARDED_BY(mu);
  npb::UpdatePortRequest port_update ABSL_GUARDED_BY(mu);
  npb::UpdateFloatingIpRequest fip_update ABSL_GUARDED_BY(mu);
};

TEST_CASE("GrpcNetworkClient: Nova's proxies call gureum-network with the user's token") {
  ProxyServer networks;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&networks);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server);
  std::unique_ptr<NetworkClient> client =
      NewGrpcNetworkClient({.target = "127.0.0.1:" + std::to_string(port)});

  absl::StatusOr<SecurityGroup> g =
      client->CreateSecurityGroup("user-token", {.name = "web", .description = "d"});
  REQUIRE(g.ok());
  CHECK(g->id == "sg-1");
  CHECK(g->name == "web");
  CHECK(g->description == "d");
  REQUIRE(g->rules.size() == 1);
  CHECK(g->rules[0].direction == "egress");
  absl::StatusOr<SecurityGroupRule> r =
      client->CreateSecurityGroupRule("user-token", {.security_group_id = "sg-1",
                                                     .protocol = "tcp",
                                                     .port_range_min = 22,
                                                     .port_range_max = 22,
                                                     .remote_ip_prefix = "0.0.0.0/0"});
  REQUIRE(r.ok());
  CHECK(r->id == "rule-1");
  CHECK(r->direction == "ingress");
  CHECK(r->protocol == "tcp");
  CHECK(r->port_range_min == 22);
  CHECK(r->remote_ip_prefix == "0.0.0.0/0");
  absl::StatusOr<std::vector<Port>> ports = client->ListDevicePorts("user-token", "vm-1");
  REQUIRE(ports.ok());
  REQUIRE(ports->size() == 1);
  REQUIRE(client->UpdatePortSecurityGroups("user-token", "port-1", {"sg-1", "sg-2"}).ok());
  absl::StatusOr<FloatingIp> f = client->UpdateFloatingIpPort("user-token", "fip-1", "port-1", "");
  REQUIRE(f.ok());
  CHECK(f->id == "fip-1");
  CHECK(f->floating_network_id == "public");
  CHECK(client->DeleteSecurityGroup("user-token", "sg-1").code() ==
        absl::StatusCode::kFailedPrecondition);

  absl::MutexLock l(&networks.mu);
  CHECK(networks.tokens == std::vector<std::string>(6, "user-token"));
  CHECK(networks.port_update.port().id() == "port-1");
  CHECK(networks.port_update.port().security_group_ids_size() == 2);
  CHECK(networks.port_update.update_mask_size() == 1);
  CHECK(networks.port_update.update_mask(0) == "security_group_ids");
  CHECK(networks.fip_update.floating_ip().port_id() == "port-1");
  CHECK(networks.fip_update.update_mask_size() == 1);  // no fixed address: the port's first
  CHECK(networks.fip_update.update_mask(0) == "port_id");
}

}  // namespace
}  // namespace gureum::compute
