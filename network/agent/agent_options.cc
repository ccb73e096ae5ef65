#include "network/agent/agent_options.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gureum::network_agent {

void AddAgentOptions(config::Schema& s) {
  const std::string c = "network_agent";
  s.String(c, "local_ip", "",
           "VXLAN tunnel endpoint address of this host; empty: the address of the interface "
           "toward network_grpc.");
  s.List(c, "physical_interface_mappings", "",
         "physical_network:interface pairs for flat and vlan provider networks, e.g. "
         "physnet1:eth1.");
  s.String(c, "state_path", "/var/lib/gureum/network",
           "Where dnsmasq's files and the applied nftables rules are kept.");
  s.String(c, "network_grpc", "localhost:19696", "gureum-network's gRPC endpoint.");
  s.Int(c, "resync_interval", 30, 1, 86400, "Seconds between full convergences.");
  s.Int(c, "report_interval", 10, 1, 3600, "Seconds between ReportAgent heartbeats.");
  s.Int(c, "debounce_ms", 100, 0, 60000,
        "Casts arriving this many milliseconds after the first are served by one convergence.");
  s.Bool(c, "dhcp", true, "Reported to the server: this host may serve DHCP.");
  s.Bool(c, "l3", true, "Reported to the server: this host may run routers.");
  s.Int(c, "dhcp_lease_seconds", 86400, 120, 1LL << 31, "DHCP lease time.");
  s.String(c, "dnsmasq", "dnsmasq", "The dnsmasq binary.");
  s.String(c, "dnsmasq_user", "nobody",
           "The user dnsmasq drops to once its sockets and files are open (its group: the "
           "user's own); root keeps it root. Needs state_path reachable by that user.");
  s.String(c, "datapath_namespace", "",
           "Simulated hosts (several agents on one machine, tests): the network namespace "
           "(a name under /run/netns) whose devices this agent manages; empty: its own.");
}

absl::StatusOr<std::map<std::string, std::string>> ParseInterfaceMappings(
    const std::vector<std::string>& entries) {
  std::map<std::string, std::string> out;
  for (const std::string& raw : entries) {
    std::string e(absl::StripAsciiWhitespace(raw));
    if (e.empty()) continue;
    size_t colon = e.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == e.size() ||
        e.find(':', colon + 1) != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("[network_agent] physical_interface_mappings: '", e,
                       "' is not physical_network:interface (e.g. physnet1:eth1)"));
    }
    std::string iface = e.substr(colon + 1);
    if (iface.size() > 15) {
      return absl::InvalidArgumentError(
          absl::StrCat("[network_agent] physical_interface_mappings: interface name '", iface,
                       "' is longer than 15 characters"));
    }
    out[e.substr(0, colon)] = iface;
  }
  return out;
}

absl::StatusOr<AgentOptions> AgentOptionsFromConfig(const config::Config& cfg) {
  const std::string c = "network_agent";
  AgentOptions o;
  o.host = cfg.GetString("DEFAULT", "host");
  if (o.host.empty()) {
    char name[256] = {};
    gethostname(name, sizeof(name) - 1);
    o.host = name;
  }
  o.local_ip = cfg.GetString(c, "local_ip");
  auto mappings = ParseInterfaceMappings(cfg.GetList(c, "physical_interface_mappings"));
  if (!mappings.ok()) return mappings.status();
  o.physical_interfaces = *std::move(mappings);
  o.state_path = cfg.GetString(c, "state_path");
  o.network_grpc = cfg.GetString(c, "network_grpc");
  o.resync_interval = absl::Seconds(cfg.GetInt(c, "resync_interval"));
  o.report_interval = absl::Seconds(cfg.GetInt(c, "report_interval"));
  o.debounce = absl::Milliseconds(cfg.GetInt(c, "debounce_ms"));
  o.dhcp = cfg.GetBool(c, "dhcp");
  o.l3 = cfg.GetBool(c, "l3");
  o.dhcp_lease_seconds = static_cast<int>(cfg.GetInt(c, "dhcp_lease_seconds"));
  o.dnsmasq_binary = cfg.GetString(c, "dnsmasq");
  o.dnsmasq_user = cfg.GetString(c, "dnsmasq_user");  // resolved by ApplyDnsmasqUser
  o.datapath_namespace = cfg.GetString(c, "datapath_namespace");
  return o;
}

}  // namespace gureum::network_agent
