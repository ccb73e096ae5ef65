#include "network/server/network_service.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "common/status/macros.h"

namespace gureum::network {
namespace {

// Fields of `msg` whose value differs from the default: what a Create was given.
Fields NonDefault(const google::protobuf::Message& msg) {
  Fields f;
  std::vector<const google::protobuf::FieldDescriptor*> set;
  msg.GetReflection()->ListFields(msg, &set);
  for (const auto* d : set) f.insert(d->name());
  return f;
}

// update_mask names: proto field names, or Neutron's attribute names.
Fields Mask(const google::protobuf::RepeatedPtrField<std::string>& mask) {
  static const std::map<std::string, std::string> kAlias = {
      {"router:external", "router_external"},
      {"binding:host_id", "binding_host"},
      {"security_groups", "security_group_ids"},
      {"external_gateway_info", "external_gateway"}};
  Fields f;
  for (const auto& m : mask) {
    auto it = kAlias.find(m);
    f.insert(it == kAlias.end() ? m : it->second);
  }
  return f;
}

Filters ToFilters(const v1::ListRequest& r) {
  Filters f;
  for (const auto& [k, v] : r.filters()) f[k].push_back(v);
  if (!r.project_id().empty()) f["project_id"].push_back(r.project_id());
  return f;
}

template <typename T, typename List, typename Fn>
absl::Status FillList(absl::StatusOr<std::vector<T>> items, List* out, Fn add) {
  if (!items.ok()) return items.status();
  for (const auto& i : *items) *add(out) = i;
  return absl::OkStatus();
}

template <typename T>
absl::Status Assign(absl::StatusOr<T> v, T* out) {
  if (!v.ok()) return v.status();
  *out = *std::move(v);
  return absl::OkStatus();
}

void ToInfo(const RouterInterface& i, v1::RouterInterfaceInfo* out) {
  out->set_id(i.router_id);
  out->set_subnet_id(i.subnet_id);
  out->set_port_id(i.port_id);
  out->set_project_id(i.project_id);
}

}  // namespace

#define CALL(name, expr)                   \
  grpcx::ServerCall call(ctx, env_, name); \
  if (!call.ok()) return call.Finish();    \
  const Caller& c = call.caller();         \
  return call.Finish([&]() -> absl::Status { return expr; }())

using Ctx = grpc::ServerContext;

grpc::Status NetworksService::CreateNetwork(Ctx* ctx, const v1::Network* r, v1::Network* out) {
  CALL("CreateNetwork", Assign(m_.networks().CreateNetwork(c, *r, NonDefault(*r)), out));
}
grpc::Status NetworksService::GetNetwork(Ctx* ctx, const v1::Id* r, v1::Network* out) {
  CALL("GetNetwork", Assign(m_.networks().GetNetwork(c, r->id()), out));
}
grpc::Status NetworksService::ListNetworks(Ctx* ctx, const v1::ListRequest* r,
                                           v1::NetworkList* out) {
  CALL("ListNetworks", FillList(m_.networks().ListNetworks(c, ToFilters(*r)), out,
                                [](auto* o) { return o->add_networks(); }));
}
grpc::Status NetworksService::UpdateNetwork(Ctx* ctx, const v1::UpdateNetworkRequest* r,
                                            v1::Network* out) {
  CALL("UpdateNetwork",
       Assign(m_.networks().UpdateNetwork(c, r->network(), Mask(r->update_mask())), out));
}
grpc::Status NetworksService::DeleteNetwork(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeleteNetwork", m_.networks().DeleteNetwork(c, r->id()));
}

grpc::Status NetworksService::CreateSubnet(Ctx* ctx, const v1::Subnet* r, v1::Subnet* out) {
  Fields given = NonDefault(*r);
  given.insert("enable_dhcp");  // gRPC callers say what they want: false is no DHCP
  CALL("CreateSubnet", Assign(m_.networks().CreateSubnet(c, *r, given), out));
}
grpc::Status NetworksService::GetSubnet(Ctx* ctx, const v1::Id* r, v1::Subnet* out) {
  CALL("GetSubnet", Assign(m_.networks().GetSubnet(c, r->id()), out));
}
grpc::Status NetworksService::ListSubnets(Ctx* ctx, const v1::ListRequest* r, v1::SubnetList* out) {
  CALL("ListSubnets", FillList(m_.networks().ListSubnets(c, ToFilters(*r)), out,
                               [](auto* o) { return o->add_subnets(); }));
}
grpc::Status NetworksService::UpdateSubnet(Ctx* ctx, const v1::UpdateSubnetRequest* r,
                                           v1::Subnet* out) {
  CALL("UpdateSubnet",
       Assign(m_.networks().UpdateSubnet(c, r->subnet(), Mask(r->update_mask())), out));
}
grpc::Status NetworksService::DeleteSubnet(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeleteSubnet", m_.networks().DeleteSubnet(c, r->id()));
}

grpc::Status NetworksService::CreatePort(Ctx* ctx, const v1::Port* r, v1::Port* out) {
  Fields given = NonDefault(*r);
  CALL("CreatePort", Assign(m_.ports().CreatePort(c, *r, given), out));
}
grpc::Status NetworksService::GetPort(Ctx* ctx, const v1::Id* r, v1::Port* out) {
  CALL("GetPort", Assign(m_.ports().GetPort(c, r->id()), out));
}
grpc::Status NetworksService::ListPorts(Ctx* ctx, const v1::ListRequest* r, v1::PortList* out) {
  CALL("ListPorts", FillList(m_.ports().ListPorts(c, ToFilters(*r)), out,
                             [](auto* o) { return o->add_ports(); }));
}
grpc::Status NetworksService::UpdatePort(Ctx* ctx, const v1::UpdatePortRequest* r, v1::Port* out) {
  CALL("UpdatePort", Assign(m_.ports().UpdatePort(c, r->port(), Mask(r->update_mask())), out));
}
grpc::Status NetworksService::DeletePort(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeletePort", m_.ports().DeletePort(c, r->id()));
}

grpc::Status NetworksService::CreateSecurityGroup(Ctx* ctx, const v1::SecurityGroup* r,
                                                  v1::SecurityGroup* out) {
  CALL("CreateSecurityGroup", Assign(m_.security_groups().CreateSecurityGroup(c, *r), out));
}
grpc::Status NetworksService::GetSecurityGroup(Ctx* ctx, const v1::Id* r, v1::SecurityGroup* out) {
  CALL("GetSecurityGroup", Assign(m_.security_groups().GetSecurityGroup(c, r->id()), out));
}
grpc::Status NetworksService::ListSecurityGroups(Ctx* ctx, const v1::ListRequest* r,
                                                 v1::SecurityGroupList* out) {
  CALL("ListSecurityGroups", FillList(m_.security_groups().ListSecurityGroups(c, ToFilters(*r)),
                                      out, [](auto* o) { return o->add_security_groups(); }));
}
grpc::Status NetworksService::UpdateSecurityGroup(Ctx* ctx, const v1::UpdateSecurityGroupRequest* r,
                                                  v1::SecurityGroup* out) {
  CALL("UpdateSecurityGroup", Assign(m_.security_groups().UpdateSecurityGroup(
                                         c, r->security_group(), Mask(r->update_mask())),
                                     out));
}
grpc::Status NetworksService::DeleteSecurityGroup(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeleteSecurityGroup", m_.security_groups().DeleteSecurityGroup(c, r->id()));
}
grpc::Status NetworksService::CreateSecurityGroupRule(Ctx* ctx, const v1::SecurityGroupRule* r,
                                                      v1::SecurityGroupRule* out) {
  // -1 and 0 both read as "any" port bound from gRPC callers; a real range is > 0.
  Fields given = NonDefault(*r);
  const bool icmp =
      r->protocol() == "icmp" || r->protocol() == "icmpv6" || r->protocol() == "ipv6-icmp";
  if (r->port_range_min() <= 0 && !icmp) given.erase("port_range_min");
  if (r->port_range_max() <= 0 && !icmp) given.erase("port_range_max");
  CALL("CreateSecurityGroupRule",
       Assign(m_.security_groups().CreateSecurityGroupRule(c, *r, given), out));
}
grpc::Status NetworksService::DeleteSecurityGroupRule(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeleteSecurityGroupRule", m_.security_groups().DeleteSecurityGroupRule(c, r->id()));
}

grpc::Status NetworksService::CreateRouter(Ctx* ctx, const v1::Router* r, v1::Router* out) {
  Fields given = NonDefault(*r);
  given.insert("enable_snat");
  CALL("CreateRouter", Assign(m_.routers().CreateRouter(c, *r, given), out));
}
grpc::Status NetworksService::GetRouter(Ctx* ctx, const v1::Id* r, v1::Router* out) {
  CALL("GetRouter", Assign(m_.routers().GetRouter(c, r->id()), out));
}
grpc::Status NetworksService::ListRouters(Ctx* ctx, const v1::ListRequest* r, v1::RouterList* out) {
  CALL("ListRouters", FillList(m_.routers().ListRouters(c, ToFilters(*r)), out,
                               [](auto* o) { return o->add_routers(); }));
}
grpc::Status NetworksService::UpdateRouter(Ctx* ctx, const v1::UpdateRouterRequest* r,
                                           v1::Router* out) {
  Fields given = Mask(r->update_mask());
  given.insert("enable_snat");
  CALL("UpdateRouter", Assign(m_.routers().UpdateRouter(c, r->router(), given), out));
}
grpc::Status NetworksService::DeleteRouter(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeleteRouter", m_.routers().DeleteRouter(c, r->id()));
}
grpc::Status NetworksService::AddRouterInterface(Ctx* ctx, const v1::RouterInterfaceRequest* r,
                                                 v1::RouterInterfaceInfo* out) {
  CALL("AddRouterInterface", [&]() -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        RouterInterface i,
        m_.routers().AddRouterInterface(c, r->router_id(), r->subnet_id(), r->port_id()));
    ToInfo(i, out);
    return absl::OkStatus();
  }());
}
grpc::Status NetworksService::RemoveRouterInterface(Ctx* ctx, const v1::RouterInterfaceRequest* r,
                                                    v1::RouterInterfaceInfo* out) {
  CALL("RemoveRouterInterface", [&]() -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        RouterInterface i,
        m_.routers().RemoveRouterInterface(c, r->router_id(), r->subnet_id(), r->port_id()));
    ToInfo(i, out);
    return absl::OkStatus();
  }());
}

grpc::Status NetworksService::CreateFloatingIp(Ctx* ctx, const v1::FloatingIp* r,
                                               v1::FloatingIp* out) {
  CALL("CreateFloatingIp", Assign(m_.floating_ips().CreateFloatingIp(c, *r, NonDefault(*r)), out));
}
grpc::Status NetworksService::GetFloatingIp(Ctx* ctx, const v1::Id* r, v1::FloatingIp* out) {
  CALL("GetFloatingIp", Assign(m_.floating_ips().GetFloatingIp(c, r->id()), out));
}
grpc::Status NetworksService::ListFloatingIps(Ctx* ctx, const v1::ListRequest* r,
                                              v1::FloatingIpList* out) {
  CALL("ListFloatingIps", FillList(m_.floating_ips().ListFloatingIps(c, ToFilters(*r)), out,
                                   [](auto* o) { return o->add_floating_ips(); }));
}
grpc::Status NetworksService::UpdateFloatingIp(Ctx* ctx, const v1::UpdateFloatingIpRequest* r,
                                               v1::FloatingIp* out) {
  CALL(
      "UpdateFloatingIp",
      Assign(m_.floating_ips().UpdateFloatingIp(c, r->floating_ip(), Mask(r->update_mask())), out));
}
grpc::Status NetworksService::DeleteFloatingIp(Ctx* ctx, const v1::Id* r, v1::Empty*) {
  CALL("DeleteFloatingIp", m_.floating_ips().DeleteFloatingIp(c, r->id()));
}

grpc::Status ComputeNetworkingService::AllocatePort(Ctx* ctx, const v1::AllocatePortRequest* r,
                                                    v1::Port* out) {
  CALL("AllocatePort", Assign(m_.compute_ports().AllocatePort(c, *r), out));
}
grpc::Status ComputeNetworkingService::BindPort(Ctx* ctx, const v1::BindPortRequest* r,
                                                v1::Port* out) {
  CALL("BindPort", Assign(m_.compute_ports().BindPort(c, *r), out));
}
grpc::Status ComputeNetworkingService::ReleasePorts(Ctx* ctx, const v1::ReleasePortsRequest* r,
                                                    v1::Empty*) {
  CALL("ReleasePorts", m_.compute_ports().ReleasePorts(c, *r));
}

grpc::Status NetworkAgentsService::ReportAgent(Ctx* ctx, const v1::AgentReport* r, v1::Empty*) {
  CALL("ReportAgent", m_.agents().ReportAgent(c, *r));
}
grpc::Status NetworkAgentsService::GetHostState(Ctx* ctx, const v1::HostRequest* r,
                                                v1::HostState* out) {
  CALL("GetHostState", Assign(m_.agents().GetHostState(c, r->host()), out));
}
grpc::Status NetworkAgentsService::UpdatePortStatus(Ctx* ctx, const v1::PortStatusUpdate* r,
                                                    v1::Empty*) {
  CALL("UpdatePortStatus", m_.agents().UpdatePortStatus(c, *r));
}
grpc::Status NetworkAgentsService::ListAgents(Ctx* ctx, const v1::ListRequest* r,
                                              v1::AgentList* out) {
  CALL("ListAgents", FillList(m_.agents().ListAgents(c, ToFilters(*r)), out,
                              [](auto* o) { return o->add_agents(); }));
}

}  // namespace gureum::network
