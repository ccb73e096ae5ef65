// `gureum port ...` over gureum-network's gRPC API.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/gureum/network_common.h"

namespace gureum::cli::netcmd {
namespace {

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

}  // namespace

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

}  // namespace gureum::cli::netcmd
