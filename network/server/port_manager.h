// Ports and the IPAM of gureum-network: MAC generation, fixed IPs (given, from a subnet, or
// picked from the pools), security group membership, who may point a port at which device.
// The in-transaction pieces (InsertPort, DeletePortTx, MovePort, AllocateFrom) serve the
// managers that make ports of their own: routers, floating IPs, DHCP, compute agents.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class SecurityGroupManager;

class PortManager {
 public:
  // `security_groups` gives a new port its project's default group.
  PortManager(const ManagerDeps& deps, ManagerCore& core, SecurityGroupManager& security_groups);

  absl::StatusOr<v1::Port> CreatePort(const Caller& c, const v1::Port& in, const Fields& given);
  // Neutron's bulk create: all of them in one transaction, or none (the quota counts the
  // batch); `given[i]` is what `in[i]` gave.
  absl::StatusOr<std::vector<v1::Port>> CreatePorts(const Caller& c,
                                                    const std::vector<v1::Port>& in,
                                                    const std::vector<Fields>& given);
  absl::StatusOr<v1::Port> GetPort(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Port>> ListPorts(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Port> UpdatePort(const Caller& c, const v1::Port& in, const Fields& given);
  absl::Status DeletePort(const Caller& c, const std::string& id);

  // ---- in a transaction, for the managers that make ports of their own
  // A new port on `net` with its addresses and groups. `compute_nic` >= 0: a compute agent's
  // port for that NIC of its instance (AllocatePort), which goes with the instance.
  absl::StatusOr<v1::Port> InsertPort(NetworkTx& tx, const Caller& c, const Network& net,
                                      v1::Port port, const Fields& given, Casts& casts,
                                      int compute_nic = -1);
  // Deletes the port (its floating IPs disassociated), casting the hosts concerned.
  absl::Status DeletePortTx(NetworkTx& tx, const v1::Port& port, Casts& casts);
  // Binds the port to `host` ("" unbinds it): DOWN until that host's agent wires it.
  absl::Status MovePort(NetworkTx& tx, const v1::Port& port, const std::string& host);
  // A free address of the subnet's pools, given to the port.
  absl::StatusOr<std::string> AllocateFrom(NetworkTx& tx, const Subnet& subnet,
                                           const std::string& port_id);

 private:
  // One port of a create request, checked and inserted.
  absl::StatusOr<v1::Port> CreatePortTx(NetworkTx& tx, const Caller& c, const v1::Port& in,
                                        const Fields& given, Casts& casts);
  absl::Status AllocateIps(NetworkTx& tx, const Network& net, v1::Port& port,
                           const std::vector<v1::FixedIp>& requested, bool any_given);
  // The groups a new port joins: those given (checked: the port's project's, or any for an
  // admin), else the project's default group; none without port security.
  absl::StatusOr<std::vector<std::string>> GroupsOfNewPort(NetworkTx& tx, const Caller& c,
                                                           const v1::Port& port,
                                                           const Fields& given);
  // The port's security groups become `groups` (each the port's project's, or any for an
  // admin); the hosts of the old and new groups are cast.
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

  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
  SecurityGroupManager& security_groups_;
};

}  // namespace gureum::network
