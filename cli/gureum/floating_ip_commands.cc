// `gureum floating ip ...` over gureum-network's gRPC API.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/gureum/network_common.h"

namespace gureum::cli::netcmd {
namespace {

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

}  // namespace

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

}  // namespace gureum::cli::netcmd
