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

}  // namespace gureum::network
