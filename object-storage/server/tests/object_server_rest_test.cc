// The object server's HTTP API on a real server (port 0) with two devices; the server is
// its own container server, so object writes update a listing it holds.
#include "object-storage/server/object_server_rest.h"

#include <httplib.h>

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/testing/test_env.h"
#include "object-storage/server/http_listing_client.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

using json = nlohmann::json;

struct Node {
  Node()
      : root(std::filesystem::temp_directory_path() / testing::UniqueName("objsrv")),
        pending(root.string(), client),
        files(root.string()),
        objects(files, client, pending, clock),
        listings(root.string(), client, pending),
        rest(objects, listings),
        server(http::ServerOptions{}) {
    std::filesystem::create_directories(root / "d1");
    std::filesystem::create_directories(root / "d2");
    rest.Register(server);
    port = *server.Start();
    http = std::make_unique<httplib::Client>("127.0.0.1", port);
  }
  ~Node() {
    server.Stop();
    std::filesystem::remove_all(root);
  }
  std::string Host() const { return "127.0.0.1:" + std::to_string(port); }

  std::filesystem::path root;
  FakeClock clock;
  HttpListingClient client;
  AsyncPending pending;
  ObjectFiles files;
  ObjectManager objects;
  ListingManager listings;
  ObjectServerRest rest;
  http::Server server;
  int port = 0;
  std::unique_ptr<httplib::Client> http;
};

std::string ObjPath(const std::string& o) {
  return "/o/d1/3/" + HexEncode("AUTH_p") + "/" + HexEncode("c") + "/" + HexEncode(o);
}
const std::string kContainer = "/c/d2/5/" + HexEncode("AUTH_p") + "/" + HexEncode("c");
const std::string kAccount = "/a/d2/9/" + HexEncode("AUTH_p");

TEST_CASE("object server: container and object round trip with listing updates", "[object]") {
  Node node;
  httplib::Headers account_at = {{"X-Timestamp", "100.00000"},
                                 {"X-Account-Host", node.Host()},
                                 {"X-Account-Device", "d2"},
                                 {"X-Account-Partition", "9"},
                                 {std::string(kHeadersHeader), R"({"X-Container-Meta-K":"v"})"}};
  auto r = node.http->Put(kContainer, account_at, "", "text/plain");
  REQUIRE(r);
  CHECK(r->status == 201);
  // The account came into being with its first container.
  r = node.http->Head(kAccount);
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK(r->get_header_value("X-Account-Container-Count") == "1");

  httplib::Headers put = {{"X-Timestamp", "101.00000"},
                          {"X-Container-Host", node.Host()},
                          {"X-Container-Device", "d2"},
                          {"X-Container-Partition", "5"},
                          {"ETag", Md5Hex("0123456789")},
                          {std::string(kHeadersHeader), R"({"X-Object-Meta-Color":"red"})"}};
  r = node.http->Put(ObjPath("dir/x"), put, "0123456789", "text/x-test");
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(r->get_header_value("ETag") == Md5Hex("0123456789"));

  r = node.http->Get(ObjPath("dir/x"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "0123456789");
  CHECK(r->get_header_value("Content-Type") == "text/x-test");
  CHECK(json::parse(r->get_header_value(kHeadersHeader))["X-Object-Meta-Color"] == "red");
  r = node.http->Get(ObjPath("dir/x"), {{"Range", "bytes=2-4"}});
  CHECK(r->status == 206);
  CHECK(r->body == "234");
  CHECK(r->get_header_value("Content-Range") == "bytes 2-4/10");
  r = node.http->Get(ObjPath("dir/x"), {{"Range", "bytes=20-"}});
  CHECK(r->status == 416);

  r = node.http->Get(kContainer + "?delimiter=/");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("X-Container-Object-Count") == "1");
  CHECK(r->get_header_value("X-Container-Bytes-Used") == "10");
  CHECK(json::parse(r->body) == json::parse(R"([{"subdir":"dir/"}])"));

  // Counts reach the account when the updater runs.
  node.listings.FlushCounts();
  r = node.http->Head(kAccount);
  CHECK(r->get_header_value("X-Account-Object-Count") == "1");
  CHECK(r->get_header_value("X-Account-Bytes-Used") == "10");

  // Not empty: the container stays.
  r = node.http->Delete(kContainer, {{"X-Timestamp", "102.00000"}});
  CHECK(r->status == 409);
  // An older write loses.
  put.find("X-Timestamp")->second = "100.50000";
  r = node.http->Put(ObjPath("dir/x"), put, "0123456789", "text/x-test");
  CHECK(r->status == 409);
  r = node.http->Delete(ObjPath("dir/x"), {{"X-Timestamp", "103.00000"},
                                           {"X-Container-Host", node.Host()},
                                           {"X-Container-Device", "d2"},
                                           {"X-Container-Partition", "5"}});
  CHECK(r->status == 204);
  r = node.http->Get(ObjPath("dir/x"));
  CHECK(r->status == 404);
  CHECK(r->get_header_value("X-Backend-Timestamp") == "0000000103.00000");
  r = node.http->Delete(kContainer, {{"X-Timestamp", "104.00000"}});
  CHECK(r->status == 204);
  r = node.http->Head(kContainer);
  CHECK(r->status == 404);
}

TEST_CASE("object server: bad etag, missing device, missing timestamp, post", "[object]") {
  Node node;
  auto r = node.http->Put(ObjPath("o"), {{"X-Timestamp", "1"}, {"ETag", Md5Hex("other")}}, "data",
                          "text/plain");
  CHECK(r->status == 422);
  r = node.http->Put(ObjPath("o"), {}, "data", "text/plain");
  CHECK(r->status == 400);
  r = node.http->Put("/o/d9/3/61/62/63", {{"X-Timestamp", "1"}}, "data", "text/plain");
  CHECK(r->status == 507);
  r = node.http->Put("/o/d1/3/zz/62/63", {{"X-Timestamp", "1"}}, "data", "text/plain");
  CHECK(r->status == 400);
  // No container named: the write succeeds without a listing update.
  r = node.http->Put(ObjPath("o"), {{"X-Timestamp", "1"}}, "data", "text/plain");
  CHECK(r->status == 201);
  r = node.http->Post(
      ObjPath("o"),
      {{"X-Timestamp", "2"}, {std::string(kHeadersHeader), R"({"X-Object-Meta-N":"1"})"}}, "",
      "text/plain");
  CHECK(r->status == 202);
  r = node.http->Head(ObjPath("o"));
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Length") == "4");
  CHECK(json::parse(r->get_header_value(kHeadersHeader))["X-Object-Meta-N"] == "1");
}

TEST_CASE("object server: a listing update that fails is kept and sent later", "[object]") {
  Node node;
  httplib::Headers put = {{"X-Timestamp", "5"},
                          {"X-Container-Host", node.Host()},
                          {"X-Container-Device", "d2"},
                          {"X-Container-Partition", "5"}};
  // The container does not exist yet: the update fails and is saved.
  auto r = node.http->Put(ObjPath("late"), put, "abc", "text/plain");
  CHECK(r->status == 201);
  CHECK(*node.pending.SendAll() == 1);
  r = node.http->Put(kContainer, {{"X-Timestamp", "6"}}, "", "text/plain");
  CHECK(r->status == 201);
  CHECK(*node.pending.SendAll() == 0);
  r = node.http->Get(kContainer);
  CHECK(json::parse(r->body).at(0).at("name") == "late");
}

}  // namespace
}  // namespace gureum::object
