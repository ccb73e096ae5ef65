// Servers on gureum-network's networks through the Nova REST API: `networks` checked with
// the user's token (unknown or another project's network or port: 400; a port in use:
// 409; no `networks` and several networks: 409), stored in order with fixed IPs and
// security groups, sent to the scheduler in the spec, and the agent's vifs rendered as
// `addresses`. Without a network service, `networks` is refused and servers get no NIC.
#include <catch2/catch.hpp>

#include "compute/api/tests/cloud.h"

namespace gureum::compute::testing {
namespace {

using json = nlohmann::json;

constexpr char kNetA[] = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr char kNetA2[] = "aaaaaaaa-0000-4000-8000-0000000000a2";
constexpr char kNetB[] = "bbbbbbbb-0000-4000-8000-00000000000b";
constexpr char kShared[] = "cccccccc-0000-4000-8000-00000000000c";
constexpr char kPortA[] = "dddddddd-0000-4000-8000-00000000000a";
constexpr char kPortBusy[] = "dddddddd-0000-4000-8000-0000000000bb";
constexpr char kPortB[] = "dddddddd-0000-4000-8000-00000000000b";
constexpr char kSgA[] = "eeeeeeee-0000-4000-8000-00000000000a";
constexpr char kSgA2[] = "eeeeeeee-0000-4000-8000-0000000000a2";
constexpr char kSgB[] = "eeeeeeee-0000-4000-8000-00000000000b";

json Server(const std::string& name, json networks = nullptr) {
  json s = {{"name", name}, {"imageRef", kImageId}, {"flavorRef", "1"}};
  if (!networks.is_null()) s["networks"] = networks;
  return {{"server", s}};
}

// What the compute agent reports once it built the server's NIC: port kPortA on
// private-a, fixed address 10.0.0.7.
absl::Status ReportVif(Cloud& cloud, const std::string& id) {
  v1::InstanceUpdate u;
  u.set_instance_uuid(id);
  u.set_power_state(-1);
  u.set_keep_task_state(true);
  u.set_has_network_info(true);
  v1::Vif* vif = u.add_vifs();
  vif->set_port_id(kPortA);
  vif->set_network_id(kNetA);
  vif->set_network_name("private-a");
  vif->set_mac_address("fa:16:3e:12:34:56");
  v1::VifIp* ip = vif->add_ips();
  ip->set_address("10.0.0.7");
  ip->set_version(4);
  ip->set_type("fixed");
  return cloud.ApplyUpdate(u);
}

TEST_CASE("networks: checked against gureum-network with the user's token") {
  Cloud cloud(/*with_scheduler=*/true, /*legacy_admin=*/false, /*with_networks=*/true);
  cloud.CreateFlavor("1", 1, 512, 1);
  FakeNetworkClient& nets = cloud.networks();
  nets.AddNetwork({.id = kNetA, .name = "private-a", .project_id = kProjectA});
  nets.AddNetwork({.id = kNetB, .name = "private-b", .project_id = kProjectB});
  nets.AddPort({.id = kPortA, .network_id = kNetA, .project_id = kProjectA});
  nets.AddPort({.id = kPortBusy,
                .network_id = kNetA,
                .project_id = kProjectA,
                .device_id = "some-other-server",
                .device_owner = "compute:nova"});
  nets.AddPort({.id = kPortB, .network_id = kNetB, .project_id = kProjectB});
  nets.AddSecurityGroup({.id = kSgA, .name = "web", .project_id = kProjectA});

  HttpResult r =
      cloud.Call("token-a", "POST", "/servers", Server("x", json::array({{{"uuid", "nope"}}})));
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] == "Network nope could not be found.");
  // Another project's network is as unknown.
  r = cloud.Call("token-a", "POST", "/servers", Server("x", json::array({{{"uuid", kNetB}}})));
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] ==
        std::string("Network ") + kNetB + " could not be found.");
  r = cloud.Call("token-a", "POST", "/servers", Server("x", json::array({{{"port", kPortB}}})));
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] ==
        std::string("Port id ") + kPortB + " could not be found.");
  r = cloud.Call("token-a", "POST", "/servers", Server("x", json::array({{{"port", kPortBusy}}})));
  CHECK(r.status == 409);
  CHECK(r.text.find(std::string("Port ") + kPortBusy + " is still in use.") != std::string::npos);
  r = cloud.Call("token-a", "POST", "/servers",
                 Server("x", json::array({{{"uuid", kNetA}, {"fixed_ip", "10.0.0.999"}}})));
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"] == "Invalid fixed IP address (10.0.0.999)");
  // One port cannot serve several servers.
  json two = Server("x", json::array({{{"port", kPortA}}}));
  two["server"]["min_count"] = 2;
  r = cloud.Call("token-a", "POST", "/servers", two);
  CHECK(r.status == 400);
  CHECK(r.text.find("Unable to launch multiple instances with a single configured port ID") !=
        std::string::npos);
  // Shapes Nova refuses before 2.37.
  CHECK(cloud.Call("token-a", "POST", "/servers", Server("x", "auto")).status == 400);
  CHECK(cloud.Call("token-a", "POST", "/servers", Server("x", json::array({json::object()})))
            .status == 400);
  CHECK(
      cloud.Call("token-a", "POST", "/servers", Server("x", json::array({{{"uuid", 5}}}))).status ==
      400);
  // Nothing was created by the refused requests.
  CHECK(cloud.Call("token-a", "GET", "/servers").body["servers"].empty());

  // A network with a fixed IP, then a port: stored in order, sent in the spec.
  json body =
      Server("web", json::array({{{"uuid", kNetA}, {"fixed_ip", "10.0.0.5"}}, {{"port", kPortA}}}));
  body["server"]["security_groups"] = json::array({{{"name", "web"}}});
  r = cloud.Call("token-a", "POST", "/servers", body);
  INFO(r.text);
  REQUIRE(r.status == 202);
  CHECK(r.body["server"]["security_groups"] == json::array({{{"name", "web"}}}));
  const std::string id = r.body["server"]["id"];
  auto stored = cloud.store().GetInstance(id);
  REQUIRE(stored.ok());
  REQUIRE(stored->requested_networks.size() == 2);
  CHECK(stored->requested_networks[0].network_id == kNetA);
  CHECK(stored->requested_networks[0].fixed_ip == "10.0.0.5");
  CHECK(stored->requested_networks[1].port_id == kPortA);
  CHECK(stored->requested_networks[1].network_id == kNetA);
  CHECK(stored->network_ids == std::vector<std::string>{kNetA});
  CHECK(stored->port_ids == std::vector<std::string>{kPortA});
  CHECK(stored->security_groups == std::vector<std::string>{"web"});
  cloud.WaitForStatus("token-a", id, "ACTIVE");
}

// Nova checks the requested security groups at create against the caller's project's
// groups in Neutron (SecurityGroupNotFound: 400), instead of failing later when the agent
// makes the ports.
TEST_CASE("networks: security groups must be the caller's project's, by name or id") {
  Cloud cloud(/*with_scheduler=*/true, /*legacy_admin=*/false, /*with_networks=*/true);
  cloud.CreateFlavor("1", 1, 512, 1);
  FakeNetworkClient& nets = cloud.networks();
  nets.AddSecurityGroup({.id = kSgA, .name = "web", .project_id = kProjectA});
  nets.AddSecurityGroup({.id = kSgA2, .name = "dup", .project_id = kProjectA});
  nets.AddSecurityGroup(
      {.id = "eeeeeeee-0000-4000-8000-0000000000a3", .name = "dup", .project_id = kProjectA});
  nets.AddSecurityGroup({.id = kSgB, .name = "b-web", .project_id = kProjectB});
  auto with_groups = [](json groups) {
    json body = Server("x");
    body["server"]["security_groups"] = std::move(groups);
    return body;
  };
  // Another project's group, by id or by name: 400 at create, nothing made.
  for (const std::string& g : {std::string(kSgA), std::string("web"), std::string("nope")}) {
    CAPTURE(g);
    HttpResult r =
        cloud.Call("token-b", "POST", "/servers", with_groups(json::array({{{"name", g}}})));
    CHECK(r.status == 400);
    CHECK(r.body["badRequest"]["message"] ==
          "Unable to find security_group with name or id '" + g + "'");
  }
  // An admin of another project (its token sees every group here) is held to its own.
  HttpResult c =
      cloud.Call("token-c-admin", "POST", "/servers", with_groups(json::array({{{"name", kSgA}}})));
  CHECK(c.status == 400);
  CHECK(c.text.find("Unable to find security_group") != std::string::npos);
  // One bad group among good ones is enough.
  CHECK(cloud
            .Call("token-b", "POST", "/servers",
                  with_groups(json::array({{{"name", "b-web"}}, {{"name", kSgA}}})))
            .status == 400);
  CHECK(cloud.Call("token-b", "GET", "/servers").body["servers"].empty());
  CHECK(cloud.Call("token-c-admin", "GET", "/servers").body["servers"].empty());
  // A name two groups share must be given by id (Nova's NoUniqueMatch, 409).
  HttpResult r =
      cloud.Call("token-a", "POST", "/servers", with_groups(json::array({{{"name", "dup"}}})));
  CHECK(r.status == 409);
  CHECK(r.text.find(
            "Multiple security groups found matching 'dup'. Use an ID to be more specific.") !=
        std::string::npos);
  // The caller's own, by name and by id, and "default" (Neutron makes it on demand).
  r = cloud.Call(
      "token-b", "POST", "/servers",
      with_groups(json::array({{{"name", "b-web"}}, {{"name", kSgB}}, {{"name", "default"}}})));
  INFO(r.text);
  CHECK(r.status == 202);
  CHECK(cloud.Call("token-a", "POST", "/servers", with_groups(json::array({{{"name", kSgA2}}})))
            .status == 202);
  // The network service down: the create is refused, not sent on unchecked.
  nets.SetUnavailable(true);
  CHECK(cloud.Call("token-a", "POST", "/servers", with_groups(json::array({{{"name", "web"}}})))
            .status >= 500);
  // Only "default": nothing to ask.
  CHECK(cloud.Call("token-a", "POST", "/servers", with_groups(json::array({{{"name", "default"}}})))
            .status == 202);
}

TEST_CASE(
    "networks: without a `networks` key the project's only network is used, several are 409") {
  Cloud cloud(/*with_scheduler=*/true, /*legacy_admin=*/false, /*with_networks=*/true);
  cloud.CreateFlavor("1", 1, 512, 1);
  FakeNetworkClient& nets = cloud.networks();
  // None visible: no NIC, as without a network service.
  HttpResult r = cloud.Call("token-a", "POST", "/servers", Server("none"));
  REQUIRE(r.status == 202);
  CHECK(cloud.store().GetInstance(r.body["server"]["id"])->requested_networks.empty());
  // Another project's network does not count; the project's own is used.
  nets.AddNetwork({.id = kNetB, .name = "private-b", .project_id = kProjectB});
  nets.AddNetwork({.id = kNetA, .name = "private-a", .project_id = kProjectA});
  r = cloud.Call("token-a", "POST", "/servers", Server("one", json::array()));  // [] is as no key
  REQUIRE(r.status == 202);
  auto one = cloud.store().GetInstance(r.body["server"]["id"]);
  REQUIRE(one->requested_networks.size() == 1);
  CHECK(one->requested_networks[0].network_id == kNetA);
  // A shared network makes two.
  nets.AddNetwork({.id = kShared, .name = "shared", .project_id = "project-admin", .shared = true});
  r = cloud.Call("token-a", "POST", "/servers", Server("two"));
  CHECK(r.status == 409);
  CHECK(r.text.find("Multiple possible networks found, use a Network ID to be more specific.") !=
        std::string::npos);
  // Naming one settles it.
  r = cloud.Call("token-a", "POST", "/servers", Server("two", json::array({{{"uuid", kShared}}})));
  CHECK(r.status == 202);
  nets.AddNetwork({.id = kNetA2, .name = "private-a2", .project_id = kProjectA});
  // Project B sees its own and the shared one: also two.
  CHECK(cloud.Call("token-b", "POST", "/servers", Server("b")).status == 409);
}

TEST_CASE("networks: the agent's vifs become the server's addresses") {
  Cloud cloud(/*with_scheduler=*/true, /*legacy_admin=*/false, /*with_networks=*/true);
  cloud.CreateFlavor("1", 1, 512, 1);
  cloud.networks().AddNetwork({.id = kNetA, .name = "private-a", .project_id = kProjectA});
  HttpResult r =
      cloud.Call("token-a", "POST", "/servers", Server("web", json::array({{{"uuid", kNetA}}})));
  REQUIRE(r.status == 202);
  const std::string id = r.body["server"]["id"];
  json s = cloud.WaitForStatus("token-a", id, "ACTIVE");
  CHECK(s["addresses"] == json::object());
  auto current = cloud.store().GetInstance(id);
  REQUIRE(current.ok());

  REQUIRE(ReportVif(cloud, id).ok());
  s = cloud.Call("token-a", "GET", "/servers/" + id).body["server"];
  REQUIRE(s["addresses"].contains("private-a"));
  REQUIRE(s["addresses"]["private-a"].size() == 1);
  json a = s["addresses"]["private-a"][0];
  CHECK(a["addr"] == "10.0.0.7");
  CHECK(a["version"] == 4);
  CHECK(a["OS-EXT-IPS:type"] == "fixed");
  CHECK(a["OS-EXT-IPS-MAC:mac_addr"] == "fa:16:3e:12:34:56");
  // The list view too, and an update without network info keeps them.
  json list = cloud.Call("token-a", "GET", "/servers/detail").body["servers"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["addresses"]["private-a"][0]["addr"] == "10.0.0.7");
  v1::InstanceUpdate other;
  other.set_instance_uuid(id);
  other.set_power_state(-1);
  other.set_keep_task_state(true);
  REQUIRE(cloud.ApplyUpdate(other).ok());
  CHECK(cloud.Call("token-a", "GET", "/servers/" + id)
            .body["server"]["addresses"]["private-a"]
            .size() == 1);
}

TEST_CASE("networks: an associated floating IP shows in addresses as type floating") {
  Cloud cloud(/*with_scheduler=*/true, /*legacy_admin=*/false, /*with_networks=*/true);
  cloud.CreateFlavor("1", 1, 512, 1);
  FakeNetworkClient& nets = cloud.networks();
  nets.AddNetwork({.id = kNetA, .name = "private-a", .project_id = kProjectA});
  nets.AddPort({.id = kPortA, .network_id = kNetA, .project_id = kProjectA});
  nets.SetTokenProject("token-a", kProjectA);
  nets.SetTokenProject("token-b", kProjectB);
  HttpResult r =
      cloud.Call("token-a", "POST", "/servers", Server("web", json::array({{{"port", kPortA}}})));
  REQUIRE(r.status == 202);
  const std::string id = r.body["server"]["id"];
  cloud.WaitForStatus("token-a", id, "ACTIVE");
  REQUIRE(ReportVif(cloud, id).ok());
  // Not associated yet: the fixed address only.
  CHECK(cloud.Call("token-a", "GET", "/servers/" + id)
            .body["server"]["addresses"]["private-a"]
            .size() == 1);

  nets.AddFloatingIp(
      {.port_id = kPortA, .fixed_ip_address = "10.0.0.7", .floating_ip_address = "203.0.113.10"});
  auto check = [](const json& addresses) {
    REQUIRE(addresses["private-a"].size() == 2);
    CHECK(addresses["private-a"][0]["OS-EXT-IPS:type"] == "fixed");
    json f = addresses["private-a"][1];
    CHECK(f["addr"] == "203.0.113.10");
    CHECK(f["version"] == 4);
    CHECK(f["OS-EXT-IPS:type"] == "floating");
    CHECK(f["OS-EXT-IPS-MAC:mac_addr"] == "fa:16:3e:12:34:56");
  };
  check(cloud.Call("token-a", "GET", "/servers/" + id).body["server"]["addresses"]);
  json list = cloud.Call("token-a", "GET", "/servers/detail").body["servers"];
  REQUIRE(list.size() == 1);
  check(list[0]["addresses"]);
  // Display only: the stored record keeps what the agent reported.
  auto stored = cloud.store().GetInstance(id);
  REQUIRE(stored.ok());
  REQUIRE(stored->vifs.size() == 1);
  CHECK(stored->vifs[0].ips.size() == 1);
  // The network service down: the server is still shown, with its fixed address.
  nets.SetUnavailable(true);
  r = cloud.Call("token-a", "GET", "/servers/" + id);
  CHECK(r.status == 200);
  CHECK(r.body["server"]["addresses"]["private-a"].size() == 1);
}

TEST_CASE("networks: without a network service, `networks` is 400 and other servers get no NIC") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  HttpResult r =
      cloud.Call("token-a", "POST", "/servers", Server("x", json::array({{{"uuid", kNetA}}})));
  CHECK(r.status == 400);
  CHECK(r.body["badRequest"]["message"].get<std::string>().find("no network service") !=
        std::string::npos);
  // Security groups are not checked without a network service (nothing to check with).
  json plain = Server("plain");
  plain["server"]["security_groups"] = json::array({{{"name", "anything"}}});
  r = cloud.Call("token-a", "POST", "/servers", plain);
  REQUIRE(r.status == 202);
  json s = cloud.WaitForStatus("token-a", r.body["server"]["id"], "ACTIVE");
  CHECK(s["addresses"] == json::object());
}

}  // namespace
}  // namespace gureum::compute::testing
