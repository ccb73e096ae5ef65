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

SecurityGroupRule RuleFromProto(const npb::SecurityGroupRule& r) {
  return {.id = r.id(),
          .security_group_id = r.security_group_id(),
          .project_id = r.project_id(),
          .direction = r.direction(),
          .ethertype = r.ethertype(),
          .protocol = r.protocol(),
          .port_range_min = r.port_range_min(),
          .port_range_max = r.port_range_max(),
          .remote_ip_prefix = r.remote_ip_prefix(),
          .remote_group_id = r.remote_group_id()};
}

SecurityGroup GroupFromProto(const npb::SecurityGroup& g) {
  SecurityGroup out{
      .id = g.id(), .name = g.name(), .project_id = g.project_id(), .description = g.description()};
  for (const npb::SecurityGroupRule& r : g.rules()) out.rules.push_back(RuleFromProto(r));
  return out;
}

FloatingIp FloatingIpFromProto(const npb::FloatingIp& f) {
  return {.port_id = f.port_id(),
          .fixed_ip_address = f.fixed_ip_address(),
          .floating_ip_address = f.floating_ip_address(),
          .id = f.id(),
          .project_id = f.project_id(),
          .floating_network_id = f.floating_network_id()};
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
      if (!f.port_id().empty()) out.push_back(FloatingIpFromProto(f));
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
      out.push_back(GroupFromProto(g));
    }
    return out;
  }

  absl::StatusOr<SecurityGroup> GetSecurityGroup(const std::string& token,
                                                 const std::string& id) override {
    GUREUM_ASSIGN_OR_RETURN(npb::SecurityGroup g,
                            Get<npb::SecurityGroup>(token, id, &Stub::GetSecurityGroup));
    return GroupFromProto(g);
  }

  absl::StatusOr<SecurityGroup> CreateSecurityGroup(const std::string& token,
                                                    const SecurityGroup& group) override {
    npb::SecurityGroup req;
    req.set_name(group.name);
    req.set_description(group.description);
    npb::SecurityGroup out;
    GUREUM_RETURN_IF_ERROR(Call(token, [&](grpc::ClientContext& c) {
      return networks_->CreateSecurityGroup(&c, req, &out);
    }));
    return GroupFromProto(out);
  }

  absl::StatusOr<SecurityGroup> UpdateSecurityGroup(const std::string& token,
                                                    const SecurityGroup& group) override {
    npb::UpdateSecurityGroupRequest req;
    req.mutable_security_group()->set_id(group.id);
    req.mutable_security_group()->set_name(group.name);
    req.mutable_security_group()->set_description(group.description);
    req.add_update_mask("name");
    req.add_update_mask("description");
    npb::SecurityGroup out;
    GUREUM_RETURN_IF_ERROR(Call(token, [&](grpc::ClientContext& c) {
      return networks_->UpdateSecurityGroup(&c, req, &out);
    }));
    return GroupFromProto(out);
  }

  absl::Status DeleteSecurityGroup(const std::string& token, const std::string& id) override {
    return Delete(token, id, &Stub::DeleteSecurityGroup);
  }

  absl::StatusOr<SecurityGroupRule> CreateSecurityGroupRule(
      const std::string& token, const SecurityGroupRule& rule) override {
    npb::SecurityGroupRule req;
    req.set_security_group_id(rule.security_group_id);
    req.set_direction(rule.direction);
    req.set_ethertype(rule.ethertype);
    req.set_protocol(rule.protocol);
    req.set_port_range_min(rule.port_range_min);
    req.set_port_range_max(rule.port_range_max);
    req.set_remote_ip_prefix(rule.remote_ip_prefix);
    req.set_remote_group_id(rule.remote_group_id);
    npb::SecurityGroupRule out;
    GUREUM_RETURN_IF_ERROR(Call(token, [&](grpc::ClientContext& c) {
      return networks_->CreateSecurityGroupRule(&c, req, &out);
    }));
    return RuleFromProto(out);
  }

  absl::Status DeleteSecurityGroupRule(const std::string& token, const std::string& id) override {
    return Delete(token, id, &Stub::DeleteSecurityGroupRule);
  }

  absl::StatusOr<std::vector<Port>> ListDevicePorts(const std::string& token,
                                                    const std::string& device_id) override {
    npb::ListRequest req;
    (*req.mutable_filters())["device_id"] = device_id;
    npb::PortList list;
    GUREUM_RETURN_IF_ERROR(
        Call(token, [&](grpc::ClientContext& c) { return networks_->ListPorts(&c, req, &list); }));
    std::vector<Port> out;
    for (const npb::Port& p : list.ports()) out.push_back(PortFromProto(p));
    return out;
  }

  absl::StatusOr<Port> UpdatePortSecurityGroups(
      const std::string& token, const std::string& port_id,
      const std::vector<std::string>& security_group_ids) override {
    npb::UpdatePortRequest req;
    req.mutable_port()->set_id(port_id);
    for (const std::string& g : security_group_ids) req.mutable_port()->add_security_group_ids(g);
    req.add_update_mask("security_group_ids");
    npb::Port out;
    GUREUM_RETURN_IF_ERROR(
        Call(token, [&](grpc::ClientContext& c) { return networks_->UpdatePort(&c, req, &out); }));
    return PortFromProto(out);
  }

  absl::StatusOr<std::vector<FloatingIp>> ListAllFloatingIps(const std::string& token) override {
    npb::FloatingIpList list;
    GUREUM_RETURN_IF_ERROR(Call(
        token, [&](grpc::ClientContext& c) { return networks_->ListFloatingIps(&c, {}, &list); }));
    std::vector<FloatingIp> out;
    for (const npb::FloatingIp& f : list.floating_ips()) out.push_back(FloatingIpFromProto(f));
    return out;
  }

  absl::StatusOr<FloatingIp> GetFloatingIp(const std::string& token,
                                           const std::string& id) override {
    GUREUM_ASSIGN_OR_RETURN(npb::FloatingIp f,
                            Get<npb::FloatingIp>(token, id, &Stub::GetFloatingIp));
    return FloatingIpFromProto(f);
  }

  absl::StatusOr<FloatingIp> CreateFloatingIp(const std::string& token,
                                              const std::string& network_id) override {
    npb::FloatingIp req;
    req.set_floating_network_id(network_id);
    npb::FloatingIp out;
    GUREUM_RETURN_IF_ERROR(Call(
        token, [&](grpc::ClientContext& c) { return networks_->CreateFloatingIp(&c, req, &out); }));
    return FloatingIpFromProto(out);
  }

  absl::StatusOr<FloatingIp> UpdateFloatingIpPort(const std::string& token, const std::string& id,
                                                  const std::string& port_id,
                                                  const std::string& fixed_ip_address) override {
    npb::UpdateFloatingIpRequest req;
    req.mutable_floating_ip()->set_id(id);
    req.mutable_floating_ip()->set_port_id(port_id);
    req.mutable_floating_ip()->set_fixed_ip_address(fixed_ip_address);
    req.add_update_mask("port_id");
    if (!fixed_ip_address.empty()) req.add_update_mask("fixed_ip_address");
    npb::FloatingIp out;
    GUREUM_RETURN_IF_ERROR(Call(
        token, [&](grpc::ClientContext& c) { return networks_->UpdateFloatingIp(&c, req, &out); }));
    return FloatingIpFromProto(out);
  }

  absl::Status DeleteFloatingIp(const std::string& token, const std::string& id) override {
    return Delete(token, id, &Stub::DeleteFloatingIp);
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

  template <typename Method>
  absl::Status Delete(const std::string& token, const std::string& id, Method method) {
    npb::Id req;
    req.set_id(id);
    npb::Empty out;
    return Call(token,
                [&](grpc::ClientContext& c) { return ((*networks_).*method)(&c, req, &out); });
  }

  // One call with the user's `token`.
  absl::Status Call(const std::string& token,
                    const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
    return CallAs(options_, token, options_.timeout, attempt);
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
