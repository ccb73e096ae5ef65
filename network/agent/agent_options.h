// gureum-network-agent's configuration: the [network_agent] section (tunnel address,
// provider interface mappings, state folder, intervals, the server's gRPC address) and
// [DEFAULT] host, read once at start.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::network_agent {

struct AgentOptions {
  std::string host;      // [DEFAULT] host: queue network-agent.<host>
  std::string local_ip;  // VXLAN tunnel endpoint; "" = the address toward the server
  std::map<std::string, std::string> physical_interfaces;  // physnet -> interface
  std::string state_path = "/var/lib/gureum/network";
  std::string network_grpc = "localhost:19696";
  absl::Duration resync_interval = absl::Seconds(30);
  absl::Duration report_interval = absl::Seconds(10);
  // Casts arriving within this time of the first one are served by one convergence.
  absl::Duration debounce = absl::Milliseconds(100);
  bool dhcp = true;  // reported: this host may serve DHCP
  bool l3 = true;    // reported: this host may run routers
  int dhcp_lease_seconds = 86400;
  std::string dnsmasq_binary = "dnsmasq";
  // The user and group on dnsmasq's command line, resolved by ApplyDnsmasqUser (the
  // configured user, or root when it cannot reach state_path).
  std::string dnsmasq_user = "root";
  std::string dnsmasq_group = "root";
  // Simulated hosts (several agents on one machine): the network namespace whose devices
  // this agent manages; "" = its own.
  std::string datapath_namespace;
};

void AddAgentOptions(config::Schema& schema);
// InvalidArgument for a malformed physical_interface_mappings entry.
absl::StatusOr<AgentOptions> AgentOptionsFromConfig(const config::Config& cfg);
// "physnet1:eth1, physnet2:eth2" -> map; InvalidArgument naming the bad entry.
absl::StatusOr<std::map<std::string, std::string>> ParseInterfaceMappings(
    const std::vector<std::string>& entries);

}  // namespace gureum::network_agent
