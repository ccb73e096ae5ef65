// Nova's image proxy through the REST adapter, on fakes only (fake_rest.h: the in-memory store
// and FakeImageClient; no PostgreSQL): the list and detail shapes Tempest's schema checks
// (status, progress, dates, minRam/minDisk, metadata, the server link of a snapshot,
// OS-EXT-IMG-SIZE:size), Nova's filters and paging, show and delete with their 404s, and
// the image metadata routes; and Nova's extension list.
#include <catch2/catch.hpp>

#include "compute/api/image_manager.h"
#include "compute/api/tests/fake_rest.h"

namespace gureum::compute::testing {
namespace {

using nlohmann::json;

// An active image "base" (older) and a saving snapshot "snap" of server srv-1.
void AddTwo(FakeImageClient& images) {
  images.Add({.id = "base",
              .name = "cirros",
              .status = "active",
              .size = 4096,
              .min_disk_gb = 1,
              .min_ram_mb = 64,
              .properties = {{"os_distro", "cirros"}, {"auto_disk_config", "true"}},
              .created_at = "2026-01-01T10:00:00Z",
              .updated_at = "2026-01-01T10:00:05.123456Z"});
  images.Add({.id = "snap",
              .name = "snapshot",
              .status = "saving",
              .min_disk_gb = 1,
              .min_ram_mb = 512,
              .properties = {{"instance_uuid", "srv-1"}, {"image_type", "snapshot"}},
              .created_at = "2026-02-01T10:00:00Z",
              .updated_at = "2026-02-01T10:00:00Z"});
}

std::vector<std::string> Ids(const json& body) {
  std::vector<std::string> ids;
  for (const json& i : body["images"]) ids.push_back(i["id"]);
  return ids;
}

TEST_CASE("image proxy: list, detail and show in Nova's shapes") {
  FakeRest api;
  AddTwo(api.images());
  Reply list = api.Call("GET", "/images");
  REQUIRE(list.status == 200);
  CHECK(Ids(list.body) == std::vector<std::string>{"snap", "base"});  // newest first
  const json& brief = list.body["images"][1];
  CHECK(brief.size() == 3);  // id, name, links only
  CHECK(brief["name"] == "cirros");
  CHECK(brief["links"][0]["rel"] == "self");
  CHECK(brief["links"][0]["href"].get<std::string>().find("/v2.1/images/base") !=
        std::string::npos);

  Reply show = api.Call("GET", "/images/base");
  REQUIRE(show.status == 200);
  const json& image = show.body["image"];
  CHECK(image["status"] == "ACTIVE");
  CHECK(image["progress"] == 100);
  CHECK(image["minRam"] == 64);
  CHECK(image["minDisk"] == 1);
  CHECK(image["created"] == "2026-01-01T10:00:00Z");
  CHECK(image["updated"] == "2026-01-01T10:00:05Z");
  CHECK(image["OS-EXT-IMG-SIZE:size"] == 4096);
  CHECK(image["metadata"]["os_distro"] == "cirros");
  CHECK(image["OS-DCF:diskConfig"] == "AUTO");
  CHECK_FALSE(image.contains("server"));

  Reply detail = api.Call("GET", "/images/detail");
  REQUIRE(detail.status == 200);
  const json& snap = detail.body["images"][0];
  CHECK(snap["status"] == "SAVING");
  CHECK(snap["progress"] == 50);
  CHECK(snap["server"]["id"] == "srv-1");
  CHECK(snap["server"]["links"][0]["href"].get<std::string>().find("/servers/srv-1") !=
        std::string::npos);

  Reply missing = api.Call("GET", "/images/nope");
  CHECK(missing.status == 404);
  CHECK(missing.body["itemNotFound"]["message"] == "Image not found.");
}

TEST_CASE("image proxy: Nova's status and progress of every image status") {
  CHECK(NovaImageStatus("queued") == "SAVING");
  CHECK(NovaImageStatus("saving") == "SAVING");
  CHECK(NovaImageStatus("importing") == "SAVING");
  CHECK(NovaImageStatus("active") == "ACTIVE");
  CHECK(NovaImageStatus("killed") == "ERROR");
  CHECK(NovaImageStatus("deleted") == "DELETED");
  CHECK(NovaImageStatus("pending_delete") == "DELETED");
  CHECK(NovaImageStatus("deactivated") == "UNKNOWN");
  CHECK(NovaImageProgress("queued") == 25);
  CHECK(NovaImageProgress("saving") == 50);
  CHECK(NovaImageProgress("active") == 100);
  CHECK(NovaImageProgress("killed") == 0);
}

TEST_CASE("image proxy: Nova's filters, limit and marker") {
  FakeRest api;
  AddTwo(api.images());
  CHECK(Ids(api.Call("GET", "/images?name=cirros").body) == std::vector<std::string>{"base"});
  CHECK(Ids(api.Call("GET", "/images?status=ACTIVE").body) == std::vector<std::string>{"base"});
  CHECK(Ids(api.Call("GET", "/images/detail?status=SAVING").body) ==
        std::vector<std::string>{"snap"});
  CHECK(Ids(api.Call("GET", "/images?server=srv-1").body) == std::vector<std::string>{"snap"});
  CHECK(Ids(api.Call("GET", "/images?server=http%3A%2F%2Fx%2Fv2.1%2Fservers%2Fsrv-1").body) ==
        std::vector<std::string>{"snap"});
  CHECK(Ids(api.Call("GET", "/images?type=snapshot").body) == std::vector<std::string>{"snap"});
  CHECK(Ids(api.Call("GET", "/images?changes-since=2026-01-15T00:00:00Z").body) ==
        std::vector<std::string>{"snap"});
  CHECK(Ids(api.Call("GET", "/images?minRam=100").body) == std::vector<std::string>{"snap"});
  CHECK(Ids(api.Call("GET", "/images?property-os_distro=cirros").body) ==
        std::vector<std::string>{"base"});
  CHECK(api.Call("GET", "/images?changes-since=yesterday").status == 400);
  CHECK(api.Call("GET", "/images?minRam=x").status == 400);

  Reply first = api.Call("GET", "/images/detail?limit=1");
  REQUIRE(first.status == 200);
  CHECK(Ids(first.body) == std::vector<std::string>{"snap"});
  const std::string next = first.body["images_links"][0]["href"];
  CHECK(next.find("marker=snap") != std::string::npos);
  Reply second = api.Call("GET", "/images/detail?limit=1&marker=snap");
  CHECK(Ids(second.body) == std::vector<std::string>{"base"});
  CHECK(api.Call("GET", "/images?marker=nope").status == 400);
}

TEST_CASE("image proxy: delete, then 404") {
  FakeRest api;
  AddTwo(api.images());
  CHECK(api.Call("DELETE", "/images/snap").status == 204);
  CHECK(api.Call("GET", "/images/snap").status == 404);
  CHECK(api.Call("DELETE", "/images/snap").status == 404);
  CHECK(api.Call("DELETE", "/images/-1").status == 404);
  CHECK(api.Call("DELETE", "/images/").status == 404);  // a blank id (Tempest)
  CHECK(Ids(api.Call("GET", "/images").body) == std::vector<std::string>{"base"});
}

TEST_CASE("image proxy: metadata is the image's properties") {
  FakeRest api;
  AddTwo(api.images());
  Reply all = api.Call("GET", "/images/base/metadata");
  REQUIRE(all.status == 200);
  CHECK(all.body["metadata"] == json{{"os_distro", "cirros"}, {"auto_disk_config", "true"}});

  // PUT replaces every property.
  Reply put = api.Call("PUT", "/images/base/metadata",
                       {{"metadata", {{"os_version", "value1"}, {"os_distro", "value2"}}}});
  REQUIRE(put.status == 200);
  CHECK(put.body["metadata"] == json{{"os_version", "value1"}, {"os_distro", "value2"}});
  CHECK(api.images().info("base").properties ==
        std::map<std::string, std::string>{{"os_distro", "value2"}, {"os_version", "value1"}});

  // POST merges.
  Reply post = api.Call("POST", "/images/base/metadata", {{"metadata", {{"arch", "x86_64"}}}});
  REQUIRE(post.status == 200);
  CHECK(post.body["metadata"] ==
        json{{"os_version", "value1"}, {"os_distro", "value2"}, {"arch", "x86_64"}});

  Reply one = api.Call("GET", "/images/base/metadata/arch");
  REQUIRE(one.status == 200);
  CHECK(one.body["meta"] == json{{"arch", "x86_64"}});
  CHECK(api.Call("GET", "/images/base/metadata/nope").status == 404);

  Reply set =
      api.Call("PUT", "/images/base/metadata/os_version", {{"meta", {{"os_version", "2"}}}});
  REQUIRE(set.status == 200);
  CHECK(set.body["meta"] == json{{"os_version", "2"}});
  CHECK(api.images().info("base").properties.at("os_version") == "2");
  CHECK(api.Call("PUT", "/images/base/metadata/os_version", {{"meta", {{"other", "2"}}}}).status ==
        400);
  CHECK(api.Call("PUT", "/images/base/metadata/a", {{"meta", {{"a", "1"}, {"b", "2"}}}}).status ==
        400);

  CHECK(api.Call("DELETE", "/images/base/metadata/arch").status == 204);
  CHECK(api.images().info("base").properties.count("arch") == 0);
  CHECK(api.Call("DELETE", "/images/base/metadata/arch").status == 404);

  // An image that is not there: 404 on every route.
  CHECK(api.Call("GET", "/images/nope/metadata").status == 404);
  CHECK(api.Call("PUT", "/images/nope/metadata", {{"metadata", {{"a", "1"}}}}).status == 404);
  CHECK(api.Call("POST", "/images/nope/metadata", {{"metadata", {{"a", "1"}}}}).status == 404);
  CHECK(api.Call("PUT", "/images/nope/metadata/a", {{"meta", {{"a", "1"}}}}).status == 404);
  CHECK(api.Call("DELETE", "/images/nope/metadata/a").status == 404);
}

TEST_CASE("image proxy: metadata past the metadata_items quota is 403") {
  FakeRest api;
  AddTwo(api.images());
  json many = json::object();
  for (int n = 0; n < 129; ++n) many["k" + std::to_string(n)] = "v";
  CHECK(api.Call("POST", "/images/base/metadata", {{"metadata", many}}).status == 403);
  CHECK(api.images().info("base").properties.size() == 2);
}

TEST_CASE("extensions: Nova's fixed list, with Hosts and os-consoles") {
  FakeRest api;
  Reply list = api.Call("GET", "/extensions");
  REQUIRE(list.status == 200);
  bool hosts = false;
  for (const json& e : list.body["extensions"]) {
    hosts = hosts || e["name"] == "Hosts";
    CHECK(e.size() == 6);  // alias, name, description, namespace, updated, links
  }
  CHECK(hosts);
  Reply one = api.Call("GET", "/extensions/os-consoles");
  REQUIRE(one.status == 200);
  CHECK(one.body["extension"]["alias"] == "os-consoles");
  CHECK(api.Call("GET", "/extensions/os-nothing").status == 404);
}

}  // namespace
}  // namespace gureum::compute::testing
