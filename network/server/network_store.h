// Persistence for gureum-network: the tables the service owns, behind one interface with a
// PostgreSQL implementation (pg_network_store.h) and an in-memory fake
// (fake_network_store.h) that tests/store_contract_test.cc keeps in step.
//
// The managers' operations read, decide and write several rows at once (a port create
// checks the quota, allocates addresses, inserts the port), so the store hands out a
// transaction, `NetworkTx`, whose typed calls all commit together or not at all:
//
//   store.Transact([&](NetworkTx& tx) -> absl::Status {
//     ASSIGN_OR_RETURN(auto group, tx.GetGroup(id));
//     ...
//     return tx.UpdateGroup(*group);
//   });
//
// Contract, for every implementation:
// - Transact runs `fn` once or more: a transaction the database aborts (serialization
//   failure, deadlock) is retried, so `fn` must not act outside the transaction. When `fn`
//   returns an error, nothing it wrote is kept and Transact returns that error. ReadOnly
//   runs `fn` where every write fails.
// - Reads see the transaction's own writes. Concurrent transactions see each other's
//   committed rows only (PostgreSQL's read committed).
// - Get* of an unknown id is std::nullopt, not an error: the manager decides what the
//   caller is told (and whether the caller may know the row exists at all).
// - List* return rows in creation order (created_at, then id). `project` "" lists every
//   project's rows, otherwise only that project's. Filters (Neutron's query keys) narrow
//   on the keys the resource maps to a column, each key to any of its values compared as
//   text; keys a resource does not map are ignored (the REST adapter applies them).
// - Insert* store the record as given (ids and times chosen by the caller) with revision 1.
//   Update* bump revision_number and set updated_at. Delete* remove what hangs off the row
//   (a group's rules).
// - Quotas: LockQuota serializes the counts of one (project, resource) until the commit,
//   so two concurrent creates cannot both pass the same count.
// Thread safety: a store is thread-safe; a NetworkTx is used by one thread, only during
// the call that received it. Blocking: the PostgreSQL store blocks on the network.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "network/server/model.h"

namespace gureum::network {

// Query filters: field name -> accepted values (Neutron's repeated query keys).
using Filters = std::map<std::string, std::vector<std::string>>;

class NetworkTx {
 public:
  virtual ~NetworkTx() = default;

  // ---- networks
  // `with_subnet_ids`: fill Network::subnet_ids (one more query).
  virtual absl::StatusOr<std::optional<Network>> GetNetwork(const std::string& id,
                                                            bool with_subnet_ids) = 0;
  // With subnet_ids. `project` non-empty: its networks and the shared or external ones.
  // Filter keys: id, name, project_id, tenant_id, shared, router:external (booleans as
  // "true"/"false").
  virtual absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& project,
                                                            const Filters& filters) = 0;
  // A second vxlan network with one VNI is AlreadyExists (so is a duplicate id).
  virtual absl::Status InsertNetwork(const Network& network) = 0;
  // Writes name, description, admin_state_up, shared, router_external,
  // port_security_enabled and tags at `at`.
  virtual absl::Status UpdateNetwork(const Network& network, absl::Time at) = 0;
  // Deletes the network with its subnets and remaining (DHCP) ports.
  virtual absl::Status DeleteNetwork(const std::string& id) = 0;
  // A VNI in [lo, hi] no vxlan network uses: the lowest at or above `from`, else the
  // lowest; std::nullopt when all are taken.
  virtual absl::StatusOr<std::optional<int>> FreeVni(int lo, int hi, int from) = 0;
  // Whether a network of `type` on `physical_network` uses `segment` (flat: any segment).
  virtual absl::StatusOr<bool> SegmentInUse(const std::string& type,
                                            const std::string& physical_network, int segment) = 0;
  // Whether the network has ports other than DHCP ports.
  virtual absl::StatusOr<bool> NetworkHasPorts(const std::string& id) = 0;
  // Whether a router has its external gateway on the network.
  virtual absl::StatusOr<bool> NetworkIsGateway(const std::string& id) = 0;

  // ---- subnets
  virtual absl::StatusOr<std::optional<Subnet>> GetSubnet(const std::string& id) = 0;
  // `project` non-empty: its subnets and those of shared networks (not of external ones,
  // as Neutron's). Filter keys: id, name, project_id, tenant_id, network_id, cidr,
  // ip_version, enable_dhcp.
  virtual absl::StatusOr<std::vector<Subnet>> ListSubnets(const std::string& project,
                                                          const Filters& filters) = 0;
  // The network's subnets, in creation order.
  virtual absl::StatusOr<std::vector<Subnet>> SubnetsOf(const std::string& network_id) = 0;
  // A subnet of an unknown network is FailedPrecondition.
  virtual absl::Status InsertSubnet(const Subnet& subnet) = 0;
  // Writes name, description, gateway_ip, enable_dhcp, dns_nameservers, host_routes and tags
  // at `at`.
  virtual absl::Status UpdateSubnet(const Subnet& subnet, absl::Time at) = 0;
  // Whether a port other than a DHCP port has an address on the subnet.
  virtual absl::StatusOr<bool> SubnetHasPorts(const std::string& id) = 0;
  // Deletes the subnet and the addresses allocated on it.
  virtual absl::Status DeleteSubnet(const std::string& id) = 0;
  // Deletes the network's DHCP ports and its DHCP binding.
  virtual absl::Status DeleteDhcpPorts(const std::string& network_id) = 0;

  // ---- security groups (with their rules, in creation order)
  virtual absl::StatusOr<std::optional<SecurityGroup>> GetGroup(const std::string& id) = 0;
  // The group's project, without reading its rules (a rule create checks only this: with
  // the rules, each create read every rule of the group, O(n) per rule).
  virtual absl::StatusOr<std::optional<std::string>> GetGroupProject(const std::string& id) = 0;
  // Filter keys: id, name, project_id, tenant_id (= project_id).
  virtual absl::StatusOr<std::vector<SecurityGroup>> ListGroups(const std::string& project,
                                                                const Filters& filters) = 0;
  // Inserts the group and the rules in `group.rules`. A second default group of one
  // project is AlreadyExists (see InsertDefaultGroup for the race-free way).
  virtual absl::Status InsertGroup(const SecurityGroup& group) = 0;
  // The id of the project's default group, "" when it has none yet.
  virtual absl::StatusOr<std::string> FindDefaultGroup(const std::string& project) = 0;
  // Inserts `group` (is_default, with its rules) unless the project has a default group
  // already, maybe one a concurrent transaction just committed: then inserts nothing and
  // returns false.
  virtual absl::StatusOr<bool> InsertDefaultGroup(const SecurityGroup& group) = 0;
  // Writes name, description and tags at `at`.
  virtual absl::Status UpdateGroup(const SecurityGroup& group, absl::Time at) = 0;
  // Bumps the group's revision (its rules changed).
  virtual absl::Status TouchGroup(const std::string& id) = 0;
  virtual absl::Status DeleteGroup(const std::string& id) = 0;
  // Whether a port uses the group.
  virtual absl::StatusOr<bool> GroupHasPorts(const std::string& id) = 0;
  // The hosts with a bound port in the group, or in a group whose rules name it as remote.
  virtual absl::StatusOr<std::vector<std::string>> HostsOfGroup(const std::string& id) = 0;

  // ---- security group rules
  virtual absl::StatusOr<std::optional<SecurityGroupRule>> GetRule(const std::string& id) = 0;
  // Filter keys: id, security_group_id, project_id, tenant_id, direction, ethertype,
  // protocol, remote_group_id.
  virtual absl::StatusOr<std::vector<SecurityGroupRule>> ListRules(const std::string& project,
                                                                   const Filters& filters) = 0;
  // Inserts the rule unless its group has an equal one (same direction, ethertype,
  // protocol, port range and remotes): then inserts nothing and returns the equal rule's
  // id ("" if it vanished meanwhile). std::nullopt: inserted.
  virtual absl::StatusOr<std::optional<std::string>> InsertRule(const SecurityGroupRule& rule) = 0;
  virtual absl::Status DeleteRule(const std::string& id) = 0;

  // ---- quotas (resources named as Neutron's: network, subnet, port, router, floatingip,
  // security_group, security_group_rule)
  // The project's own limit of `resource`, std::nullopt when it has none (the default holds).
  virtual absl::StatusOr<std::optional<int64_t>> GetQuotaLimit(const std::string& project,
                                                               const std::string& resource) = 0;
  virtual absl::StatusOr<std::map<std::string, int64_t>> ListQuotaLimits(
      const std::string& project) = 0;
  virtual absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                                     int64_t limit) = 0;
  virtual absl::Status DeleteQuotaLimits(const std::string& project) = 0;
  // The projects that have limits of their own, in order.
  virtual absl::StatusOr<std::vector<std::string>> QuotaProjects() = 0;
  // Held to the commit: a concurrent LockQuota of the same pair waits, and a CountOwned
  // after it sees what the previous holder committed.
  virtual absl::Status LockQuota(const std::string& project, const std::string& resource) = 0;
  // How many rows of `resource` the project owns.
  virtual absl::StatusOr<int64_t> CountOwned(const std::string& project,
                                             const std::string& resource) = 0;

  // ---- routers
  virtual absl::StatusOr<std::optional<Router>> GetRouter(const std::string& id) = 0;
  // Filter keys: id, name, project_id, tenant_id.
  virtual absl::StatusOr<std::vector<Router>> ListRouters(const std::string& project,
                                                          const Filters& filters) = 0;
  // The routers the l3 agent of `host` runs ("": the unscheduled ones), by id.
  virtual absl::StatusOr<std::vector<Router>> RoutersOn(const std::string& host) = 0;
  // Inserts the router as given (gateway network, SNAT and host included).
  virtual absl::Status InsertRouter(const Router& router) = 0;
  // Writes name, description, admin_state_up, routes and tags at `at`.
  virtual absl::Status UpdateRouter(const Router& router, absl::Time at) = 0;
  // Sets the external gateway's network and SNAT; network "" removes the gateway (SNAT kept).
  virtual absl::Status SetRouterGateway(const std::string& id, const std::string& network_id,
                                        bool enable_snat) = 0;
  virtual absl::Status SetRouterHost(const std::string& id, const std::string& host) = 0;
  virtual absl::Status DeleteRouter(const std::string& id) = 0;
  // Whether a floating IP goes through the router.
  virtual absl::StatusOr<bool> RouterHasFloatingIps(const std::string& id) = 0;
  // The live l3 agent (admin up, heartbeat after `alive_after`) running the fewest routers,
  // the first host by name among equals; std::nullopt when none is live.
  virtual absl::StatusOr<std::optional<Agent>> PickL3Agent(absl::Time alive_after) = 0;
  // Unschedules the routers of hosts other than `keep` that have no live l3 agent and
  // returns them as (router id, the host they were on).
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReleaseDeadRouters(
      const std::string& keep, absl::Time alive_after) = 0;

  // ---- floating IPs
  virtual absl::StatusOr<std::optional<FloatingIp>> GetFloatingIp(const std::string& id) = 0;
  // Filter keys: id, project_id, tenant_id, floating_network_id, floating_ip_address, port_id,
  // fixed_ip_address, router_id, status ("" never matches port, fixed address or router: it
  // stands for none).
  virtual absl::StatusOr<std::vector<FloatingIp>> ListFloatingIps(const std::string& project,
                                                                  const Filters& filters) = 0;
  virtual absl::Status InsertFloatingIp(const FloatingIp& fip) = 0;
  // Writes the association (port_id, fixed_ip_address, router_id: "" none), status and
  // description at `at`.
  virtual absl::Status UpdateFloatingIp(const FloatingIp& fip, absl::Time at) = 0;
  // Deletes the floating IP and its floating port; false when there was none.
  virtual absl::StatusOr<bool> DeleteFloatingIp(const std::string& id) = 0;
  // The floating IP (other than `except_id`) on that port's fixed address, "" none.
  virtual absl::StatusOr<std::string> FloatingIpOn(const std::string& port_id,
                                                   const std::string& fixed_ip,
                                                   const std::string& except_id) = 0;

  // ---- network agents and DHCP bindings
  // The agent of `host`, std::nullopt if it never reported.
  virtual absl::StatusOr<std::optional<Agent>> GetAgentByHost(const std::string& host) = 0;
  // Inserts the agent, or (its host reported before) overwrites its report: local_ip,
  // physical_interfaces, dhcp, l3, version and heartbeat_at; the id and admin_state_up stay.
  virtual absl::Status PutAgent(const Agent& agent) = 0;
  // Ordered by host. Filter keys: id, host.
  virtual absl::StatusOr<std::vector<Agent>> ListAgents(const Filters& filters) = 0;
  // An admin's switch of agent `id` (an agent down admin-wise gets no new DHCP networks or
  // routers; its reports leave the switch alone). NotFound for an unknown agent.
  virtual absl::Status SetAgentAdminState(const std::string& id, bool admin_state_up) = 0;
  // The host serving DHCP for the network, "" when none does.
  virtual absl::StatusOr<std::string> DhcpHostOf(const std::string& network_id) = 0;
  // A network bound twice is AlreadyExists.
  virtual absl::Status BindDhcp(const std::string& network_id, const std::string& host) = 0;
  // The live DHCP agent (admin up, heartbeat after `alive_after`) serving the fewest
  // networks, the first host by name among equals; std::nullopt when none is live.
  virtual absl::StatusOr<std::optional<Agent>> PickDhcpAgent(absl::Time alive_after) = 0;
  // Removes the DHCP bindings of hosts other than `keep` that have no live DHCP agent and
  // returns them as (network_id, host).
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReleaseDeadDhcp(
      const std::string& keep, absl::Time alive_after) = 0;
  // The networks with a DHCP-enabled subnet and no DHCP binding, by id.
  virtual absl::StatusOr<std::vector<std::string>> UnboundDhcpNetworks() = 0;
  // The networks whose DHCP `host` serves, by id.
  virtual absl::StatusOr<std::vector<std::string>> DhcpNetworksOn(const std::string& host) = 0;

  // ---- ports, each with its addresses (fixed_ips: by the subnet's IP version, then the
  // subnet's creation, then address) and groups (security_group_ids, sorted); mtu is the
  // network's.
  virtual absl::StatusOr<std::optional<Port>> GetPort(const std::string& id) = 0;
  // `project` "": every project's ports. Filter keys: id, name, project_id, tenant_id,
  // network_id, device_id, device_owner, mac_address, status, binding:host_id and
  // security_groups (a port in any of the groups).
  virtual absl::StatusOr<std::vector<Port>> ListPorts(const std::string& project,
                                                      const Filters& filters) = 0;
  // Inserts the port (status, vif_type, compute_owned and compute_nic_index as given) and its
  // memberships (security_group_ids); fixed_ips are not read: addresses come with AllocateIp.
  // A second port with one MAC on a network is AlreadyExists (so is a duplicate id).
  virtual absl::Status InsertPort(const Port& port) = 0;
  // Writes name, description, admin_state_up, device_id, device_owner, binding_host,
  // vif_type, status, port_security_enabled, allowed_address_pairs, extra_dhcp_opts and tags
  // at `at`.
  virtual absl::Status UpdatePort(const Port& port, absl::Time at) = 0;
  // An agent's report: sets the status of the port if it is bound to `host` (else nothing),
  // without a new revision.
  virtual absl::Status SetPortStatus(const std::string& id, const std::string& host,
                                     const std::string& status) = 0;
  // The port's groups become `group_ids`.
  virtual absl::Status SetPortGroups(const std::string& id,
                                     const std::vector<std::string>& group_ids) = 0;
  // Deletes the port with its addresses and memberships; floating IPs associated with it
  // are disassociated (status DOWN), as in Neutron.
  virtual absl::Status DeletePort(const std::string& id) = 0;
  // Gives `address` to the port (which exists); false, writing nothing, when another port
  // (or this one) holds it already: no address is ever handed out twice.
  virtual absl::StatusOr<bool> AllocateIp(const std::string& port_id,
                                          const FixedAddress& address) = 0;
  // The addresses allocated on the subnet, in no order.
  virtual absl::StatusOr<std::vector<std::string>> AllocatedIps(const std::string& subnet_id) = 0;
  // Frees every address of the port.
  virtual absl::Status ReleaseIps(const std::string& port_id) = 0;
  // The hosts a change of the network concerns: those with a port of it bound there and the
  // one serving its DHCP; sorted, without "".
  virtual absl::StatusOr<std::vector<std::string>> HostsOfNetwork(
      const std::string& network_id) = 0;
  // (MAC, tunnel IP) of the network's ports bound to hosts other than `host` whose agent
  // reported a local IP, by tunnel IP then MAC.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RemoteMacs(
      const std::string& network_id, const std::string& host) = 0;
  // The addresses of the group's member ports (sorted), then the IPs of their allowed
  // address pairs.
  virtual absl::StatusOr<std::vector<std::string>> MemberAddresses(const std::string& group_id) = 0;
  // The router (the first created) with an interface on the subnet and its gateway on the
  // external network, "" when none.
  virtual absl::StatusOr<std::string> RouterBetween(const std::string& subnet_id,
                                                    const std::string& external_network_id) = 0;

  // ---- host state
  // Advances the generation GetHostState reports (a change hosts must converge to).
  virtual absl::Status BumpGeneration() = 0;
  // The generation as BumpGeneration left it (0 before the first).
  virtual absl::StatusOr<int64_t> Generation() = 0;
};

class NetworkStore {
 public:
  using TxFn = std::function<absl::Status(NetworkTx&)>;
  virtual ~NetworkStore() = default;
  virtual absl::Status Transact(const TxFn& fn) = 0;
  virtual absl::Status ReadOnly(const TxFn& fn) = 0;
  // ReadOnly on one snapshot: every read of `fn` sees the same committed state (a host's
  // state is read whole, never half before and half after a change).
  virtual absl::Status Snapshot(const TxFn& fn) = 0;
};

}  // namespace gureum::network
