// The object server's HTTP API on a real server (port 0) with two devices; the server is
// its own container server, so object writes update a listing it holds.
#include "object-storage/server/object_server_rest.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/testing/test_env.h"
#include "object-storage/server/http_listing_client.h"
#include "object-storage/server/http_replica_client.h"
#include "object-storage/server/names.h"
#include "object-storage/server/replication_rest.h"

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
        auditor(files, clock, 0),
        replication(files, nullptr, auditor, nullptr),
        server(http::ServerOptions{}) {
    std::filesystem::create_directories(root / "d1");
    std::filesystem::create_directories(root / "d2");
    rest.Register(server);
    replication.Register(server);
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
  Auditor auditor;
  ReplicationRest replication;
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

Timestamp ReplTimestamp(const char* text) { return *Timestamp::Parse(text); }

// Overwrites the start of an object's stored bytes.
void Corrupt(Node& node, const std::string& object) {
  const ObjectLocation where{"d1", 3, "/AUTH_p/c/" + object};
  std::string data;
  for (const auto& e : std::filesystem::directory_iterator(node.files.HashDir(where))) {
    data = e.path().string();
  }
  std::fstream f(data, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(0);
  f.write("XX", 2);
}

TEST_CASE("object server: a GET never answers corrupt bytes with a success", "[object]") {
  Node node;
  const std::string small = "small object";
  const std::string large(5 << 20, 'z');
  for (const auto& [name, body] : {std::pair{"small", small}, std::pair{"large", large}}) {
    auto r = node.http->Put(ObjPath(name), {{"X-Timestamp", "100.00000"}}, body, "text/plain");
    REQUIRE(r);
    REQUIRE(r->status == 201);
    Corrupt(node, name);
  }
  auto r = node.http->Get(ObjPath("small"), {{"Range", "bytes=5-"}});  // a range is checked too
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(node.http->Get(ObjPath("small"))->status == 404);  // quarantined
  // The large one: its last piece is withheld, the transfer fails.
  r = node.http->Get(ObjPath("large"));
  CHECK((!r || r->body.size() < large.size()));
  CHECK(node.http->Head(ObjPath("large"))->status == 404);
  CHECK(std::filesystem::exists(node.root / "d1/quarantined/objects" / Md5Hex("/AUTH_p/c/large")));
}

TEST_CASE("object server: replication routes (hashes, suffixes, files sent)", "[object]") {
  Node one, two;
  auto r = one.http->Put(ObjPath("x"), {{"X-Timestamp", "100.00000"}}, "bytes", "text/plain");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  HttpReplicaClient client;
  const Peer at_one{one.Host(), "d1"}, at_two{two.Host(), "d1"};
  SuffixHashes hashes = *client.Hashes(at_one, 3);
  REQUIRE(hashes.size() == 1);
  CHECK(client.Hashes(at_two, 3)->empty());
  CHECK(!client.Hashes({one.Host(), "nope"}, 3).ok());  // 507
  const std::string suffix = hashes.begin()->first;
  HashDirListing listing = *client.ListSuffix(at_one, 3, suffix);
  REQUIRE(listing.size() == 1);
  const auto& [hash_dir, files] = *listing.begin();
  REQUIRE(files == std::vector<std::string>{"0000000100.00000.data"});
  const std::string path =
      (one.root / "d1/objects/3" / hash_dir / "0000000100.00000.data").string();
  REQUIRE(client.Send(at_two, 3, hash_dir, files[0], path).ok());
  CHECK(client.Send(at_two, 3, hash_dir, files[0], path).ok());  // 409: already there
  CHECK(*client.Hashes(at_two, 3) == hashes);
  r = two.http->Get(ObjPath("x"));
  REQUIRE(r);
  CHECK(r->body == "bytes");
  CHECK(two.http->Put("/replicate/d1/3/" + hash_dir + "/evil.sh", "x", "text/plain")->status ==
        422);
  // A container database: none on two, then sent over and equal.
  const std::string hash = Md5Hex("/AUTH_p/c");
  const std::string db_one = (one.root / "d1/containers/5" / hash / (hash + ".db")).string();
  REQUIRE(ListingDb(db_one).Initialize(ReplTimestamp("100"), {}, {}).ok());
  REQUIRE(ListingDb(db_one).Put({"o", ReplTimestamp("101"), 3}).ok());
  CHECK(absl::IsNotFound(client.DbDigest(at_two, "containers", 5, hash).status()));
  ListingDump dump{*ListingDb(db_one).Info(), *ListingDb(db_one).Rows("", 100)};
  REQUIRE(client.SendDb(at_two, "containers", 5, hash, dump).ok());
  CHECK(*client.DbDigest(at_two, "containers", 5, hash) ==
        *client.DbDigest(at_one, "containers", 5, hash));
  CHECK(!client.DbDigest(at_two, "secrets", 5, hash).ok());
  auto pass = two.http->Post("/passes/audit", "", "text/plain");
  REQUIRE(pass);
  CHECK(json::parse(pass->body)["checked"] == 1);
  CHECK(two.http->Post("/passes/replicate", "", "text/plain")->status == 503);  // no ring
}

}  // namespace
}  // namespace gureum::object
