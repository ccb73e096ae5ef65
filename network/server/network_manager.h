// gureum-network's logic: networks, subnets with their IPAM, ports, security groups,
// routers, floating IPs and quotas (the Neutron server), the calls compute agents make for
// their instances' ports, and the network agents' reports and desired host states.
//
// Resources are the proto messages of proto/network.proto (the gRPC API is a pass-through
// and the REST adapter maps them to Neutron's JSON). Creates and updates take the set of
// field names the caller gave (`Fields`), because Neutron's defaults and PUT semantics
// depend on presence, which proto3 scalars cannot express.
//
// Scoping: a caller sees its project's resources, plus shared and external networks (and
// their subnets); everything else is NotFound. `admin` sees and changes everything;
// `service` (compute agents) may act on any project's ports. `reader` cannot write, and a
// token with none of these roles cannot read either (403).
//
// Concurrency: every operation is one PostgreSQL transaction. IP addresses are unique by
// the (subnet_id, ip_address) primary key, VNIs by a unique index, and both are picked
// from a random offset and retried on conflict, so concurrent creates never share one.
// Everything that changes what a host must wire casts AgentCast to network-agent.<host>
// after the commit (best effort: agents also resync periodically).
//
// Thread-safe; blocking (SQL, AMQP): never call on gRPC callback threads.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/amqp/bus.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/policy/enforcer.h"
#include "network/server/model.h"
#include "network/server/network_store.h"

#include "network.pb.h"

namespace gureum::db {
class ConnectionPool;
}

namespace gureum::network {

// v1 is the generated gureum::network::v1 (network.proto), already in scope here.

using Fields = std::set<std::string>;
// Filters (network_store.h): keys the manager knows are pushed into the store: id, name,
// project_id/tenant_id, network_id, device_id, device_owner, security_group_id, router_id,
// binding:host_id.

// Neutron's default quotas; -1 is unlimited.
struct QuotaDefaults {
  std::map<std::string, int64_t> limits = {{"network", 100},
                                           {"subnet", 100},
                                           {"port", 500},
                                           {"router", 10},
                                           {"floatingip", 50},
                                           {"security_group", 10},
                                           {"security_group_rule", 100}};
};

struct NetworkOptions {
  // Policy (network_policy.h); null: the default rules.
  const policy::Enforcer* enforcer = nullptr;
  int vni_min = 1;
  int vni_max = 10000;
  absl::Duration agent_down_time = absl::Seconds(75);
  QuotaDefaults quotas;
};

// Parses "1:10000" (Neutron's vni_ranges; the first range is used).
absl::Status ParseVniRange(const std::string& text, int* lo, int* hi);

struct RouterInterface {
  std::string router_id, subnet_id, port_id, project_id;
  std::vector<std::string> subnet_ids;
};

class NetworkManager {
 public:
  // `bus` may be null (no casts: tests and tools).
  NetworkManager(NetworkStore& store, amqp::Bus* bus, const Clock& clock, IdGenerator& ids,
                 NetworkOptions options);
  // The manager on a PgNetworkStore of its own over `pool` (network_manager_pg.cc): for
  // tests/bench/network_bench.cc, which builds it that way; goes when the bench builds its
  // store itself.
  NetworkManager(db::ConnectionPool& pool, amqp::Bus* bus, const Clock& clock, IdGenerator& ids,
                 NetworkOptions options);
  ~NetworkManager();

  // ---- networks
  absl::StatusOr<v1::Network> CreateNetwork(const Caller& c, const v1::Network& in,
                                            const Fields& given);
  absl::StatusOr<v1::Network> GetNetwork(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Network>> ListNetworks(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Network> UpdateNetwork(const Caller& c, const v1::Network& in,
                                            const Fields& given);
  absl::Status DeleteNetwork(const Caller& c, const std::string& id);

  // ---- subnets
  absl::StatusOr<v1::Subnet> CreateSubnet(const Caller& c, const v1::Subnet& in,
                                          const Fields& given);
  absl::StatusOr<v1::Subnet> GetSubnet(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Subnet>> ListSubnets(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Subnet> UpdateSubnet(const Caller& c, const v1::Subnet& in,
                                          const Fields& given);
  absl::Status DeleteSubnet(const Caller& c, const std::string& id);

  // ---- ports
  absl::StatusOr<v1::Port> CreatePort(const Caller& c, const v1::Port& in, const Fields& given);
  absl::StatusOr<v1::Port> GetPort(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Port>> ListPorts(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Port> UpdatePort(const Caller& c, const v1::Port& in, const Fields& given);
  absl::Status DeletePort(const Caller& c, const std::string& id);

  // ---- security groups
  absl::StatusOr<v1::SecurityGroup> CreateSecurityGroup(const Caller& c,
                                                        const v1::SecurityGroup& in);
  absl::StatusOr<v1::SecurityGroup> GetSecurityGroup(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::SecurityGroup>> ListSecurityGroups(const Caller& c,
                                                                    const Filters& f);
  absl::StatusOr<v1::SecurityGroup> UpdateSecurityGroup(const Caller& c,
                                                        const v1::SecurityGroup& in,
                                                        const Fields& given);
  absl::Status DeleteSecurityGroup(const Caller& c, const std::string& id);
  absl::StatusOr<v1::SecurityGroupRule> CreateSecurityGroupRule(const Caller& c,
                                                                const v1::SecurityGroupRule& in,
                                                                const Fields& given);
  absl::StatusOr<v1::SecurityGroupRule> GetSecurityGroupRule(const Caller& c,
                                                             const std::string& id);
  absl::StatusOr<std::vector<v1::SecurityGroupRule>> ListSecurityGroupRules(const Caller& c,
                                                                            const Filters& f);
  absl::Status DeleteSecurityGroupRule(const Caller& c, const std::string& id);

  // ---- routers
  absl::StatusOr<v1::Router> CreateRouter(const Caller& c, const v1::Router& in,
                                          const Fields& given);
  absl::StatusOr<v1::Router> GetRouter(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Router>> ListRouters(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Router> UpdateRouter(const Caller& c, const v1::Router& in,
                                          const Fields& given);
  absl::Status DeleteRouter(const Caller& c, const std::string& id);
  absl::StatusOr<RouterInterface> AddRouterInterface(const Caller& c, const std::string& router_id,
                                                     const std::string& subnet_id,
                                                     const std::string& port_id);
  absl::StatusOr<RouterInterface> RemoveRouterInterface(const Caller& c,
                                                        const std::string& router_id,
                                                        const std::string& subnet_id,
                                                        const std::string& port_id);

  // ---- floating IPs
  absl::StatusOr<v1::FloatingIp> CreateFloatingIp(const Caller& c, const v1::FloatingIp& in,
                                                  const Fields& given);
  absl::StatusOr<v1::FloatingIp> GetFloatingIp(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::FloatingIp>> ListFloatingIps(const Caller& c, const Filters& f);
  absl::StatusOr<v1::FloatingIp> UpdateFloatingIp(const Caller& c, const v1::FloatingIp& in,
                                                  const Fields& given);
  absl::Status DeleteFloatingIp(const Caller& c, const std::string& id);

  // ---- quotas (Neutron's resource names)
  absl::StatusOr<std::map<std::string, QuotaDetail>> GetQuotas(const Caller& c,
                                                               const std::string& project);
  absl::StatusOr<std::map<std::string, QuotaDetail>> UpdateQuotas(
      const Caller& c, const std::string& project, const std::map<std::string, int64_t>& limits);
  absl::Status ResetQuotas(const Caller& c, const std::string& project);
  std::map<std::string, int64_t> DefaultQuotas() const { return options_.quotas.limits; }

  // ---- compute agents (service or admin role)
  absl::StatusOr<v1::Port> AllocatePort(const Caller& c, const v1::AllocatePortRequest& r);
  absl::StatusOr<v1::Port> BindPort(const Caller& c, const v1::BindPortRequest& r);
  absl::Status ReleasePorts(const Caller& c, const v1::ReleasePortsRequest& r);

  // ---- network agents (service or admin role; ListAgents: admin)
  absl::Status ReportAgent(const Caller& c, const v1::AgentReport& r);
  absl::StatusOr<v1::HostState> GetHostState(const Caller& c, const std::string& host);
  absl::Status UpdatePortStatus(const Caller& c, const v1::PortStatusUpdate& r);
  absl::StatusOr<std::vector<v1::Agent>> ListAgents(const Caller& c, const Filters& f);

  // Whether `c` administers the whole cloud (policy context_is_admin, common/policy's
  // cloud_admin): sees and changes every project's resources and their admin-only fields.
  // The admin role on some project is not enough.
  bool IsAdmin(const Caller& c) const;

 private:
  // The project a list is scoped to in the store, where "" means every project: "" for an
  // admin only. A caller without a project (a domain-scoped token) gets a project id that no
  // resource has, so it sees only what everyone sees (shared and external networks), never
  // every project's resources.
  std::string ListProject(const Caller& c) const;

  struct Casts;  // hosts to notify after a commit
  class TxScope;

  // Policy questions (network_policy.h).
  bool IsService(const Caller& c) const;
  absl::Status CheckRead(const Caller& c) const;
  absl::Status CheckWrite(const Caller& c) const;
  bool Owns(const Caller& c, const std::string& project) const {
    return IsAdmin(c) || (!c.project_id.empty() && c.project_id == project);
  }
  // The project a create acts for: the caller's, or (admin/service) the one given.
  absl::StatusOr<std::string> TargetProject(const Caller& c, const std::string& given) const;

  absl::Status Run(const std::function<absl::Status(NetworkTx&, Casts&)>& fn);
  void SendCasts(const Casts& casts);
  uint32_t Random24();
  uint64_t RandomBelow(uint64_t n);

  // Shared pieces used in several resource files (network_manager_*.cc).
  absl::StatusOr<Network> LoadNetwork(NetworkTx& tx, const Caller& c, const std::string& id,
                                      bool with_subnets = true);
  absl::StatusOr<Subnet> LoadSubnet(NetworkTx& tx, const Caller& c, const std::string& id);
  // The network's subnets in creation order (only the DHCP-enabled ones: `dhcp_only`).
  absl::StatusOr<std::vector<Subnet>> SubnetsOfNetwork(NetworkTx& tx, const std::string& network_id,
                                                       bool dhcp_only);
  absl::StatusOr<v1::Port> LoadPort(NetworkTx& tx, const Caller& c, const std::string& id);
  // Ports of every project (the store's filters), as the API shows them.
  absl::StatusOr<std::vector<v1::Port>> QueryPorts(NetworkTx& tx, const Filters& f);
  absl::StatusOr<v1::Router> LoadRouter(NetworkTx& tx, const Caller& c, const std::string& id);
  absl::StatusOr<FloatingIp> LoadFloatingIp(NetworkTx& tx, const Caller& c, const std::string& id);
  absl::Status CheckQuota(NetworkTx& tx, const std::string& project, const std::string& resource,
                          int adding);
  absl::StatusOr<std::string> EnsureDefaultGroup(NetworkTx& tx, const std::string& project);
  // A new port on `net` with its addresses and groups. `compute_nic` >= 0: a compute agent's
  // port for that NIC of its instance (AllocatePort), which goes with the instance.
  absl::StatusOr<v1::Port> InsertPort(NetworkTx& tx, const Caller& c, const Network& net,
                                      v1::Port port, const Fields& given, Casts& casts,
                                      int compute_nic = -1);
  absl::Status AllocateIps(NetworkTx& tx, const Network& net, v1::Port& port,
                           const std::vector<v1::FixedIp>& requested, bool any_given);
  absl::StatusOr<std::string> AllocateFrom(NetworkTx& tx, const Subnet& subnet,
                                           const std::string& port_id);
  absl::Status DeletePortTx(NetworkTx& tx, const v1::Port& port, Casts& casts);
  // Binds the port to `host` ("" unbinds it): DOWN until that host's agent wires it.
  absl::Status MovePort(NetworkTx& tx, const v1::Port& port, const std::string& host);
  // The port's security groups become `groups` (each the port's project's, or any for an
  // admin); the hosts of the old and new groups are cast.
  // The groups a new port joins: those given (checked: the port's project's, or any for an
  // admin), else the project's default group; none without port security.
  absl::StatusOr<std::vector<std::string>> GroupsOfNewPort(NetworkTx& tx, const Caller& c,
                                                           const v1::Port& port,
                                                           const Fields& given);
  // The instance's security groups, by name or id in its project ("default": made if
  // needed), onto the port an AllocatePort makes.
  absl::Status AddGroupsByName(NetworkTx& tx, const v1::AllocatePortRequest& r, v1::Port& port);
  absl::Status ReplacePortGroups(NetworkTx& tx, const Caller& c, const v1::Port& port,
                                 const std::vector<std::string>& groups, Casts& casts);
  // Who may point a port of `project` at a device: network-owned ports (routers, DHCP,
  // floating IPs) are an admin's; a device_id naming another project's router is refused
  // (Neutron's DeviceIDNotOwnedByTenant), so nobody plugs a leg into a router not theirs.
  absl::Status CheckDevice(NetworkTx& tx, const Caller& c, const std::string& project,
                           const std::string& device_owner, const std::string& device_id);
  // Fixed IP addresses, MAC and port security off: the network's owner's or an admin's.
  absl::Status CheckOwnerOnlyFields(const Caller& c, const Network& net, const v1::Port& port,
                                    const Fields& given) const;
  // The VNI or VLAN of a new network: the given one if free, or a free VNI.
  absl::StatusOr<int> PickSegment(NetworkTx& tx, const Network& net, int given);
  absl::Status ScheduleDhcp(NetworkTx& tx, const std::string& network_id, Casts& casts);
  absl::Status ScheduleRouter(NetworkTx& tx, v1::Router& router, Casts& casts);
  absl::Status CastHostsOfNetwork(NetworkTx& tx, const std::string& network_id, Casts& casts);
  absl::Status CastHostsOfGroup(NetworkTx& tx, const std::string& group_id, Casts& casts);
  absl::Status CastRouterHost(NetworkTx& tx, const std::string& router_id, Casts& casts);
  absl::StatusOr<SecurityGroup> LoadGroup(NetworkTx& tx, const Caller& c, const std::string& id);
  absl::Status FillRouterGateways(NetworkTx& tx, std::vector<v1::Router>& routers);
  absl::Status DeleteRouterGatewayTx(NetworkTx& tx, const std::string& router_id, Casts& casts);
  absl::Status SetRouterGatewayTx(NetworkTx& tx, const Caller& c, v1::Router& router,
                                  const v1::ExternalGateway& gw, Casts& casts);
  // GetHostState's parts, on its one snapshot.
  absl::Status HostNetworks(NetworkTx& tx, const std::string& host,
                            const std::set<std::string>& net_ids, v1::HostState& state);
  absl::Status HostGroups(NetworkTx& tx, const std::set<std::string>& group_ids,
                          v1::HostState& state);
  absl::Status HostDhcp(NetworkTx& tx, const std::string& host,
                        const std::set<std::string>& net_ids, v1::HostState& state);
  absl::Status HostRouters(NetworkTx& tx, const std::string& host, v1::HostState& state);

  std::unique_ptr<NetworkStore> owned_store_;  // the pool constructor's, else null
  NetworkStore& store_;
  amqp::Bus* bus_;
  const Clock& clock_;
  IdGenerator& ids_;
  NetworkOptions options_;
  std::unique_ptr<policy::Enforcer> default_enforcer_;  // when options_.enforcer is null
  const policy::Enforcer* enforcer_;
  absl::Mutex rand_mu_;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(rand_mu_);
};

}  // namespace gureum::network
