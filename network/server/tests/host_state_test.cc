// Agents and GetHostState on the fake store and on PostgreSQL (tests/fixture.h): DHCP and router
// scheduling onto live agents, the desired state of each host (tunnel peers, remote MACs, ports,
// security groups with member IPs, DHCP hosts, router legs and NATs), casts to
// network-agent.<host>, port status, and the compute agents' calls.
#include <algorithm>

#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

void Report(Fixture& f, const std::string& host, const std::string& ip, bool dhcp, bool l3) {
  v1::AgentReport r;
  r.set_host(host);
  r.set_local_ip(ip);
  r.set_dhcp(dhcp);
  r.set_l3(l3);
  REQUIRE(f.m().agents().ReportAgent(f.service, r).ok());
}

bool Has(const google::protobuf::RepeatedPtrField<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// What a compute agent on `host` asks for instance `device` of project-a on `network`.
v1::AllocatePortRequest Allocation(const std::string& network, const std::string& device,
                                   const std::string& host) {
  v1::AllocatePortRequest req;
  req.set_network_id(network);
  req.set_project_id("project-a");
  req.set_device_id(device);
  req.set_device_owner("compute:nova");
  req.set_host(host);
  return req;
}

TEST_CASE("a small topology over two hosts: GetHostState of each") {
  Fixture f;
  Report(f, "h1", "192.0.2.1", /*dhcp=*/true, /*l3=*/true);
  Report(f, "h2", "192.0.2.2", false, false);
  v1::Network ext = f.Net(f.admin, "public", true);
  f.Sub(f.admin, ext.id(), "203.0.113.0/24", false);
  v1::Network n = f.Net(f.a, "net");
  v1::Subnet s = f.Sub(f.a, n.id(), "10.0.0.0/24");  // DHCP scheduled to h1

  v1::AllocatePortRequest req = Allocation(n.id(), "vm-1", "h1");
  CHECK(Http(f.m().compute_ports().AllocatePort(f.a, req).status()) == 403);  // members cannot
  auto p1 = f.m().compute_ports().AllocatePort(f.service, req);
  REQUIRE(p1.ok());
  auto again = f.m().compute_ports().AllocatePort(f.service, req);  // idempotent
  REQUIRE(again.ok());
  CHECK(again->id() == p1->id());
  CHECK(p1->binding_host() == "h1");
  CHECK(p1->vif_type() == "bridge");
  CHECK(p1->tap_name() == "tap" + p1->id().substr(0, 11));
  CHECK(p1->mtu() == 1450);
  req.set_device_id("vm-2");
  req.set_host("h2");
  auto p2 = f.m().compute_ports().AllocatePort(f.service, req);
  REQUIRE(p2.ok());
  CHECK_FALSE(f.bus().Queued("network-agent.h1").empty());  // h1 learns of vm-2's MAC
  CHECK_FALSE(f.bus().Queued("network-agent.h2").empty());

  v1::Router router;
  router.mutable_external_gateway()->set_network_id(ext.id());
  auto r = f.m().routers().CreateRouter(f.a, router, {});
  REQUIRE(r.ok());
  REQUIRE(f.m().routers().AddRouterInterface(f.a, r->id(), s.id(), "").ok());
  v1::FloatingIp fip;
  fip.set_floating_network_id(ext.id());
  fip.set_port_id(p2->id());
  auto made = f.m().floating_ips().CreateFloatingIp(f.a, fip, {"port_id"});
  REQUIRE(made.ok());
  CHECK(made->status() == "ACTIVE");

  auto h1 = f.m().agents().GetHostState(f.service, "h1");
  REQUIRE(h1.ok());
  CHECK(h1->host() == "h1");
  CHECK(h1->generation() > 0);
  REQUIRE(h1->ports_size() == 1);
  CHECK(h1->ports(0).id() == p1->id());
  // Networks: the tenant one (VM, DHCP, router leg) and the external one (gateway).
  REQUIRE(h1->networks_size() == 2);
  const v1::HostNetwork* tenant = nullptr;
  for (const auto& hn : h1->networks()) {
    if (hn.network().id() == n.id()) tenant = &hn;
  }
  REQUIRE(tenant != nullptr);
  REQUIRE(tenant->peer_ips_size() == 1);
  CHECK(tenant->peer_ips(0) == "192.0.2.2");
  REQUIRE(tenant->remote_macs().count(p2->mac_address()) == 1);
  CHECK(tenant->remote_macs().at(p2->mac_address()) == "192.0.2.2");
  CHECK(tenant->subnets_size() == 1);
  // DHCP on h1, with both VMs in its hosts file.
  REQUIRE(h1->dhcp_size() == 1);
  const auto& dhcp = h1->dhcp(0);
  CHECK(dhcp.network_id() == n.id());
  CHECK(dhcp.dhcp_port().device_owner() == "network:dhcp");
  CHECK(dhcp.dhcp_port().binding_host() == "h1");
  REQUIRE(dhcp.dhcp_port().fixed_ips_size() == 1);
  int vm_hosts = 0;
  for (const auto& h : dhcp.hosts()) {
    if (h.mac_address() == p1->mac_address() || h.mac_address() == p2->mac_address()) ++vm_hosts;
    if (h.ip_address() == p1->fixed_ips(0).ip_address()) {
      std::string dashed = h.ip_address();
      std::replace(dashed.begin(), dashed.end(), '.', '-');
      CHECK(h.hostname() == "host-" + dashed);
    }
  }
  CHECK(vm_hosts == 2);
  // The default group: its members are both VMs (remote group of its ingress rules).
  REQUIRE(h1->security_groups_size() == 1);
  CHECK(h1->security_groups(0).group().name() == "default");
  CHECK(h1->security_groups(0).group().rules_size() == 4);
  CHECK(Has(h1->security_groups(0).member_ips(), p1->fixed_ips(0).ip_address()));
  CHECK(Has(h1->security_groups(0).member_ips(), p2->fixed_ips(0).ip_address()));
  // The router runs on h1 (the l3 agent): a leg on the subnet, a gateway, a NAT for vm-2.
  REQUIRE(h1->routers_size() == 1);
  const auto& hr = h1->routers(0);
  REQUIRE(hr.interfaces_size() == 1);
  CHECK(hr.interfaces(0).port().fixed_ips(0).ip_address() == "10.0.0.1");
  CHECK(hr.interfaces(0).subnets(0).cidr() == "10.0.0.0/24");
  CHECK(hr.gateway().port().device_owner() == "network:router_gateway");
  CHECK(hr.gateway_ip() == "203.0.113.1");
  REQUIRE(hr.floating_ips_size() == 1);
  CHECK(hr.floating_ips(0).fixed_ip_address() == p2->fixed_ips(0).ip_address());
  CHECK(hr.floating_ips(0).floating_ip_address() == made->floating_ip_address());

  auto h2 = f.m().agents().GetHostState(f.service, "h2");
  REQUIRE(h2.ok());
  REQUIRE(h2->ports_size() == 1);
  CHECK(h2->ports(0).id() == p2->id());
  REQUIRE(h2->networks_size() == 1);
  CHECK(Has(h2->networks(0).peer_ips(), "192.0.2.1"));
  CHECK(h2->networks(0).remote_macs().count(p1->mac_address()) == 1);
  CHECK(h2->dhcp_size() == 0);
  CHECK(h2->routers_size() == 0);
  CHECK(Http(f.m().agents().GetHostState(f.a, "h2").status()) == 403);

  // The agent reports the port wired; a rule change casts to both hosts.
  v1::PortStatusUpdate up;
  up.set_host("h2");
  (*up.mutable_port_status())[p2->id()] = "ACTIVE";
  (*up.mutable_port_status())[p1->id()] = "ACTIVE";  // not bound to h2: ignored
  REQUIRE(f.m().agents().UpdatePortStatus(f.service, up).ok());
  CHECK(f.m().ports().GetPort(f.a, p2->id())->status() == "ACTIVE");
  CHECK(f.m().ports().GetPort(f.a, p1->id())->status() == "DOWN");
  size_t before = f.bus().Queued("network-agent.h2").size();
  v1::SecurityGroupRule rule;
  rule.set_security_group_id(p2->security_group_ids(0));
  rule.set_direction("ingress");
  rule.set_protocol("icmp");
  auto icmp = f.m().security_groups().CreateSecurityGroupRule(f.a, rule, {});
  REQUIRE(icmp.ok());
  CHECK(f.bus().Queued("network-agent.h2").size() == before + 1);
  v1::AgentCast cast;
  REQUIRE(cast.ParseFromString(f.bus().Queued("network-agent.h2").back().body));
  CHECK(cast.host() == "h2");
  CHECK(cast.reason().find("security group rule") != std::string::npos);

  // Releasing vm-2 deletes its port (the FIP is disassociated) and tells h1.
  v1::ReleasePortsRequest rel;
  rel.set_device_id("vm-2");
  REQUIRE(f.m().compute_ports().ReleasePorts(f.service, rel).ok());
  CHECK(Http(f.m().ports().GetPort(f.a, p2->id()).status()) == 404);
  CHECK(f.m().floating_ips().GetFloatingIp(f.a, made->id())->port_id().empty());
  auto h1b = f.m().agents().GetHostState(f.service, "h1");
  REQUIRE(h1b.ok());
  CHECK(h1b->generation() > h1->generation());
  for (const auto& hn : h1b->networks()) CHECK(hn.peer_ips_size() == 0);
  auto agents = f.m().agents().ListAgents(f.admin, {});
  REQUIRE(agents.ok());
  REQUIRE(agents->size() == 2);
  CHECK((*agents)[0].alive());
}

TEST_CASE("two NICs of one instance on one network are two ports, each allocated once") {
  Fixture f;
  Report(f, "h1", "192.0.2.1", /*dhcp=*/true, /*l3=*/true);
  v1::Network n = f.Net(f.a, "net");
  f.Sub(f.a, n.id(), "10.0.0.0/24");
  v1::AllocatePortRequest req = Allocation(n.id(), "vm-two-nics", "h1");
  auto nic0 = f.m().compute_ports().AllocatePort(f.service, req);
  REQUIRE(nic0.ok());
  req.set_nic_index(1);
  auto nic1 = f.m().compute_ports().AllocatePort(f.service, req);
  REQUIRE(nic1.ok());
  CHECK(nic1->id() != nic0->id());
  CHECK(nic1->mac_address() != nic0->mac_address());
  CHECK(nic1->fixed_ips(0).ip_address() != nic0->fixed_ips(0).ip_address());
  // A retried build finds the same two.
  auto again1 = f.m().compute_ports().AllocatePort(f.service, req);
  req.set_nic_index(0);
  auto again0 = f.m().compute_ports().AllocatePort(f.service, req);
  REQUIRE(again0.ok());
  REQUIRE(again1.ok());
  CHECK(again0->id() == nic0->id());
  CHECK(again1->id() == nic1->id());
  auto h1 = f.m().agents().GetHostState(f.service, "h1");
  REQUIRE(h1.ok());
  CHECK(h1->ports_size() == 2);
  // Deleting the instance releases both.
  v1::ReleasePortsRequest release;
  release.set_device_id("vm-two-nics");
  REQUIRE(f.m().compute_ports().ReleasePorts(f.service, release).ok());
  CHECK(Http(f.m().ports().GetPort(f.a, nic0->id()).status()) == 404);
  CHECK(Http(f.m().ports().GetPort(f.a, nic1->id()).status()) == 404);
}

TEST_CASE("ReleasePorts deletes the ports agents allocated and only unbinds the user's own") {
  Fixture f;
  Report(f, "h1", "192.0.2.1", false, false);
  v1::Network n = f.Net(f.a, "net");
  f.Sub(f.a, n.id(), "10.0.0.0/24", false);
  auto mine = f.Port(f.a, n.id());
  REQUIRE(mine.ok());
  v1::BindPortRequest bind;
  bind.set_port_id(mine->id());
  bind.set_project_id("project-a");
  bind.set_device_id("vm-r");
  bind.set_device_owner("compute:nova");
  bind.set_host("h1");
  REQUIRE(f.m().compute_ports().BindPort(f.service, bind).ok());
  v1::AllocatePortRequest req = Allocation(n.id(), "vm-r", "h1");
  auto made = f.m().compute_ports().AllocatePort(f.service, req);
  REQUIRE(made.ok());
  // The agent lost its record of which port was whose: no keep list.
  v1::ReleasePortsRequest rel;
  rel.set_device_id("vm-r");
  REQUIRE(f.m().compute_ports().ReleasePorts(f.service, rel).ok());
  CHECK(Http(f.m().ports().GetPort(f.a, made->id()).status()) == 404);
  auto kept = f.m().ports().GetPort(f.a, mine->id());
  REQUIRE(kept.ok());
  CHECK(kept->device_id().empty());
  CHECK(kept->binding_host().empty());
  CHECK(kept->fixed_ips_size() == 1);
}

TEST_CASE("DHCP is scheduled when a DHCP agent first reports") {
  Fixture f;
  v1::Network n = f.Net(f.a, "net");
  f.Sub(f.a, n.id(), "10.0.0.0/24");
  auto none = f.m().ports().ListPorts(f.admin, {{"device_owner", {"network:dhcp"}}});
  REQUIRE(none.ok());
  CHECK(none->empty());
  Report(f, "h9", "192.0.2.9", true, false);
  auto dhcp = f.m().ports().ListPorts(f.admin, {{"device_owner", {"network:dhcp"}}});
  REQUIRE(dhcp.ok());
  REQUIRE(dhcp->size() == 1);
  CHECK((*dhcp)[0].binding_host() == "h9");
  CHECK(!f.bus().Queued("network-agent.h9").empty());
}

TEST_CASE("DHCP networks and routers of a silent agent move to a live one") {
  FakeClock clock;
  Fixture f({}, 4, clock);
  Report(f, "old", "192.0.2.1", /*dhcp=*/true, /*l3=*/true);
  v1::Network n = f.Net(f.a, "net");
  v1::Subnet s = f.Sub(f.a, n.id(), "10.0.0.0/24");
  v1::Router router;
  auto r = f.m().routers().CreateRouter(f.a, router, {});
  REQUIRE(r.ok());
  REQUIRE(f.m().routers().AddRouterInterface(f.a, r->id(), s.id(), "").ok());
  REQUIRE(f.m().agents().GetHostState(f.service, "old")->dhcp_size() == 1);
  REQUIRE(f.m().agents().GetHostState(f.service, "old")->routers_size() == 1);
  clock.Advance(absl::Seconds(30));
  Report(f, "new", "192.0.2.2", true, true);  // "old" is still alive: nothing moves
  CHECK(f.m().agents().GetHostState(f.service, "new")->dhcp_size() == 0);
  clock.Advance(absl::Seconds(60));  // "old" silent for 90 s > agent_down_time (75 s)
  const size_t casts_to_old = f.bus().Queued("network-agent.old").size();
  Report(f, "new", "192.0.2.2", true, true);
  auto moved = f.m().agents().GetHostState(f.service, "new");
  REQUIRE(moved.ok());
  REQUIRE(moved->dhcp_size() == 1);
  CHECK(moved->dhcp(0).dhcp_port().binding_host() == "new");
  REQUIRE(moved->routers_size() == 1);
  CHECK(moved->routers(0).interfaces(0).port().binding_host() == "new");
  auto left = f.m().agents().GetHostState(f.service, "old");
  REQUIRE(left.ok());
  CHECK(left->dhcp_size() == 0);
  CHECK(left->routers_size() == 0);
  CHECK(f.bus().Queued("network-agent.old").size() >
        casts_to_old);  // told to tear down if it returns
  auto agents = f.m().agents().ListAgents(f.admin, {});
  REQUIRE(agents.ok());
  for (const auto& a : *agents) CHECK(a.alive() == (a.host() == "new"));
}

}  // namespace
}  // namespace gureum::network::testing
