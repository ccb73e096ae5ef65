// `gureum network|subnet|port|security group|security group rule|router|floating ip ...`
// over gureum-network's gRPC API (proto/network.proto, Networks service).
//
// The endpoint: --os-network-grpc, else OS_NETWORK_GRPC, else the host of OS_AUTH_URL with
// port 19696 (gureum-network's gRPC port, ARCHITECTURE.md). Resources are named by name
// or id, as the openstack CLI does.
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/gureum/commands.h"
#include "common/status/macros.h"

#include "network.grpc.pb.h"

namespace gureum::cli {
namespace {

namespace nv1 = network::v1;
constexpr int kNetworkGrpcPort = 19696;

struct NetArgs {
  std::string endpoint;
  std::string name, target, network, subnet_range, gateway, description, fixed_ip, subnet, port;
  std::string protocol, direction = "ingress", ethertype = "IPv4", remote_ip, remote_group,
                        dst_port;
  std::string external_gateway;
  std::vector<std::string> dns, security_groups;
  bool no_dhcp = false, shared = false, external = false, ipv6 = false;
};

absl::StatusOr<std::string> NetworkEndpoint(const std::string& option, Session& s) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("OS_NETWORK_GRPC"); env != nullptr && *env != '\0') return env;
  GUREUM_ASSIGN_OR_RETURN(std::string identity, IdentityGrpcFromAuthUrl(s.settings().auth_url));
  return absl::StrCat(identity.substr(0, identity.rfind(':')), ":", kNetworkGrpcPort);
}

template <typename Req, typename Resp>
absl::StatusOr<Resp> Call(Session& s, const NetArgs& a,
                          grpc::Status (nv1::Networks::Stub::*method)(grpc::ClientContext*,
                                                                      const Req&, Resp*),
                          const Req& req) {
  GUREUM_ASSIGN_OR_RETURN(std::string ep, NetworkEndpoint(a.endpoint, s));
  GUREUM_ASSIGN_OR_RETURN(std::string token, s.Token());
  auto stub = nv1::Networks::NewStub(grpcx::MakeChannel(ep));
  Resp resp;
  GUREUM_RETURN_IF_ERROR(
      FromCliCall(grpcx::CallUnary(*stub, method, req, &resp, CliCallOptions(token)), "network", ep,
                  "--os-network-grpc"));
  return resp;
}

nv1::ListRequest ByName(const std::string& name) {
  nv1::ListRequest r;
  (*r.mutable_filters())["name"] = name;
  return r;
}

nv1::Id IdOf(const std::string& id) {
  nv1::Id r;
  r.set_id(id);
  return r;
}

// Name-or-id: the id when Get finds it, else the one resource of that name.
template <typename Item, typename List>
absl::StatusOr<std::string> Find(
    Session& s, const NetArgs& a, const std::string& what, const std::string& key,
    grpc::Status (nv1::Networks::Stub::*get)(grpc::ClientContext*, const nv1::Id&, Item*),
    grpc::Status (nv1::Networks::Stub::*list)(grpc::ClientContext*, const nv1::ListRequest&, List*),
    std::function<const google::protobuf::RepeatedPtrField<Item>&(const List&)> items) {
  if (auto got = Call(s, a, get, IdOf(key)); got.ok()) return key;
  GUREUM_ASSIGN_OR_RETURN(List found, Call(s, a, list, ByName(key)));
  const auto& v = items(found);
  if (v.empty())
    return absl::NotFoundError("No " + what + " with a name or ID of '" + key + "' exists.");
  if (v.size() > 1)
    return absl::FailedPreconditionError("More than one " + what + " exists with the name '" + key +
                                         "'.");
  return v[0].id();
}

absl::StatusOr<std::string> FindNetwork(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Network, nv1::NetworkList>(
      s, a, "network", key, &nv1::Networks::Stub::GetNetwork, &nv1::Networks::Stub::ListNetworks,
      [](const nv1::NetworkList& l) -> const auto& { return l.networks(); });
}
absl::StatusOr<std::string> FindSubnet(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Subnet, nv1::SubnetList>(
      s, a, "subnet", key, &nv1::Networks::Stub::GetSubnet, &nv1::Networks::Stub::ListSubnets,
      [](const nv1::SubnetList& l) -> const auto& { return l.subnets(); });
}
absl::StatusOr<std::string> FindPort(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Port, nv1::PortList>(
      s, a, "port", key, &nv1::Networks::Stub::GetPort, &nv1::Networks::Stub::ListPorts,
      [](const nv1::PortList& l) -> const auto& { return l.ports(); });
}
absl::StatusOr<std::string> FindGroup(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::SecurityGroup, nv1::SecurityGroupList>(
      s, a, "security group", key, &nv1::Networks::Stub::GetSecurityGroup,
      &nv1::Networks::Stub::ListSecurityGroups,
      [](const nv1::SecurityGroupList& l) -> const auto& { return l.security_groups(); });
}
absl::StatusOr<std::string> FindRouter(Session& s, const NetArgs& a, const std::string& key) {
  return Find<nv1::Router, nv1::RouterList>(
      s, a, "router", key, &nv1::Networks::Stub::GetRouter, &nv1::Networks::Stub::ListRouters,
      [](const nv1::RouterList& l) -> const auto& { return l.routers(); });
}

std::string FixedIpsText(const google::protobuf::RepeatedPtrField<nv1::FixedIp>& ips) {
  std::vector<std::string> parts;
  for (const auto& f : ips)
    parts.push_back("ip_address='" + f.ip_address() + "', subnet_id='" + f.subnet_id() + "'");
  return absl::StrJoin(parts, "\n");
}

json NetworkJson(const nv1::Network& n) {
  return {{"id", n.id()},
          {"name", n.name()},
          {"project_id", n.project_id()},
          {"status", n.status()},
          {"shared", n.shared()},
          {"router:external", n.router_external() ? "External" : "Internal"},
          {"mtu", n.mtu()},
          {"provider:network_type", n.network_type()},
          {"provider:segmentation_id", n.segmentation_id()},
          {"subnets", absl::StrJoin(n.subnet_ids(), ", ")},
          {"created_at", n.created_at()}};
}
json SubnetJson(const nv1::Subnet& x) {
  std::vector<std::string> pools;
  for (const auto& p : x.allocation_pools()) pools.push_back(p.start() + "-" + p.end());
  return {{"id", x.id()},
          {"name", x.name()},
          {"network_id", x.network_id()},
          {"cidr", x.cidr()},
          {"ip_version", x.ip_version()},
          {"gateway_ip", x.gateway_ip()},
          {"allocation_pools", absl::StrJoin(pools, ",")},
          {"enable_dhcp", x.enable_dhcp()},
          {"dns_nameservers", absl::StrJoin(x.dns_nameservers(), ", ")},
          {"project_id", x.project_id()}};
}
json PortJson(const nv1::Port& p) {
  return {{"id", p.id()},
          {"name", p.name()},
          {"network_id", p.network_id()},
          {"mac_address", p.mac_address()},
          {"fixed_ips", FixedIpsText(p.fixed_ips())},
          {"status", p.status()},
          {"device_id", p.device_id()},
          {"device_owner", p.device_owner()},
          {"security_group_ids", absl::StrJoin(p.security_group_ids(), ", ")},
          {"binding_host_id", p.binding_host()},
          {"project_id", p.project_id()}};
}
std::string RuleText(const nv1::SecurityGroupRule& r) {
  std::string ports =
      r.port_range_min() < 0 ? "" : absl::StrCat(" ", r.port_range_min(), ":", r.port_range_max());
  std::string remote = !r.remote_group_id().empty()
                           ? " group " + r.remote_group_id()
                           : (r.remote_ip_prefix().empty() ? "" : " " + r.remote_ip_prefix());
  return r.direction() + " " + r.ethertype() + " " + (r.protocol().empty() ? "any" : r.protocol()) +
         ports + remote;
}
json GroupJson(const nv1::SecurityGroup& g) {
  std::vector<std::string> rules;
  for (const auto& r : g.rules()) rules.push_back(r.id().substr(0, 8) + " " + RuleText(r));
  return {{"id", g.id()},
          {"name", g.name()},
          {"description", g.description()},
          {"project_id", g.project_id()},
          {"rules", absl::StrJoin(rules, "\n")}};
}
json RouterJson(const nv1::Router& r) {
  std::string gw;
  if (r.has_external_gateway()) {
    gw = "network_id='" + r.external_gateway().network_id() +
         "', enable_snat=" + (r.external_gateway().enable_snat() ? "True" : "False") + ", " +
         FixedIpsText(r.external_gateway().external_fixed_ips());
  }
  return {{"id", r.id()},
          {"name", r.name()},
          {"status", r.status()},
          {"external_gateway_info", gw},
          {"project_id", r.project_id()}};
}
json FipJson(const nv1::FloatingIp& f) {
  return {{"id", f.id()},
          {"floating_ip_address", f.floating_ip_address()},
          {"floating_network_id", f.floating_network_id()},
          {"port_id", f.port_id()},
          {"fixed_ip_address", f.fixed_ip_address()},
          {"router_id", f.router_id()},
          {"status", f.status()},
          {"project_id", f.project_id()}};
}

std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> k;
  for (const auto& [key, v] : j.items()) k.push_back(key);
  return k;
}

void AddNetwork(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* g = app.add_subcommand("network", "Networks (gRPC)")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a network");
  create->add_option("name", a->name, "Name")->required();
  create->add_flag("--share", a->shared, "Shared with every project (admin)");
  create->add_flag("--external", a->external, "External network for router gateways (admin)");
  create->add_option("--description", a->description, "Description");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    nv1::Network n;
    n.set_name(a->name);
    n.set_shared(a->shared);
    n.set_router_external(a->external);
    n.set_description(a->description);
    n.set_admin_state_up(true);
    n.set_port_security_enabled(true);
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateNetwork, n));
    json j = NetworkJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List networks"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto l,
                            Call(s, *a, &nv1::Networks::Stub::ListNetworks, nv1::ListRequest()));
    std::vector<json> rows;
    for (const auto& n : l.networks()) {
      rows.push_back(
          {{"ID", n.id()}, {"Name", n.name()}, {"Subnets", absl::StrJoin(n.subnet_ids(), ", ")}});
    }
    cli.List({"ID", "Name", "Subnets"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a network");
  show->add_option("network", a->target, "Network (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindNetwork(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto n, Call(s, *a, &nv1::Networks::Stub::GetNetwork, IdOf(id)));
    json j = NetworkJson(n);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a network");
  del->add_option("network", a->target, "Network (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindNetwork(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeleteNetwork, IdOf(id)).status();
  });
}

void AddSubnet(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* g = app.add_subcommand("subnet", "Subnets (gRPC)")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a subnet");
  create->add_option("name", a->name, "Name")->required();
  create->add_option("--network", a->network, "Network (name or ID)")->required();
  create->add_option("--subnet-range", a->subnet_range, "CIDR, e.g. 10.0.0.0/24")->required();
  create->add_option("--gateway", a->gateway, "Gateway address, or 'none'");
  create->add_option("--dns-nameserver", a->dns, "DNS server (repeatable)");
  create->add_flag("--no-dhcp", a->no_dhcp, "Disable DHCP");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string net, FindNetwork(s, *a, a->network));
    nv1::Subnet x;
    x.set_name(a->name);
    x.set_network_id(net);
    x.set_cidr(a->subnet_range);
    x.set_enable_dhcp(!a->no_dhcp);
    if (!a->gateway.empty()) x.set_gateway_ip(a->gateway == "none" ? "" : a->gateway);
    for (const auto& d : a->dns) x.add_dns_nameservers(d);
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateSubnet, x));
    json j = SubnetJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List subnets"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto l,
                            Call(s, *a, &nv1::Networks::Stub::ListSubnets, nv1::ListRequest()));
    std::vector<json> rows;
    for (const auto& x : l.subnets()) {
      rows.push_back(
          {{"ID", x.id()}, {"Name", x.name()}, {"Network", x.network_id()}, {"Subnet", x.cidr()}});
    }
    cli.List({"ID", "Name", "Network", "Subnet"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a subnet");
  show->add_option("subnet", a->target, "Subnet (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindSubnet(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto x, Call(s, *a, &nv1::Networks::Stub::GetSubnet, IdOf(id)));
    json j = SubnetJson(x);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a subnet");
  del->add_option("subnet", a->target, "Subnet (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindSubnet(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeleteSubnet, IdOf(id)).status();
  });
}

void AddPort(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* g = app.add_subcommand("port", "Ports (gRPC)")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a port");
  create->add_option("name", a->name, "Name")->required();
  create->add_option("--network", a->network, "Network (name or ID)")->required();
  create->add_option("--fixed-ip", a->fixed_ip,
                     "subnet=<name or ID>,ip-address=<address> (either part)");
  create->add_option("--security-group", a->security_groups, "Security group (repeatable)");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string net, FindNetwork(s, *a, a->network));
    nv1::Port p;
    p.set_name(a->name);
    p.set_network_id(net);
    p.set_admin_state_up(true);
    if (!a->fixed_ip.empty()) {
      auto* f = p.add_fixed_ips();
      for (const std::string& kv : std::vector<std::string>(absl::StrSplit(a->fixed_ip, ','))) {
        size_t eq = kv.find('=');
        if (eq == std::string::npos)
          return absl::InvalidArgumentError("--fixed-ip takes subnet=...,ip-address=...");
        std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "subnet") {
          GUREUM_ASSIGN_OR_RETURN(std::string sid, FindSubnet(s, *a, v));
          f->set_subnet_id(sid);
        } else if (k == "ip-address") {
          f->set_ip_address(v);
        } else {
          return absl::InvalidArgumentError("--fixed-ip: unknown key '" + k + "'");
        }
      }
    }
    for (const auto& sg : a->security_groups) {
      GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, sg));
      p.add_security_group_ids(id);
    }
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreatePort, p));
    json j = PortJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* list = g->add_subcommand("list", "List ports");
  list->add_option("--network", a->network, "Only ports on this network");
  OnRun(list, cli, [&cli, a](Session& s) -> absl::Status {
    nv1::ListRequest req;
    if (!a->network.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::string net, FindNetwork(s, *a, a->network));
      (*req.mutable_filters())["network_id"] = net;
    }
    GUREUM_ASSIGN_OR_RETURN(auto l, Call(s, *a, &nv1::Networks::Stub::ListPorts, req));
    std::vector<json> rows;
    for (const auto& p : l.ports()) {
      rows.push_back({{"ID", p.id()},
                      {"Name", p.name()},
                      {"MAC Address", p.mac_address()},
                      {"Fixed IP Addresses", FixedIpsText(p.fixed_ips())},
                      {"Status", p.status()}});
    }
    cli.List({"ID", "Name", "MAC Address", "Fixed IP Addresses", "Status"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a port");
  show->add_option("port", a->target, "Port (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindPort(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto p, Call(s, *a, &nv1::Networks::Stub::GetPort, IdOf(id)));
    json j = PortJson(p);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a port");
  del->add_option("port", a->target, "Port (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindPort(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeletePort, IdOf(id)).status();
  });
}

void AddSecurity(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* sec = app.add_subcommand("security", "Security groups (gRPC)")->require_subcommand(1);
  auto* g = sec->add_subcommand("group", "Security groups")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a security group");
  create->add_option("name", a->name, "Name")->required();
  create->add_option("--description", a->description, "Description");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    nv1::SecurityGroup x;
    x.set_name(a->name);
    x.set_description(a->description);
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateSecurityGroup, x));
    json j = GroupJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List security groups"), cli,
        [&cli, a](Session& s) -> absl::Status {
          GUREUM_ASSIGN_OR_RETURN(
              auto l, Call(s, *a, &nv1::Networks::Stub::ListSecurityGroups, nv1::ListRequest()));
          std::vector<json> rows;
          for (const auto& x : l.security_groups()) {
            rows.push_back({{"ID", x.id()},
                            {"Name", x.name()},
                            {"Description", x.description()},
                            {"Project", x.project_id()}});
          }
          cli.List({"ID", "Name", "Description", "Project"}, rows);
          return absl::OkStatus();
        });
  auto* show = g->add_subcommand("show", "Show a security group and its rules");
  show->add_option("group", a->target, "Security group (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto x, Call(s, *a, &nv1::Networks::Stub::GetSecurityGroup, IdOf(id)));
    json j = GroupJson(x);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a security group");
  del->add_option("group", a->target, "Security group (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeleteSecurityGroup, IdOf(id)).status();
  });
  auto* rule = g->add_subcommand("rule", "Security group rules")->require_subcommand(1);
  auto* rcreate = rule->add_subcommand("create", "Create a rule");
  rcreate->add_option("group", a->target, "Security group (name or ID)")->required();
  rcreate->add_option("--protocol", a->protocol, "tcp, udp, icmp, any or a number");
  rcreate->add_option("--dst-port", a->dst_port, "Port or range min:max");
  rcreate->add_option("--remote-ip", a->remote_ip, "Remote CIDR");
  rcreate->add_option("--remote-group", a->remote_group, "Remote security group (name or ID)");
  rcreate->add_flag("--egress{egress}", a->direction, "Egress rule (default ingress)");
  rcreate->add_option("--ethertype", a->ethertype, "IPv4 or IPv6");
  OnRun(rcreate, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindGroup(s, *a, a->target));
    nv1::SecurityGroupRule r;
    r.set_security_group_id(id);
    r.set_direction(a->direction.empty() ? "ingress" : a->direction);
    r.set_ethertype(a->ethertype);
    r.set_protocol(a->protocol);
    r.set_port_range_min(-1);
    r.set_port_range_max(-1);
    if (!a->dst_port.empty()) {
      size_t colon = a->dst_port.find(':');
      try {
        r.set_port_range_min(std::stoi(a->dst_port.substr(0, colon)));
        r.set_port_range_max(colon == std::string::npos ? r.port_range_min()
                                                        : std::stoi(a->dst_port.substr(colon + 1)));
      } catch (...) {
        return absl::InvalidArgumentError("--dst-port takes a port or min:max, got '" +
                                          a->dst_port + "'");
      }
    }
    r.set_remote_ip_prefix(a->remote_ip);
    if (!a->remote_group.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::string rg, FindGroup(s, *a, a->remote_group));
      r.set_remote_group_id(rg);
    }
    GUREUM_ASSIGN_OR_RETURN(auto made,
                            Call(s, *a, &nv1::Networks::Stub::CreateSecurityGroupRule, r));
    json j = {{"id", made.id()},
              {"security_group_id", made.security_group_id()},
              {"rule", RuleText(made)}};
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* rdel = rule->add_subcommand("delete", "Delete a rule");
  rdel->add_option("rule", a->target, "Rule ID")->required();
  OnRun(rdel, cli, [a](Session& s) -> absl::Status {
    return Call(s, *a, &nv1::Networks::Stub::DeleteSecurityGroupRule, IdOf(a->target)).status();
  });
}

void AddRouter(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* g = app.add_subcommand("router", "Routers (gRPC)")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Create a router");
  create->add_option("name", a->name, "Name")->required();
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    nv1::Router r;
    r.set_name(a->name);
    r.set_admin_state_up(true);
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateRouter, r));
    json j = RouterJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List routers"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto l,
                            Call(s, *a, &nv1::Networks::Stub::ListRouters, nv1::ListRequest()));
    std::vector<json> rows;
    for (const auto& r : l.routers())
      rows.push_back({{"ID", r.id()}, {"Name", r.name()}, {"Status", r.status()}});
    cli.List({"ID", "Name", "Status"}, rows);
    return absl::OkStatus();
  });
  auto* show = g->add_subcommand("show", "Show a router");
  show->add_option("router", a->target, "Router (name or ID)")->required();
  OnRun(show, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindRouter(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(auto r, Call(s, *a, &nv1::Networks::Stub::GetRouter, IdOf(id)));
    json j = RouterJson(r);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Delete a router");
  del->add_option("router", a->target, "Router (name or ID)")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string id, FindRouter(s, *a, a->target));
    return Call(s, *a, &nv1::Networks::Stub::DeleteRouter, IdOf(id)).status();
  });
  for (bool add : {true, false}) {
    auto* verb =
        g->add_subcommand(add ? "add" : "remove", add ? "Add an interface" : "Remove an interface")
            ->require_subcommand(1);
    auto* sub = verb->add_subcommand("subnet", "An interface on a subnet");
    sub->add_option("router", a->target, "Router (name or ID)")->required();
    sub->add_option("subnet", a->subnet, "Subnet (name or ID)")->required();
    OnRun(sub, cli, [a, add](Session& s) -> absl::Status {
      nv1::RouterInterfaceRequest req;
      GUREUM_ASSIGN_OR_RETURN(std::string rid, FindRouter(s, *a, a->target));
      GUREUM_ASSIGN_OR_RETURN(std::string sid, FindSubnet(s, *a, a->subnet));
      req.set_router_id(rid);
      req.set_subnet_id(sid);
      return Call(s, *a,
                  add ? &nv1::Networks::Stub::AddRouterInterface
                      : &nv1::Networks::Stub::RemoveRouterInterface,
                  req)
          .status();
    });
  }
  auto* set = g->add_subcommand("set", "Set a router's external gateway");
  set->add_option("router", a->target, "Router (name or ID)")->required();
  set->add_option("--external-gateway", a->external_gateway, "External network (name or ID)")
      ->required();
  OnRun(set, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string rid, FindRouter(s, *a, a->target));
    GUREUM_ASSIGN_OR_RETURN(std::string net, FindNetwork(s, *a, a->external_gateway));
    nv1::UpdateRouterRequest req;
    req.mutable_router()->set_id(rid);
    req.mutable_router()->mutable_external_gateway()->set_network_id(net);
    req.mutable_router()->mutable_external_gateway()->set_enable_snat(true);
    req.add_update_mask("external_gateway");
    GUREUM_ASSIGN_OR_RETURN(auto r, Call(s, *a, &nv1::Networks::Stub::UpdateRouter, req));
    json j = RouterJson(r);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
}

void AddFloatingIp(CLI::App& app, Cli& cli, std::shared_ptr<NetArgs> a) {
  auto* floating = app.add_subcommand("floating", "Floating IPs (gRPC)")->require_subcommand(1);
  auto* g = floating->add_subcommand("ip", "Floating IPs")->require_subcommand(1);
  g->add_option("--os-network-grpc", a->endpoint, "gureum-network's gRPC API, host:port");
  auto* create = g->add_subcommand("create", "Allocate a floating IP");
  create->add_option("network", a->network, "External network (name or ID)")->required();
  create->add_option("--port", a->port, "Associate with this port (name or ID)");
  OnRun(create, cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::string net, FindNetwork(s, *a, a->network));
    nv1::FloatingIp f;
    f.set_floating_network_id(net);
    if (!a->port.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::string pid, FindPort(s, *a, a->port));
      f.set_port_id(pid);
    }
    GUREUM_ASSIGN_OR_RETURN(auto made, Call(s, *a, &nv1::Networks::Stub::CreateFloatingIp, f));
    json j = FipJson(made);
    cli.Show(Keys(j), j);
    return absl::OkStatus();
  });
  OnRun(g->add_subcommand("list", "List floating IPs"), cli, [&cli, a](Session& s) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto l,
                            Call(s, *a, &nv1::Networks::Stub::ListFloatingIps, nv1::ListRequest()));
    std::vector<json> rows;
    for (const auto& f : l.floating_ips()) {
      rows.push_back({{"ID", f.id()},
                      {"Floating IP Address", f.floating_ip_address()},
                      {"Fixed IP Address", f.fixed_ip_address()},
                      {"Port", f.port_id()}});
    }
    cli.List({"ID", "Floating IP Address", "Fixed IP Address", "Port"}, rows);
    return absl::OkStatus();
  });
  auto* del = g->add_subcommand("delete", "Release a floating IP");
  del->add_option("id", a->target, "Floating IP ID")->required();
  OnRun(del, cli, [a](Session& s) -> absl::Status {
    return Call(s, *a, &nv1::Networks::Stub::DeleteFloatingIp, IdOf(a->target)).status();
  });
}

}  // namespace

void AddNetworkCommands(CLI::App& app, Cli& cli) {
  auto args = std::make_shared<NetArgs>();
  AddNetwork(app, cli, args);
  AddSubnet(app, cli, args);
  AddPort(app, cli, args);
  AddSecurity(app, cli, args);
  AddRouter(app, cli, args);
  AddFloatingIp(app, cli, args);
}

}  // namespace gureum::cli
