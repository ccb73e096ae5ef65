#include "network/agent/tests/host_states.h"

#include "absl/strings/str_replace.h"

namespace gureum::network_agent::testing {

pb::Subnet Subnet(const std::string& id, const std::string& network_id, const std::string& cidr,
                  const std::string& gateway) {
  pb::Subnet s;
  s.set_id(id);
  s.set_network_id(network_id);
  s.set_ip_version(cidr.find(':') == std::string::npos ? 4 : 6);
  s.set_cidr(cidr);
  s.set_gateway_ip(gateway);
  s.set_enable_dhcp(true);
  return s;
}

pb::HostNetwork VxlanNetwork(const std::string& id, int vni, const pb::Subnet& subnet) {
  pb::HostNetwork hn;
  pb::Network* n = hn.mutable_network();
  n->set_id(id);
  n->set_network_type("vxlan");
  n->set_segmentation_id(vni);
  n->set_mtu(1450);
  n->set_admin_state_up(true);
  n->set_port_security_enabled(true);
  n->set_bridge_name("brq" + id.substr(0, 11));
  n->add_subnet_ids(subnet.id());
  *hn.add_subnets() = subnet;
  return hn;
}

pb::HostNetwork FlatNetwork(const std::string& id, const std::string& physnet,
                            const pb::Subnet& subnet) {
  pb::HostNetwork hn;
  pb::Network* n = hn.mutable_network();
  n->set_id(id);
  n->set_network_type("flat");
  n->set_physical_network(physnet);
  n->set_mtu(1500);
  n->set_admin_state_up(true);
  n->set_router_external(true);
  n->set_bridge_name("brq" + id.substr(0, 11));
  n->add_subnet_ids(subnet.id());
  *hn.add_subnets() = subnet;
  return hn;
}

pb::Port Port(const std::string& id, const pb::Subnet& subnet, const std::string& mac,
              const std::string& ip, const std::string& device_owner,
              const std::vector<std::string>& groups) {
  pb::Port p;
  p.set_id(id);
  p.set_network_id(subnet.network_id());
  p.set_mac_address(mac);
  pb::FixedIp* f = p.add_fixed_ips();
  f->set_subnet_id(subnet.id());
  f->set_ip_address(ip);
  p.set_device_owner(device_owner);
  p.set_status("DOWN");
  p.set_admin_state_up(true);
  p.set_port_security_enabled(device_owner.rfind("compute:", 0) == 0);
  for (const std::string& g : groups) p.add_security_group_ids(g);
  p.set_binding_host("host");
  p.set_vif_type("bridge");
  p.set_bridge_name("brq" + subnet.network_id().substr(0, 11));
  p.set_tap_name("tap" + id.substr(0, 11));
  return p;
}

pb::SecurityGroupRule Rule(const std::string& id, const std::string& group,
                           const std::string& direction, const std::string& protocol, int min,
                           int max, const std::string& remote_ip_prefix,
                           const std::string& remote_group) {
  pb::SecurityGroupRule r;
  r.set_id(id);
  r.set_security_group_id(group);
  r.set_direction(direction);
  r.set_ethertype("IPv4");
  r.set_protocol(protocol);
  r.set_port_range_min(min);
  r.set_port_range_max(max);
  r.set_remote_ip_prefix(remote_ip_prefix);
  r.set_remote_group_id(remote_group);
  return r;
}

pb::SecurityGroupState Group(const std::string& id, const std::vector<pb::SecurityGroupRule>& rules,
                             const std::vector<std::string>& members) {
  pb::SecurityGroupState g;
  g.mutable_group()->set_id(id);
  g.mutable_group()->set_stateful(true);
  for (const auto& r : rules) *g.mutable_group()->add_rules() = r;
  for (const auto& m : members) g.add_member_ips(m);
  return g;
}

pb::DhcpNetwork Dhcp(const pb::Port& dhcp_port, const pb::Subnet& subnet,
                     const std::vector<pb::Port>& ports) {
  pb::DhcpNetwork d;
  d.set_network_id(subnet.network_id());
  *d.mutable_dhcp_port() = dhcp_port;
  *d.add_subnets() = subnet;
  for (const pb::Port& p : ports) {
    pb::DhcpHost* h = d.add_hosts();
    h->set_mac_address(p.mac_address());
    h->set_ip_address(p.fixed_ips(0).ip_address());
    h->set_hostname("host-" + absl::StrReplaceAll(p.fixed_ips(0).ip_address(), {{".", "-"}}));
  }
  return d;
}

}  // namespace gureum::network_agent::testing
