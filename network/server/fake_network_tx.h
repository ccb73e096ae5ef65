// The transaction of FakeNetworkStore (fake_network_store.h): its typed calls over the
// in-memory tables. Internal to the fake; its definitions are in fake_network_tx.cc
// (networks, subnets, groups, rules), fake_network_tx_agents.cc (quotas, floating IPs,
// agents, DHCP bindings), fake_network_tx_routers.cc (routers and their scheduling) and
// fake_network_tx_ports.cc (ports, addresses, the host state's queries).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "network/server/fake_network_store.h"

namespace gureum::network::fake_internal {

using Tables = FakeNetworkStore::Tables;

// Creation order, as the store's lists promise.
template <typename T>
bool Earlier(const T& a, const T& b) {
  return std::tie(a.stamps.created_at, a.id) < std::tie(b.stamps.created_at, b.id);
}

// Whether `value` passes the filter `key` (absent or empty: everything passes).
inline bool Passes(const Filters& f, const std::string& key, const std::string& value) {
  auto it = f.find(key);
  if (it == f.end() || it->second.empty()) return true;
  return std::find(it->second.begin(), it->second.end(), value) != it->second.end();
}

inline bool SameRule(const SecurityGroupRule& a, const SecurityGroupRule& b) {
  return std::tie(a.security_group_id, a.direction, a.ethertype, a.protocol, a.port_range_min,
                  a.port_range_max, a.remote_ip_prefix, a.remote_group_id) ==
         std::tie(b.security_group_id, b.direction, b.ethertype, b.protocol, b.port_range_min,
                  b.port_range_max, b.remote_ip_prefix, b.remote_group_id);
}

inline const char* const kQuotaResources[] = {
    "network", "subnet", "port", "router", "floatingip", "security_group", "security_group_rule"};

class FakeTx final : public NetworkTx {
 public:
  FakeTx(Tables& t, bool read_only) : t_(t), read_only_(read_only) {}
  absl::StatusOr<std::optional<Network>> GetNetwork(const std::string& id,
                                                    bool with_subnet_ids) override;
  absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& project,
                                                    const Filters& f) override;
  absl::Status InsertNetwork(const Network& n) override;
  absl::Status UpdateNetwork(const Network& n, absl::Time at) override;
  absl::Status DeleteNetwork(const std::string& id) override;
  absl::StatusOr<std::optional<int>> FreeVni(int lo, int hi, int from) override;
  absl::StatusOr<bool> SegmentInUse(const std::string& type, const std::string& physical_network,
                                    int segment) override;
  absl::StatusOr<bool> NetworkHasPorts(const std::string&) override;
  absl::StatusOr<bool> NetworkIsGateway(const std::string&) override;
  absl::StatusOr<std::optional<Subnet>> GetSubnet(const std::string& id) override;
  absl::StatusOr<std::vector<Subnet>> ListSubnets(const std::string& project,
                                                  const Filters& f) override;
  absl::StatusOr<std::vector<Subnet>> SubnetsOf(const std::string& network_id) override;
  absl::Status InsertSubnet(const Subnet& s) override;
  absl::Status UpdateSubnet(const Subnet& s, absl::Time at) override;
  absl::StatusOr<bool> SubnetHasPorts(const std::string&) override;
  absl::Status DeleteSubnet(const std::string& id) override;
  absl::Status DeleteDhcpPorts(const std::string& network_id) override;
  absl::StatusOr<std::optional<SecurityGroup>> GetGroup(const std::string& id) override;
  absl::StatusOr<std::optional<std::string>> GetGroupProject(const std::string& id) override;
  absl::StatusOr<std::vector<SecurityGroup>> ListGroups(const std::string& project,
                                                        const Filters& f) override;
  absl::Status InsertGroup(const SecurityGroup& g) override;
  absl::StatusOr<std::string> FindDefaultGroup(const std::string& project) override;
  absl::StatusOr<bool> InsertDefaultGroup(const SecurityGroup& g) override;
  absl::Status UpdateGroup(const SecurityGroup& g, absl::Time at) override;
  absl::Status TouchGroup(const std::string& id) override;
  absl::Status DeleteGroup(const std::string& id) override;
  absl::StatusOr<bool> GroupHasPorts(const std::string&) override;
  absl::StatusOr<std::vector<std::string>> HostsOfGroup(const std::string&) override;
  absl::StatusOr<std::optional<SecurityGroupRule>> GetRule(const std::string& id) override;
  absl::StatusOr<std::vector<SecurityGroupRule>> ListRules(const std::string& project,
                                                           const Filters& f) override;
  absl::StatusOr<std::optional<std::string>> InsertRule(const SecurityGroupRule& r) override;
  absl::Status DeleteRule(const std::string& id) override;
  absl::StatusOr<std::optional<int64_t>> GetQuotaLimit(const std::string& project,
                                                       const std::string& resource) override;
  absl::StatusOr<std::map<std::string, int64_t>> ListQuotaLimits(
      const std::string& project) override;
  absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                             int64_t limit) override;
  absl::Status DeleteQuotaLimits(const std::string& project) override;
  absl::StatusOr<std::vector<std::string>> QuotaProjects() override;
  // Transactions already run one at a time.
  absl::Status LockQuota(const std::string&, const std::string&) override;
  absl::StatusOr<int64_t> CountOwned(const std::string& project,
                                     const std::string& resource) override;
  absl::StatusOr<std::optional<Router>> GetRouter(const std::string& id) override;
  absl::StatusOr<std::vector<Router>> ListRouters(const std::string& project,
                                                  const Filters& f) override;
  absl::StatusOr<std::vector<Router>> RoutersOn(const std::string& host) override;
  absl::Status InsertRouter(const Router& router) override;
  absl::Status UpdateRouter(const Router& router, absl::Time at) override;
  absl::Status SetRouterGateway(const std::string& id, const std::string& network_id,
                                bool enable_snat) override;
  absl::Status SetRouterHost(const std::string& id, const std::string& host) override;
  absl::Status DeleteRouter(const std::string& id) override;
  absl::StatusOr<bool> RouterHasFloatingIps(const std::string& id) override;
  absl::StatusOr<std::optional<Agent>> PickL3Agent(absl::Time alive_after) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReleaseDeadRouters(
      const std::string& keep, absl::Time alive_after) override;
  absl::StatusOr<std::optional<FloatingIp>> GetFloatingIp(const std::string& id) override;
  absl::StatusOr<std::vector<FloatingIp>> ListFloatingIps(const std::string& project,
                                                          const Filters& f) override;
  absl::Status InsertFloatingIp(const FloatingIp& fip) override;
  absl::Status UpdateFloatingIp(const FloatingIp& fip, absl::Time at) override;
  absl::StatusOr<bool> DeleteFloatingIp(const std::string& id) override;
  absl::StatusOr<std::string> FloatingIpOn(const std::string& port_id, const std::string& fixed_ip,
                                           const std::string& except_id) override;
  absl::StatusOr<std::optional<Agent>> GetAgentByHost(const std::string& host) override;
  absl::Status PutAgent(const Agent& a) override;
  absl::StatusOr<std::vector<Agent>> ListAgents(const Filters& f) override;
  absl::Status SetAgentAdminState(const std::string& id, bool admin_state_up) override;
  absl::StatusOr<std::string> DhcpHostOf(const std::string& network_id) override;
  absl::Status BindDhcp(const std::string& network_id, const std::string& host) override;
  absl::StatusOr<std::optional<Agent>> PickDhcpAgent(absl::Time alive_after) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReleaseDeadDhcp(
      const std::string& keep, absl::Time alive_after) override;
  absl::StatusOr<std::vector<std::string>> UnboundDhcpNetworks() override;
  absl::StatusOr<std::vector<std::string>> DhcpNetworksOn(const std::string& host) override;
  absl::StatusOr<std::optional<Port>> GetPort(const std::string& id) override;
  absl::StatusOr<std::vector<Port>> ListPorts(const std::string& project,
                                              const Filters& f) override;
  absl::Status InsertPort(const Port& port) override;
  absl::Status UpdatePort(const Port& port, absl::Time at) override;
  absl::Status SetPortStatus(const std::string& id, const std::string& host,
                             const std::string& status) override;
  absl::Status SetPortGroups(const std::string& id,
                             const std::vector<std::string>& group_ids) override;
  absl::Status DeletePort(const std::string& id) override;
  absl::StatusOr<bool> AllocateIp(const std::string& port_id, const FixedAddress& address) override;
  absl::StatusOr<std::vector<std::string>> AllocatedIps(const std::string& subnet_id) override;
  absl::Status ReleaseIps(const std::string& port_id) override;
  absl::StatusOr<std::vector<std::string>> HostsOfNetwork(const std::string& network_id) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RemoteMacs(
      const std::string& network_id, const std::string& host) override;
  absl::StatusOr<std::vector<std::string>> MemberAddresses(const std::string& group_id) override;
  absl::StatusOr<std::string> RouterBetween(const std::string& subnet_id,
                                            const std::string& external_network_id) override;
  absl::Status BumpGeneration() override;
  absl::StatusOr<int64_t> Generation() override;

 private:
  absl::Status Writable() const;
  static std::string Bool(bool b);
  // A column that is NULL when "": NULL matches no filter value.
  static bool PassesNullable(const Filters& f, const std::string& key, const std::string& value);
  static bool LiveDhcp(const Agent& a, absl::Time alive_after);
  static bool LiveL3(const Agent& a, absl::Time alive_after);
  std::vector<std::string> SubnetIdsOf(const std::string& network_id) const;
  SecurityGroup WithRules(SecurityGroup g) const;
  // The port as read: its addresses (in the store's order), groups sorted, the network's MTU.
  Port Filled(Port p) const;
  // Removes the port and its addresses.
  void ErasePort(const std::string& id);
  Tables& t_;
  bool read_only_;
};

}  // namespace gureum::network::fake_internal
