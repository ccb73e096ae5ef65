// What Tempest's compute tests check of the API's shapes, end to end on PostgreSQL and
// RabbitMQ (cloud.h): the version documents (v2.0 first, its /v2 routes working),
// x-compute-request-id, adminPass, access addresses (stored, validated, updated), the
// update answer without extended attributes, keypair `type` only from 2.2, and the ip
// filter.
#include <catch2/catch.hpp>

#include "compute/api/tests/cloud.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

json ShapedServer(const std::string& name, json extra = json::object()) {
  json s = {{"name", name}, {"imageRef", kImageId}, {"flavorRef", "1"}};
  s.update(extra);
  return {{"server", s}};
}

TEST_CASE("versions: v2.0 first, both documents and their routes answer") {
  Cloud cloud;
  HttpResult root = cloud.CallUrl("", "GET", "/");
  REQUIRE(root.status == 200);
  REQUIRE(root.body["versions"].size() == 2);
  CHECK(root.body["versions"][0]["id"] == "v2.0");
  CHECK(root.body["versions"][1]["id"] == "v2.1");
  for (const json& v : root.body["versions"]) {
    const std::string self = v["links"][0]["href"];
    const std::string path = self.substr(self.find("/v2"));
    HttpResult doc = cloud.CallUrl("", "GET", path);
    REQUIRE(doc.status == 200);
    CHECK(doc.body["version"]["id"] == v["id"]);
  }
  cloud.CreateFlavor("1", 1, 512, 1);
  HttpResult legacy = cloud.CallUrl("token-a", "GET", "/v2/flavors");
  CHECK(legacy.status == 200);
  CHECK(legacy.body["flavors"].size() == 1);
}

TEST_CASE("servers: request id header, adminPass, access addresses, the update answer") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  HttpResult made = cloud.Call("token-a", "POST", "/servers",
                               ShapedServer("vm", {{"adminPass", "testpassword"},
                                                   {"accessIPv4", "1.1.1.1"},
                                                   {"accessIPv6", "0:0:0:0:0:babe:220.12.22.2"}}));
  REQUIRE(made.status == 202);
  CHECK(made.body["server"]["adminPass"] == "testpassword");
  CHECK(made.headers.count("x-compute-request-id") + made.headers.count("X-Compute-Request-Id") ==
        1);
  const std::string id = made.body["server"]["id"];
  json s = cloud.WaitForStatus("token-a", id, "ACTIVE");
  CHECK(s["accessIPv4"] == "1.1.1.1");
  CHECK(s["accessIPv6"] == "::babe:dc0c:1602");  // canonical, as Nova stores it

  HttpResult generated = cloud.Call("token-a", "POST", "/servers", ShapedServer("vm2"));
  REQUIRE(generated.status == 202);
  CHECK(generated.body["server"]["adminPass"].get<std::string>().size() == 12);

  HttpResult bad =
      cloud.Call("token-a", "POST", "/servers", ShapedServer("vm3", {{"accessIPv6", "notvalid"}}));
  CHECK(bad.status == 400);
  CHECK(bad.text.find("accessIPv6") != std::string::npos);
  CHECK(cloud.Call("token-a", "POST", "/servers", ShapedServer("vm4", {{"accessIPv4", "::1"}}))
            .status == 400);

  HttpResult updated = cloud.Call("token-a", "PUT", "/servers/" + id,
                                  {{"server", {{"name", "renamed"}, {"accessIPv4", "2.2.2.2"}}}});
  REQUIRE(updated.status == 200);
  const json u = updated.body["server"];
  CHECK(u["name"] == "renamed");
  CHECK(u["accessIPv4"] == "2.2.2.2");
  CHECK(u["accessIPv6"] == "::babe:dc0c:1602");
  for (const char* absent : {"OS-EXT-STS:vm_state", "OS-EXT-AZ:availability_zone", "key_name",
                             "config_drive", "os-extended-volumes:volumes_attached"}) {
    CHECK_FALSE(u.contains(absent));
  }
  CHECK(
      cloud.Call("token-a", "PUT", "/servers/" + id, {{"server", {{"accessIPv4", "x"}}}}).status ==
      400);
  CHECK(cloud.Call("token-a", "GET", "/servers/" + id).body["server"]["accessIPv4"] == "2.2.2.2");
}

TEST_CASE("keypairs: type only from 2.2") {
  Cloud cloud;
  HttpResult v21 = cloud.Call("token-a", "POST", "/os-keypairs", {{"keypair", {{"name", "k1"}}}});
  REQUIRE(v21.status == 200);
  CHECK_FALSE(v21.body["keypair"].contains("type"));
  CHECK_FALSE(cloud.Call("token-a", "GET", "/os-keypairs/k1").body["keypair"].contains("type"));
  HttpResult v22 =
      cloud.Call("token-a", "POST", "/os-keypairs", {{"keypair", {{"name", "k2"}}}}, "2.2");
  REQUIRE(v22.status == 201);
  CHECK(v22.body["keypair"]["type"] == "ssh");
}

TEST_CASE("servers: the ip filter matches fixed addresses") {
  Cloud cloud;
  cloud.CreateFlavor("1", 1, 512, 1);
  const std::string a = cloud.Boot("token-a", "a", "1");
  const std::string b = cloud.Boot("token-a", "b", "1");
  auto give = [&](const std::string& id, const std::string& v4) {
    REQUIRE(cloud.store()
                .MutateInstance(id,
                                [&](Instance& i) {
                                  i.vifs = {
                                      {.port_id = "p-" + id,
                                       .network_id = "n",
                                       .network_name = "net",
                                       .mac_address = "fa:16:3e:00:00:01",
                                       .ips = {{.address = v4, .version = 4, .type = "fixed"},
                                               {.address = "fd00::" + v4.substr(v4.rfind('.') + 1),
                                                .version = 6,
                                                .type = "fixed"}}}};
                                  return absl::OkStatus();
                                })
                .ok());
  };
  give(a, "10.0.0.5");
  give(b, "10.0.0.6");
  json only_a = cloud.Call("token-a", "GET", "/servers?ip=10.0.0.5").body["servers"];
  REQUIRE(only_a.size() == 1);
  CHECK(only_a[0]["id"] == a);
  json by_v6 = cloud.Call("token-a", "GET", "/servers?ip6=fd00::6").body["servers"];
  REQUIRE(by_v6.size() == 1);
  CHECK(by_v6[0]["id"] == b);
  CHECK(cloud.Call("token-a", "GET", "/servers?ip=10.0.0").body["servers"].size() == 2);
  CHECK(cloud.Call("token-a", "GET", "/servers?ip=192.168").body["servers"].empty());
  CHECK(cloud.Call("token-a", "GET", "/servers?limit=0").body["servers"].empty());
}

}  // namespace
}  // namespace gureum::compute::testing
