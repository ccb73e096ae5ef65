// gureum-network's own model: the resources as the store keeps them, in our words and
// independent of proto/network.proto and of Neutron's JSON. The store (network_store.h)
// reads and writes these; the managers turn them into the proto messages the adapters
// serve (model_convert.h).
//
// Times are absl::Time (UTC); "" means "none" for optional references (a port's binding
// host, a floating IP's port, a rule's remote group), as in the database's columns.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gureum::network {

// What every resource carries beside its own fields.
struct Stamps {
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  int64_t revision_number = 0;
};

struct Network {
  std::string id, name, project_id, description;
  bool admin_state_up = true;
  bool shared = false;
  bool router_external = false;
  int mtu = 0;
  bool port_security_enabled = true;
  std::string network_type;             // vxlan, flat, vlan
  std::string physical_network;         // flat/vlan
  int segmentation_id = 0;              // VNI or VLAN id; 0 for flat
  std::vector<std::string> subnet_ids;  // read, never written: the subnets say their network
  std::vector<std::string> tags;
  Stamps stamps;
};

struct AddressRange {  // an allocation pool: first and last address, inclusive
  std::string start, end;
};

struct Route {  // a host route or a router's extra route
  std::string destination, nexthop;
};

struct Subnet {
  std::string id, name, project_id, network_id, description;
  int ip_version = 4;
  std::string cidr;
  std::string gateway_ip;  // "" none
  std::vector<AddressRange> allocation_pools;
  bool enable_dhcp = true;
  std::vector<std::string> dns_nameservers;
  std::vector<Route> host_routes;
  std::string ipv6_ra_mode, ipv6_address_mode;  // "" none
  std::vector<std::string> tags;
  Stamps stamps;
};

struct FixedAddress {  // one address of a port on one subnet
  std::string subnet_id, ip_address;
};

struct AddressPair {  // an allowed address pair; mac "" is the port's own
  std::string ip_address, mac_address;
};

struct DhcpOption {  // Neutron's extra_dhcp_opts: one option dnsmasq gives the port
  std::string name, value;
  int ip_version = 4;
  bool operator==(const DhcpOption& o) const {
    return name == o.name && value == o.value && ip_version == o.ip_version;
  }
};

struct Port {
  std::string id, name, project_id, network_id, description;
  std::string mac_address;
  std::vector<FixedAddress> fixed_ips;
  std::string device_id, device_owner;
  std::string status = "DOWN";
  bool admin_state_up = true;
  bool port_security_enabled = true;
  std::vector<std::string> security_group_ids;
  std::vector<AddressPair> allowed_address_pairs;
  std::vector<DhcpOption> extra_dhcp_opts;
  std::string binding_host;  // "" unbound
  std::string vif_type;
  int mtu = 0;  // the network's
  std::vector<std::string> tags;
  // A compute agent allocated it for an instance's NIC (AllocatePort): it goes with the
  // instance. A user's port handed to a server is only unbound (Nova's preserve_on_delete).
  bool compute_owned = false;
  int compute_nic_index = 0;
  Stamps stamps;
};

struct SecurityGroupRule {
  std::string id, security_group_id, project_id, description;
  std::string direction;  // ingress | egress
  std::string ethertype;  // IPv4 | IPv6
  std::string protocol;   // "" any
  int port_range_min = -1;
  int port_range_max = -1;                        // -1: none
  std::string remote_ip_prefix, remote_group_id;  // "" none
  Stamps stamps;
};

struct SecurityGroup {
  std::string id, name, project_id, description;
  bool stateful = true;
  bool is_default = false;  // the project's "default" group, made on first use
  std::vector<SecurityGroupRule> rules;
  std::vector<std::string> tags;
  Stamps stamps;
};

struct Router {
  std::string id, name, project_id, description;
  std::string status = "ACTIVE";
  bool admin_state_up = true;
  std::string gateway_network_id;  // "" no external gateway
  bool enable_snat = true;
  std::string host;  // the l3 agent's host that runs it, "" unscheduled
  std::vector<Route> routes;
  std::vector<std::string> tags;
  Stamps stamps;
};

struct FloatingIp {
  std::string id, project_id, description;
  std::string floating_network_id, floating_ip_address;
  std::string floating_port_id;  // the port on the external network holding the address
  std::string port_id, fixed_ip_address, router_id;  // "" not associated
  std::string status = "DOWN";
  std::vector<std::string> tags;
  Stamps stamps;
};

// A network agent as its last report left it.
struct Agent {
  std::string id, host, local_ip, version;
  std::map<std::string, std::string> physical_interfaces;  // physical network -> interface
  bool dhcp = false;
  bool l3 = false;
  bool admin_state_up = true;
  absl::Time heartbeat_at = absl::UnixEpoch();
};

// The names the hosts give a network's bridge and a port's tap device.
inline std::string BridgeName(const std::string& network_id) {
  return "brq" + network_id.substr(0, 11);
}
inline std::string TapName(const std::string& port_id) { return "tap" + port_id.substr(0, 11); }

// Neutron's quota resource names: network, subnet, port, router, floatingip,
// security_group, security_group_rule.
struct QuotaDetail {
  int64_t limit = 0;
  int64_t used = 0;
};

}  // namespace gureum::network
