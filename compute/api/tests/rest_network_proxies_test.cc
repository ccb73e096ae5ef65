// Nova's network proxies through the REST adapter on fakes only (fake_rest.h with a
// FakeNetworkClient): os-security-groups and their rules with Nova's 400s and 404s, a
// server's groups, os-floating-ips and pools with addFloatingIp/removeFloatingIp,
// os-networks and os-tenant-networks; every call made with the caller's own token (so
// another project's groups and floating IPs stay out of reach); 404 without a network
// service. And the quota set's nova-network keys, kept and shown as Nova does.
#include <algorithm>

#include <catch2/catch.hpp>

#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

constexpr char kNet[] = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr char kPublic[] = "cccccccc-0000-4000-8000-00000000000c";
constexpr char kPort[] = "dddddddd-0000-4000-8000-00000000000a";
constexpr char kDefaultSg[] = "eeeeeeee-0000-4000-8000-00000000000a";
constexpr char kMissing[] = "99999999-0000-4000-8000-000000000009";

json Group(const std::string& name, const std::string& description = "a group") {
  return {{"security_group", {{"name", name}, {"description", description}}}};
}

json Rule(const std::string& parent, json fields) {
  fields["parent_group_id"] = parent;
  return {{"security_group_rule", fields}};
}

json Tcp22(const std::string& parent) {
  return Rule(parent, {{"ip_protocol", "tcp"}, {"from_port", 22}, {"to_port", 22}});
}

// p1's private network, the public (external) network and p1's default group.
void AddNetworks(FakeNetworkClient& nets) {
  nets.AddNetwork({.id = kNet, .name = "private", .project_id = "p1"});
  nets.AddNetwork(
      {.id = kPublic, .name = "public", .project_id = "admin", .router_external = true});
  nets.AddSecurityGroup({.id = kDefaultSg, .name = "default", .project_id = "p1"});
}

// An active server of p1 with one port (10.0.0.5) in the default group.
std::string ServerWithPort(FakeRest& rest) {
  rest.world().AddFlavorAndImage();
  Instance i = rest.world().ActiveServer();
  rest.networks().AddPort({.id = kPort,
                           .network_id = kNet,
                           .project_id = "p1",
                           .device_id = i.uuid,
                           .device_owner = "compute:nova",
                           .fixed_ips = {{.subnet_id = "s", .ip_address = "10.0.0.5"}},
                           .security_group_ids = {kDefaultSg}});
  return i.uuid;
}

TEST_CASE("os-security-groups: create, show, update, list and delete as Nova") {
  FakeRest rest(/*with_networks=*/true);
  AddNetworks(rest.networks());
  Reply r = rest.Call("POST", "/os-security-groups", Group("web", "web servers"));
  REQUIRE(r.status == 200);
  const json g = r.body["security_group"];
  CHECK(g["name"] == "web");
  CHECK(g["description"] == "web servers");
  CHECK(g["tenant_id"] == "p1");
  CHECK(g["rules"] == json::array());
  const std::string id = g["id"];

  CHECK(rest.Call("GET", "/os-security-groups/" + id).body["security_group"] == g);
  r = rest.Call("PUT", "/os-security-groups/" + id, Group("web2", "new"));
  CHECK(r.status == 200);
  CHECK(r.body["security_group"]["name"] == "web2");
  r = rest.Call("GET", "/os-security-groups");
  REQUIRE(r.status == 200);
  CHECK(r.body["security_groups"].size() == 2);  // default and web2

  // Nova's 400s: names and descriptions of 1 to 255 characters, ids that are UUIDs.
  // The name is kept as given (blanks around it too).
  r = rest.Call("POST", "/os-security-groups", Group(" spaced name "));
  CHECK(r.body["security_group"]["name"] == " spaced name ");
  CHECK(rest.Call("POST", "/os-security-groups", Group("")).status == 400);
  CHECK(rest.Call("POST", "/os-security-groups", Group("  ")).status == 400);
  CHECK(rest.Call("POST", "/os-security-groups", Group(std::string(260, 'n'))).status == 400);
  CHECK(rest.Call("POST", "/os-security-groups", Group("x", std::string(260, 'd'))).status == 400);
  CHECK(rest.Call("POST", "/os-security-groups", {{"security_group", {{"name", "x"}}}}).status ==
        400);
  CHECK(rest.Call("PUT", "/os-security-groups/sg-not-uuid", Group("x")).status == 400);
  CHECK(rest.Call("PUT", "/os-security-groups/" + id, Group(std::string(260, 'n'))).status == 400);
  r = rest.Call("GET", "/os-security-groups/not-a-uuid");
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] == "Security group id should be uuid");
  r = rest.Call("GET", std::string("/os-security-groups/") + kMissing);
  CHECK(r.status == 404);
  CHECK(r.body["itemNotFound"]["message"] ==
        std::string("Security group ") + kMissing + " not found.");
  CHECK(rest.Call("PUT", std::string("/os-security-groups/") + kMissing, Group("x")).status == 404);
  CHECK(rest.Call("DELETE", std::string("/os-security-groups/") + kMissing).status == 404);
  CHECK(rest.Call("DELETE", "/os-security-groups/").status == 404);

  // The default group cannot be deleted (Neutron's 409 is Nova's 400).
  CHECK(rest.Call("DELETE", std::string("/os-security-groups/") + kDefaultSg).status == 400);
  CHECK(rest.Call("DELETE", "/os-security-groups/" + id).status == 202);
  CHECK(rest.Call("GET", "/os-security-groups/" + id).status == 404);

  // Served at every microversion compute-api has (2.36, where Nova drops them, is beyond).
  CHECK(rest.Call("GET", "/os-security-groups", nullptr, "token-p1", kMaxMicroversion).status ==
        200);
}

TEST_CASE("os-security-group-rules: Nova's checks of protocol, ports and parent") {
  FakeRest rest(/*with_networks=*/true);
  AddNetworks(rest.networks());
  const std::string sg =
      rest.Call("POST", "/os-security-groups", Group("web")).body["security_group"]["id"];
  Reply r = rest.Call("POST", "/os-security-group-rules", Tcp22(sg));
  REQUIRE(r.status == 200);
  const json rule = r.body["security_group_rule"];
  CHECK(rule["parent_group_id"] == sg);
  CHECK(rule["ip_protocol"] == "tcp");
  CHECK(rule["from_port"] == 22);
  CHECK(rule["to_port"] == 22);
  CHECK(rule["ip_range"] == json{{"cidr", "0.0.0.0/0"}});
  CHECK(rule["group"] == json::object());
  CHECK(rest.Call("GET", "/os-security-groups/" + sg).body["security_group"]["rules"] ==
        json::array({rule}));

  r = rest.Call("POST", "/os-security-group-rules", Tcp22(sg));
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] == "This rule already exists in group " + sg);
  const auto status = [&](json fields) {
    return rest.Call("POST", "/os-security-group-rules", Rule(sg, std::move(fields))).status;
  };
  CHECK(status({{"ip_protocol", "999x"}, {"from_port", 22}, {"to_port", 22}}) == 400);
  CHECK(status({{"ip_protocol", "tcp"}, {"from_port", 65536}, {"to_port", 22}}) == 400);
  CHECK(status({{"ip_protocol", "tcp"}, {"from_port", 22}, {"to_port", 65536}}) == 400);
  CHECK(status({{"ip_protocol", "tcp"}, {"from_port", 22}, {"to_port", 21}}) == 400);
  CHECK(status({{"ip_protocol", "tcp"}, {"from_port", 22}, {"to_port", 22}, {"cidr", "10.0/99"}}) ==
        400);
  CHECK(status({{"cidr", "10.0.0.0/8"}}) == 400);  // not enough parameters
  CHECK(rest.Call("POST", "/os-security-group-rules", Tcp22("non_int_id")).status == 400);
  CHECK(rest.Call("POST", "/os-security-group-rules", Tcp22(kMissing)).status == 404);

  // A rule from another group shows that group's name and project.
  r = rest.Call(
      "POST", "/os-security-group-rules",
      Rule(
          sg,
          {{"ip_protocol", "icmp"}, {"from_port", -1}, {"to_port", -1}, {"group_id", kDefaultSg}}));
  REQUIRE(r.status == 200);
  CHECK(r.body["security_group_rule"]["group"] == json{{"name", "default"}, {"tenant_id", "p1"}});
  CHECK(r.body["security_group_rule"]["ip_range"] == json::object());

  // The answer has the CIDR as given (Tempest checks it); the rule keeps its network.
  r = rest.Call(
      "POST", "/os-security-group-rules",
      Rule(
          sg,
          {{"ip_protocol", "udp"}, {"from_port", 53}, {"to_port", 53}, {"cidr", "10.2.3.124/24"}}));
  CHECK(r.body["security_group_rule"]["ip_range"] == json{{"cidr", "10.2.3.124/24"}});
  CHECK(rest.Call("GET", "/os-security-groups/" + sg)
            .body["security_group"]["rules"][2]["ip_range"] == json{{"cidr", "10.2.3.0/24"}});

  CHECK(rest.Call("DELETE", "/os-security-group-rules/" + rule["id"].get<std::string>()).status ==
        202);
  CHECK(rest.Call("DELETE", std::string("/os-security-group-rules/") + kMissing).status == 404);
}

TEST_CASE("network proxies: the caller's own token, so another project's are out of reach") {
  FakeRest rest(/*with_networks=*/true);
  AddNetworks(rest.networks());
  const std::string sg =
      rest.Call("POST", "/os-security-groups", Group("web")).body["security_group"]["id"];
  const std::string fip =
      rest.Call("POST", "/os-floating-ips", {{"pool", "public"}}).body["floating_ip"]["id"];
  {
    FakeNetworkClient& nets = rest.networks();
    absl::MutexLock l(&nets.mu);
    REQUIRE(!nets.proxy_tokens.empty());
    CHECK(std::all_of(nets.proxy_tokens.begin(), nets.proxy_tokens.end(),
                      [](const std::string& t) { return t == "token-p1"; }));
    nets.proxy_tokens.clear();
  }
  // p2 neither sees nor changes p1's group and floating IP.
  CHECK(rest.Call("GET", "/os-security-groups/" + sg, nullptr, "token-p2").status == 404);
  CHECK(rest.Call("PUT", "/os-security-groups/" + sg, Group("mine"), "token-p2").status == 404);
  CHECK(rest.Call("DELETE", "/os-security-groups/" + sg, nullptr, "token-p2").status == 404);
  CHECK(rest.Call("POST", "/os-security-group-rules", Tcp22(sg), "token-p2").status == 404);
  CHECK(rest.Call("GET", "/os-security-groups?all_tenants=1", nullptr, "token-p2")
            .body["security_groups"] == json::array());
  CHECK(rest.Call("GET", "/os-floating-ips/" + fip, nullptr, "token-p2").status == 404);
  CHECK(rest.Call("DELETE", "/os-floating-ips/" + fip, nullptr, "token-p2").status == 404);
  CHECK(rest.Call("GET", "/os-floating-ips", nullptr, "token-p2").body["floating_ips"] ==
        json::array());
  {
    FakeNetworkClient& nets = rest.networks();
    absl::MutexLock l(&nets.mu);
    CHECK(std::all_of(nets.proxy_tokens.begin(), nets.proxy_tokens.end(),
                      [](const std::string& t) { return t == "token-p2"; }));
  }
  // The admin lists every project's groups with all_tenants.
  Reply r = rest.AsAdmin("GET", "/os-security-groups?all_tenants=1");
  CHECK(r.body["security_groups"].size() == 2);
  CHECK(rest.Call("GET", "/os-security-groups/" + sg).status == 200);
}

TEST_CASE("servers: their security groups, addSecurityGroup and removeSecurityGroup") {
  FakeRest rest(/*with_networks=*/true);
  AddNetworks(rest.networks());
  const std::string server = ServerWithPort(rest);
  const std::string sg =
      rest.Call("POST", "/os-security-groups", Group("web")).body["security_group"]["id"];
  const std::string action = "/servers/" + server + "/action";
  Reply r = rest.Call("GET", "/servers/" + server + "/os-security-groups");
  REQUIRE(r.status == 200);
  REQUIRE(r.body["security_groups"].size() == 1);
  CHECK(r.body["security_groups"][0]["name"] == "default");

  CHECK(rest.Call("POST", action, {{"addSecurityGroup", {{"name", "web"}}}}).status == 202);
  CHECK(rest.Call("GET", "/servers/" + server + "/os-security-groups")
            .body["security_groups"]
            .size() == 2);
  CHECK(rest.Call("POST", action, {{"addSecurityGroup", {{"name", "web"}}}}).status == 400);
  CHECK(rest.Call("POST", action, {{"addSecurityGroup", {{"name", "nope"}}}}).status == 404);
  CHECK(rest.Call("POST", action, {{"addSecurityGroup", json::object()}}).status == 400);
  // In use by the server's port: Nova's 400.
  CHECK(rest.Call("DELETE", "/os-security-groups/" + sg).status == 400);
  CHECK(rest.Call("POST", action, {{"removeSecurityGroup", {{"name", "web"}}}}).status == 202);
  CHECK(rest.Call("POST", action, {{"removeSecurityGroup", {{"name", "web"}}}}).status == 400);
  CHECK(rest.Call("DELETE", "/os-security-groups/" + sg).status == 202);
  // Another project's server is not found.
  CHECK(
      rest.Call("POST", action, {{"addSecurityGroup", {{"name", "default"}}}}, "token-p2").status ==
      404);
}

TEST_CASE("os-floating-ips: allocate from a pool, associate with a server, release") {
  FakeRest rest(/*with_networks=*/true);
  AddNetworks(rest.networks());
  const std::string server = ServerWithPort(rest);
  const std::string action = "/servers/" + server + "/action";
  Reply r = rest.Call("GET", "/os-floating-ip-pools");
  REQUIRE(r.status == 200);
  CHECK(r.body["floating_ip_pools"] == json::array({{{"name", "public"}}}));

  CHECK(rest.Call("POST", "/os-floating-ips", {{"pool", "non_exist_pool"}}).status == 404);
  r = rest.Call("POST", "/os-floating-ips", {{"pool", "public"}});
  REQUIRE(r.status == 200);
  const json fip = r.body["floating_ip"];
  CHECK(fip["pool"] == "public");
  CHECK(fip["instance_id"].is_null());
  CHECK(fip["fixed_ip"].is_null());
  const std::string id = fip["id"], ip = fip["ip"];
  CHECK(rest.Call("GET", "/os-floating-ips/" + id).body["floating_ip"] == fip);
  CHECK(rest.Call("GET", "/os-floating-ips").body["floating_ips"] == json::array({fip}));
  // By the pool's id too, as Nova finds it.
  CHECK(rest.Call("POST", "/os-floating-ips", {{"pool", kPublic}}).status == 200);

  CHECK(rest.Call("POST", action, {{"addFloatingIp", {{"address", ip}}}}).status == 202);
  r = rest.Call("GET", "/os-floating-ips/" + id);
  CHECK(r.body["floating_ip"]["instance_id"] == server);
  CHECK(r.body["floating_ip"]["fixed_ip"] == "10.0.0.5");
  CHECK(rest.Call("POST", action, {{"addFloatingIp", {{"address", "172.24.4.250"}}}}).status ==
        404);
  CHECK(rest.Call("POST", action,
                  {{"addFloatingIp", {{"address", ip}, {"fixed_address", "1.2.3.4"}}}})
            .status == 400);
  CHECK(rest.Call("POST", action, {{"addFloatingIp", json::object()}}).status == 400);
  CHECK(rest.Call("POST", action, {{"removeFloatingIp", {{"address", ip}}}}).status == 202);
  CHECK(rest.Call("POST", action, {{"removeFloatingIp", {{"address", ip}}}}).status == 409);

  CHECK(rest.Call("DELETE", "/os-floating-ips/" + id).status == 202);
  CHECK(rest.Call("DELETE", "/os-floating-ips/" + id).status == 404);
  CHECK(rest.Call("GET", std::string("/os-floating-ips/") + kMissing).status == 404);
}

TEST_CASE("os-networks and os-tenant-networks: the networks the caller sees") {
  FakeRest rest(/*with_networks=*/true);
  AddNetworks(rest.networks());
  rest.networks().AddNetwork({.id = "other", .name = "p2-net", .project_id = "p2"});
  Reply r = rest.Call("GET", "/os-tenant-networks");
  REQUIRE(r.status == 200);
  CHECK(r.body["networks"].size() == 2);  // private and public, not p2's
  r = rest.Call("GET", std::string("/os-tenant-networks/") + kNet);
  CHECK(r.body["network"] == json{{"id", kNet}, {"cidr", "None"}, {"label", "private"}});
  r = rest.Call("GET", std::string("/os-networks/") + kNet);
  CHECK(r.body["network"]["label"] == "private");
  CHECK(r.body["network"]["cidr"].is_null());
  CHECK(rest.Call("GET", "/os-networks").body["networks"].size() == 2);
  CHECK(rest.Call("GET", "/os-networks/other").status == 404);
  CHECK(rest.Call("GET", "/os-tenant-networks/other").status == 404);
}

TEST_CASE("os-quota-sets: the nova-network keys and injected files kept and shown as Nova") {
  FakeRest rest;
  Reply r = rest.Call("GET", "/os-quota-sets/p1");
  REQUIRE(r.status == 200);
  CHECK(r.body["quota_set"]["floating_ips"] == 10);  // Nova's defaults
  CHECK(r.body["quota_set"]["fixed_ips"] == -1);
  CHECK(r.body["quota_set"]["security_groups"] == 10);
  CHECK(r.body["quota_set"]["security_group_rules"] == 20);
  CHECK(r.body["quota_set"]["injected_files"] == 5);
  const json update = {{"fixed_ips", 10},
                       {"floating_ips", 20},
                       {"security_group_rules", 21},
                       {"security_groups", 22},
                       {"injected_files", 7},
                       {"injected_file_content_bytes", 20480},
                       {"injected_file_path_bytes", 512},
                       {"cores", 2}};
  r = rest.AsAdmin("PUT", "/os-quota-sets/p1", {{"quota_set", update}});
  REQUIRE(r.status == 200);
  for (const auto& [k, v] : update.items()) CHECK(r.body["quota_set"][k] == v);
  r = rest.Call("GET", "/os-quota-sets/p1");
  for (const auto& [k, v] : update.items()) CHECK(r.body["quota_set"][k] == v);
  r = rest.Call("GET", "/limits");
  CHECK(r.body["limits"]["absolute"]["maxSecurityGroups"] == 22);
  CHECK(r.body["limits"]["absolute"]["maxTotalFloatingIps"] == 20);
  CHECK(r.body["limits"]["absolute"]["maxPersonality"] == 7);
  // Members may not change them; other keys are still refused.
  CHECK(rest.Call("PUT", "/os-quota-sets/p1", {{"quota_set", {{"floating_ips", 1}}}}).status ==
        403);
  CHECK(rest.AsAdmin("PUT", "/os-quota-sets/p1", {{"quota_set", {{"networks", 1}}}}).status == 400);
}

TEST_CASE("network proxies: 404 without a network service") {
  FakeRest rest;  // no network service
  CHECK(rest.Call("GET", "/os-security-groups").status == 404);
  CHECK(rest.Call("GET", "/os-floating-ips").status == 404);
  CHECK(rest.Call("GET", "/os-tenant-networks").status == 404);
}

}  // namespace
}  // namespace gureum::compute::testing
