// `gureum network|subnet|port|security group|security group rule|router|floating ip ...`
// over gureum-network's gRPC API (proto/network.proto, Networks service): the registration
// of them all, and the network and subnet commands. The other resources are in
// port_commands.cc, security_group_commands.cc, router_commands.cc and
// floating_ip_commands.cc; what they share is in network_common.h.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/gureum/network_common.h"

namespace gureum::cli::netcmd {
namespace {

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

}  // namespace

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

}  // namespace gureum::cli::netcmd

namespace gureum::cli {

void AddNetworkCommands(CLI::App& app, Cli& cli) {
  using namespace netcmd;  // NOLINT
  auto args = std::make_shared<NetArgs>();
  AddNetwork(app, cli, args);
  AddSubnet(app, cli, args);
  AddPort(app, cli, args);
  AddSecurityGroup(app, cli, args);
  AddRouter(app, cli, args);
  AddFloatingIp(app, cli, args);
}

}  // namespace gureum::cli
