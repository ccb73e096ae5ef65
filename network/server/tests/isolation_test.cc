// The tenant-isolation holes an outside test found (issue 16), each reproduced as the
// attacker did it: a member of project B acting on project A's router, choosing floating
// IP addresses, picking addresses, MACs and port security on a network B does not own, and
// a token without a role on the project reading its resources.
#include "network/server/ipam.h"
#include "network/server/tests/fixture.h"

namespace gureum::network::testing {
namespace {

v1::Port WithDevice(const std::string& port_id, const std::string& owner,
                    const std::string& device_id) {
  v1::Port p;
  p.set_id(port_id);
  p.set_device_owner(owner);
  p.set_device_id(device_id);
  return p;
}

// A's router with a leg on A's network and a gateway on the external network.
struct TwoProjects {
  Fixture f;
  v1::Network ext = f.Net(f.admin, "public", /*external=*/true);
  v1::Subnet ext_sub = f.Sub(f.admin, ext.id(), "198.18.77.0/24", false);
  v1::Network a_net = f.Net(f.a, "a-net");
  v1::Subnet a_sub = f.Sub(f.a, a_net.id(), "10.1.0.0/24");
  v1::Network b_net = f.Net(f.b, "b-net");
  v1::Subnet b_sub = f.Sub(f.b, b_net.id(), "10.2.0.0/24");
  v1::Router a_router = MakeRouter();

  v1::Router MakeRouter() {
    v1::Router r;
    r.set_name("a-router");
    r.mutable_external_gateway()->set_network_id(ext.id());
    auto made = f.m().routers().CreateRouter(f.a, r, {"external_gateway"});
    REQUIRE(made.ok());
    REQUIRE(f.m().routers().AddRouterInterface(f.a, made->id(), a_sub.id(), "").ok());
    return *made;
  }
  // The router's legs as the admin sees them: every port that names it.
  std::vector<v1::Port> Legs() {
    auto legs = f.m().ports().ListPorts(f.admin, {{"device_id", {a_router.id()}}});
    REQUIRE(legs.ok());
    return *legs;
  }
};

TEST_CASE("a member cannot plug a port into another project's router, as interface or gateway") {
  TwoProjects t;
  const size_t legs_before = t.Legs().size();
  REQUIRE(legs_before == 2);  // interface + gateway
  auto b_port = t.f.Port(t.f.b, t.b_net.id());
  REQUIRE(b_port.ok());

  auto as_interface = t.f.m().ports().UpdatePort(
      t.f.b, WithDevice(b_port->id(), "network:router_interface", t.a_router.id()),
      {"device_owner", "device_id"});
  CHECK(Http(as_interface.status()) == 403);
  auto as_gateway = t.f.m().ports().UpdatePort(
      t.f.b, WithDevice(b_port->id(), "network:router_gateway", t.a_router.id()),
      {"device_owner", "device_id"});
  CHECK(Http(as_gateway.status()) == 403);
  // Any device_owner: a device_id naming another project's router is refused on update ...
  auto named =
      t.f.m().ports().UpdatePort(t.f.b, WithDevice(b_port->id(), "compute:nova", t.a_router.id()),
                                 {"device_owner", "device_id"});
  CHECK(Http(named.status()) == 409);
  CHECK(ErrorKindOf(named.status()) == ErrorKind::kDeviceOfAnotherProject);
  auto id_only = t.f.m().ports().UpdatePort(t.f.b, WithDevice(b_port->id(), "", t.a_router.id()),
                                            {"device_id"});
  CHECK(Http(id_only.status()) == 409);
  // ... and on create.
  v1::Port fresh;
  fresh.set_network_id(t.b_net.id());
  fresh.set_device_id(t.a_router.id());
  CHECK(Http(t.f.m().ports().CreatePort(t.f.b, fresh, {"device_id"}).status()) == 409);
  fresh.set_device_owner("network:router_gateway");
  CHECK(Http(t.f.m().ports().CreatePort(t.f.b, fresh, {"device_id", "device_owner"}).status()) ==
        403);

  CHECK(t.Legs().size() == legs_before);
  auto still = t.f.m().ports().GetPort(t.f.b, b_port->id());
  REQUIRE(still.ok());
  CHECK(still->device_id().empty());
  CHECK(still->device_owner().empty());

  // A's own router ports cannot be re-pointed by A's member either (they are the router's).
  auto a_leg = t.f.m().ports().ListPorts(t.f.a, {{"device_owner", {"network:router_interface"}}});
  REQUIRE(a_leg.ok());
  REQUIRE(a_leg->size() == 1);
  auto repoint = t.f.m().ports().UpdatePort(
      t.f.a, WithDevice((*a_leg)[0].id(), "", "something-else"), {"device_id"});
  CHECK(Http(repoint.status()) == 403);
  // A member may still name a device of its own project, and the admin may do anything.
  CHECK(t.f.m()
            .ports()
            .UpdatePort(t.f.b, WithDevice(b_port->id(), "compute:nova", "b-server"),
                        {"device_owner", "device_id"})
            .ok());
  // The router is still A's to delete once its parts are gone.
  REQUIRE(t.f.m().routers().RemoveRouterInterface(t.f.a, t.a_router.id(), t.a_sub.id(), "").ok());
  CHECK(t.f.m().routers().DeleteRouter(t.f.a, t.a_router.id()).ok());
}

TEST_CASE(
    "floating IP addresses: members take what the pool gives, never the gateway or network "
    "address") {
  TwoProjects t;
  v1::FloatingIp fip;
  fip.set_floating_network_id(t.ext.id());
  for (const char* address : {"198.18.77.1", "198.18.77.0", "198.18.77.50"}) {
    fip.set_floating_ip_address(address);
    auto denied = t.f.m().floating_ips().CreateFloatingIp(t.f.b, fip, {"floating_ip_address"});
    INFO(address);
    CHECK(Http(denied.status()) == 403);
  }
  // Even an admin cannot take the gateway, the network or broadcast address, or one outside
  // the pools.
  for (const char* address : {"198.18.77.1", "198.18.77.0", "198.18.77.255", "198.18.78.9"}) {
    fip.set_floating_ip_address(address);
    auto bad = t.f.m().floating_ips().CreateFloatingIp(t.f.admin, fip, {"floating_ip_address"});
    INFO(address);
    CHECK(Http(bad.status()) == 400);
  }
  fip.set_floating_ip_address("198.18.77.50");
  auto chosen = t.f.m().floating_ips().CreateFloatingIp(t.f.admin, fip, {"floating_ip_address"});
  REQUIRE(chosen.ok());
  CHECK(chosen->floating_ip_address() == "198.18.77.50");
  // What the pool gives a member is never the gateway.
  fip.clear_floating_ip_address();
  for (int i = 0; i < 5; ++i) {
    auto given = t.f.m().floating_ips().CreateFloatingIp(t.f.b, fip, {});
    REQUIRE(given.ok());
    CHECK(given->floating_ip_address() != "198.18.77.1");
  }
  // A router gateway's external address is an admin's choice too.
  v1::Router r;
  r.set_name("b-router");
  auto* gw = r.mutable_external_gateway();
  gw->set_network_id(t.ext.id());
  gw->add_external_fixed_ips()->set_ip_address("198.18.77.1");
  CHECK(Http(t.f.m().routers().CreateRouter(t.f.b, r, {"external_gateway"}).status()) == 403);
  gw->mutable_external_fixed_ips(0)->set_ip_address("198.18.77.60");
  CHECK(Http(t.f.m().routers().CreateRouter(t.f.b, r, {"external_gateway"}).status()) == 403);
  gw->mutable_external_fixed_ips(0)->set_ip_address("198.18.77.1");
  CHECK(Http(t.f.m().routers().CreateRouter(t.f.admin, r, {"external_gateway"}).status()) == 400);
}

TEST_CASE("a shared network: only its owner picks addresses and MACs or turns port security off") {
  Fixture f;
  v1::Network shared;
  shared.set_name("shared");
  shared.set_shared(true);
  auto sh = f.m().networks().CreateNetwork(f.admin, shared, {"shared"});
  REQUIRE(sh.ok());
  v1::Subnet s = f.Sub(f.admin, sh->id(), "192.168.7.0/24");

  CHECK(Http(f.Port(f.b, sh->id(), "192.168.7.1").status()) == 403);  // the gateway
  CHECK(Http(f.Port(f.b, sh->id(), "192.168.7.20").status()) == 403);
  CHECK(Http(f.Port(f.b, sh->id(), "192.168.7.20", s.id()).status()) == 403);
  auto by_subnet = f.Port(f.b, sh->id(), "", s.id());  // a subnet alone is fine
  REQUIRE(by_subnet.ok());
  v1::Port mac;
  mac.set_network_id(sh->id());
  mac.set_mac_address("fa:16:3e:00:00:01");
  CHECK(Http(f.m().ports().CreatePort(f.b, mac, {"mac_address"}).status()) == 403);
  v1::Port insecure;
  insecure.set_network_id(sh->id());
  insecure.set_port_security_enabled(false);
  CHECK(Http(f.m().ports().CreatePort(f.b, insecure, {"port_security_enabled"}).status()) == 403);
  // The same through an update of B's own port on the shared network.
  v1::Port update;
  update.set_id(by_subnet->id());
  update.set_port_security_enabled(false);
  CHECK(Http(f.m().ports().UpdatePort(f.b, update, {"port_security_enabled"}).status()) == 403);
  update.add_fixed_ips()->set_ip_address("192.168.7.30");
  CHECK(Http(f.m().ports().UpdatePort(f.b, update, {"fixed_ips"}).status()) == 403);
  // A server of B booted with a fixed IP on the shared network: the compute service asks
  // on B's behalf, and is refused the same way.
  v1::AllocatePortRequest alloc;
  alloc.set_network_id(sh->id());
  alloc.set_project_id("project-b");
  alloc.set_device_id("server-of-b");
  alloc.add_fixed_ips()->set_ip_address("192.168.7.1");
  CHECK(Http(f.m().compute_ports().AllocatePort(f.service, alloc).status()) == 403);
  CHECK(Http(f.m().compute_ports().AllocatePort(f.admin, alloc).status()) == 403);
  alloc.clear_fixed_ips();
  CHECK(f.m().compute_ports().AllocatePort(f.service, alloc).ok());

  // The network's owner (here the admin) may choose, but never the network, broadcast or
  // gateway address of a subnet.
  for (const char* ip : {"192.168.7.0", "192.168.7.255", "192.168.7.1"}) {
    auto bad = f.Port(f.admin, sh->id(), ip);
    INFO(ip);
    CHECK(Http(bad.status()) == 400);
    CHECK(ErrorKindOf(bad.status()) == ErrorKind::kAddressNotOnSubnet);
  }
  CHECK(f.Port(f.admin, sh->id(), "192.168.7.20").ok());
  // And on its own network, a member chooses as before, within the same limits.
  v1::Network own = f.Net(f.b, "own");
  f.Sub(f.b, own.id(), "10.5.0.0/24");
  CHECK(f.Port(f.b, own.id(), "10.5.0.9").ok());
  CHECK(Http(f.Port(f.b, own.id(), "10.5.0.255").status()) == 400);
}

TEST_CASE("an external network is seen by everyone, its subnets only by its project, as Neutron") {
  TwoProjects t;  // Tempest's test_external_network_visibility
  auto nets = t.f.m().networks().ListNetworks(t.f.b, {{"router:external", {"true"}}});
  REQUIRE(nets.ok());
  REQUIRE(nets->size() == 1);
  CHECK(nets->front().subnet_ids_size() == 1);  // the ids, as Neutron shows them
  auto subs = t.f.m().networks().ListSubnets(t.f.b, {{"network_id", {t.ext.id()}}});
  REQUIRE(subs.ok());
  CHECK(subs->empty());
  CHECK(Http(t.f.m().networks().GetSubnet(t.f.b, t.ext_sub.id()).status()) == 404);
  CHECK(t.f.m().networks().GetSubnet(t.f.admin, t.ext_sub.id()).ok());
  // A shared network's subnets are everyone's to see.
  v1::Network shared;
  shared.set_name("shared");
  shared.set_shared(true);
  auto sh = t.f.m().networks().CreateNetwork(t.f.admin, shared, {"shared"});
  REQUIRE(sh.ok());
  v1::Subnet sh_sub = t.f.Sub(t.f.admin, sh->id(), "192.168.9.0/24");
  CHECK(t.f.m().networks().GetSubnet(t.f.b, sh_sub.id()).ok());
  auto seen = t.f.m().networks().ListSubnets(t.f.b, {});
  REQUIRE(seen.ok());
  CHECK(seen->size() == 2);  // its own and the shared one
}

TEST_CASE("a token with no role on the project reads nothing of it") {
  TwoProjects t;
  Caller nobody;
  nobody.user_id = "no-role";
  nobody.project_id = "project-a";
  nobody.roles = {"some-custom-role"};
  CHECK(Http(t.f.m().networks().ListNetworks(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().networks().GetNetwork(nobody, t.a_net.id()).status()) == 403);
  CHECK(Http(t.f.m().networks().ListSubnets(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().networks().GetSubnet(nobody, t.a_sub.id()).status()) == 403);
  CHECK(Http(t.f.m().ports().ListPorts(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().security_groups().ListSecurityGroups(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().security_groups().ListSecurityGroupRules(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().routers().ListRouters(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().routers().GetRouter(nobody, t.a_router.id()).status()) == 403);
  CHECK(Http(t.f.m().floating_ips().ListFloatingIps(nobody, {}).status()) == 403);
  CHECK(Http(t.f.m().quotas().GetQuotas(nobody, "project-a").status()) == 403);
  // A reader of the project reads.
  Caller reader = nobody;
  reader.roles = {"reader"};
  auto seen = t.f.m().networks().ListNetworks(reader, {});
  REQUIRE(seen.ok());
  CHECK(seen->size() == 2);  // A's own and the external one
}

TEST_CASE("a domain-scoped token (no project) lists no project's resources") {
  // e2e_cross_project caught this after the store split: the store reads an empty project
  // as "every project", and a domain admin's token has none.
  TwoProjects t;
  REQUIRE(t.f.m()
              .floating_ips()
              .CreateFloatingIp(t.f.a,
                                [&] {
                                  v1::FloatingIp fip;
                                  fip.set_floating_network_id(t.ext.id());
                                  return fip;
                                }(),
                                {"floating_network_id"})
              .ok());
  Caller domain_admin;
  domain_admin.user_id = "domain-admin";
  domain_admin.domain_id = domain_admin.scope_domain_id = "default";
  domain_admin.roles = {"admin", "member", "reader"};
  auto nets = t.f.m().networks().ListNetworks(domain_admin, {});
  REQUIRE(nets.ok());
  REQUIRE(nets->size() == 1);  // the external network, which everyone sees
  CHECK(nets->front().id() == t.ext.id());
  auto subnets = t.f.m().networks().ListSubnets(domain_admin, {});
  REQUIRE(subnets.ok());
  CHECK(subnets->empty());  // not even the external network's, as Neutron
  auto groups = t.f.m().security_groups().ListSecurityGroups(domain_admin, {});
  REQUIRE(groups.ok());
  CHECK(groups->empty());
  auto rules = t.f.m().security_groups().ListSecurityGroupRules(domain_admin, {});
  REQUIRE(rules.ok());
  CHECK(rules->empty());
  auto routers = t.f.m().routers().ListRouters(domain_admin, {});
  REQUIRE(routers.ok());
  CHECK(routers->empty());
  auto fips = t.f.m().floating_ips().ListFloatingIps(domain_admin, {});
  REQUIRE(fips.ok());
  CHECK(fips->empty());
}

TEST_CASE(
    "names, descriptions and tags: Neutron's limits with 400, a NUL byte refused, nothing "
    "written") {
  Fixture f;
  const std::string long_name(256, 'n');
  const std::string huge(900 * 1024, 'x');
  const std::string with_nul = std::string("web") + '\0' + "evil";
  for (const std::string& bad : {long_name, huge, with_nul, std::string("\xff\xfe")}) {
    v1::Network n;
    n.set_name(bad);
    auto net = f.m().networks().CreateNetwork(f.a, n, {"name"});
    CHECK(Http(net.status()) == 400);
    CHECK(ErrorKindOf(net.status()) == ErrorKind::kInvalidInput);
    CHECK(net.status().message().size() < 200);  // the value is not echoed
    v1::SecurityGroup g;
    g.set_name(bad);
    CHECK(Http(f.m().security_groups().CreateSecurityGroup(f.a, g).status()) == 400);
    v1::Router r;
    r.set_name(bad);
    CHECK(Http(f.m().routers().CreateRouter(f.a, r, {"name"}).status()) == 400);
  }
  auto nets = f.m().networks().ListNetworks(f.a, {});
  REQUIRE(nets.ok());
  CHECK(nets->empty());
  v1::Network n = f.Net(f.a, std::string(255, 'n'));  // the limit itself is fine
  v1::Network upd;
  upd.set_id(n.id());
  upd.set_description(std::string(256, 'd'));
  CHECK(Http(f.m().networks().UpdateNetwork(f.a, upd, {"description"}).status()) == 400);
  upd.clear_description();
  upd.add_tags(std::string(61, 't'));
  CHECK(Http(f.m().networks().UpdateNetwork(f.a, upd, {"tags"}).status()) == 400);
  v1::Port p;
  p.set_network_id(n.id());
  p.set_name(with_nul);
  CHECK(Http(f.m().ports().CreatePort(f.a, p, {"name"}).status()) == 400);
  auto unchanged = f.m().networks().GetNetwork(f.a, n.id());
  REQUIRE(unchanged.ok());
  CHECK(unchanged->description().empty());
  CHECK(unchanged->tags_size() == 0);
}

}  // namespace
}  // namespace gureum::network::testing
