// The Neutron REST adapter over a real manager and PostgreSQL (httplib client, port 0):
// discovery, Neutron error bodies with their exception types, admin-only attributes,
// query filters and fields=, quotas; and the casts reaching a real RabbitMQ queue
// network-agent.<host> as a network agent would consume them.
#include <httplib.h>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/http/server.h"
#include "common/testing/test_env.h"
#include "network/server/network_rest.h"
#include "network/server/pg_network_store.h"
#include "network/server/tests/fixture.h"
#include "network/server/tests/rest_env.h"

namespace gureum::network::testing {
namespace {

using nlohmann::json;

TEST_CASE("REST: links come from the configured public URL, never from the client's Host header") {
  RestEnv e;
  httplib::Headers h = {{"Host", "evil.example:666"}};
  auto r = e.client().Get("/", h);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("evil.example") == std::string::npos);
  CHECK(r->body.find("http://localhost:9696") !=
        std::string::npos);  // NetworkRestOptions{}'s default
}

TEST_CASE(
    "REST: bodies are read as Neutron's attribute map: unknown keys, nulls, ranges, NUL, other "
    "projects") {
  RestEnv e;
  auto post = [&](const json& body) {
    return e.Do("POST", "/v2.0/networks", "a", {{"network", body}});
  };
  for (const json& bad :
       {json{{"name", "n"}, {"colour", "red"}}, json{{"name", nullptr}}, json{{"mtu", nullptr}},
        json{{"mtu", -1}}, json{{"mtu", 9223372036854775807LL}}, json{{"mtu", "12abc"}},
        json{{"tenant_id", "project-b"}}, json{{"project_id", "project-b"}},
        json{{"project_id", "project-a"}, {"tenant_id", "project-b"}}}) {
    auto [st, body] = post(bad);
    INFO(bad.dump());
    CHECK(st == 400);
    CHECK(body["NeutronError"]["message"].is_string());
  }
  auto [unknown_st, unknown] = post({{"name", "n"}, {"colour", "red"}});
  CHECK(unknown["NeutronError"]["message"] == "Unrecognized attribute(s) 'colour'");
  auto [nst, net] = post({{"name", "mine"}, {"tenant_id", "project-a"}, {"mtu", 1400}});
  REQUIRE(nst == 201);
  const std::string id = net["network"]["id"];
  CHECK(
      e.Do("POST", "/v2.0/subnets", "a",
           {{"subnet",
             {{"network_id", id}, {"ip_version", 4}, {"cidr", std::string("10.0.0.0\0/24", 14)}}}})
          .first == 400);
  CHECK(e.Do("PUT", "/v2.0/networks/" + id, "a", {{"network", {{"project_id", "project-b"}}}})
            .first == 400);
  CHECK(
      e.Do("PUT", "/v2.0/networks/" + id, "a", {{"network", {{"tenant_id", "project-a"}}}}).first ==
      400);
  // The admin's shared network is visible to B: changing it is 403, not 404.
  auto [sst, shared] = e.Do("POST", "/v2.0/networks", "admin",
                            {{"network", {{"name", "shared"}, {"shared", true}}}});
  REQUIRE(sst == 201);
  const std::string sid = shared["network"]["id"];
  CHECK(e.Do("PUT", "/v2.0/networks/" + sid, "b", {{"network", {{"name", "mine now"}}}}).first ==
        403);
  CHECK(e.Do("DELETE", "/v2.0/networks/" + sid, "b").first == 403);
  CHECK(e.Do("GET", "/v2.0/networks/" + sid, "b").second["network"]["name"] == "shared");
}

TEST_CASE("REST: discovery, auth, Neutron error bodies and codes") {
  RestEnv e;
  auto [st, root] = e.Do("GET", "/", "");
  CHECK(st == 200);
  CHECK(root["versions"][0]["id"] == "v2.0");
  CHECK(e.Do("GET", "/v2.0/networks", "").first == 401);
  CHECK(e.Do("GET", "/v2.0/networks", "bogus").first == 401);
  auto [ext_st, ext] = e.Do("GET", "/v2.0/extensions", "a");
  CHECK(ext_st == 200);
  bool has_router = false;
  for (const auto& x : ext["extensions"]) has_router = has_router || x["alias"] == "router";
  CHECK(has_router);

  auto [nst, net] = e.Do("POST", "/v2.0/networks", "a",
                         {{"network", {{"name", "private"}, {"admin_state_up", true}}}});
  REQUIRE(nst == 201);
  const std::string id = net["network"]["id"];
  CHECK(net["network"]["mtu"] == 1450);
  CHECK(net["network"]["router:external"] == false);
  CHECK(net["network"]["tenant_id"] == "project-a");
  CHECK_FALSE(net["network"].contains("provider:network_type"));  // admin-only
  auto [ast, as_admin] = e.Do("GET", "/v2.0/networks/" + id, "admin");
  CHECK(ast == 200);
  CHECK(as_admin["network"]["provider:network_type"] == "vxlan");

  auto [bst, bbody] = e.Do("GET", "/v2.0/networks/" + id, "b");
  CHECK(bst == 404);
  CHECK(bbody["NeutronError"]["type"] == "NetworkNotFound");
  CHECK(e.Do("POST", "/v2.0/networks", "a", json::parse(R"({"network": {"name": 5}})")).first ==
        400);
  CHECK(e.Do("POST", "/v2.0/networks", "a", json::parse(R"({"nope": {}})")).first == 400);
  auto [cst, cbody] =
      e.Do("POST", "/v2.0/subnets", "a",
           {{"subnet", {{"network_id", id}, {"ip_version", 4}, {"cidr", "10.0.0.7/24"}}}});
  CHECK(cst == 400);
  CHECK(cbody["NeutronError"]["message"].get<std::string>().find("10.0.0.0/24") !=
        std::string::npos);
  auto [sst, sub] = e.Do("POST", "/v2.0/subnets", "a",
                         {{"subnet",
                           {{"network_id", id},
                            {"ip_version", 4},
                            {"cidr", "10.0.0.0/29"},
                            {"gateway_ip", nullptr},
                            {"enable_dhcp", false}}}});
  REQUIRE(sst == 201);
  CHECK(sub["subnet"]["gateway_ip"].is_null());
  CHECK(sub["subnet"]["allocation_pools"][0]["start"] == "10.0.0.1");
  CHECK(sub["subnet"]["allocation_pools"][0]["end"] == "10.0.0.6");
  const std::string subnet_id = sub["subnet"]["id"];
  for (int i = 0; i < 6; ++i) {
    REQUIRE(e.Do("POST", "/v2.0/ports", "a",
                 {{"port", {{"network_id", id}, {"name", "p" + std::to_string(i)}}}})
                .first == 201);
  }
  auto [xst, xbody] = e.Do("POST", "/v2.0/ports", "a", {{"port", {{"network_id", id}}}});
  CHECK(xst == 409);
  CHECK(xbody["NeutronError"]["type"] == "IpAddressGenerationFailure");
  auto [dst, dbody] = e.Do("DELETE", "/v2.0/networks/" + id, "a");
  CHECK(dst == 409);
  CHECK(dbody["NeutronError"]["type"] == "NetworkInUse");

  // Filters and fields=.
  auto [lst, list] = e.Do("GET", "/v2.0/ports?name=p3&fields=id&fields=name", "a");
  CHECK(lst == 200);
  REQUIRE(list["ports"].size() == 1);
  CHECK(list["ports"][0]["name"] == "p3");
  CHECK_FALSE(list["ports"][0].contains("mac_address"));
  const std::string ip =
      e.Do("GET", "/v2.0/ports?name=p2", "a").second["ports"][0]["fixed_ips"][0]["ip_address"];
  auto [fst, byip] = e.Do("GET", "/v2.0/ports?fixed_ips=ip_address%3D" + ip, "a");
  CHECK(fst == 200);
  REQUIRE(byip["ports"].size() == 1);
  CHECK(byip["ports"][0]["name"] == "p2");
  CHECK(e.Do("GET", "/v2.0/ports", "b").second["ports"].empty());
  // Pages of two, following the next links.
  auto [pst, page1] = e.Do("GET", "/v2.0/ports?limit=4", "a");
  CHECK(pst == 200);
  REQUIRE(page1["ports"].size() == 4);
  REQUIRE(page1.contains("ports_links"));
  const std::string marker = page1["ports"][3]["id"];
  auto [p2st, page2] = e.Do("GET", "/v2.0/ports?limit=4&marker=" + marker, "a");
  CHECK(p2st == 200);
  CHECK(page2["ports"].size() == 2);
  CHECK_FALSE(page2.contains("ports_links"));
  CHECK(e.Do("GET", "/v2.0/ports?limit=-1", "a").first == 400);
  CHECK(e.Do("GET", "/v2.0/networks?router:external=True", "a").second["networks"].empty());

  // Quotas.
  auto [qst, q] = e.Do("GET", "/v2.0/quotas/project-a/details", "a");
  CHECK(qst == 200);
  CHECK(q["quota"]["port"]["used"] == 6);
  CHECK(q["quota"]["network"]["limit"] == 100);
  CHECK(e.Do("PUT", "/v2.0/quotas/project-a", "a", {{"quota", {{"port", 1}}}}).first == 403);
  CHECK(e.Do("PUT", "/v2.0/quotas/project-a", "admin", {{"quota", {{"port", 6}}}}).first == 200);
  auto [ost, over] = e.Do("POST", "/v2.0/ports", "a",
                          {{"port", {{"network_id", id}, {"fixed_ips", json::array()}}}});
  CHECK(ost == 409);
  CHECK(over["NeutronError"]["type"] == "OverQuota");
  CHECK(e.Do("GET", "/v2.0/quotas/project-b", "a").first == 403);
}

TEST_CASE("REST: routers with interfaces and a gateway, floating IPs") {
  RestEnv e;
  auto ext = e.Do("POST", "/v2.0/networks", "admin",
                  {{"network", {{"name", "public"}, {"router:external", true}}}});
  REQUIRE(ext.first == 201);
  const std::string ext_id = ext.second["network"]["id"];
  REQUIRE(
      e.Do("POST", "/v2.0/subnets", "admin",
           {{"subnet", {{"network_id", ext_id}, {"ip_version", 4}, {"cidr", "198.51.100.0/24"}}}})
          .first == 201);
  const std::string net =
      e.Do("POST", "/v2.0/networks", "a", {{"network", {{"name", "n"}}}}).second["network"]["id"];
  const std::string s1 =
      e.Do("POST", "/v2.0/subnets", "a",
           {{"subnet", {{"network_id", net}, {"cidr", "10.1.0.0/24"}, {"ip_version", 4}}}})
          .second["subnet"]["id"];
  const std::string net2 =
      e.Do("POST", "/v2.0/networks", "a", {{"network", {{"name", "n2"}}}}).second["network"]["id"];
  const std::string s2 =
      e.Do("POST", "/v2.0/subnets", "a",
           {{"subnet", {{"network_id", net2}, {"cidr", "10.1.0.0/25"}, {"ip_version", 4}}}})
          .second["subnet"]["id"];
  auto r = e.Do("POST", "/v2.0/routers", "a",
                {{"router", {{"name", "r"}, {"external_gateway_info", {{"network_id", ext_id}}}}}});
  REQUIRE(r.first == 201);
  const std::string rid = r.second["router"]["id"];
  CHECK(r.second["router"]["external_gateway_info"]["enable_snat"] == true);
  CHECK(r.second["router"]["external_gateway_info"]["external_fixed_ips"].size() == 1);
  auto add =
      e.Do("PUT", "/v2.0/routers/" + rid + "/add_router_interface", "a", {{"subnet_id", s1}});
  CHECK(add.first == 200);
  CHECK(add.second["subnet_id"] == s1);
  CHECK(add.second["network_id"] == net);
  auto overlap =
      e.Do("PUT", "/v2.0/routers/" + rid + "/add_router_interface", "a", {{"subnet_id", s2}});
  CHECK(overlap.first == 400);
  auto port = e.Do("POST", "/v2.0/ports", "a", {{"port", {{"network_id", net}}}});
  REQUIRE(port.first == 201);
  auto fip = e.Do(
      "POST", "/v2.0/floatingips", "a",
      {{"floatingip", {{"floating_network_id", ext_id}, {"port_id", port.second["port"]["id"]}}}});
  REQUIRE(fip.first == 201);
  CHECK(fip.second["floatingip"]["router_id"] == rid);
  CHECK(fip.second["floatingip"]["fixed_ip_address"] ==
        port.second["port"]["fixed_ips"][0]["ip_address"]);
  CHECK(e.Do("GET", "/v2.0/floatingips/" + fip.second["floatingip"]["id"].get<std::string>(), "b")
            .first == 404);
  auto unset = e.Do("PUT", "/v2.0/floatingips/" + fip.second["floatingip"]["id"].get<std::string>(),
                    "a", {{"floatingip", {{"port_id", nullptr}}}});
  CHECK(unset.first == 200);
  CHECK(unset.second["floatingip"]["port_id"].is_null());
  CHECK(e.Do("PUT", "/v2.0/routers/" + rid + "/remove_router_interface", "a", {{"subnet_id", s1}})
            .first == 200);
  CHECK(e.Do("PUT", "/v2.0/routers/" + rid + "/remove_router_interface", "a", {{"subnet_id", s1}})
            .first == 404);
}

TEST_CASE("casts reach network-agent.<host> on a real RabbitMQ") {
  auto opts = amqp::ParseUrl(gureum::testing::RequireEnv("GUREUM_TEST_AMQP_URL"));
  REQUIRE(opts.ok());
  auto publisher = amqp::Publisher::Create(*opts);
  REQUIRE(publisher.ok());
  Fixture f;
  PgNetworkStore store(f.pool());
  NetworkManagers m(store, publisher->get(), RealClock::Get(), RandomIdGenerator::Get(), {});
  const std::string host = "rest-test-" + NewUuid().substr(0, 8);
  absl::Mutex mu;
  std::vector<v1::AgentCast> got;
  amqp::ConsumerOptions in;
  in.queue = "network-agent." + host;
  auto consumer = amqp::Consumer::Create(*opts, in, [&](const amqp::Message& msg) {
    v1::AgentCast cast;
    if (!cast.ParseFromString(msg.body)) return absl::InvalidArgumentError("not an AgentCast");
    absl::MutexLock l(&mu);
    got.push_back(cast);
    return absl::OkStatus();
  });
  REQUIRE(consumer.ok());
  (*consumer)->Start();
  v1::Network n;
  auto net = m.networks().CreateNetwork(f.a, n, {});
  REQUIRE(net.ok());
  v1::Subnet s;
  s.set_network_id(net->id());
  s.set_cidr("10.9.0.0/24");
  REQUIRE(m.networks().CreateSubnet(f.a, s, {}).ok());
  v1::AllocatePortRequest req;
  req.set_network_id(net->id());
  req.set_project_id("project-a");
  req.set_device_id("vm");
  req.set_device_owner("compute:nova");
  req.set_host(host);
  auto port = m.compute_ports().AllocatePort(f.service, req);
  REQUIRE(port.ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  bool seen = false;
  while (!seen && absl::Now() < deadline) {
    {
      absl::MutexLock l(&mu);
      for (const auto& c : got)
        seen = seen || (c.host() == host && c.reason() == "port bound " + port->id());
    }
    if (!seen) absl::SleepFor(absl::Milliseconds(20));
  }
  (*consumer)->Stop();
  CHECK(seen);
}

}  // namespace
}  // namespace gureum::network::testing
