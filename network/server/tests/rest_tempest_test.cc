// The REST adapter where Tempest's network tests look (issue 21): bulk creates, quota
// listing and details, fixed_ips=ip_address_substr=, rule port checks, a peer group's
// delete, extensions.
#include <set>

#include "network/server/tests/rest_env.h"

namespace gureum::network::testing {
namespace {

using nlohmann::json;

TEST_CASE("REST: bulk create of networks, subnets and ports answers the list, all or none") {
  RestEnv e;
  auto [st, nets] = e.Do("POST", "/v2.0/networks", "a",
                         {{"networks", json::array({{{"name", "n1"}}, {{"name", "n2"}}})}});
  REQUIRE(st == 201);
  REQUIRE(nets["networks"].size() == 2);
  const std::string n1 = nets["networks"][0]["id"], n2 = nets["networks"][1]["id"];
  CHECK(nets["networks"][1]["name"] == "n2");
  auto [sst, subs] =
      e.Do("POST", "/v2.0/subnets", "a",
           {{"subnets",
             json::array({{{"network_id", n1}, {"cidr", "10.0.0.0/24"}, {"ip_version", 4}},
                          {{"network_id", n2}, {"cidr", "2001:db8::/64"}, {"ip_version", 6}}})}});
  REQUIRE(sst == 201);
  CHECK(subs["subnets"].size() == 2);
  auto [pst, ports] =
      e.Do("POST", "/v2.0/ports", "a",
           {{"ports", json::array({{{"network_id", n1}, {"name", "p1"}},
                                   {{"network_id", n2}, {"admin_state_up", false}}})}});
  REQUIRE(pst == 201);
  REQUIRE(ports["ports"].size() == 2);
  CHECK(ports["ports"][1]["admin_state_up"] == false);
  // A bad item refuses the whole batch.
  auto [bst, bad] = e.Do("POST", "/v2.0/networks", "a",
                         {{"networks", json::array({{{"name", "n3"}}, {{"mtu", "x"}}})}});
  CHECK(bst == 400);
  CHECK(e.Do("GET", "/v2.0/networks?name=n3", "a").second["networks"].empty());
  CHECK(e.Do("POST", "/v2.0/networks", "a", {{"networks", json::array()}}).first == 400);
}

TEST_CASE("REST: quotas are listed for projects with their own and shown with details") {
  RestEnv e;
  CHECK(e.Do("PUT", "/v2.0/quotas/project-b", "admin", {{"quota", {{"network", 0}}}}).first == 200);
  auto [lst, list] = e.Do("GET", "/v2.0/quotas", "admin");
  REQUIRE(lst == 200);
  REQUIRE(list["quotas"].size() == 1);
  CHECK(list["quotas"][0]["project_id"] == "project-b");
  CHECK(list["quotas"][0]["network"] == 0);
  CHECK(e.Do("GET", "/v2.0/quotas", "a").first == 403);
  auto [dst, details] = e.Do("GET", "/v2.0/quotas/project-a/details.json", "a");
  REQUIRE(dst == 200);
  for (const auto& [res, d] : details["quota"].items()) {
    CHECK(d.contains("used"));
    CHECK(d.contains("limit"));
    CHECK(d.contains("reserved"));
  }
}

TEST_CASE("REST: ports filtered by fixed_ips=ip_address_substr=") {
  RestEnv e;
  const std::string net =
      e.Do("POST", "/v2.0/networks", "a", {{"network", {{"name", "n"}}}}).second["network"]["id"];
  const std::string sub = e.Do("POST", "/v2.0/subnets", "a",
                               {{"subnet", {{"network_id", net}, {"cidr", "10.5.0.0/24"}}}})
                              .second["subnet"]["id"];
  for (const char* ip : {"10.5.0.17", "10.5.0.27"}) {
    json fixed = json::array({{{"subnet_id", sub}, {"ip_address", ip}}});
    REQUIRE(
        e.Do("POST", "/v2.0/ports", "a", {{"port", {{"network_id", net}, {"fixed_ips", fixed}}}})
            .first == 201);
  }
  auto one = e.Do("GET", "/v2.0/ports?fixed_ips=ip_address_substr%3D10.5.0.1", "a").second;
  REQUIRE(one["ports"].size() == 1);
  CHECK(one["ports"][0]["fixed_ips"][0]["ip_address"] == "10.5.0.17");
  auto both = e.Do("GET", "/v2.0/ports?fixed_ips=ip_address_substr%3D7", "a").second;
  CHECK(both["ports"].size() == 2);
}

TEST_CASE("REST: a rule's port out of range is 400 in Neutron's words") {
  RestEnv e;
  const std::string g =
      e.Do("POST", "/v2.0/security-groups", "a", {{"security_group", {{"name", "web"}}}})
          .second["security_group"]["id"];
  auto [st, body] = e.Do("POST", "/v2.0/security-group-rules", "a",
                         {{"security_group_rule",
                           {{"security_group_id", g},
                            {"direction", "ingress"},
                            {"protocol", "tcp"},
                            {"port_range_min", -16},
                            {"port_range_max", 80}}}});
  CHECK(st == 400);
  CHECK(body["NeutronError"]["message"].get<std::string>().find("Invalid value for port -16") !=
        std::string::npos);
}

TEST_CASE("REST: deleting a peer group deletes the rules naming it (Tempest's peer group test)") {
  RestEnv e;
  auto make = [&](const std::string& name) -> std::string {
    return e.Do("POST", "/v2.0/security-groups", "a", {{"security_group", {{"name", name}}}})
        .second["security_group"]["id"];
  };
  const std::string g = make("web"), peer = make("peer");
  auto [st, rule] =
      e.Do("POST", "/v2.0/security-group-rules", "a",
           {{"security_group_rule",
             {{"security_group_id", g}, {"direction", "ingress"}, {"remote_group_id", peer}}}});
  REQUIRE(st == 201);
  const std::string rule_id = rule["security_group_rule"]["id"];
  CHECK(e.Do("DELETE", "/v2.0/security-groups/" + peer, "a").first == 204);
  CHECK(e.Do("GET", "/v2.0/security-group-rules/" + rule_id, "a").first == 404);
  auto [lst, left] = e.Do("GET", "/v2.0/security-group-rules?remote_group_id=" + peer, "a");
  REQUIRE(lst == 200);
  CHECK(left["security_group_rules"].empty());
  CHECK(e.Do("GET", "/v2.0/security-groups/" + g, "a")
            .second["security_group"]["security_group_rules"]
            .size() == 2);
}

TEST_CASE("REST: the extensions listed are the ones implemented") {
  RestEnv e;
  auto [st, body] = e.Do("GET", "/v2.0/extensions", "a");
  REQUIRE(st == 200);
  std::set<std::string> aliases;
  for (const auto& x : body["extensions"]) aliases.insert(x["alias"]);
  for (const char* absent : {"dvr", "metering", "subnet_allocation", "service-type"})
    CHECK(aliases.count(absent) == 0);
  CHECK(aliases.count("extra_dhcp_opt") == 1);
  CHECK(aliases.count("quota_details") == 1);
  CHECK(aliases.count("ip-substring-filtering") == 1);
}

TEST_CASE("REST: extra_dhcp_opts are shown, updated and removed with a null value") {
  RestEnv e;
  const std::string net =
      e.Do("POST", "/v2.0/networks", "a", {{"network", {{"name", "n"}}}}).second["network"]["id"];
  json opts = json::array({{{"opt_name", "bootfile-name"}, {"opt_value", "pxelinux.0"}},
                           {{"opt_name", "tftp-server"}, {"opt_value", "123.123.123.123"}}});
  auto [st, made] = e.Do("POST", "/v2.0/ports", "a",
                         {{"port", {{"network_id", net}, {"extra_dhcp_opts", opts}}}});
  REQUIRE(st == 201);
  REQUIRE(made["port"]["extra_dhcp_opts"].size() == 2);
  CHECK(made["port"]["extra_dhcp_opts"][0]["ip_version"] == 4);
  const std::string id = made["port"]["id"];
  json change = json::array({{{"opt_name", "tftp-server"}, {"opt_value", nullptr}}});
  auto [ust, up] = e.Do("PUT", "/v2.0/ports/" + id, "a", {{"port", {{"extra_dhcp_opts", change}}}});
  REQUIRE(ust == 200);
  REQUIRE(up["port"]["extra_dhcp_opts"].size() == 1);
  CHECK(up["port"]["extra_dhcp_opts"][0]["opt_name"] == "bootfile-name");
  json bad = json::array({{{"opt_value", "x"}}});
  CHECK(e.Do("PUT", "/v2.0/ports/" + id, "a", {{"port", {{"extra_dhcp_opts", bad}}}}).first == 400);
}

TEST_CASE("REST: tags of a resource added, checked, replaced and removed") {
  RestEnv e;
  const std::string net =
      e.Do("POST", "/v2.0/networks", "a", {{"network", {{"name", "n"}}}}).second["network"]["id"];
  const std::string base = "/v2.0/networks/" + net + "/tags";
  CHECK(e.Do("PUT", base + "/red", "a").first == 201);
  CHECK(e.Do("PUT", base + "/red", "a").first == 201);  // already there: still one
  CHECK(e.Do("GET", base + "/red", "a").first == 204);
  CHECK(e.Do("GET", base + "/blue", "a").first == 404);
  CHECK(e.Do("GET", base, "a").second["tags"] == json::array({"red"}));
  auto [pst, put] = e.Do("PUT", base, "a", {{"tags", json::array({"x", "y", "z"})}});
  CHECK(pst == 200);
  CHECK(put["tags"].size() == 3);
  CHECK(e.Do("DELETE", base + "/x", "a").first == 204);
  CHECK(e.Do("DELETE", base + "/x", "a").first == 404);
  CHECK(e.Do("GET", "/v2.0/networks?tags=y", "a").second["networks"].size() == 1);
  CHECK(e.Do("DELETE", base, "a").first == 204);
  CHECK(e.Do("GET", base, "a").second["tags"].empty());
  CHECK(e.Do("GET", base, "b").first == 404);  // another project's network
  CHECK(e.Do("PUT", base + "/" + std::string(61, 't'), "a").first == 400);
}

TEST_CASE("REST: the DHCP agents of a network and the networks of an agent, for admins") {
  RestEnv e;
  const std::string net =
      e.Do("POST", "/v2.0/networks", "a", {{"network", {{"name", "n"}}}}).second["network"]["id"];
  auto [st, body] = e.Do("GET", "/v2.0/networks/" + net + "/dhcp-agents", "admin");
  CHECK(st == 200);
  CHECK(body["agents"].empty());  // no agent here
  CHECK(e.Do("GET", "/v2.0/networks/" + net + "/dhcp-agents", "a").first == 403);
  CHECK(e.Do("GET", "/v2.0/agents/nope/dhcp-networks", "admin").first == 404);
}

TEST_CASE("REST: an admin turns an agent off and on, which its reports keep") {
  RestEnv e;
  v1::AgentReport report;
  report.set_host("h1");
  report.set_local_ip("192.0.2.1");
  report.set_dhcp(true);
  REQUIRE(e.f.m().agents().ReportAgent(e.f.service, report).ok());
  const std::string id = e.Do("GET", "/v2.0/agents", "admin").second["agents"][0]["id"];
  const std::string path = "/v2.0/agents/" + id;
  auto [st, body] = e.Do("PUT", path, "admin", {{"agent", {{"admin_state_up", false}}}});
  CHECK(st == 200);
  CHECK(body["agent"]["admin_state_up"] == false);
  REQUIRE(e.f.m().agents().ReportAgent(e.f.service, report).ok());  // a heartbeat
  CHECK(e.Do("GET", path, "admin").second["agent"]["admin_state_up"] == false);
  CHECK(e.Do("PUT", path, "admin", {{"agent", {{"admin_state_up", true}}}})
            .second["agent"]["admin_state_up"] == true);
  // Members may not; bad bodies and unknown agents are clear errors.
  CHECK(e.Do("PUT", path, "a", {{"agent", {{"admin_state_up", false}}}}).first == 403);
  CHECK(e.Do("PUT", path, "admin", {{"agent", {{"admin_state_up", "no"}}}}).first == 400);
  CHECK(e.Do("PUT", path, "admin", {{"agent", {{"host", "x"}}}}).first == 400);
  CHECK(e.Do("PUT", "/v2.0/agents/nope", "admin", {{"agent", {{"admin_state_up", false}}}}).first ==
        404);
}

}  // namespace
}  // namespace gureum::network::testing
