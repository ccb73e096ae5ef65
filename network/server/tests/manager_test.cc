// The managers on the fake store and on PostgreSQL (tests/fixture.h): Neutron's semantics for bad
// input, project isolation, defaults (gateway, pools, MTU, VNI, default security group), routers
// and floating IPs.
#include <set>

#include "network/server/ipam.h"
#include "network/server/network_policy.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

TEST_CASE("networks get a VXLAN VNI in range, MTU 1450, and provider attributes are admin-only") {
  NetworkOptions o;
  o.vni_min = 100;
  o.vni_max = 102;
  Fixture f(o);
  std::set<int> vnis;
  for (int i = 0; i < 3; ++i) {
    v1::Network n = f.Net(f.a, "n" + std::to_string(i));
    CHECK(n.network_type() == "vxlan");
    CHECK(n.mtu() == 1450);
    CHECK(n.status() == "ACTIVE");
    CHECK(n.admin_state_up());
    CHECK(n.port_security_enabled());
    CHECK(n.bridge_name() == "brq" + n.id().substr(0, 11));
    vnis.insert(n.segmentation_id());
  }
  CHECK(vnis == std::set<int>{100, 101, 102});
  auto full = f.m().networks().CreateNetwork(f.a, v1::Network(), {});
  CHECK(full.status().code() == absl::StatusCode::kUnavailable);
  CHECK(ErrorKindOf(full.status()) == ErrorKind::kNoSegmentLeft);

  v1::Network flat;
  flat.set_network_type("flat");
  flat.set_physical_network("physnet1");
  auto denied = f.m().networks().CreateNetwork(f.a, flat, {"network_type", "physical_network"});
  CHECK(Http(denied.status()) == 403);
  auto made = f.m().networks().CreateNetwork(f.admin, flat, {"network_type", "physical_network"});
  REQUIRE(made.ok());
  CHECK(made->mtu() == 1500);
  CHECK(made->segmentation_id() == 0);
  auto again = f.m().networks().CreateNetwork(f.admin, flat, {"network_type", "physical_network"});
  CHECK(Http(again.status()) == 409);
}

TEST_CASE("subnets: default gateway and pool, bad CIDRs 400, overlap on one network 400") {
  Fixture f;
  v1::Network n = f.Net(f.a, "net");
  v1::Subnet s = f.Sub(f.a, n.id(), "10.0.0.0/24");
  CHECK(s.gateway_ip() == "10.0.0.1");
  REQUIRE(s.allocation_pools_size() == 1);
  CHECK(s.allocation_pools(0).start() == "10.0.0.2");
  CHECK(s.allocation_pools(0).end() == "10.0.0.254");
  CHECK(s.ip_version() == 4);
  CHECK(s.enable_dhcp());

  v1::Subnet bad;
  bad.set_network_id(n.id());
  for (const char* cidr : {"10.1.0.5/24", "10.1.0.0/40", "not-a-cidr", "300.0.0.0/8"}) {
    bad.set_cidr(cidr);
    auto r = f.m().networks().CreateSubnet(f.a, bad, {});
    INFO(cidr);
    CHECK(Http(r.status()) == 400);
  }
  bad.set_cidr("10.0.0.128/25");
  auto overlap = f.m().networks().CreateSubnet(f.a, bad, {});
  CHECK(Http(overlap.status()) == 400);
  CHECK(std::string(overlap.status().message()).find("overlaps") != std::string::npos);
  bad.set_cidr("10.2.0.0/24");
  bad.set_gateway_ip("10.3.0.1");
  CHECK(Http(f.m().networks().CreateSubnet(f.a, bad, {"gateway_ip"}).status()) == 400);

  v1::Subnet v6 = f.Sub(f.a, n.id(), "fd00:1::/64");
  CHECK(v6.ip_version() == 6);
  CHECK(v6.gateway_ip() == "fd00:1::1");
  auto p = f.Port(f.a, n.id());
  REQUIRE(p.ok());
  REQUIRE(p->fixed_ips_size() == 2);  // one IPv4, one IPv6
  CHECK(p->mac_address().rfind("fa:16:3e:", 0) == 0);
  CHECK(p->status() == "DOWN");
}

TEST_CASE("ports: address outside the subnet 400, taken 409, exhausted pool 409") {
  Fixture f;
  v1::Network n = f.Net(f.a, "net");
  v1::Subnet s = f.Sub(f.a, n.id(), "10.0.0.0/28", /*dhcp=*/false);
  auto outside = f.Port(f.a, n.id(), "10.9.9.9", s.id());
  CHECK(Http(outside.status()) == 400);
  CHECK(ErrorKindOf(outside.status()) == ErrorKind::kAddressNotOnSubnet);
  CHECK(Http(f.Port(f.a, n.id(), "10.9.9.9").status()) == 400);
  CHECK(Http(f.Port(f.a, n.id(), "banana").status()) == 400);
  auto fixed = f.Port(f.a, n.id(), "10.0.0.5");
  REQUIRE(fixed.ok());
  CHECK(fixed->fixed_ips(0).ip_address() == "10.0.0.5");
  auto taken = f.Port(f.a, n.id(), "10.0.0.5");
  CHECK(Http(taken.status()) == 409);
  CHECK(ErrorKindOf(taken.status()) == ErrorKind::kAddressTaken);
  // 10.0.0.2 .. 10.0.0.14: 13 addresses, one already used.
  std::set<std::string> ips = {"10.0.0.5"};
  for (int i = 0; i < 12; ++i) {
    auto p = f.Port(f.a, n.id());
    REQUIRE(p.ok());
    ips.insert(p->fixed_ips(0).ip_address());
  }
  CHECK(ips.size() == 13);
  CHECK(ips.count("10.0.0.1") == 0);
  CHECK(ips.count("10.0.0.15") == 0);
  auto exhausted = f.Port(f.a, n.id());
  CHECK(Http(exhausted.status()) == 409);
  CHECK(ErrorKindOf(exhausted.status()) == ErrorKind::kAddressesExhausted);
  // Nothing half-written: the failed create left no port.
  auto ports = f.m().ports().ListPorts(f.a, {{"network_id", {n.id()}}});
  REQUIRE(ports.ok());
  CHECK(ports->size() == 13);
}

TEST_CASE("another project's network is 404, a shared one is usable, network in use 409") {
  Fixture f;
  v1::Network n = f.Net(f.a, "private");
  v1::Subnet s = f.Sub(f.a, n.id(), "10.0.0.0/24");
  CHECK(Http(f.m().networks().GetNetwork(f.b, n.id()).status()) == 404);
  CHECK(Http(f.m().networks().GetSubnet(f.b, s.id()).status()) == 404);
  CHECK(Http(f.m().networks().DeleteNetwork(f.b, n.id())) == 404);
  CHECK(Http(f.Port(f.b, n.id()).status()) == 404);
  auto listed = f.m().networks().ListNetworks(f.b, {});
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  auto port = f.Port(f.a, n.id());
  REQUIRE(port.ok());
  CHECK(Http(f.m().ports().GetPort(f.b, port->id()).status()) == 404);
  CHECK(Http(f.m().ports().DeletePort(f.b, port->id())) == 404);
  auto in_use = f.m().networks().DeleteNetwork(f.a, n.id());
  CHECK(Http(in_use) == 409);
  CHECK(ErrorKindOf(in_use) == ErrorKind::kNetworkInUse);
  CHECK(Http(f.m().networks().DeleteSubnet(f.a, s.id())) == 409);
  REQUIRE(f.m().ports().DeletePort(f.a, port->id()).ok());
  CHECK(f.m().networks().DeleteNetwork(f.a, n.id()).ok());
  CHECK(Http(f.m().networks().GetNetwork(f.a, n.id()).status()) == 404);

  v1::Network shared;
  shared.set_name("shared");
  shared.set_shared(true);
  CHECK(Http(f.m().networks().CreateNetwork(f.a, shared, {"shared"}).status()) == 403);
  auto sh = f.m().networks().CreateNetwork(f.admin, shared, {"shared"});
  REQUIRE(sh.ok());
  f.Sub(f.admin, sh->id(), "192.168.0.0/24");
  auto bport = f.Port(f.b, sh->id());
  REQUIRE(bport.ok());
  CHECK(bport->project_id() == "project-b");
  CHECK(Http(f.m().ports().GetPort(f.a, bport->id()).status()) == 404);
}

TEST_CASE("quotas: exceeding one is 409 OverQuota, admins set limits") {
  Fixture f;
  auto set = f.m().quotas().UpdateQuotas(f.admin, "project-a", {{"network", 2}});
  REQUIRE(set.ok());
  CHECK(set->at("network").limit == 2);
  CHECK(Http(f.m().quotas().UpdateQuotas(f.a, "project-a", {{"network", 100}}).status()) == 403);
  f.Net(f.a, "one");
  f.Net(f.a, "two");
  auto over = f.m().networks().CreateNetwork(f.a, v1::Network(), {});
  CHECK(Http(over.status()) == 409);
  CHECK(ErrorKindOf(over.status()) == ErrorKind::kOverQuota);
  auto q = f.m().quotas().GetQuotas(f.a, "project-a");
  REQUIRE(q.ok());
  CHECK(q->at("network").used == 2);
  CHECK(q->at("port").limit == 500);
  CHECK(Http(f.m().quotas().GetQuotas(f.a, "project-b").status()) == 403);
}

TEST_CASE("security groups: the default group, a new group's egress rules, rule validation") {
  Fixture f;
  auto groups = f.m().security_groups().ListSecurityGroups(f.a, {});
  REQUIRE(groups.ok());
  REQUIRE(groups->size() == 1);
  const v1::SecurityGroup& def = (*groups)[0];
  CHECK(def.name() == "default");
  REQUIRE(def.rules_size() == 4);
  int ingress_self = 0, egress = 0;
  for (const auto& r : def.rules()) {
    if (r.direction() == "ingress" && r.remote_group_id() == def.id()) ++ingress_self;
    if (r.direction() == "egress" && r.remote_group_id().empty() && r.remote_ip_prefix().empty())
      ++egress;
  }
  CHECK(ingress_self == 2);
  CHECK(egress == 2);
  v1::SecurityGroup web;
  web.set_name("web");
  auto g = f.m().security_groups().CreateSecurityGroup(f.a, web);
  REQUIRE(g.ok());
  REQUIRE(g->rules_size() == 2);
  CHECK(g->rules(0).direction() == "egress");

  v1::SecurityGroupRule r;
  r.set_security_group_id(g->id());
  r.set_direction("ingress");
  r.set_protocol("tcp");
  r.set_port_range_min(22);
  r.set_port_range_max(22);
  r.set_remote_ip_prefix("0.0.0.0/0");
  Fields given = {"port_range_min", "port_range_max"};
  auto made = f.m().security_groups().CreateSecurityGroupRule(f.a, r, given);
  REQUIRE(made.ok());
  CHECK(made->ethertype() == "IPv4");
  auto dup = f.m().security_groups().CreateSecurityGroupRule(f.a, r, given);
  CHECK(Http(dup.status()) == 409);
  CHECK(ErrorKindOf(dup.status()) == ErrorKind::kDuplicateRule);
  CHECK(Http(f.m().security_groups().CreateSecurityGroupRule(f.b, r, given).status()) == 404);
  v1::SecurityGroupRule bad = r;
  bad.set_port_range_min(30);
  bad.set_port_range_max(20);
  CHECK(Http(f.m().security_groups().CreateSecurityGroupRule(f.a, bad, given).status()) == 400);
  bad = r;
  bad.set_protocol("banana");
  CHECK(Http(f.m().security_groups().CreateSecurityGroupRule(f.a, bad, given).status()) == 400);
  bad = r;
  bad.set_remote_ip_prefix("fd00::/64");
  CHECK(Http(f.m().security_groups().CreateSecurityGroupRule(f.a, bad, given).status()) == 400);
  bad = r;
  bad.set_direction("sideways");
  CHECK(Http(f.m().security_groups().CreateSecurityGroupRule(f.a, bad, given).status()) == 400);
  CHECK(Http(f.m().security_groups().GetSecurityGroup(f.b, g->id()).status()) == 404);
  // A port picks the default group; a group in use cannot be deleted.
  v1::Network n = f.Net(f.a, "n");
  f.Sub(f.a, n.id(), "10.0.0.0/24");
  auto p = f.Port(f.a, n.id());
  REQUIRE(p.ok());
  REQUIRE(p->security_group_ids_size() == 1);
  CHECK(p->security_group_ids(0) == def.id());
  CHECK(Http(f.m().security_groups().DeleteSecurityGroup(f.a, def.id())) == 409);
  CHECK(f.m().security_groups().DeleteSecurityGroupRule(f.a, made->id()).ok());
  CHECK(f.m().security_groups().DeleteSecurityGroup(f.a, g->id()).ok());
}

TEST_CASE("deleting a group deletes the other groups' rules that name it as remote, as Neutron") {
  Fixture f;
  v1::AgentReport report;
  report.set_host("h1");
  report.set_local_ip("192.0.2.1");
  REQUIRE(f.m().agents().ReportAgent(f.service, report).ok());
  v1::SecurityGroup x;
  x.set_name("web");
  auto web = f.m().security_groups().CreateSecurityGroup(f.a, x);
  x.set_name("peer");
  auto peer = f.m().security_groups().CreateSecurityGroup(f.a, x);
  REQUIRE(web.ok());
  REQUIRE(peer.ok());
  v1::SecurityGroupRule r;
  r.set_security_group_id(web->id());
  r.set_direction("ingress");
  r.set_remote_group_id(peer->id());
  auto from_peer = f.m().security_groups().CreateSecurityGroupRule(f.a, r, {});
  REQUIRE(from_peer.ok());
  r.set_security_group_id(peer->id());  // and a rule of its own naming itself
  REQUIRE(f.m().security_groups().CreateSecurityGroupRule(f.a, r, {}).ok());
  // A VM in "web" on h1: its agent learns that its rules changed.
  v1::Network n = f.Net(f.a, "n");
  f.Sub(f.a, n.id(), "10.0.0.0/24");
  v1::AllocatePortRequest req;
  req.set_network_id(n.id());
  req.set_project_id("project-a");
  req.set_device_id("vm-1");
  req.set_device_owner("compute:nova");
  req.set_host("h1");
  req.add_security_group_names("web");
  REQUIRE(f.m().compute_ports().AllocatePort(f.service, req).ok());
  size_t casts = f.bus().Queued("network-agent.h1").size();
  int64_t revision = f.m().security_groups().GetSecurityGroup(f.a, web->id())->revision_number();

  CHECK(Http(f.m().security_groups().DeleteSecurityGroup(f.b, peer->id())) == 404);
  REQUIRE(f.m().security_groups().DeleteSecurityGroup(f.a, peer->id()).ok());
  CHECK(Http(f.m().security_groups().GetSecurityGroup(f.a, peer->id()).status()) == 404);
  CHECK(Http(f.m().security_groups().GetSecurityGroupRule(f.a, from_peer->id()).status()) == 404);
  auto after = f.m().security_groups().GetSecurityGroup(f.a, web->id());
  REQUIRE(after.ok());
  CHECK(after->rules_size() == 2);  // its two egress rules
  for (const auto& rule : after->rules()) CHECK(rule.remote_group_id().empty());
  CHECK(after->revision_number() > revision);
  CHECK(f.bus().Queued("network-agent.h1").size() == casts + 1);
  v1::AgentCast cast;
  REQUIRE(cast.ParseFromString(f.bus().Queued("network-agent.h1").back().body));
  CHECK(cast.reason() == "security group deleted " + peer->id());
}

TEST_CASE(
    "routers: interfaces hold the gateway IP, overlapping CIDRs 400, floating IPs need a route") {
  Fixture f;
  v1::Network ext = f.Net(f.admin, "public", /*external=*/true);
  v1::Subnet ext_sub = f.Sub(f.admin, ext.id(), "203.0.113.0/24", false);
  v1::Network n1 = f.Net(f.a, "n1");
  v1::Subnet s1 = f.Sub(f.a, n1.id(), "10.0.0.0/24");
  v1::Network n2 = f.Net(f.a, "n2");
  v1::Subnet s2 = f.Sub(f.a, n2.id(), "10.0.0.0/16");  // overlaps s1 (another network: fine)
  v1::Router router;
  router.set_name("r");
  auto r = f.m().routers().CreateRouter(f.a, router, {});
  REQUIRE(r.ok());
  auto i1 = f.m().routers().AddRouterInterface(f.a, r->id(), s1.id(), "");
  REQUIRE(i1.ok());
  auto leg = f.m().ports().GetPort(f.a, i1->port_id);
  REQUIRE(leg.ok());
  CHECK(leg->device_owner() == "network:router_interface");
  CHECK(leg->fixed_ips(0).ip_address() == "10.0.0.1");
  auto i2 = f.m().routers().AddRouterInterface(f.a, r->id(), s2.id(), "");
  CHECK(Http(i2.status()) == 400);
  CHECK(std::string(i2.status().message()).find("overlaps") != std::string::npos);
  CHECK(Http(f.m().routers().AddRouterInterface(f.b, r->id(), s1.id(), "").status()) == 404);
  CHECK(Http(f.m().networks().DeleteNetwork(f.a, n1.id())) == 409);
  CHECK(Http(f.m().ports().DeletePort(f.a, i1->port_id)) == 409);
  CHECK(Http(f.m().routers().DeleteRouter(f.a, r->id())) == 409);

  auto vm = f.Port(f.a, n1.id());
  REQUIRE(vm.ok());
  v1::FloatingIp fip;
  fip.set_floating_network_id(n1.id());
  CHECK(Http(f.m().floating_ips().CreateFloatingIp(f.a, fip, {}).status()) == 400);  // not external
  fip.set_floating_network_id(ext.id());
  auto made = f.m().floating_ips().CreateFloatingIp(f.a, fip, {});
  REQUIRE(made.ok());
  auto addr = ParseIp(made->floating_ip_address());
  REQUIRE(addr.ok());
  CHECK(Contains(*ParseCidr(ext_sub.cidr()), *addr));
  CHECK(made->status() == "DOWN");
  v1::FloatingIp assoc;
  assoc.set_id(made->id());
  assoc.set_port_id(vm->id());
  auto no_gw = f.m().floating_ips().UpdateFloatingIp(f.a, assoc, {"port_id"});
  CHECK(Http(no_gw.status()) == 404);
  CHECK(ErrorKindOf(no_gw.status()) == ErrorKind::kNoRouterToExternalNetwork);
  v1::Router gw;
  gw.mutable_external_gateway()->set_network_id(ext.id());
  gw.set_id(r->id());
  auto with_gw = f.m().routers().UpdateRouter(f.a, gw, {"external_gateway"});
  REQUIRE(with_gw.ok());
  REQUIRE(with_gw->has_external_gateway());
  CHECK(with_gw->external_gateway().enable_snat());
  REQUIRE(with_gw->external_gateway().external_fixed_ips_size() == 1);
  auto ok = f.m().floating_ips().UpdateFloatingIp(f.a, assoc, {"port_id"});
  REQUIRE(ok.ok());
  CHECK(ok->fixed_ip_address() == vm->fixed_ips(0).ip_address());
  CHECK(ok->router_id() == r->id());
  auto second = f.m().floating_ips().CreateFloatingIp(f.a, fip, {});
  REQUIRE(second.ok());
  assoc.set_id(second->id());
  CHECK(Http(f.m().floating_ips().UpdateFloatingIp(f.a, assoc, {"port_id"}).status()) == 409);
  CHECK(Http(f.m().floating_ips().GetFloatingIp(f.b, made->id()).status()) == 404);
  CHECK(Http(f.m().routers().RemoveRouterInterface(f.a, r->id(), s1.id(), "").status()) ==
        409);  // needed by the FIP
  CHECK(f.m().floating_ips().DeleteFloatingIp(f.a, made->id()).ok());
  CHECK(f.m().floating_ips().DeleteFloatingIp(f.a, second->id()).ok());
  CHECK(f.m().routers().RemoveRouterInterface(f.a, r->id(), s1.id(), "").ok());
  CHECK(f.m().routers().DeleteRouter(f.a, r->id()).ok());
  auto left = f.m().ports().ListPorts(f.admin, {{"network_id", {ext.id()}}});
  REQUIRE(left.ok());
  CHECK(left->empty());
}

TEST_CASE("policy overrides: readers cannot write, an operator can restrict writes to admins") {
  {
    Fixture f;
    Caller reader = f.a;
    reader.roles = {"reader"};
    v1::Network n = f.Net(f.a, "mine");
    CHECK(Http(f.m().networks().CreateNetwork(reader, v1::Network(), {}).status()) == 403);
    CHECK(f.m().networks().GetNetwork(reader, n.id()).ok());
  }
  auto strict = policy::Enforcer::CreateFromYaml(NetworkPolicyDefaults(),
                                                 "\"network:write\": \"role:admin\"\n");
  REQUIRE(strict.ok());
  NetworkOptions o;
  o.enforcer = strict->get();
  Fixture f(o);
  auto denied = f.m().networks().CreateNetwork(f.a, v1::Network(), {});
  CHECK(Http(denied.status()) == 403);
  CHECK(std::string(denied.status().message()).find("network:write") != std::string::npos);
  CHECK(f.m().networks().CreateNetwork(f.admin, v1::Network(), {}).ok());
}

}  // namespace
}  // namespace gureum::network::testing
