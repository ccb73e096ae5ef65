// The NetworkStore contract (network_store.h), second part: networks, subnets, agents and
// DHCP, floating IPs, routers. Run like store_contract_test.cc, on both stores.
#include <catch2/catch.hpp>

#include "common/status/macros.h"
#include "network/server/tests/store_holder.h"

namespace gureum::network::testing {
namespace {

Network Net(const std::string& id, const std::string& project, int vni, absl::Time at = kT0) {
  Network n;
  n.id = id;
  n.name = "net-" + id;
  n.project_id = project;
  n.mtu = 1450;
  n.network_type = "vxlan";
  n.segmentation_id = vni;
  n.tags = {"x"};
  n.stamps.created_at = n.stamps.updated_at = at;
  return n;
}

Subnet Sub(const std::string& id, const std::string& network, const std::string& cidr,
           absl::Time at = kT0) {
  Subnet s;
  s.id = id;
  s.name = "sub-" + id;
  s.project_id = "p1";
  s.network_id = network;
  s.cidr = cidr;
  s.gateway_ip = cidr.substr(0, cidr.rfind('.')) + ".1";
  s.allocation_pools = {{"10.0.0.2", "10.0.0.254"}};
  s.dns_nameservers = {"192.0.2.53"};
  s.host_routes = {{"192.168.0.0/16", "10.0.0.254"}};
  s.stamps.created_at = s.stamps.updated_at = at;
  return s;
}

TEST_CASE("store: networks, VNIs and segments") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(Net("n1", "p1", 1)));
             Network shared = Net("n2", "p2", 2, kT0 + absl::Seconds(1));
             shared.shared = true;
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(shared));
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(Net("n3", "p2", 3, kT0 + absl::Seconds(2))));
             Network flat = Net("n4", "p2", 0, kT0 + absl::Seconds(3));
             flat.network_type = "flat";
             flat.physical_network = "physnet1";
             flat.mtu = 1500;
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(flat));
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetNetwork("n1", true));
             REQUIRE(got.has_value());
             CHECK(got->name == "net-n1");
             CHECK(got->mtu == 1450);
             CHECK(got->segmentation_id == 1);
             CHECK(got->tags == std::vector<std::string>{"x"});
             CHECK(got->stamps.revision_number == 1);
             CHECK(got->subnet_ids.empty());
             GUREUM_ASSIGN_OR_RETURN(auto none, tx.GetNetwork("nope", false));
             CHECK_FALSE(none.has_value());
             // p1 sees its own and the shared one.
             GUREUM_ASSIGN_OR_RETURN(auto mine, tx.ListNetworks("p1", {}));
             REQUIRE(mine.size() == 2);
             CHECK(mine[0].id == "n1");
             CHECK(mine[1].id == "n2");
             GUREUM_ASSIGN_OR_RETURN(auto all, tx.ListNetworks("", {{"shared", {"false"}}}));
             CHECK(all.size() == 3);
             GUREUM_ASSIGN_OR_RETURN(auto vni, tx.FreeVni(1, 10, 2));
             CHECK(vni == std::optional<int>(4));
             GUREUM_ASSIGN_OR_RETURN(auto wrap, tx.FreeVni(1, 3, 3));
             CHECK_FALSE(wrap.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto low, tx.FreeVni(1, 4, 3));
             CHECK(low == std::optional<int>(4));
             GUREUM_ASSIGN_OR_RETURN(bool flat_used, tx.SegmentInUse("flat", "physnet1", 0));
             CHECK(flat_used);
             GUREUM_ASSIGN_OR_RETURN(bool vlan_used, tx.SegmentInUse("vlan", "physnet1", 5));
             CHECK_FALSE(vlan_used);
             GUREUM_ASSIGN_OR_RETURN(bool vni_used, tx.SegmentInUse("vxlan", "", 3));
             CHECK(vni_used);
             GUREUM_ASSIGN_OR_RETURN(bool ports, tx.NetworkHasPorts("n1"));
             CHECK_FALSE(ports);
             GUREUM_ASSIGN_OR_RETURN(bool gateway, tx.NetworkIsGateway("n1"));
             CHECK_FALSE(gateway);
             Network changed = *got;
             changed.name = "renamed";
             changed.shared = true;
             changed.admin_state_up = false;
             GUREUM_RETURN_IF_ERROR(tx.UpdateNetwork(changed, kT0 + absl::Seconds(9)));
             GUREUM_ASSIGN_OR_RETURN(auto after, tx.GetNetwork("n1", false));
             CHECK(after->name == "renamed");
             CHECK(after->shared);
             CHECK_FALSE(after->admin_state_up);
             CHECK(after->stamps.updated_at == kT0 + absl::Seconds(9));
             CHECK(after->stamps.revision_number == 2);
             return absl::OkStatus();
           }).ok());
  // One VNI, one vxlan network.
  CHECK(absl::IsAlreadyExists(
      s.Transact([&](NetworkTx& tx) { return tx.InsertNetwork(Net("n9", "p1", 1)); })));
}

TEST_CASE("store: subnets of a network, visibility and deletes") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             Network ext = Net("n1", "admin", 1);
             ext.router_external = true;
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(ext));
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(Net("n2", "p1", 2)));
             Subnet a = Sub("s1", "n1", "10.0.0.0/24");
             a.project_id = "admin";
             GUREUM_RETURN_IF_ERROR(tx.InsertSubnet(a));
             Subnet b = Sub("s2", "n2", "10.0.1.0/24", kT0 + absl::Seconds(1));
             b.enable_dhcp = false;
             GUREUM_RETURN_IF_ERROR(tx.InsertSubnet(b));
             GUREUM_RETURN_IF_ERROR(
                 tx.InsertSubnet(Sub("s3", "n2", "10.0.2.0/24", kT0 + absl::Seconds(2))));
             Network shared = Net("n3", "p3", 3);
             shared.shared = true;
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(shared));
             Subnet c = Sub("s4", "n3", "10.0.3.0/24", kT0 + absl::Seconds(3));
             c.project_id = "p3";
             GUREUM_RETURN_IF_ERROR(tx.InsertSubnet(c));
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetSubnet("s1"));
             REQUIRE(got.has_value());
             CHECK(got->cidr == "10.0.0.0/24");
             CHECK(got->gateway_ip == "10.0.0.1");
             REQUIRE(got->allocation_pools.size() == 1);
             CHECK(got->allocation_pools[0].end == "10.0.0.254");
             CHECK(got->dns_nameservers == std::vector<std::string>{"192.0.2.53"});
             REQUIRE(got->host_routes.size() == 1);
             CHECK(got->host_routes[0].nexthop == "10.0.0.254");
             CHECK(got->enable_dhcp);
             GUREUM_ASSIGN_OR_RETURN(auto net, tx.GetNetwork("n2", true));
             CHECK(net->subnet_ids == std::vector<std::string>{"s2", "s3"});
             GUREUM_ASSIGN_OR_RETURN(auto of, tx.SubnetsOf("n2"));
             REQUIRE(of.size() == 2);
             CHECK(of[0].id == "s2");
             // p2 sees only the shared network's subnet (an external network's are not
             // listed, as Neutron's); p1 its own and that one.
             GUREUM_ASSIGN_OR_RETURN(auto p2, tx.ListSubnets("p2", {}));
             REQUIRE(p2.size() == 1);
             CHECK(p2[0].id == "s4");
             GUREUM_ASSIGN_OR_RETURN(auto p1, tx.ListSubnets("p1", {}));
             REQUIRE(p1.size() == 3);
             CHECK(p1[0].id == "s2");
             GUREUM_ASSIGN_OR_RETURN(auto dhcp, tx.ListSubnets("", {{"enable_dhcp", {"false"}}}));
             REQUIRE(dhcp.size() == 1);
             CHECK(dhcp[0].id == "s2");
             GUREUM_ASSIGN_OR_RETURN(
                 auto v4, tx.ListSubnets("", {{"ip_version", {"4"}}, {"network_id", {"n2"}}}));
             CHECK(v4.size() == 2);
             Subnet changed = of[0];
             changed.name = "renamed";
             changed.enable_dhcp = true;
             changed.host_routes.clear();
             changed.gateway_ip = "";
             GUREUM_RETURN_IF_ERROR(tx.UpdateSubnet(changed, kT0 + absl::Seconds(7)));
             GUREUM_ASSIGN_OR_RETURN(auto after, tx.GetSubnet("s2"));
             CHECK(after->name == "renamed");
             CHECK(after->gateway_ip.empty());
             CHECK(after->enable_dhcp);
             CHECK(after->host_routes.empty());
             CHECK(after->stamps.revision_number == 2);
             GUREUM_ASSIGN_OR_RETURN(bool busy, tx.SubnetHasPorts("s2"));
             CHECK_FALSE(busy);
             GUREUM_RETURN_IF_ERROR(tx.DeleteSubnet("s2"));
             GUREUM_RETURN_IF_ERROR(tx.DeleteDhcpPorts("n2"));
             GUREUM_ASSIGN_OR_RETURN(auto left, tx.SubnetsOf("n2"));
             REQUIRE(left.size() == 1);
             CHECK(left[0].id == "s3");
             GUREUM_RETURN_IF_ERROR(tx.DeleteNetwork("n2"));
             GUREUM_ASSIGN_OR_RETURN(auto gone, tx.GetSubnet("s3"));
             CHECK_FALSE(gone.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto gone_net, tx.GetNetwork("n2", false));
             CHECK_FALSE(gone_net.has_value());
             GUREUM_ASSIGN_OR_RETURN(int64_t nets, tx.CountOwned("admin", "network"));
             CHECK(nets == 1);
             GUREUM_ASSIGN_OR_RETURN(int64_t subs, tx.CountOwned("admin", "subnet"));
             CHECK(subs == 1);
             return absl::OkStatus();
           }).ok());
  // A subnet of an unknown network is refused (the foreign key).
  CHECK(absl::IsFailedPrecondition(s.Transact(
      [&](NetworkTx& tx) { return tx.InsertSubnet(Sub("s9", "nope", "10.9.0.0/24")); })));
}

Agent MakeAgent(const std::string& id, const std::string& host, absl::Time heartbeat) {
  Agent a;
  a.id = id;
  a.host = host;
  a.local_ip = "192.0.2." + id;
  a.physical_interfaces = {{"physnet1", "eth1"}};
  a.dhcp = true;
  a.version = "1";
  a.heartbeat_at = heartbeat;
  return a;
}

TEST_CASE("store: agents report, and DHCP goes to the least loaded live one") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  const absl::Time alive_after = kT0 - absl::Seconds(75);
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             GUREUM_ASSIGN_OR_RETURN(auto none, tx.PickDhcpAgent(alive_after));
             CHECK_FALSE(none.has_value());
             GUREUM_RETURN_IF_ERROR(tx.PutAgent(MakeAgent("1", "host-b", kT0)));
             GUREUM_RETURN_IF_ERROR(tx.PutAgent(MakeAgent("2", "host-a", kT0)));
             Agent dead = MakeAgent("3", "host-c", kT0 - absl::Hours(1));
             GUREUM_RETURN_IF_ERROR(tx.PutAgent(dead));
             // A second report of a host keeps its id.
             Agent again = MakeAgent("9", "host-b", kT0 + absl::Seconds(1));
             again.local_ip = "198.51.100.1";
             again.l3 = true;
             GUREUM_RETURN_IF_ERROR(tx.PutAgent(again));
             GUREUM_ASSIGN_OR_RETURN(auto b, tx.GetAgentByHost("host-b"));
             REQUIRE(b.has_value());
             CHECK(b->id == "1");
             CHECK(b->local_ip == "198.51.100.1");
             CHECK(b->l3);
             CHECK(b->admin_state_up);
             CHECK(b->heartbeat_at == kT0 + absl::Seconds(1));
             CHECK(b->physical_interfaces.at("physnet1") == "eth1");
             GUREUM_ASSIGN_OR_RETURN(auto unknown, tx.GetAgentByHost("nope"));
             CHECK_FALSE(unknown.has_value());
             GUREUM_ASSIGN_OR_RETURN(auto all, tx.ListAgents({}));
             REQUIRE(all.size() == 3);
             CHECK(all[0].host == "host-a");
             GUREUM_ASSIGN_OR_RETURN(auto one, tx.ListAgents({{"id", {"2"}}}));
             REQUIRE(one.size() == 1);
             CHECK(one[0].host == "host-a");
             // An admin's switch: kept through the agent's next report.
             GUREUM_RETURN_IF_ERROR(tx.SetAgentAdminState("1", false));
             GUREUM_RETURN_IF_ERROR(tx.PutAgent(MakeAgent("9", "host-b", kT0 + absl::Seconds(2))));
             GUREUM_ASSIGN_OR_RETURN(auto off, tx.GetAgentByHost("host-b"));
             CHECK_FALSE(off->admin_state_up);
             CHECK(absl::IsNotFound(tx.SetAgentAdminState("nope", false)));
             GUREUM_RETURN_IF_ERROR(tx.SetAgentAdminState("1", true));
             // Networks with DHCP subnets and no binding; host-a (first by name) serves one.
             for (const char* n : {"n1", "n2", "n3"}) {
               GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(Net(n, "p1", n[1] - '0')));
               GUREUM_RETURN_IF_ERROR(tx.InsertSubnet(Sub(std::string("s") + n, n, "10.0.0.0/24")));
             }
             GUREUM_ASSIGN_OR_RETURN(auto unbound, tx.UnboundDhcpNetworks());
             CHECK(unbound == std::vector<std::string>{"n1", "n2", "n3"});
             GUREUM_ASSIGN_OR_RETURN(auto first, tx.PickDhcpAgent(alive_after));
             REQUIRE(first.has_value());
             CHECK(first->host == "host-a");
             GUREUM_RETURN_IF_ERROR(tx.BindDhcp("n1", "host-a"));
             GUREUM_ASSIGN_OR_RETURN(auto second, tx.PickDhcpAgent(alive_after));
             CHECK(second->host == "host-b");
             GUREUM_RETURN_IF_ERROR(tx.BindDhcp("n2", "host-c"));
             GUREUM_ASSIGN_OR_RETURN(std::string bound, tx.DhcpHostOf("n1"));
             CHECK(bound == "host-a");
             GUREUM_ASSIGN_OR_RETURN(std::string free, tx.DhcpHostOf("n3"));
             CHECK(free.empty());
             GUREUM_ASSIGN_OR_RETURN(auto left, tx.UnboundDhcpNetworks());
             CHECK(left == std::vector<std::string>{"n3"});
             // host-c is dead: its binding is released, host-a's stays.
             GUREUM_ASSIGN_OR_RETURN(auto released, tx.ReleaseDeadDhcp("host-b", alive_after));
             REQUIRE(released.size() == 1);
             CHECK(released[0] == std::make_pair(std::string("n2"), std::string("host-c")));
             GUREUM_ASSIGN_OR_RETURN(std::string gone, tx.DhcpHostOf("n2"));
             CHECK(gone.empty());
             return absl::OkStatus();
           }).ok());
  CHECK(absl::IsAlreadyExists(s.Transact([&](NetworkTx& tx) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(Net("n1", "p1", 1)));
    GUREUM_RETURN_IF_ERROR(tx.BindDhcp("n1", "host-a"));
    return tx.BindDhcp("n1", "host-b");
  })));
}

TEST_CASE("store: floating IPs, their association and filters") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             Network ext = Net("ext", "admin", 1);
             ext.router_external = true;
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(ext));
             // The rows a floating IP refers to: its port, the port it goes to, the router.
             for (const char* id : {"fport", "port1"}) {
               Port p;
               p.id = id;
               p.project_id = "p1";
               p.network_id = "ext";
               p.mac_address = std::string("fa:16:3e:00:00:") + (id[0] == 'f' ? "01" : "02");
               p.stamps.created_at = kT0;
               GUREUM_RETURN_IF_ERROR(tx.InsertPort(p));
             }
             Router r;
             r.id = "r1";
             r.project_id = "p1";
             r.stamps.created_at = kT0;
             return tx.InsertRouter(r);
           }).ok());
  FloatingIp f;
  f.id = "f1";
  f.floating_port_id = "fport";
  f.project_id = "p1";
  f.floating_network_id = "ext";
  f.floating_ip_address = "203.0.113.5";
  f.description = "d";
  f.tags = {"t"};
  f.stamps.created_at = f.stamps.updated_at = kT0;
  REQUIRE(s.Transact([&](NetworkTx& tx) { return tx.InsertFloatingIp(f); }).ok());
  REQUIRE(
      s.Transact([&](NetworkTx& tx) -> absl::Status {
         GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetFloatingIp("f1"));
         REQUIRE(got.has_value());
         CHECK(got->floating_ip_address == "203.0.113.5");
         CHECK(got->status == "DOWN");
         CHECK(got->port_id.empty());
         CHECK(got->stamps.revision_number == 1);
         GUREUM_ASSIGN_OR_RETURN(auto unassociated, tx.ListFloatingIps("", {{"port_id", {""}}}));
         CHECK(unassociated.empty());
         FloatingIp on = *got;
         on.port_id = "port1";
         on.fixed_ip_address = "10.0.0.5";
         on.router_id = "r1";
         on.status = "ACTIVE";
         GUREUM_RETURN_IF_ERROR(tx.UpdateFloatingIp(on, kT0 + absl::Seconds(3)));
         GUREUM_ASSIGN_OR_RETURN(std::string taken, tx.FloatingIpOn("port1", "10.0.0.5", "f9"));
         CHECK(taken == "f1");
         GUREUM_ASSIGN_OR_RETURN(std::string self, tx.FloatingIpOn("port1", "10.0.0.5", "f1"));
         CHECK(self.empty());
         GUREUM_ASSIGN_OR_RETURN(auto mine, tx.ListFloatingIps("p1", {{"status", {"ACTIVE"}}}));
         REQUIRE(mine.size() == 1);
         CHECK(mine[0].router_id == "r1");
         CHECK(mine[0].stamps.revision_number == 2);
         GUREUM_ASSIGN_OR_RETURN(auto other, tx.ListFloatingIps("p2", {}));
         CHECK(other.empty());
         GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.CountOwned("p1", "floatingip"));
         CHECK(n == 1);
         GUREUM_ASSIGN_OR_RETURN(bool deleted, tx.DeleteFloatingIp("f1"));
         CHECK(deleted);
         GUREUM_ASSIGN_OR_RETURN(bool again, tx.DeleteFloatingIp("f1"));
         CHECK_FALSE(again);
         return absl::OkStatus();
       }).ok());
}

TEST_CASE("store: routers, their gateway and their l3 agent") {
  auto h = NewStoreHolder();
  NetworkStore& s = h->store();
  const absl::Time alive_after = kT0 - absl::Seconds(75);
  REQUIRE(s.Transact([&](NetworkTx& tx) -> absl::Status {
             Network ext = Net("ext", "admin", 1);
             ext.router_external = true;
             GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(ext));
             Router r;
             r.id = "r1";
             r.name = "router";
             r.project_id = "p1";
             r.routes = {{"192.168.0.0/16", "10.0.0.254"}};
             r.tags = {"t"};
             r.stamps.created_at = r.stamps.updated_at = kT0;
             GUREUM_RETURN_IF_ERROR(tx.InsertRouter(r));
             Router r2 = r;
             r2.id = "r2";
             r2.project_id = "p2";
             r2.routes.clear();
             r2.stamps.created_at = r2.stamps.updated_at = kT0 + absl::Seconds(1);
             GUREUM_RETURN_IF_ERROR(tx.InsertRouter(r2));
             GUREUM_ASSIGN_OR_RETURN(auto got, tx.GetRouter("r1"));
             REQUIRE(got.has_value());
             CHECK(got->gateway_network_id.empty());
             CHECK(got->enable_snat);
             CHECK(got->host.empty());
             CHECK(got->status == "ACTIVE");
             REQUIRE(got->routes.size() == 1);
             CHECK(got->routes[0].destination == "192.168.0.0/16");
             GUREUM_ASSIGN_OR_RETURN(auto mine, tx.ListRouters("p1", {}));
             REQUIRE(mine.size() == 1);
             GUREUM_ASSIGN_OR_RETURN(auto named, tx.ListRouters("", {{"name", {"router"}}}));
             CHECK(named.size() == 2);
             GUREUM_RETURN_IF_ERROR(tx.SetRouterGateway("r1", "ext", false));
             GUREUM_ASSIGN_OR_RETURN(auto gw, tx.GetRouter("r1"));
             CHECK(gw->gateway_network_id == "ext");
             CHECK_FALSE(gw->enable_snat);
             GUREUM_RETURN_IF_ERROR(tx.SetRouterGateway("r1", "", true));
             GUREUM_ASSIGN_OR_RETURN(auto nogw, tx.GetRouter("r1"));
             CHECK(nogw->gateway_network_id.empty());
             CHECK_FALSE(nogw->enable_snat);  // removing the gateway keeps SNAT as it was
             Router changed = *nogw;
             changed.name = "renamed";
             changed.admin_state_up = false;
             changed.routes.clear();
             GUREUM_RETURN_IF_ERROR(tx.UpdateRouter(changed, kT0 + absl::Seconds(4)));
             GUREUM_ASSIGN_OR_RETURN(auto after, tx.GetRouter("r1"));
             CHECK(after->name == "renamed");
             CHECK(after->routes.empty());
             CHECK(after->stamps.revision_number == 2);
             // Scheduling: host-a runs one router, host-b none; host-c is dead.
             Agent a = MakeAgent("1", "host-a", kT0);
             a.l3 = true;
             Agent b = MakeAgent("2", "host-b", kT0);
             b.l3 = true;
             Agent c = MakeAgent("3", "host-c", kT0 - absl::Hours(1));
             c.l3 = true;
             for (const Agent& x : {a, b, c}) GUREUM_RETURN_IF_ERROR(tx.PutAgent(x));
             GUREUM_ASSIGN_OR_RETURN(auto first, tx.PickL3Agent(alive_after));
             CHECK(first->host == "host-a");
             GUREUM_RETURN_IF_ERROR(tx.SetRouterHost("r1", "host-a"));
             GUREUM_ASSIGN_OR_RETURN(auto next, tx.PickL3Agent(alive_after));
             CHECK(next->host == "host-b");
             GUREUM_RETURN_IF_ERROR(tx.SetRouterHost("r2", "host-c"));
             GUREUM_ASSIGN_OR_RETURN(auto on_a, tx.RoutersOn("host-a"));
             REQUIRE(on_a.size() == 1);
             CHECK(on_a[0].id == "r1");
             GUREUM_ASSIGN_OR_RETURN(auto released, tx.ReleaseDeadRouters("host-b", alive_after));
             REQUIRE(released.size() == 1);
             CHECK(released[0] == std::make_pair(std::string("r2"), std::string("host-c")));
             GUREUM_ASSIGN_OR_RETURN(auto unscheduled, tx.RoutersOn(""));
             REQUIRE(unscheduled.size() == 1);
             CHECK(unscheduled[0].id == "r2");
             GUREUM_ASSIGN_OR_RETURN(bool fips, tx.RouterHasFloatingIps("r1"));
             CHECK_FALSE(fips);
             GUREUM_ASSIGN_OR_RETURN(int64_t n, tx.CountOwned("p1", "router"));
             CHECK(n == 1);
             GUREUM_RETURN_IF_ERROR(tx.DeleteRouter("r2"));
             GUREUM_ASSIGN_OR_RETURN(auto gone, tx.GetRouter("r2"));
             CHECK_FALSE(gone.has_value());
             return absl::OkStatus();
           }).ok());
}

}  // namespace
}  // namespace gureum::network::testing
