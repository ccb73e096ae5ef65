// Networks and subnets of gureum-network: VNI (or VLAN) allocation and provider attributes,
// subnets with their gateway, pools and DHCP, scheduled onto a DHCP agent when one appears.
// Scoping: a caller sees its project's networks plus shared and external ones (and their
// subnets); everything else is NotFound. See manager_core.h for what every manager shares.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class AgentManager;

class NetworkManager {
 public:
  // `agents` schedules DHCP for a new DHCP-enabled subnet.
  NetworkManager(const ManagerDeps& deps, ManagerCore& core, AgentManager& agents);

  // ---- networks
  absl::StatusOr<v1::Network> CreateNetwork(const Caller& c, const v1::Network& in,
                                            const Fields& given);
  // Neutron's bulk create: all of them in one transaction, or none (the quota counts the
  // batch); `given[i]` is what `in[i]` gave.
  absl::StatusOr<std::vector<v1::Network>> CreateNetworks(const Caller& c,
                                                          const std::vector<v1::Network>& in,
                                                          const std::vector<Fields>& given);
  absl::StatusOr<v1::Network> GetNetwork(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Network>> ListNetworks(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Network> UpdateNetwork(const Caller& c, const v1::Network& in,
                                            const Fields& given);
  absl::Status DeleteNetwork(const Caller& c, const std::string& id);

  // ---- subnets
  absl::StatusOr<v1::Subnet> CreateSubnet(const Caller& c, const v1::Subnet& in,
                                          const Fields& given);
  // Bulk, as CreateNetworks.
  absl::StatusOr<std::vector<v1::Subnet>> CreateSubnets(const Caller& c,
                                                        const std::vector<v1::Subnet>& in,
                                                        const std::vector<Fields>& given);
  absl::StatusOr<v1::Subnet> GetSubnet(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::Subnet>> ListSubnets(const Caller& c, const Filters& f);
  absl::StatusOr<v1::Subnet> UpdateSubnet(const Caller& c, const v1::Subnet& in,
                                          const Fields& given);
  absl::Status DeleteSubnet(const Caller& c, const std::string& id);

 private:
  // The VNI or VLAN of a new network: the given one if free, or a free VNI.
  absl::StatusOr<Network> NetworkToCreate(const Caller& c, const v1::Network& in,
                                          const Fields& given);
  absl::StatusOr<int> PickSegment(NetworkTx& tx, const Network& net, int given);
  // The checked subnet inserted (its project the network's), DHCP scheduled.
  absl::Status InsertSubnetTx(NetworkTx& tx, const Caller& c, Subnet& sub, Casts& casts);
  // 409 when the subnet's gateway may not become `gateway` ("" none); 400 when it is not
  // an address of the subnet.
  absl::Status CheckNewGateway(NetworkTx& tx, const Subnet& cur, const std::string& gateway);

  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
  AgentManager& agents_;
};

}  // namespace gureum::network
