// Test-only builders of the HostState pieces the server would send (networks, subnets,
// ports, groups, DHCP, routers), so tests write the state they want in a few lines.
#pragma once

#include <string>
#include <vector>

#include "network.pb.h"

namespace gureum::network_agent::testing {

namespace pb = ::gureum::network::v1;

pb::Subnet Subnet(const std::string& id, const std::string& network_id, const std::string& cidr,
                  const std::string& gateway);
// The subnet most tests put their ports on: s1, 10.0.0.0/24 on network net00000000001.
inline const pb::Subnet kSubnet = Subnet("s1", "net00000000001", "10.0.0.0/24", "10.0.0.1");
// A VXLAN network (MTU 1450) with its bridge name.
pb::HostNetwork VxlanNetwork(const std::string& id, int vni, const pb::Subnet& subnet);
// A flat provider network on `physnet` (MTU 1500).
pb::HostNetwork FlatNetwork(const std::string& id, const std::string& physnet,
                            const pb::Subnet& subnet);
pb::Port Port(const std::string& id, const pb::Subnet& subnet, const std::string& mac,
              const std::string& ip, const std::string& device_owner,
              const std::vector<std::string>& groups = {});
pb::SecurityGroupRule Rule(const std::string& id, const std::string& group,
                           const std::string& direction, const std::string& protocol = "",
                           int min = -1, int max = -1, const std::string& remote_ip_prefix = "",
                           const std::string& remote_group = "");
pb::SecurityGroupState Group(const std::string& id, const std::vector<pb::SecurityGroupRule>& rules,
                             const std::vector<std::string>& members = {});
pb::DhcpNetwork Dhcp(const pb::Port& dhcp_port, const pb::Subnet& subnet,
                     const std::vector<pb::Port>& ports);

}  // namespace gureum::network_agent::testing
