// The network agents of gureum-network: their reports (heartbeats) and liveness, DHCP and
// router scheduling onto live agents with failover from silent ones, the desired state of
// one host (GetHostState, read on one snapshot), and the port status the agents report.
// The service or admin role only (ListAgents: admin).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class PortManager;
class RouterManager;

class AgentManager {
 public:
  // `ports` makes and moves DHCP ports; `routers` reschedules a failed agent's routers.
  AgentManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports,
               RouterManager& routers);

  absl::Status ReportAgent(const Caller& c, const v1::AgentReport& r);
  absl::StatusOr<v1::HostState> GetHostState(const Caller& c, const std::string& host);
  absl::Status UpdatePortStatus(const Caller& c, const v1::PortStatusUpdate& r);
  absl::StatusOr<std::vector<v1::Agent>> ListAgents(const Caller& c, const Filters& f);
  // Neutron's PUT /v2.0/agents/{id} (admin): admin_state_up; the agent as it is then.
  absl::StatusOr<v1::Agent> SetAdminState(const Caller& c, const std::string& agent_id,
                                          bool admin_state_up);
  // Neutron's DHCP agent scheduler reads (admin): the agent serving a network's DHCP (none
  // or one), and the networks an agent serves. Unknown network or agent: 404.
  absl::StatusOr<std::vector<v1::Agent>> DhcpAgentsOfNetwork(const Caller& c,
                                                             const std::string& network_id);
  absl::StatusOr<std::vector<v1::Network>> NetworksOfDhcpAgent(const Caller& c,
                                                               const std::string& agent_id);

  // In `tx`: binds the network's DHCP to a live DHCP agent (the least loaded, unless bound
  // already) and gives its DHCP port an address on each DHCP subnet.
  absl::Status ScheduleDhcp(NetworkTx& tx, const std::string& network_id, Casts& casts);

 private:
  // GetHostState's parts, on its one snapshot.
  absl::Status HostNetworks(NetworkTx& tx, const std::string& host,
                            const std::set<std::string>& net_ids, v1::HostState& state);
  absl::Status HostGroups(NetworkTx& tx, const std::set<std::string>& group_ids,
                          v1::HostState& state);
  absl::Status HostDhcp(NetworkTx& tx, const std::string& host,
                        const std::set<std::string>& net_ids, v1::HostState& state);
  absl::Status HostRouters(NetworkTx& tx, const std::string& host, v1::HostState& state);

  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
  PortManager& ports_;
  RouterManager& routers_;
};

}  // namespace gureum::network
