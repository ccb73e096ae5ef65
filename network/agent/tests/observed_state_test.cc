#include "network/agent/observed_state.h"

#include <catch2/catch.hpp>

#include "network/agent/fake_host_system.h"

namespace gureum::network_agent {
namespace {

constexpr char kLinks[] = R"([
 {"ifname":"brqnet00000000","flags":["BROADCAST","UP"],"mtu":1450,"address":"aa:aa:aa:aa:aa:01",
  "linkinfo":{"info_kind":"bridge","info_data":{}}},
 {"ifname":"vxlan-100","flags":["BROADCAST","UP"],"mtu":1450,"master":"brqnet00000000",
  "linkinfo":{"info_kind":"vxlan","info_data":{"id":100,"local":"10.1.0.1","port":4789,"learning":false}}},
 {"ifname":"eth1.20","link":"eth1","flags":["BROADCAST"],"mtu":1500,
  "linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":20}}},
 {"ifname":"ns-abc","flags":["UP"],"mtu":1450,"address":"fa:16:3e:00:00:02",
  "addr_info":[{"family":"inet","local":"10.0.0.2","prefixlen":24,"scope":"global"},
               {"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]}
])";

TEST_CASE("ip -d -j output becomes links") {
  auto links = ParseLinks(kLinks);
  REQUIRE(links.ok());
  const Link& vx = links->at("vxlan-100");
  CHECK(vx.kind == "vxlan");
  CHECK(vx.vxlan_id == 100);
  CHECK(vx.vxlan_local == "10.1.0.1");
  CHECK(vx.vxlan_port == 4789);
  CHECK_FALSE(vx.vxlan_learning);
  CHECK(vx.master == "brqnet00000000");
  CHECK(vx.up);
  CHECK(links->at("eth1.20").vlan_id == 20);
  CHECK(links->at("eth1.20").parent == "eth1");
  CHECK_FALSE(links->at("eth1.20").up);
  CHECK(links->at("ns-abc").addresses == std::vector<std::string>{"10.0.0.2/24"});
  CHECK_FALSE(ParseLinks("{not json").ok());
}

TEST_CASE("bridge fdb, routes and namespaces are parsed") {
  auto fdb = ParseFdb(R"([{"mac":"00:00:00:00:00:00","ifname":"vxlan-100","dst":"10.1.0.2"},
                         {"mac":"33:33:00:00:00:01","ifname":"eth0","flags":["self"]}])");
  REQUIRE(fdb.ok());
  CHECK(fdb->size() == 1);
  CHECK(fdb->at("vxlan-100").count({"00:00:00:00:00:00", "10.1.0.2"}) == 1);
  auto routes = ParseRoutes(R"([{"dst":"default","gateway":"172.24.0.1","dev":"qg-x"}])");
  REQUIRE(routes.ok());
  CHECK(routes->at(0).gateway == "172.24.0.1");
  CHECK(ParseNamespaces(R"([{"name":"qdhcp-1"},{"name":"other","id":3}])") ==
        std::set<std::string>{"qdhcp-1", "other"});
  CHECK(ParseNamespaces("").empty());
}

TEST_CASE("Observe reads the host, then inside the namespaces asked for") {
  FakeHostSystem host;
  host.SetOutput("ip -d -j link show", kLinks);
  host.SetOutput("ip -j netns list", R"([{"name":"qrouter-r1"}])");
  host.SetOutput("nft list chain inet gureum zone", "Error: No such file or directory", 1);
  host.SetOutput("ip -n qrouter-r1 -j route show",
                 R"([{"dst":"default","gateway":"1.2.3.4","dev":"qg-x"}])");
  auto s = Observe(host, {"qrouter-r1", "qdhcp-absent"});
  REQUIRE(s.ok());
  CHECK(s->links.size() == 4);
  CHECK(s->inside.count("qrouter-r1") == 1);
  CHECK(s->inside.count("qdhcp-absent") == 0);
  CHECK(s->inside.at("qrouter-r1").routes.size() == 1);
  CHECK(s->nft_tables == std::set<std::string>{"bridge gureum"});
  host.Fail("ip -d -j link show", "boom");
  CHECK_FALSE(Observe(host, {}).ok());
}

}  // namespace
}  // namespace gureum::network_agent
