// NetworkStore on PostgreSQL (the tables of migrations/): the only place gureum-network
// writes SQL (pg_network_store*.cc). Errors are
// common/db's mapping (AlreadyExists, Aborted retried by the pool, Unavailable, Internal).
#pragma once

#include "common/db/pool.h"
#include "common/db/tx.h"
#include "network/server/network_store.h"

namespace gureum::network {

class PgNetworkStore final : public NetworkStore {
 public:
  explicit PgNetworkStore(db::ConnectionPool& pool) : pool_(pool) {}
  absl::Status Transact(const TxFn& fn) override;
  absl::Status ReadOnly(const TxFn& fn) override;
  absl::Status Snapshot(const TxFn& fn) override;

 private:
  db::ConnectionPool& pool_;
};

// One PostgreSQL transaction seen as a NetworkTx (the transactions PgNetworkStore hands out).
class PgNetworkTx final : public NetworkTx {
 public:
  explicit PgNetworkTx(db::Tx& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<Network>> GetNetwork(const std::string& id,
                                                    bool with_subnet_ids) override;
  absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& project,
                                                    const Filters& filters) override;
  absl::Status InsertNetwork(const Network& network) override;
  absl::Status UpdateNetwork(const Network& network, absl::Time at) override;
  absl::Status DeleteNetwork(const std::string& id) override;
  absl::StatusOr<std::optional<int>> FreeVni(int lo, int hi, int from) override;
  absl::StatusOr<bool> SegmentInUse(const std::string& type, const std::string& physical_network,
                                    int segment) override;
  absl::StatusOr<bool> NetworkHasPorts(const std::string& id) override;
  absl::StatusOr<bool> NetworkIsGateway(const std::string& id) override;

  absl::StatusOr<std::optional<Subnet>> GetSubnet(const std::string& id) override;
  absl::StatusOr<std::vector<Subnet>> ListSubnets(const std::string& project,
                                                  const Filters& filters) override;
  absl::StatusOr<std::vector<Subnet>> SubnetsOf(const std::string& network_id) override;
  absl::Status InsertSubnet(const Subnet& subnet) override;
  absl::Status UpdateSubnet(const Subnet& subnet, absl::Time at) override;
  absl::StatusOr<bool> SubnetHasPorts(const std::string& id) override;
  absl::Status DeleteSubnet(const std::string& id) override;
  absl::Status DeleteDhcpPorts(const std::string& network_id) override;

  absl::StatusOr<std::optional<SecurityGroup>> GetGroup(const std::string& id) override;
  absl::StatusOr<std::optional<std::string>> GetGroupProject(const std::string& id) override;
  absl::StatusOr<std::vector<SecurityGroup>> ListGroups(const std::string& project,
                                                        const Filters& filters) override;
  absl::Status InsertGroup(const SecurityGroup& group) override;
  absl::StatusOr<std::string> FindDefaultGroup(const std::string& project) override;
  absl::StatusOr<bool> InsertDefaultGroup(const SecurityGroup& group) override;
  absl::Status UpdateGroup(const SecurityGroup& group, absl::Time at) override;
  absl::Status TouchGroup(const std::string& id) override;
  absl::Status DeleteGroup(const std::string& id) override;
  absl::StatusOr<bool> GroupHasPorts(const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> HostsOfGroup(const std::string& id) override;

  absl::StatusOr<std::optional<SecurityGroupRule>> GetRule(const std::string& id) override;
  absl::StatusOr<std::vector<SecurityGroupRule>> ListRules(const std::string& project,
                                                           const Filters& filters) override;
  absl::StatusOr<std::optional<std::string>> InsertRule(const SecurityGroupRule& rule) override;
  absl::Status DeleteRule(const std::string& id) override;

  absl::StatusOr<std::optional<int64_t>> GetQuotaLimit(const std::string& project,
                                                       const std::string& resource) override;
  absl::StatusOr<std::map<std::string, int64_t>> ListQuotaLimits(
      const std::string& project) override;
  absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                             int64_t limit) override;
  absl::Status DeleteQuotaLimits(const std::string& project) override;
  absl::StatusOr<std::vector<std::string>> QuotaProjects() override;
  absl::Status LockQuota(const std::string& project, const std::string& resource) override;
  absl::StatusOr<int64_t> CountOwned(const std::string& project,
                                     const std::string& resource) override;

  absl::StatusOr<std::optional<Router>> GetRouter(const std::string& id) override;
  absl::StatusOr<std::vector<Router>> ListRouters(const std::string& project,
                                                  const Filters& filters) override;
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
                                                          const Filters& filters) override;
  absl::Status InsertFloatingIp(const FloatingIp& fip) override;
  absl::Status UpdateFloatingIp(const FloatingIp& fip, absl::Time at) override;
  absl::StatusOr<bool> DeleteFloatingIp(const std::string& id) override;
  absl::StatusOr<std::string> FloatingIpOn(const std::string& port_id, const std::string& fixed_ip,
                                           const std::string& except_id) override;

  absl::StatusOr<std::optional<Agent>> GetAgentByHost(const std::string& host) override;
  absl::Status PutAgent(const Agent& agent) override;
  absl::StatusOr<std::vector<Agent>> ListAgents(const Filters& filters) override;
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
                                              const Filters& filters) override;
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
  absl::Status FillRules(std::vector<SecurityGroup>& groups);
  absl::Status FillSubnetIds(std::vector<Network>& networks);
  absl::Status InsertRules(const SecurityGroup& group);

  db::Tx& tx_;
};

}  // namespace gureum::network
