// What gureum-network's manager classes share (network_manager.h: networks and subnets;
// port_manager.h, security_group_manager.h, router_manager.h, floating_ip_manager.h,
// agent_manager.h, compute_port_manager.h, quota_manager.h): their collaborators
// (ManagerDeps), and ManagerCore: one transaction with the casts to send after it commits,
// the loads that apply who sees what, the quota check, and the hosts a change concerns.
// NetworkManagers (network_managers.h) builds one of each; everything referred to must
// outlive the managers. A manager needing another takes it in its constructor.
//
// Resources are the proto messages of proto/network.proto (the gRPC API is a pass-through
// and the REST adapter maps them to Neutron's JSON); creates and updates take the set of
// field names the caller gave (`Fields`), because Neutron's defaults and PUT semantics
// depend on presence, which proto3 scalars cannot express.
//
// Concurrency: every operation is one store transaction. IP addresses are unique by
// (subnet, address), VNIs by the store's unique check, and both are picked from a random
// offset and retried on conflict, so concurrent creates never share one. Everything that
// changes what a host must wire casts AgentCast to network-agent.<host> after the commit
// (best effort: agents also resync periodically).
//
// Thread-safe; blocking (store, AMQP): never call on gRPC callback threads.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"
#include "common/amqp/notifier.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "network/server/model.h"
#include "network/server/network_access.h"
#include "network/server/network_options.h"
#include "network/server/network_store.h"

#include "network.pb.h"

namespace gureum::network {

// v1 is the generated gureum::network::v1 (network.proto), already in scope here.

struct ManagerDeps {
  NetworkStore& store;
  amqp::Bus* bus;  // may be null: no casts (tests and tools)
  const Clock& clock;
  IdGenerator& ids;
  const NetworkOptions& options;
  const NetworkAccess& access;  // the policy, checked in the managers
  // Neutron's notifications on the `notifications` exchange; may be null: none.
  amqp::Notifier* notifier = nullptr;
};

// The hosts to cast to after a commit, and why.
struct Casts {
  std::set<std::string> hosts;
  std::string reason;
  void Add(const std::string& host) {
    if (!host.empty()) hosts.insert(host);
  }
};

class ManagerCore {
 public:
  explicit ManagerCore(const ManagerDeps& deps);

  // One transaction: `fn` runs, and again (up to 8 times) when a generated MAC or VNI
  // collided with a concurrent create (AlreadyExists without an ErrorKind). With hosts in
  // its Casts the generation is bumped in the transaction and AgentCast goes to each after
  // the commit.
  absl::Status Run(const std::function<absl::Status(NetworkTx&, Casts&)>& fn);

  // Loads applying who sees what: NotFound (with the resource's ErrorKind) for a row the
  // caller may not see. A service sees every network, subnet, port and router.
  absl::StatusOr<Network> LoadNetwork(NetworkTx& tx, const Caller& c, const std::string& id,
                                      bool with_subnets = true);
  absl::StatusOr<Subnet> LoadSubnet(NetworkTx& tx, const Caller& c, const std::string& id);
  // The network's subnets in creation order (only the DHCP-enabled ones: `dhcp_only`).
  absl::StatusOr<std::vector<Subnet>> SubnetsOfNetwork(NetworkTx& tx, const std::string& network_id,
                                                       bool dhcp_only);
  absl::StatusOr<v1::Port> LoadPort(NetworkTx& tx, const Caller& c, const std::string& id);
  // Ports of every project (the store's filters), as the API shows them.
  absl::StatusOr<std::vector<v1::Port>> QueryPorts(NetworkTx& tx, const Filters& f);
  // With the gateway's fixed IPs.
  absl::StatusOr<v1::Router> LoadRouter(NetworkTx& tx, const Caller& c, const std::string& id);
  absl::Status FillRouterGateways(NetworkTx& tx, std::vector<v1::Router>& routers);
  absl::StatusOr<SecurityGroup> LoadGroup(NetworkTx& tx, const Caller& c, const std::string& id);
  absl::StatusOr<FloatingIp> LoadFloatingIp(NetworkTx& tx, const Caller& c, const std::string& id);

  // 409 OverQuota when the project's `resource` count plus `adding` passes its limit.
  absl::Status CheckQuota(NetworkTx& tx, const std::string& project, const std::string& resource,
                          int adding);

  // The hosts a change concerns, into `casts`.
  absl::Status CastHostsOfNetwork(NetworkTx& tx, const std::string& network_id, Casts& casts);
  absl::Status CastHostsOfGroup(NetworkTx& tx, const std::string& group_id, Casts& casts);
  absl::Status CastRouterHost(NetworkTx& tx, const std::string& router_id, Casts& casts);

  // Neutron's notifications, sent after the commit (best effort): "port.create.end",
  // "port.update.end", "port.delete.end" with {port_id, tenant_id, network_id, device_id,
  // device_owner, status}; "floatingip.{create,update,delete}.end" with {floatingip_id,
  // tenant_id, floating_ip_address, port_id, fixed_ip_address, status}.
  void NotifyPort(const std::string& event_type, const v1::Port& port) const;
  void NotifyFloatingIp(const std::string& event_type, const v1::FloatingIp& fip) const;

  uint32_t Random24();
  uint64_t RandomBelow(uint64_t n);

 private:
  void SendCasts(const Casts& casts);

  NetworkStore& store_;
  amqp::Bus* bus_;
  amqp::Notifier* notifier_;  // may be null
  const Clock& clock_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  absl::Mutex rand_mu_;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(rand_mu_);
};

}  // namespace gureum::network
