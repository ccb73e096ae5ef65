// The managers where Tempest's network tests look (issue 21): quota listing, agents hidden
// from members, security group rule checks with Neutron's words, the default group's name,
// a subnet's gateway update, bulk creates, deleting an external network with floating IPs. On the
// fake store and on PostgreSQL (tests/fixture.h).
#include <map>

#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

std::string Message(const absl::Status& s) { return std::string(s.message()); }

TEST_CASE("quotas: the projects with limits of their own are listed, to admins only") {
  Fixture f;
  REQUIRE(f.m().quotas().UpdateQuotas(f.admin, "project-a", {{"network", 0}, {"port", 0}}).ok());
  auto all = f.m().quotas().ListQuotas(f.admin);
  REQUIRE(all.ok());
  REQUIRE(all->count("project-a") == 1);
  CHECK(all->at("project-a").at("network").limit == 0);
  CHECK(all->at("project-a").at("router").limit == 10);  // the default beside the own ones
  CHECK(Http(f.m().quotas().ListQuotas(f.a).status()) == 403);
  REQUIRE(f.m().quotas().ResetQuotas(f.admin, "project-a").ok());
  CHECK(f.m().quotas().ListQuotas(f.admin)->empty());
}

TEST_CASE("agents: a member's list is empty, as Neutron's") {
  Fixture f;
  auto mine = f.m().agents().ListAgents(f.a, {});
  REQUIRE(mine.ok());
  CHECK(mine->empty());
}

absl::Status Rule(Fixture& f, const std::string& group, const std::string& proto, int lo, int hi,
                  Fields given = {"port_range_min", "port_range_max"}) {
  v1::SecurityGroupRule r;
  r.set_security_group_id(group);
  r.set_direction("ingress");
  r.set_protocol(proto);
  r.set_port_range_min(lo);
  r.set_port_range_max(hi);
  return f.m().security_groups().CreateSecurityGroupRule(f.a, r, given).status();
}

TEST_CASE("security group rules: port ranges and ICMP type/code refused in Neutron's words") {
  Fixture f;
  v1::SecurityGroup web;
  web.set_name("web");
  auto g = f.m().security_groups().CreateSecurityGroup(f.a, web);
  REQUIRE(g.ok());
  auto bad = Rule(f, g->id(), "tcp", 80, 79);
  CHECK(Http(bad) == 400);
  CHECK(Message(bad).find("port_range_min must be <= port_range_max") != std::string::npos);
  bad = Rule(f, g->id(), "tcp", -1, 6);  // only the maximum
  CHECK(Message(bad).find("port_range_min must be <= port_range_max") != std::string::npos);
  bad = Rule(f, g->id(), "tcp", 80, 65536);
  CHECK(Message(bad).find("Invalid value for port 65536") != std::string::npos);
  bad = Rule(f, g->id(), "icmp", 1, 256);
  CHECK(Message(bad).find("Invalid value for ICMP code") != std::string::npos);
  bad = Rule(f, g->id(), "icmp", 300, 1);
  CHECK(Message(bad).find("Invalid value for ICMP type") != std::string::npos);
  bad = Rule(f, g->id(), "icmp", -1, 6);
  CHECK(Message(bad).find("ICMP type (port-range-min) is missing") != std::string::npos);
  CHECK(Rule(f, g->id(), "icmp", 8, 0).ok());
  v1::SecurityGroupRule v6;
  v6.set_security_group_id(g->id());
  v6.set_direction("ingress");
  v6.set_ethertype("IPv6");
  v6.set_protocol("ipv6-icmp");  // kept as given, as Neutron
  v6.set_port_range_min(3);
  v6.set_port_range_max(2);
  auto made = f.m().security_groups().CreateSecurityGroupRule(f.a, v6,
                                                              {"port_range_min", "port_range_max"});
  REQUIRE(made.ok());
  CHECK(made->protocol() == "ipv6-icmp");
  CHECK(Rule(f, g->id(), "tcp", 80, -1, {"port_range_min"}).ok());  // one port: 80..80
}

TEST_CASE("security groups: renaming one to default is 409") {
  Fixture f;
  v1::SecurityGroup web;
  web.set_name("web");
  auto g = f.m().security_groups().CreateSecurityGroup(f.a, web);
  REQUIRE(g.ok());
  v1::SecurityGroup rename;
  rename.set_id(g->id());
  rename.set_name("default");
  auto done = f.m().security_groups().UpdateSecurityGroup(f.a, rename, {"name"});
  CHECK(Http(done.status()) == 409);
  CHECK(ErrorKindOf(done.status()) == ErrorKind::kDefaultGroupExists);
}

TEST_CASE("subnets: the gateway is updated outside the pools, not onto a taken address") {
  Fixture f;
  v1::Network n = f.Net(f.a, "net");
  v1::Subnet s;
  s.set_network_id(n.id());
  s.set_cidr("10.100.0.0/28");
  auto* pool = s.add_allocation_pools();
  pool->set_start("10.100.0.3");
  pool->set_end("10.100.0.7");
  auto made = f.m().networks().CreateSubnet(f.a, s, {"allocation_pools"});
  REQUIRE(made.ok());
  v1::Subnet up;
  up.set_id(made->id());
  up.set_gateway_ip("10.100.0.2");
  up.add_dns_nameservers("7.8.8.8");
  auto done = f.m().networks().UpdateSubnet(f.a, up, {"gateway_ip", "dns_nameservers"});
  REQUIRE(done.ok());
  CHECK(done->gateway_ip() == "10.100.0.2");
  CHECK(f.m().networks().GetSubnet(f.a, made->id())->gateway_ip() == "10.100.0.2");
  up.set_gateway_ip("10.100.0.4");  // in the pool
  CHECK(ErrorKindOf(f.m().networks().UpdateSubnet(f.a, up, {"gateway_ip"}).status()) ==
        ErrorKind::kGatewayInPools);
  up.set_gateway_ip("10.100.0.15");  // the broadcast address
  CHECK(Http(f.m().networks().UpdateSubnet(f.a, up, {"gateway_ip"}).status()) == 400);
  REQUIRE(f.Port(f.a, n.id(), "10.100.0.9", made->id()).ok());
  up.set_gateway_ip("10.100.0.9");  // a port's
  CHECK(Http(f.m().networks().UpdateSubnet(f.a, up, {"gateway_ip"}).status()) == 409);
  up.set_gateway_ip("");  // none
  REQUIRE(f.m().networks().UpdateSubnet(f.a, up, {"gateway_ip"}).ok());
  CHECK(f.m().networks().GetSubnet(f.a, made->id())->gateway_ip().empty());
}

TEST_CASE("bulk create: networks, subnets and ports all made in one go, or none") {
  Fixture f;
  std::vector<v1::Network> nets(2);
  nets[0].set_name("one");
  nets[1].set_name("two");
  auto made = f.m().networks().CreateNetworks(f.a, nets, {{}, {}});
  REQUIRE(made.ok());
  REQUIRE(made->size() == 2);
  CHECK((*made)[1].name() == "two");
  CHECK((*made)[0].segmentation_id() != (*made)[1].segmentation_id());

  std::vector<v1::Subnet> subs(2);
  subs[0].set_network_id((*made)[0].id());
  subs[0].set_cidr("10.0.0.0/24");
  subs[1].set_network_id((*made)[1].id());
  subs[1].set_cidr("10.0.1.0/24");
  auto subnets = f.m().networks().CreateSubnets(f.a, subs, {{}, {}});
  REQUIRE(subnets.ok());
  CHECK(subnets->size() == 2);
  // The second overlaps the first on one network: neither is made.
  subs[0].set_cidr("10.0.2.0/24");
  subs[1].set_network_id((*made)[0].id());
  subs[1].set_cidr("10.0.2.0/25");
  CHECK(Http(f.m().networks().CreateSubnets(f.a, subs, {{}, {}}).status()) == 400);
  CHECK(f.m().networks().ListSubnets(f.a, {})->size() == 2);

  std::vector<v1::Port> ports(2);
  ports[0].set_network_id((*made)[0].id());
  ports[1].set_network_id((*made)[1].id());
  auto made_ports = f.m().ports().CreatePorts(f.a, ports, {{}, {}});
  REQUIRE(made_ports.ok());
  CHECK(made_ports->size() == 2);
  CHECK((*made_ports)[1].network_id() == (*made)[1].id());
  ports[1].set_network_id("nope");  // the second fails: the first is not kept either
  CHECK(Http(f.m().ports().CreatePorts(f.a, ports, {{}, {}}).status()) == 404);
  CHECK(f.m().ports().ListPorts(f.a, {{"device_owner", {""}}})->size() == 2);
}

TEST_CASE("bulk create: the quota counts the whole batch") {
  Fixture f;
  REQUIRE(f.m().quotas().UpdateQuotas(f.admin, "project-a", {{"network", 2}}).ok());
  f.Net(f.a, "first");
  std::vector<v1::Network> nets(2);
  auto over = f.m().networks().CreateNetworks(f.a, nets, {{}, {}});
  CHECK(Http(over.status()) == 409);
  CHECK(ErrorKindOf(over.status()) == ErrorKind::kOverQuota);
  CHECK(f.m().networks().ListNetworks(f.a, {})->size() == 1);
}

TEST_CASE("deleting an external network deletes its floating IPs, as Neutron") {
  Fixture f;
  v1::Network ext = f.Net(f.admin, "ext", /*external=*/true);
  f.Sub(f.admin, ext.id(), "203.0.113.0/28", /*dhcp=*/false);
  v1::FloatingIp fip;
  fip.set_floating_network_id(ext.id());
  auto made = f.m().floating_ips().CreateFloatingIp(f.admin, fip, {});
  REQUIRE(made.ok());
  REQUIRE(f.m().networks().DeleteNetwork(f.admin, ext.id()).ok());
  CHECK(Http(f.m().floating_ips().GetFloatingIp(f.admin, made->id()).status()) == 404);
}

void Opt(v1::Port& p, const std::string& name, const std::string& value, int version = 4) {
  auto* o = p.add_extra_dhcp_opts();
  o->set_opt_name(name);
  o->set_opt_value(value);
  o->set_ip_version(version);
}

TEST_CASE(
    "ports: extra DHCP options stored, merged on update, given to the DHCP host; the DHCP agent of "
    "a network") {
  Fixture f;
  v1::AgentReport r;
  r.set_host("h1");
  r.set_local_ip("192.0.2.1");
  r.set_dhcp(true);
  REQUIRE(f.m().agents().ReportAgent(f.service, r).ok());
  v1::Network n = f.Net(f.a, "net");
  f.Sub(f.a, n.id(), "10.0.0.0/24");
  v1::Port in;
  in.set_network_id(n.id());
  Opt(in, "bootfile-name", "pxelinux.0");
  Opt(in, "tftp-server", "123.123.123.123");
  Opt(in, "tftp-server", "2015::dead", 6);
  auto p = f.m().ports().CreatePort(f.a, in, {"extra_dhcp_opts"});
  REQUIRE(p.ok());
  CHECK(p->extra_dhcp_opts_size() == 3);
  CHECK(f.m().ports().GetPort(f.a, p->id())->extra_dhcp_opts_size() == 3);
  // An update replaces one, removes one (no value) and adds one.
  v1::Port up;
  up.set_id(p->id());
  Opt(up, "bootfile-name", "ipxe.efi");
  Opt(up, "tftp-server", "");
  Opt(up, "server-ip-address", "123.123.123.45");
  auto done = f.m().ports().UpdatePort(f.a, up, {"extra_dhcp_opts"});
  REQUIRE(done.ok());
  std::map<std::string, std::string> v4;
  for (const auto& o : done->extra_dhcp_opts()) {
    if (o.ip_version() == 4) v4[o.opt_name()] = o.opt_value();
  }
  CHECK(v4 == std::map<std::string, std::string>{{"bootfile-name", "ipxe.efi"},
                                                 {"server-ip-address", "123.123.123.45"}});
  CHECK(done->extra_dhcp_opts_size() == 3);  // the IPv6 one stays
  v1::Port bad;
  bad.set_id(p->id());
  Opt(bad, "x\ndhcp-range", "1");
  CHECK(Http(f.m().ports().UpdatePort(f.a, bad, {"extra_dhcp_opts"}).status()) == 400);
  // The DHCP host of the port's IPv4 address carries its IPv4 options under its tag.
  auto state = f.m().agents().GetHostState(f.service, "h1");
  REQUIRE(state.ok());
  REQUIRE(state->dhcp_size() == 1);
  bool found = false;
  for (const auto& h : state->dhcp(0).hosts()) {
    if (h.mac_address() != p->mac_address()) continue;
    found = true;
    CHECK(h.tag() == "port-" + p->id());
    CHECK(h.extra_dhcp_opts_size() == 2);
  }
  CHECK(found);
  // The DHCP scheduler's reads: h1's agent serves the network.
  auto agents = f.m().agents().DhcpAgentsOfNetwork(f.admin, n.id());
  REQUIRE(agents.ok());
  REQUIRE(agents->size() == 1);
  CHECK((*agents)[0].host() == "h1");
  auto nets = f.m().agents().NetworksOfDhcpAgent(f.admin, (*agents)[0].id());
  REQUIRE(nets.ok());
  REQUIRE(nets->size() == 1);
  CHECK((*nets)[0].id() == n.id());
  CHECK(Http(f.m().agents().DhcpAgentsOfNetwork(f.a, n.id()).status()) == 403);
  CHECK(Http(f.m().agents().NetworksOfDhcpAgent(f.admin, "nope").status()) == 404);
}

}  // namespace
}  // namespace gureum::network::testing
