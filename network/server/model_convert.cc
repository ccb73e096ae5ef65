#include "network/server/model_convert.h"

namespace gureum::network {

namespace {

std::string StampText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

template <typename Message>
void SetStamps(const Stamps& s, Message& m) {
  m.set_created_at(StampText(s.created_at));
  m.set_updated_at(StampText(s.updated_at));
  m.set_revision_number(s.revision_number);
}

}  // namespace

v1::Network ToProto(const Network& n) {
  v1::Network x;
  x.set_id(n.id);
  x.set_name(n.name);
  x.set_project_id(n.project_id);
  x.set_status("ACTIVE");
  x.set_admin_state_up(n.admin_state_up);
  x.set_shared(n.shared);
  x.set_router_external(n.router_external);
  x.set_mtu(n.mtu);
  x.set_port_security_enabled(n.port_security_enabled);
  x.set_network_type(n.network_type);
  x.set_physical_network(n.physical_network);
  x.set_segmentation_id(n.segmentation_id);
  for (const auto& id : n.subnet_ids) x.add_subnet_ids(id);
  x.set_description(n.description);
  for (const auto& t : n.tags) x.add_tags(t);
  SetStamps(n.stamps, x);
  x.set_bridge_name(BridgeName(n.id));
  return x;
}

v1::Subnet ToProto(const Subnet& s) {
  v1::Subnet x;
  x.set_id(s.id);
  x.set_name(s.name);
  x.set_project_id(s.project_id);
  x.set_network_id(s.network_id);
  x.set_ip_version(s.ip_version);
  x.set_cidr(s.cidr);
  x.set_gateway_ip(s.gateway_ip);
  for (const auto& p : s.allocation_pools) {
    auto* o = x.add_allocation_pools();
    o->set_start(p.start);
    o->set_end(p.end);
  }
  x.set_enable_dhcp(s.enable_dhcp);
  for (const auto& d : s.dns_nameservers) x.add_dns_nameservers(d);
  for (const auto& h : s.host_routes) {
    auto* o = x.add_host_routes();
    o->set_destination(h.destination);
    o->set_nexthop(h.nexthop);
  }
  x.set_ipv6_ra_mode(s.ipv6_ra_mode);
  x.set_ipv6_address_mode(s.ipv6_address_mode);
  x.set_description(s.description);
  for (const auto& t : s.tags) x.add_tags(t);
  SetStamps(s.stamps, x);
  return x;
}

v1::SecurityGroupRule ToProto(const SecurityGroupRule& r) {
  v1::SecurityGroupRule x;
  x.set_id(r.id);
  x.set_security_group_id(r.security_group_id);
  x.set_project_id(r.project_id);
  x.set_direction(r.direction);
  x.set_ethertype(r.ethertype);
  x.set_protocol(r.protocol);
  x.set_port_range_min(r.port_range_min);
  x.set_port_range_max(r.port_range_max);
  x.set_remote_ip_prefix(r.remote_ip_prefix);
  x.set_remote_group_id(r.remote_group_id);
  x.set_description(r.description);
  SetStamps(r.stamps, x);
  return x;
}

v1::SecurityGroup ToProto(const SecurityGroup& g) {
  v1::SecurityGroup x;
  x.set_id(g.id);
  x.set_name(g.name);
  x.set_project_id(g.project_id);
  x.set_description(g.description);
  x.set_stateful(g.stateful);
  for (const auto& r : g.rules) *x.add_rules() = ToProto(r);
  for (const auto& t : g.tags) x.add_tags(t);
  SetStamps(g.stamps, x);
  return x;
}

v1::Router ToProto(const Router& r) {
  v1::Router x;
  x.set_id(r.id);
  x.set_name(r.name);
  x.set_project_id(r.project_id);
  x.set_status(r.status);
  x.set_admin_state_up(r.admin_state_up);
  if (!r.gateway_network_id.empty()) {
    x.mutable_external_gateway()->set_network_id(r.gateway_network_id);
    x.mutable_external_gateway()->set_enable_snat(r.enable_snat);
  }
  for (const auto& h : r.routes) {
    auto* o = x.add_routes();
    o->set_destination(h.destination);
    o->set_nexthop(h.nexthop);
  }
  x.set_description(r.description);
  for (const auto& t : r.tags) x.add_tags(t);
  SetStamps(r.stamps, x);
  return x;
}

v1::FloatingIp ToProto(const FloatingIp& f) {
  v1::FloatingIp x;
  x.set_id(f.id);
  x.set_project_id(f.project_id);
  x.set_floating_network_id(f.floating_network_id);
  x.set_floating_ip_address(f.floating_ip_address);
  x.set_port_id(f.port_id);
  x.set_fixed_ip_address(f.fixed_ip_address);
  x.set_router_id(f.router_id);
  x.set_status(f.status);
  x.set_description(f.description);
  for (const auto& t : f.tags) x.add_tags(t);
  SetStamps(f.stamps, x);
  return x;
}

v1::Agent ToProto(const Agent& a, bool alive) {
  v1::Agent x;
  x.set_id(a.id);
  x.set_host(a.host);
  x.set_agent_type("Linux bridge agent");
  x.set_binary("gureum-network-agent");
  x.set_alive(alive);
  x.set_admin_state_up(a.admin_state_up);
  x.set_local_ip(a.local_ip);
  x.set_dhcp(a.dhcp);
  x.set_l3(a.l3);
  x.set_heartbeat_at(absl::FormatTime("%Y-%m-%d %H:%M:%S", a.heartbeat_at, absl::UTCTimeZone()));
  return x;
}

v1::Port ToProto(const Port& p) {
  v1::Port x;
  x.set_id(p.id);
  x.set_name(p.name);
  x.set_project_id(p.project_id);
  x.set_network_id(p.network_id);
  x.set_mac_address(p.mac_address);
  for (const auto& f : p.fixed_ips) {
    auto* o = x.add_fixed_ips();
    o->set_subnet_id(f.subnet_id);
    o->set_ip_address(f.ip_address);
  }
  x.set_device_id(p.device_id);
  x.set_device_owner(p.device_owner);
  x.set_status(p.status);
  x.set_admin_state_up(p.admin_state_up);
  x.set_port_security_enabled(p.port_security_enabled);
  for (const auto& g : p.security_group_ids) x.add_security_group_ids(g);
  for (const auto& a : p.allowed_address_pairs) {
    auto* o = x.add_allowed_address_pairs();
    o->set_ip_address(a.ip_address);
    o->set_mac_address(a.mac_address);
  }
  for (const auto& d : p.extra_dhcp_opts) {
    auto* o = x.add_extra_dhcp_opts();
    o->set_opt_name(d.name);
    o->set_opt_value(d.value);
    o->set_ip_version(d.ip_version);
  }
  x.set_binding_host(p.binding_host);
  x.set_vif_type(p.binding_host.empty() ? p.vif_type : "bridge");
  x.set_bridge_name(BridgeName(p.network_id));
  x.set_tap_name(TapName(p.id));
  x.set_mtu(p.mtu);
  x.set_description(p.description);
  for (const auto& t : p.tags) x.add_tags(t);
  SetStamps(p.stamps, x);
  return x;
}

Port PortFromProto(const v1::Port& x) {
  Port p;
  p.id = x.id();
  p.name = x.name();
  p.project_id = x.project_id();
  p.network_id = x.network_id();
  p.description = x.description();
  p.mac_address = x.mac_address();
  for (const auto& f : x.fixed_ips()) p.fixed_ips.push_back({f.subnet_id(), f.ip_address()});
  p.device_id = x.device_id();
  p.device_owner = x.device_owner();
  p.status = x.status();
  p.admin_state_up = x.admin_state_up();
  p.port_security_enabled = x.port_security_enabled();
  p.security_group_ids.assign(x.security_group_ids().begin(), x.security_group_ids().end());
  for (const auto& a : x.allowed_address_pairs())
    p.allowed_address_pairs.push_back({a.ip_address(), a.mac_address()});
  for (const auto& d : x.extra_dhcp_opts())
    p.extra_dhcp_opts.push_back({d.opt_name(), d.opt_value(), d.ip_version()});
  p.binding_host = x.binding_host();
  p.vif_type = x.vif_type();
  p.mtu = x.mtu();
  p.tags.assign(x.tags().begin(), x.tags().end());
  p.stamps.revision_number = x.revision_number();
  return p;
}

}  // namespace gureum::network
