// GrpcNetworkClient: NetworkClient over gureum.network.v1's Networks and
// ComputeNetworking services; the only place in compute where network.proto's messages
// meet our model types.
#include <grpcpp/grpcpp.h>

#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "compute/clients/grpc_call.h"
#include "compute/clients/network_client.h"

#include "network.grpc.pb.h"

namespace gureum::compute {
namespace {

namespace npb = ::gureum::network::v1;

Network NetworkFromProto(const npb::Network& n) {
  return {.id = n.id(),
          .name = n.name(),
          .project_id = n.project_id(),
          .shared = n.shared(),
          .router_external = n.router_external()};
}

Subnet SubnetFromProto(const npb::Subnet& s) {
  return {.id = s.id(),
          .network_id = s.network_id(),
          .cidr = s.cidr(),
          .gateway_ip = s.gateway_ip(),
          .ip_version = s.ip_version()};
}

Port PortFromProto(const npb::Port& p) {
  Port out{.id = p.id(),
           .network_id = p.network_id(),
           .project_id = p.project_id(),
           .device_id = p.device_id(),
           .device_owner = p.device_owner(),
           .mac_address = p.mac_address(),
           .status = p.status(),
           .security_group_ids = {p.security_group_ids().begin(), p.security_group_ids().end()},
           .binding_host = p.binding_host(),
           .vif_type = p.vif_type(),
           .bridge_name = p.bridge_name(),
           .tap_name = p.tap_name(),
           .mtu = p.mtu()};
  for (const npb::FixedIp& f : p.fixed_ips()) {
    out.fixed_ips.push_back({.subnet_id = f.subnet_id(), .ip_address = f.ip_address()});
  }
  return out;
}

npb::AllocatePortRequest AllocationToProto(const PortAllocation& a) {
  npb::AllocatePortRequest req;
  req.set_network_id(a.network_id);
  req.set_project_id(a.project_id);
  req.set_device_id(a.device_id);
  req.set_device_owner(a.device_owner);
  req.set_host(a.host);
  req.set_nic_index(a.nic_index);
  for (const std::string& g : a.security_group_names) req.add_security_group_names(g);
  if (!a.fixed_ip.empty()) req.add_fixed_ips()->set_ip_address(a.fixed_ip);
  return req;
}

class GrpcNetworkClient final : public NetworkClient {
 public:
  explicit GrpcNetworkClient(GrpcClientOptions options)
      : options_(std::move(options)),
        channel_(grpcx::MakeChannel(options_.target)),
        networks_(npb::Networks::NewStub(channel_)),
        compute_(npb::ComputeNetworking::NewStub(channel_)) {}

  absl::StatusOr<Network> GetNetwork(const std::string& token, const std::string& id) override {
    GUREUM_ASSIGN_OR_RETURN(npb::Network n, Get<npb::Network>(token, id, &Stub::GetNetwork));
    return NetworkFromProto(n);
  }
  absl::StatusOr<Port> GetPort(const std::string& token, const std::string& id) override {
    GUREUM_ASSIGN_OR_RETURN(npb::Port p, Get<npb::Port>(token, id, &Stub::GetPort));
    return PortFromProto(p);
  }
  absl::StatusOr<Subnet> GetSubnet(const std::string& token, const std::string& id) override {
    GUREUM_ASSIGN_OR_RETURN(npb::Subnet s, Get<npb::Subnet>(token, id, &Stub::GetSubnet));
    return SubnetFromProto(s);
  }

  absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& token) override {
    npb::NetworkList list;
    GUREUM_RETURN_IF_ERROR(CallAs(options_, token, options_.timeout, [&](grpc::ClientContext& c) {
      return networks_->ListNetworks(&c, {}, &list);
    }));
    std::vector<Network> out;
    for (const npb::Network& n : list.networks()) out.push_back(NetworkFromProto(n));
    return out;
  }

  absl::StatusOr<std::vector<FloatingIp>> ListFloatingIps(const std::string& token) override {
    npb::FloatingIpList list;
    // Shorter: a list of servers waits for it, and shows them without it when it fails.
    GUREUM_RETURN_IF_ERROR(
        CallAs(options_, token, std::min(options_.timeout, absl::Seconds(5)),
               [&](grpc::ClientContext& c) { return networks_->ListFloatingIps(&c, {}, &list); }));
    std::vector<FloatingIp> out;
    for (const npb::FloatingIp& f : list.floating_ips()) {
      if (f.port_id().empty()) continue;
      out.push_back({.port_id = f.port_id(),
                     .fixed_ip_address = f.fixed_ip_address(),
                     .floating_ip_address = f.floating_ip_address()});
    }
    return out;
  }

  absl::StatusOr<std::vector<SecurityGroup>> ListSecurityGroups(
      const std::string& token, const std::string& project_id) override {
    npb::ListRequest req;
    req.set_project_id(project_id);
    npb::SecurityGroupList list;
    GUREUM_RETURN_IF_ERROR(CallAs(options_, token, options_.timeout, [&](grpc::ClientContext& c) {
      return networks_->ListSecurityGroups(&c, req, &list);
    }));
    std::vector<SecurityGroup> out;
    for (const npb::SecurityGroup& g : list.security_groups()) {
      out.push_back({.id = g.id(), .name = g.name(), .project_id = g.project_id()});
    }
    return out;
  }

  absl::StatusOr<Port> AllocatePort(const PortAllocation& request) override {
    const npb::AllocatePortRequest req = AllocationToProto(request);
    npb::Port out;
    GUREUM_RETURN_IF_ERROR(
        AsService([&](grpc::ClientContext& c) { return compute_->AllocatePort(&c, req, &out); }));
    return PortFromProto(out);
  }

  absl::StatusOr<Port> BindPort(const PortBinding& request) override {
    npb::BindPortRequest req;
    req.set_port_id(request.port_id);
    req.set_project_id(request.project_id);
    req.set_device_id(request.device_id);
    req.set_device_owner(request.device_owner);
    req.set_host(request.host);
    npb::Port out;
    GUREUM_RETURN_IF_ERROR(
        AsService([&](grpc::ClientContext& c) { return compute_->BindPort(&c, req, &out); }));
    return PortFromProto(out);
  }

  absl::Status ReleasePorts(const std::string& device_id,
                            const std::vector<std::string>& keep_port_ids) override {
    npb::ReleasePortsRequest req;
    req.set_device_id(device_id);
    for (const std::string& id : keep_port_ids) req.add_keep_port_ids(id);
    npb::Empty out;
    return AsService([&](grpc::ClientContext& c) { return compute_->ReleasePorts(&c, req, &out); });
  }

 private:
  using Stub = npb::Networks::Stub;

  template <typename T, typename Method>
  absl::StatusOr<T> Get(const std::string& token, const std::string& id, Method method) {
    npb::Id req;
    req.set_id(id);
    T out;
    GUREUM_RETURN_IF_ERROR(CallAs(options_, token, options_.timeout, [&](grpc::ClientContext& c) {
      return ((*networks_).*method)(&c, req, &out);
    }));
    return out;
  }

  absl::Status AsService(const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
    return CallAs(options_, kAsService, options_.timeout, attempt);
  }

  const GrpcClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<npb::Networks::Stub> networks_;
  std::unique_ptr<npb::ComputeNetworking::Stub> compute_;
};

}  // namespace

std::unique_ptr<NetworkClient> NewGrpcNetworkClient(const GrpcClientOptions& options) {
  return std::make_unique<GrpcNetworkClient>(options);
}

}  // namespace gureum::compute
