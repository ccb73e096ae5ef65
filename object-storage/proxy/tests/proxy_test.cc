// The proxy in front of four live object servers (port 0, one device each; the ring has
// three replicas, so every partition has a handoff), spoken to over HTTP as a Swift client
// would. Tokens: "t-p1" is project p1's, "t-p2" project p2's, "t-admin" a cloud admin's.
#include "object-storage/proxy/acl.h"
#include "object-storage/proxy/temp_url.h"
#include "object-storage/proxy/tests/proxy_cloud.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

TEST_CASE("proxy: containers and objects through the Swift API", "[object]") {
  Cloud cloud;
  auto r = cloud.http->Head("/v1/AUTH_p1", cloud.As("t-p1"));
  REQUIRE(r);
  CHECK(r->status == 204);  // no container yet: an empty account
  CHECK(r->get_header_value("X-Account-Container-Count") == "0");
  r = cloud.http->Put("/v1/AUTH_p1/c1/o", cloud.As("t-p1"), "x", "text/plain");
  CHECK(r->status == 404);  // no container
  r = cloud.http->Put("/v1/AUTH_p1/c1", cloud.As("t-p1", {{"X-Container-Read", ".r:*"}}), "",
                      "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Put("/v1/AUTH_p1/c1", cloud.As("t-p1"), "", "text/plain");
  CHECK(r->status == 202);
  const std::string data = "hello object storage";
  r = cloud.http->Put("/v1/AUTH_p1/c1/dir/a.txt",
                      cloud.As("t-p1", {{"ETag", Md5Hex(data)}, {"X-Object-Meta-Mtime", "12.5"}}),
                      data, "text/plain");
  CHECK(r->status == 201);
  CHECK(r->get_header_value("ETag") == Md5Hex(data));
  CHECK(cloud.Copies() == 3);
  r = cloud.http->Put("/v1/AUTH_p1/c1/b", cloud.As("t-p1", {{"ETag", Md5Hex("other")}}), data,
                      "text/plain");
  CHECK(r->status == 422);

  r = cloud.http->Get("/v1/AUTH_p1/c1/dir/a.txt", cloud.As("t-p1"));
  CHECK(r->status == 200);
  CHECK(r->body == data);
  CHECK(r->get_header_value("Content-Type") == "text/plain");
  CHECK(r->get_header_value("X-Object-Meta-Mtime") == "12.5");
  CHECK(r->get_header_value("ETag") == Md5Hex(data));
  r = cloud.http->Get("/v1/AUTH_p1/c1/dir/a.txt", cloud.As("t-p1", {{"Range", "bytes=-7"}}));
  CHECK(r->status == 206);
  CHECK(r->body == "storage");
  r = cloud.http->Head("/v1/AUTH_p1/c1/dir/a.txt", cloud.As("t-p1"));
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Length") == std::to_string(data.size()));

  r = cloud.http->Get("/v1/AUTH_p1/c1?format=json", cloud.As("t-p1"));
  CHECK(r->status == 200);
  json rows = json::parse(r->body);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["name"] == "dir/a.txt");
  CHECK(rows[0]["bytes"] == data.size());
  CHECK(rows[0]["hash"] == Md5Hex(data));
  r = cloud.http->Get("/v1/AUTH_p1/c1?delimiter=/", cloud.As("t-p1"));
  CHECK(r->body == "dir/\n");
  r = cloud.http->Get("/v1/AUTH_p1/c1?format=xml", cloud.As("t-p1"));
  CHECK(r->body.find("<name>dir/a.txt</name>") != std::string::npos);
  r = cloud.http->Head("/v1/AUTH_p1/c1", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Container-Object-Count") == "1");
  CHECK(r->get_header_value("X-Container-Read") == ".r:*");
  r = cloud.http->Get("/v1/AUTH_p1?format=json", cloud.As("t-p1"));
  CHECK(json::parse(r->body).at(0).at("name") == "c1");

  // X-Copy-From (COPY itself is not routed yet).
  r = cloud.http->Put("/v1/AUTH_p1/c1/copy", cloud.As("t-p1", {{"X-Copy-From", "c1/dir/a.txt"}}),
                      "", "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Put("/v1/AUTH_p1/c1/copy2", cloud.As("t-p1", {{"X-Copy-From", "c1/copy"}}), "",
                      "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Get("/v1/AUTH_p1/c1/copy2", cloud.As("t-p1"));
  CHECK(r->body == data);

  for (const char* name : {"dir/a.txt", "copy", "copy2"}) {
    r = cloud.http->Delete(std::string("/v1/AUTH_p1/c1/") + name, cloud.As("t-p1"));
    CHECK(r->status == 204);
  }
  r = cloud.http->Get("/v1/AUTH_p1/c1/dir/a.txt", cloud.As("t-p1"));
  CHECK(r->status == 404);
  r = cloud.http->Delete("/v1/AUTH_p1/c1", cloud.As("t-p1"));
  CHECK(r->status == 204);
  r = cloud.http->Head("/v1/AUTH_p1/c1", cloud.As("t-p1"));
  CHECK(r->status == 404);
}

TEST_CASE("proxy: only the project's tokens and admins reach an account", "[object]") {
  Cloud cloud;
  auto r = cloud.http->Put("/v1/AUTH_p1/private", cloud.As("t-p1"), "", "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Get("/v1/AUTH_p1/private", cloud.As("t-p2"));
  CHECK(r->status == 403);
  r = cloud.http->Get("/v1/AUTH_p1/private");
  CHECK(r->status == 401);
  r = cloud.http->Get("/v1/AUTH_p1/private", cloud.As("bogus"));
  CHECK(r->status == 401);
  r = cloud.http->Head("/v1/AUTH_p1/private", cloud.As("t-admin"));
  CHECK(r->status == 204);
  r = cloud.http->Get("/info");
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["swift"]["container_listing_limit"] == 10000);
  CHECK(json::parse(r->body).contains("crossdomain"));
  // Served without a token, as Swift's middlewares do.
  r = cloud.http->Get("/crossdomain.xml");
  CHECK(r->status == 200);
  CHECK(r->body.find("<allow-access-from domain=\"*\"") != std::string::npos);
  CHECK(cloud.http->Get("/healthcheck")->body == "OK");
  r = cloud.http->Put("/v1/AUTH_p1/" + std::string(257, 'c'), cloud.As("t-p1"), "", "text/plain");
  CHECK(r->status == 400);
  CHECK(r->body.find("Container name length of 257 longer than 256") != std::string::npos);
}

TEST_CASE("proxy: a stopped object server does not stop writes or reads", "[object]") {
  Cloud cloud;
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c", cloud.As("t-p1"), "", "text/plain")->status == 201);
  // Stop one node that holds a replica of the object.
  Placement where = cloud.cluster->Locate("AUTH_p1", "c", "o");
  for (auto& node : cloud.nodes) {
    // Destroyed, not only stopped: its listening socket is then closed for certain (a
    // stopped http::Server may keep it open until destroyed), as when a process dies.
    if (node && node->port == where.primaries[0]->port) node.reset();
  }
  auto r = cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1"), "survives", "text/plain");
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(cloud.Copies() == 3);  // the handoff took the stopped primary's replica
  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "survives");
}

TEST_CASE("acl: public reads, listings, project:user elements", "[object]") {
  Caller bob;
  bob.project_id = "p2";
  bob.user_id = "bob";
  CHECK(AclAllows(".r:*", nullptr, AclAccess::kReadObject));
  CHECK_FALSE(AclAllows(".r:*", nullptr, AclAccess::kListContainer));
  CHECK(AclAllows(".r:*,.rlistings", nullptr, AclAccess::kListContainer));
  CHECK_FALSE(AclAllows(".r:*,.rlistings", nullptr, AclAccess::kWrite));
  CHECK_FALSE(AclAllows("", &bob, AclAccess::kReadObject));
  CHECK(AclAllows("p2:bob", &bob, AclAccess::kListContainer));
  CHECK(AclAllows("p1:x, p2:*", &bob, AclAccess::kWrite));
  CHECK(AclAllows("*:bob", &bob, AclAccess::kReadObject));
  CHECK_FALSE(AclAllows("p2:alice", &bob, AclAccess::kReadObject));
  CHECK_FALSE(AclAllows("p2:bob", nullptr, AclAccess::kReadObject));
}

TEST_CASE("proxy: container ACLs open a container to others", "[object]") {
  Cloud cloud;
  auto r = cloud.http->Put("/v1/AUTH_p1/pub", cloud.As("t-p1", {{"X-Container-Read", ".r:*"}}), "",
                           "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Put("/v1/AUTH_p1/pub/o", cloud.As("t-p1"), "public data", "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Get("/v1/AUTH_p1/pub/o");
  CHECK(r->status == 200);
  CHECK(r->body == "public data");
  r = cloud.http->Get("/v1/AUTH_p1/pub/o", cloud.As("t-p2"));
  CHECK(r->status == 200);
  r = cloud.http->Get("/v1/AUTH_p1/pub");  // no .rlistings
  CHECK(r->status == 401);
  r = cloud.http->Put("/v1/AUTH_p1/pub/x", cloud.As("t-p2"), "no", "text/plain");
  CHECK(r->status == 403);
  r = cloud.http->Delete("/v1/AUTH_p1/pub", cloud.As("t-p2"));
  CHECK(r->status == 403);
  // Write access for project p2's users; listings with .rlistings.
  r = cloud.http->Post(
      "/v1/AUTH_p1/pub",
      cloud.As("t-p1", {{"X-Container-Write", "p2:*"}, {"X-Container-Read", ".r:*,.rlistings"}}),
      "", "text/plain");
  CHECK(r->status == 204);
  r = cloud.http->Put("/v1/AUTH_p1/pub/x", cloud.As("t-p2"), "yes", "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Get("/v1/AUTH_p1/pub");
  CHECK(r->status == 200);
  CHECK(r->body == "o\nx\n");
  r = cloud.http->Get("/v1/AUTH_p1", cloud.As("t-p2"));  // the account stays the owner's
  CHECK(r->status == 403);
}

TEST_CASE("proxy: conditional requests and several ranges", "[object]") {
  Cloud cloud;
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c", cloud.As("t-p1"), "", "text/plain")->status == 201);
  const std::string data = "0123456789abcdefghij";
  auto r = cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1"), data, "text/plain");
  REQUIRE(r->status == 201);
  const std::string etag = r->get_header_value("ETag");
  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"If-None-Match", "\"" + etag + "\""}}));
  CHECK(r->status == 304);
  CHECK(r->body.empty());
  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"If-Match", "\"other\""}}));
  CHECK(r->status == 412);
  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"If-Match", etag}}));
  CHECK(r->status == 200);
  r = cloud.http->Get("/v1/AUTH_p1/c/o",
                      cloud.As("t-p1", {{"If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"}}));
  CHECK(r->status == 304);
  r = cloud.http->Get("/v1/AUTH_p1/c/o",
                      cloud.As("t-p1", {{"If-Unmodified-Since", "Thu, 01 Jan 2015 00:00:00 GMT"}}));
  CHECK(r->status == 412);
  r = cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"If-None-Match", "*"}}), "again",
                      "text/plain");
  CHECK(r->status == 412);

  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"Range", "bytes=0-1,-2"}}));
  CHECK(r->status == 206);
  const std::string type = r->get_header_value("Content-Type");
  REQUIRE(type.rfind("multipart/byteranges;boundary=", 0) == 0);
  const std::string boundary = type.substr(type.find('=') + 1);
  const std::string want =
      "--" + boundary +
      "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/20\r\n\r\n01\r\n--" + boundary +
      "\r\nContent-Type: text/plain\r\nContent-Range: bytes 18-19/20\r\n\r\nij\r\n--" + boundary +
      "--\r\n";
  CHECK(r->body == want);
  CHECK(r->get_header_value("Content-Length") == std::to_string(want.size()));
  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"Range", "bytes=50-60,70-80"}}));
  CHECK(r->status == 416);
}

TEST_CASE("proxy: TempURL with the account's or the container's key", "[object]") {
  Cloud cloud;
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/c", cloud.As("t-p1", {{"X-Container-Meta-Temp-URL-Key", "ckey"}}),
                    "", "text/plain")
              ->status == 201);
  REQUIRE(cloud.http
              ->Post("/v1/AUTH_p1", cloud.As("t-p1", {{"X-Account-Meta-Temp-URL-Key", "akey"}}), "",
                     "text/plain")
              ->status == 204);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1"), "secret", "text/plain")->status ==
          201);
  const std::string path = "/v1/AUTH_p1/c/o";
  const std::string later = std::to_string(absl::ToUnixSeconds(absl::Now()) + 600);
  const std::string past = std::to_string(absl::ToUnixSeconds(absl::Now()) - 1);
  auto url = [&](const std::string& digest, const std::string& key, const std::string& method,
                 const std::string& expires) {
    return path + "?temp_url_sig=" + HmacHex(digest, key, method + "\n" + expires + "\n" + path) +
           "&temp_url_expires=" + expires;
  };
  auto r = cloud.http->Get(url("sha1", "akey", "GET", later));
  CHECK(r->status == 200);
  CHECK(r->body == "secret");
  CHECK(r->get_header_value("Content-Disposition") == "attachment; filename=\"o\"");
  r = cloud.http->Get(url("sha1", "akey", "GET", later) + "&inline");
  CHECK(r->get_header_value("Content-Disposition") == "inline");
  r = cloud.http->Get(url("sha1", "akey", "GET", later) + "&filename=a%22b.txt");
  CHECK(r->get_header_value("Content-Disposition") == "attachment; filename=\"ab.txt\"");
  // Judged by the signature alone: an expired one stays 401 with the owner's token.
  r = cloud.http->Get(url("sha1", "akey", "GET", past), cloud.As("t-p1"));
  CHECK(r->status == 401);
  r = cloud.http->Get(url("sha256", "ckey", "GET", later));
  CHECK(r->status == 200);
  r = cloud.http->Head(url("sha256", "ckey", "GET", later));
  CHECK(r->status == 200);
  r = cloud.http->Get(url("sha1", "akey", "GET", past));
  CHECK(r->status == 401);
  r = cloud.http->Get(url("sha1", "wrong", "GET", later));
  CHECK(r->status == 401);
  r = cloud.http->Put(url("sha1", "akey", "GET", later), "x", "text/plain");  // signed for GET
  CHECK(r->status == 401);
  r = cloud.http->Put(url("sha256", "akey", "PUT", later), "uploaded", "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Get(path, cloud.As("t-p1"));
  CHECK(r->body == "uploaded");
  // A prefix signature covers every object under it.
  const std::string sig = HmacHex("sha256", "ckey", "GET\n" + later + "\nprefix:/v1/AUTH_p1/c/");
  r = cloud.http->Get(path + "?temp_url_sig=" + sig + "&temp_url_expires=" + later +
                      "&temp_url_prefix=");
  CHECK(r->status == 200);
}

TEST_CASE("proxy: a dynamic large object reads as its segments in order", "[object]") {
  Cloud cloud;
  for (const char* c : {"/v1/AUTH_p1/c", "/v1/AUTH_p1/c_segments"}) {
    REQUIRE(cloud.http->Put(c, cloud.As("t-p1"), "", "text/plain")->status == 201);
  }
  const std::vector<std::string> parts = {"first-", "second-", "third"};
  std::string etags;
  for (size_t i = 0; i < parts.size(); ++i) {
    auto r = cloud.http->Put("/v1/AUTH_p1/c_segments/big/0000000" + std::to_string(i),
                             cloud.As("t-p1"), parts[i], "application/octet-stream");
    REQUIRE(r->status == 201);
    etags += r->get_header_value("ETag");
  }
  auto r = cloud.http->Put("/v1/AUTH_p1/c/big",
                           cloud.As("t-p1", {{"X-Object-Manifest", "c_segments/big/"}}), "",
                           "text/plain");
  REQUIRE(r->status == 201);
  r = cloud.http->Get("/v1/AUTH_p1/c/big", cloud.As("t-p1"));
  CHECK(r->status == 200);
  CHECK(r->body == "first-second-third");
  CHECK(r->get_header_value("ETag") == "\"" + Md5Hex(etags) + "\"");
  r = cloud.http->Head("/v1/AUTH_p1/c/big", cloud.As("t-p1"));
  CHECK(r->get_header_value("Content-Length") == "18");
  CHECK(r->get_header_value("X-Object-Manifest") == "c_segments/big/");
  // A range across segments (the manifest itself is empty: its own 416 is not the answer).
  r = cloud.http->Get("/v1/AUTH_p1/c/big", cloud.As("t-p1", {{"Range", "bytes=4-8"}}));
  CHECK(r->status == 206);
  CHECK(r->body == "t-sec");
  r = cloud.http->Get("/v1/AUTH_p1/c/big?multipart-manifest=get", cloud.As("t-p1"));
  CHECK(r->status == 200);
  CHECK(r->body.empty());
}

TEST_CASE("proxy: a static large object is checked, read and deleted with its segments",
          "[object]") {
  Cloud cloud;
  for (const char* c : {"/v1/AUTH_p1/c", "/v1/AUTH_p1/segs"}) {
    REQUIRE(cloud.http->Put(c, cloud.As("t-p1"), "", "text/plain")->status == 201);
  }
  json manifest = json::array();
  std::string etags;
  for (const std::string part : {"alpha-", "beta"}) {
    auto r = cloud.http->Put("/v1/AUTH_p1/segs/" + part, cloud.As("t-p1"), part, "text/plain");
    REQUIRE(r->status == 201);
    etags += r->get_header_value("ETag");
    manifest.push_back({{"path", "/segs/" + part},
                        {"etag", r->get_header_value("ETag")},
                        {"size_bytes", part.size()}});
  }
  json bad = manifest;
  bad[1]["size_bytes"] = 99;
  auto r = cloud.http->Put("/v1/AUTH_p1/c/slo?multipart-manifest=put", cloud.As("t-p1"), bad.dump(),
                           "application/json");
  CHECK(r->status == 400);
  r = cloud.http->Put("/v1/AUTH_p1/c/slo?multipart-manifest=put", cloud.As("t-p1"), manifest.dump(),
                      "application/json");
  CHECK(r->status == 201);
  CHECK(r->get_header_value("ETag") == "\"" + Md5Hex(etags) + "\"");
  r = cloud.http->Get("/v1/AUTH_p1/c/slo", cloud.As("t-p1"));
  CHECK(r->status == 200);
  CHECK(r->body == "alpha-beta");
  r = cloud.http->Head("/v1/AUTH_p1/c/slo", cloud.As("t-p1"));
  CHECK(r->get_header_value("Content-Length") == "10");
  CHECK(r->get_header_value("X-Static-Large-Object") == "True");
  r = cloud.http->Delete("/v1/AUTH_p1/c/slo?multipart-manifest=delete", cloud.As("t-p1"));
  CHECK(r->status == 204);
  r = cloud.http->Get("/v1/AUTH_p1/segs/alpha-", cloud.As("t-p1"));
  CHECK(r->status == 404);
}

TEST_CASE("proxy: a copy older than another replica's tombstone is not served", "[object]") {
  Cloud cloud;
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c", cloud.As("t-p1"), "", "text/plain")->status == 201);
  Placement where = cloud.cluster->Locate("AUTH_p1", "c", "o");
  auto node_of = [&](size_t replica) -> StorageNode& {
    for (auto& n : cloud.nodes) {
      if (n->port == where.primaries[replica]->port) return *n;
    }
    FAIL("no node");
    return *cloud.nodes[0];
  };
  const ObjectLocation loc{"sda", where.partition, "/AUTH_p1/c/o"};
  // Replicas 1 and 2 saw a delete that replica 0 missed.
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1"), "v1", "text/plain")->status == 201);
  for (size_t i : {1, 2}) {
    REQUIRE(node_of(i).files.Delete(loc, Timestamp::FromTime(absl::Now())).ok());
  }
  auto r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1"));
  CHECK(r->status == 200);  // replica 0 answers first and knows nothing newer
  r = cloud.http->Get("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"X-Newest", "true"}}));
  CHECK(r->status == 404);
  // Replica 0 saw a delete the others missed: its tombstone, read first, wins.
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c/p", cloud.As("t-p1"), "v1", "text/plain")->status == 201);
  Placement p = cloud.cluster->Locate("AUTH_p1", "c", "p");
  for (auto& n : cloud.nodes) {
    if (n->port == p.primaries[0]->port) {
      REQUIRE(
          n->files.Delete({"sda", p.partition, "/AUTH_p1/c/p"}, Timestamp::FromTime(absl::Now()))
              .ok());
    }
  }
  r = cloud.http->Get("/v1/AUTH_p1/c/p", cloud.As("t-p1"));
  CHECK(r->status == 404);
}

TEST_CASE("proxy: container quotas", "[object]") {
  ContainerFacts facts;
  facts.exists = true;
  facts.bytes = 90;
  facts.object_count = 4;
  CHECK(WithinQuota(facts, 1000));
  facts.headers["X-Container-Meta-Quota-Bytes"] = "100";
  CHECK(WithinQuota(facts, 10));
  CHECK_FALSE(WithinQuota(facts, 11));
  facts.headers["X-Container-Meta-Quota-Count"] = "5";
  CHECK(WithinQuota(facts, 0));
  facts.object_count = 5;
  CHECK_FALSE(WithinQuota(facts, 0));

  Cloud cloud;
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/q", cloud.As("t-p1", {{"X-Container-Meta-Quota-Bytes", "8"}}), "",
                    "text/plain")
              ->status == 201);
  auto r = cloud.http->Put("/v1/AUTH_p1/q/big", cloud.As("t-p1"), "123456789", "text/plain");
  CHECK(r->status == 413);
  r = cloud.http->Put("/v1/AUTH_p1/q/small", cloud.As("t-p1"), "12345678", "text/plain");
  CHECK(r->status == 201);

  // A count quota: the first PUT caches the container's count (0); a HEAD of the container
  // refreshes it, so the PUT after it sees the quota reached (Tempest's order of calls).
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/n", cloud.As("t-p1", {{"X-Container-Meta-Quota-Count", "2"}}), "",
                    "text/plain")
              ->status == 201);
  for (const char* o : {"/v1/AUTH_p1/n/1", "/v1/AUTH_p1/n/2"}) {
    REQUIRE(cloud.http->Put(o, cloud.As("t-p1"), "", "text/plain")->status == 201);
  }
  absl::Time deadline = absl::Now() + absl::Seconds(10);  // the listing update is asynchronous
  while (cloud.http->Head("/v1/AUTH_p1/n", cloud.As("t-p1"))
                 ->get_header_value("X-Container-Object-Count") != "2" &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  r = cloud.http->Put("/v1/AUTH_p1/n/3", cloud.As("t-p1"), "", "text/plain");
  CHECK(r->status == 413);
}

}  // namespace
}  // namespace gureum::object::proxy
