// The Swift API's middleware features at the proxy: arbitrary metadata, COPY, versioning,
// bulk delete, account quotas, referrer ACLs, SLO sizes in listings.
#include <cstdio>
#include <cstring>

#include <catch2/catch.hpp>

#include "object-storage/proxy/acl.h"
#include "object-storage/proxy/bulk_upload.h"
#include "object-storage/proxy/object_controller.h"
#include "object-storage/proxy/swift_headers.h"
#include "object-storage/proxy/tests/proxy_cloud.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

httplib::Result Copy(Cloud& cloud, const std::string& path, httplib::Headers headers) {
  httplib::Request req;
  req.method = "COPY";
  req.path = path;
  req.headers = std::move(headers);
  return cloud.http->send(req);
}

TEST_CASE("proxy: arbitrary metadata on accounts and containers and objects", "[object]") {
  Cloud cloud;
  auto r = cloud.http->Post("/v1/AUTH_p1", cloud.As("t-p1", {{"x-account-meta-color", "red"}}), "",
                            "text/plain");
  CHECK(r->status == 204);
  r = cloud.http->Put("/v1/AUTH_p1/c", cloud.As("t-p1", {{"X-Container-Meta-Owner", "ann"}}), "",
                      "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Head("/v1/AUTH_p1", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Account-Meta-Color") == "red");
  r = cloud.http->Post(
      "/v1/AUTH_p1/c",
      cloud.As("t-p1", {{"X-Container-Meta-Size", "big"}, {"X-Remove-Container-Meta-Owner", "x"}}),
      "", "text/plain");
  CHECK(r->status == 204);
  r = cloud.http->Head("/v1/AUTH_p1/c", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Container-Meta-Size") == "big");
  CHECK_FALSE(r->has_header("X-Container-Meta-Owner"));

  r = cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"X-Object-Meta-Fruit", "apple"}}), "x",
                      "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Head("/v1/AUTH_p1/c/o", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Object-Meta-Fruit") == "apple");
  // A POST replaces the object's metadata.
  r = cloud.http->Post("/v1/AUTH_p1/c/o", cloud.As("t-p1", {{"X-Object-Meta-Tree", "oak"}}), "",
                       "text/plain");
  CHECK(r->status / 100 == 2);
  r = cloud.http->Head("/v1/AUTH_p1/c/o", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Object-Meta-Tree") == "oak");
  CHECK_FALSE(r->has_header("X-Object-Meta-Fruit"));
  // Swift's limits.
  r = cloud.http->Post("/v1/AUTH_p1/c/o",
                       cloud.As("t-p1", {{"X-Object-Meta-" + std::string(129, 'n'), "v"}}), "",
                       "text/plain");
  CHECK(r->status == 400);
  r = cloud.http->Post("/v1/AUTH_p1/c/missing", cloud.As("t-p1", {{"X-Object-Meta-A", "b"}}), "",
                       "text/plain");
  CHECK(r->status == 404);
  // As Swift (a WSGI environ): '_' in a name is '-'; an object keeps a key with no value.
  r = cloud.http->Put(
      "/v1/AUTH_p1/c/u",
      cloud.As("t-p1", {{"X-Object-Meta-test_meta", "1"}, {"X-Object-Meta-empty", ""}}), "x",
      "text/plain");
  CHECK(r->status == 201);
  r = cloud.http->Head("/v1/AUTH_p1/c/u", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Object-Meta-Test-Meta") == "1");
  r = cloud.http->Post("/v1/AUTH_p1/c", cloud.As("t-p1", {{"X-Container-Meta-my_key", "v"}}), "",
                       "text/plain");
  r = cloud.http->Head("/v1/AUTH_p1/c", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Container-Meta-My-Key") == "v");
}

TEST_CASE("proxy: reverse=True (any case, as a Python client sends it) lists backwards",
          "[object]") {
  Cloud cloud;
  for (const char* c : {"/v1/AUTH_p1/a", "/v1/AUTH_p1/b"}) {
    REQUIRE(cloud.http->Put(c, cloud.As("t-p1"), "", "text/plain")->status == 201);
  }
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/a/x", cloud.As("t-p1"), "1", "text/plain")->status == 201);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/a/y", cloud.As("t-p1"), "2", "text/plain")->status == 201);
  auto r = cloud.http->Get("/v1/AUTH_p1?reverse=True", cloud.As("t-p1"));
  CHECK(r->body == "b\na\n");
  r = cloud.http->Get("/v1/AUTH_p1/a?reverse=TRUE", cloud.As("t-p1"));
  CHECK(r->body == "y\nx\n");
}

TEST_CASE("CopyMetadata: an object's key with no value is answered, a container's is not",
          "[object]") {
  NodeResponse from;
  from.headers[kHeadersHeader] = R"({"X-Object-Meta-Empty": "", "X-Object-Meta-A": "b"})";
  http::Response object, container;
  CopyMetadata(from, object, /*keep_empty=*/true);
  CopyMetadata(from, container);
  auto has = [](const http::Response& res, const std::string& name) {
    for (const auto& [k, v] : res.headers) {
      if (k == name) return true;
    }
    return false;
  };
  CHECK(has(object, "X-Object-Meta-Empty"));
  CHECK(has(object, "X-Object-Meta-A"));
  CHECK_FALSE(has(container, "X-Object-Meta-Empty"));
  CHECK(has(container, "X-Object-Meta-A"));
}

TEST_CASE("proxy: COPY with Destination and X-Fresh-Metadata and Destination-Account", "[object]") {
  Cloud cloud;
  for (const char* c : {"/v1/AUTH_p1/c", "/v1/AUTH_p2/d"}) {
    const std::string token = std::string(c).find("p1") != std::string::npos ? "t-p1" : "t-p2";
    REQUIRE(cloud.http->Put(c, cloud.As(token), "", "text/plain")->status == 201);
  }
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/c/src", cloud.As("t-p1", {{"X-Object-Meta-Kept", "yes"}}), "data",
                    "text/csv")
              ->status == 201);
  auto r = Copy(cloud, "/v1/AUTH_p1/c/src",
                cloud.As("t-p1", {{"Destination", "c/dst"}, {"X-Object-Meta-New", "1"}}));
  CHECK(r->status == 201);
  CHECK(r->get_header_value("X-Copied-From") == "c/src");
  {
    auto source = cloud.http->Head("/v1/AUTH_p1/c/src", cloud.As("t-p1"));
    CHECK(!source->get_header_value("Last-Modified").empty());
    CHECK(r->get_header_value("X-Copied-From-Last-Modified") ==
          source->get_header_value("Last-Modified"));
    CHECK(r->get_header_value("X-Object-Meta-Kept") == "yes");  // the copy's metadata
    CHECK(r->get_header_value("X-Object-Meta-New") == "1");
  }
  r = cloud.http->Get("/v1/AUTH_p1/c/dst", cloud.As("t-p1"));
  CHECK(r->body == "data");
  CHECK(r->get_header_value("Content-Type") == "text/csv");
  CHECK(r->get_header_value("X-Object-Meta-Kept") == "yes");
  CHECK(r->get_header_value("X-Object-Meta-New") == "1");
  r = Copy(cloud, "/v1/AUTH_p1/c/src",
           cloud.As("t-p1", {{"Destination", "/c/fresh"}, {"X-Fresh-Metadata", "true"}}));
  CHECK(r->status == 201);
  r = cloud.http->Head("/v1/AUTH_p1/c/fresh", cloud.As("t-p1"));
  CHECK_FALSE(r->has_header("X-Object-Meta-Kept"));
  r = Copy(cloud, "/v1/AUTH_p1/c/src", cloud.As("t-p1", {{"Destination", "nocontainer"}}));
  CHECK(r->status == 412);
  // Into another project's account: its owner's token may, p1's alone may not.
  r = Copy(cloud, "/v1/AUTH_p1/c/src",
           cloud.As("t-p1", {{"Destination", "d/x"}, {"Destination-Account", "AUTH_p2"}}));
  CHECK(r->status == 403);
  r = Copy(cloud, "/v1/AUTH_p1/c/src",
           cloud.As("t-admin", {{"Destination", "d/x"}, {"Destination-Account", "AUTH_p2"}}));
  CHECK(r->status == 201);
  CHECK(r->get_header_value("X-Copied-From-Account") == "AUTH_p1");
  r = cloud.http->Get("/v1/AUTH_p2/d/x", cloud.As("t-p2"));
  CHECK(r->body == "data");
  r = cloud.http->Put(
      "/v1/AUTH_p2/d/y",
      cloud.As("t-p2", {{"X-Copy-From", "c/src"}, {"X-Copy-From-Account", "AUTH_p1"}}), "",
      "text/plain");
  CHECK(r->status == 403);
  // Another project's user that may read the source may copy only where it may write.
  REQUIRE(cloud.http
              ->Post("/v1/AUTH_p1/c", cloud.As("t-p1", {{"X-Container-Read", "p2:*"}}), "",
                     "text/plain")
              ->status == 204);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/shared", cloud.As("t-p1"), "", "text/plain")->status == 201);
  r = Copy(cloud, "/v1/AUTH_p1/c/src", cloud.As("t-p2", {{"Destination", "shared/x"}}));
  CHECK(r->status == 403);
  REQUIRE(cloud.http
              ->Post("/v1/AUTH_p1/shared", cloud.As("t-p1", {{"X-Container-Write", "p2:*"}}), "",
                     "text/plain")
              ->status == 204);
  r = Copy(cloud, "/v1/AUTH_p1/c/src", cloud.As("t-p2", {{"Destination", "shared/x"}}));
  CHECK(r->status == 201);
  r = cloud.http->Put(
      "/v1/AUTH_p2/d/y",
      cloud.As("t-p2", {{"X-Copy-From", "c/src"}, {"X-Copy-From-Account", "AUTH_p1"}}), "",
      "text/plain");
  CHECK(r->status == 201);
}

TEST_CASE("proxy: object versioning in stack and history modes", "[object]") {
  Cloud cloud;
  CHECK(VersionPrefix("photo.jpg") == "009photo.jpg/");
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/old", cloud.As("t-p1"), "", "text/plain")->status == 201);
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/v", cloud.As("t-p1", {{"X-Versions-Location", "old"}}), "",
                    "text/plain")
              ->status == 201);
  for (const char* body : {"one", "two", "three"}) {
    REQUIRE(cloud.http->Put("/v1/AUTH_p1/v/o", cloud.As("t-p1"), body, "text/plain")->status ==
            201);
  }
  auto r = cloud.http->Get("/v1/AUTH_p1/old?format=json", cloud.As("t-p1"));
  json rows = json::parse(r->body);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["name"].get<std::string>().rfind("001o/", 0) == 0);
  // DELETE brings the previous versions back, newest first.
  CHECK(cloud.http->Delete("/v1/AUTH_p1/v/o", cloud.As("t-p1"))->status == 204);
  CHECK(cloud.http->Get("/v1/AUTH_p1/v/o", cloud.As("t-p1"))->body == "two");
  CHECK(cloud.http->Delete("/v1/AUTH_p1/v/o", cloud.As("t-p1"))->status == 204);
  CHECK(cloud.http->Get("/v1/AUTH_p1/v/o", cloud.As("t-p1"))->body == "one");
  CHECK(cloud.http->Delete("/v1/AUTH_p1/v/o", cloud.As("t-p1"))->status == 204);
  CHECK(cloud.http->Get("/v1/AUTH_p1/v/o", cloud.As("t-p1"))->status == 404);

  // History: every replaced or deleted version is kept; a DELETE deletes.
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/h", cloud.As("t-p1", {{"X-History-Location", "old"}}), "",
                    "text/plain")
              ->status == 201);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/h/p", cloud.As("t-p1"), "a", "text/plain")->status == 201);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/h/p", cloud.As("t-p1"), "b", "text/plain")->status == 201);
  CHECK(cloud.http->Delete("/v1/AUTH_p1/h/p", cloud.As("t-p1"))->status == 204);
  CHECK(cloud.http->Get("/v1/AUTH_p1/h/p", cloud.As("t-p1"))->status == 404);
  r = cloud.http->Get("/v1/AUTH_p1/old?prefix=001p/&format=json", cloud.As("t-p1"));
  CHECK(json::parse(r->body).size() == 2);
}

TEST_CASE("proxy: bulk delete", "[object]") {
  Cloud cloud;
  json info = json::parse(cloud.http->Get("/info")->body);
  CHECK(info["bulk_delete"]["max_deletes_per_request"] == 10000);
  CHECK(info.contains("versioned_writes"));
  CHECK(info.contains("bulk_upload"));
  CHECK(info.contains("account_quotas"));
  CHECK(info["swift"]["max_meta_count"] == 90);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c", cloud.As("t-p1"), "", "text/plain")->status == 201);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/e", cloud.As("t-p1"), "", "text/plain")->status == 201);
  for (const char* o : {"a", "b c"}) {
    REQUIRE(cloud.http->Put(std::string("/v1/AUTH_p1/c/") + o, cloud.As("t-p1"), "x", "text/plain")
                ->status == 201);
  }
  auto r = cloud.http->Post("/v1/AUTH_p1?bulk-delete",
                            cloud.As("t-p1", {{"Accept", "application/json"}}),
                            "/c/a\n/c/b%20c\n/c/none\n/e\n", "text/plain");
  REQUIRE(r->status == 200);
  json out = json::parse(r->body);
  CHECK(out["Number Deleted"] == 3);
  CHECK(out["Number Not Found"] == 1);
  CHECK(out["Response Status"] == "200 OK");
  CHECK(cloud.http->Head("/v1/AUTH_p1/e", cloud.As("t-p1"))->status == 404);
  r = cloud.http->Post("/v1/AUTH_p1?bulk-delete", cloud.As("t-p2"), "/c/a\n", "text/plain");
  CHECK(r->status == 403);
  // DELETE with a body, as Tempest's bulk client sends it.
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c/again", cloud.As("t-p1"), "x", "text/plain")->status ==
          201);
  r = cloud.http->Delete("/v1/AUTH_p1?bulk-delete", cloud.As("t-p1"), "/c/again\n", "text/plain");
  REQUIRE(r->status == 200);
  CHECK(r->body.find("Number Deleted: 1") != std::string::npos);
}

// A ustar archive of `files` (path, data).
std::string Tar(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string out;
  for (const auto& [path, data] : files) {
    std::string block(512, '\0');
    std::memcpy(&block[0], path.data(), std::min<size_t>(path.size(), 100));
    std::snprintf(&block[124], 12, "%011o", static_cast<unsigned>(data.size()));
    block[156] = '0';
    std::memcpy(&block[257], "ustar", 5);
    out += block + data + std::string((512 - data.size() % 512) % 512, '\0');
  }
  return out + std::string(1024, '\0');
}

TEST_CASE("proxy: bulk upload extracts a tar archive", "[object]") {
  Cloud cloud;
  const std::string archive = Tar({{"arch/a.txt", "alpha"}, {"arch/dir/b.txt", "beta"}});
  absl::StatusOr<std::vector<TarFile>> files = ReadTar(archive);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 2);
  CHECK(files->at(1).path == "arch/dir/b.txt");
  CHECK(files->at(1).data == "beta");
  // Into the account: the first part of each path is the container.
  auto r = cloud.http->Put("/v1/AUTH_p1?extract-archive=tar",
                           cloud.As("t-p1", {{"Accept", "application/json"}}), archive,
                           "application/x-tar");
  REQUIRE(r->status == 200);
  json out = json::parse(r->body);
  CHECK(out["Number Files Created"] == 2);
  CHECK(out["Response Status"] == "201 Created");
  CHECK(cloud.http->Get("/v1/AUTH_p1/arch/dir/b.txt", cloud.As("t-p1"))->body == "beta");
  // Into a container, under a prefix.
  r = cloud.http->Put("/v1/AUTH_p1/arch/under?extract-archive=tar", cloud.As("t-p1"), archive,
                      "application/x-tar");
  CHECK(r->body.find("Number Files Created: 2") != std::string::npos);
  CHECK(cloud.http->Get("/v1/AUTH_p1/arch/under/arch/a.txt", cloud.As("t-p1"))->body == "alpha");
  r = cloud.http->Put("/v1/AUTH_p1?extract-archive=tar.gz", cloud.As("t-p1"), archive,
                      "application/x-tar");
  CHECK(r->body.find("400 Bad Request") != std::string::npos);
  CHECK(cloud.http
            ->Put("/v1/AUTH_p1?extract-archive=tar", cloud.As("t-p2"), archive, "application/x-tar")
            ->status == 403);
}

TEST_CASE("proxy: account quotas are set by admins and stop uploads", "[object]") {
  ContainerFacts account;
  account.bytes = 10;
  CHECK(WithinAccountQuota(account, 100));
  account.headers["X-Account-Meta-Quota-Bytes"] = "12";
  CHECK(WithinAccountQuota(account, 2));
  CHECK_FALSE(WithinAccountQuota(account, 3));

  Cloud cloud;
  auto r = cloud.http->Post("/v1/AUTH_p1", cloud.As("t-p1", {{"X-Account-Meta-Quota-Bytes", "5"}}),
                            "", "text/plain");
  CHECK(r->status == 403);
  r = cloud.http->Post("/v1/AUTH_p1", cloud.As("t-reseller", {{"X-Account-Meta-Quota-Bytes", "9"}}),
                       "", "text/plain");
  CHECK(r->status == 204);
  r = cloud.http->Post("/v1/AUTH_p1", cloud.As("t-admin", {{"X-Account-Meta-Quota-Bytes", "5"}}),
                       "", "text/plain");
  CHECK(r->status == 204);
  REQUIRE(cloud.http->Put("/v1/AUTH_p1/c", cloud.As("t-p1"), "", "text/plain")->status == 201);
  CHECK(cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1"), "123456", "text/plain")->status ==
        413);
  CHECK(cloud.http->Put("/v1/AUTH_p1/c/o", cloud.As("t-p1"), "12345", "text/plain")->status == 201);
}

TEST_CASE("acl: referrer elements", "[object]") {
  const std::string acl = ".r:.example.com,.r:-bad.example.com,.rlistings";
  CHECK(AclAllows(acl, nullptr, AclAccess::kReadObject, "http://www.example.com/page"));
  CHECK(AclAllows(acl, nullptr, AclAccess::kListContainer, "https://example.com:8443/"));
  CHECK_FALSE(AclAllows(acl, nullptr, AclAccess::kReadObject, "http://bad.example.com/"));
  CHECK_FALSE(AclAllows(acl, nullptr, AclAccess::kReadObject, "http://example.org/"));
  CHECK_FALSE(AclAllows(acl, nullptr, AclAccess::kReadObject, ""));
  CHECK(AclAllows(".r:host.net", nullptr, AclAccess::kReadObject, "http://host.net/x"));
  CHECK_FALSE(AclAllows(".r:host.net", nullptr, AclAccess::kWrite, "http://host.net/x"));
}

TEST_CASE("proxy: a static large object's listing row has its whole size", "[object]") {
  CHECK(WithoutSwiftBytes("text/plain;swift_bytes=10") == "text/plain");
  CHECK(SwiftBytes("text/plain;swift_bytes=10") == 10);
  CHECK(SwiftBytes("text/plain") == -1);
  Cloud cloud;
  for (const char* c : {"/v1/AUTH_p1/c", "/v1/AUTH_p1/segs"}) {
    REQUIRE(cloud.http->Put(c, cloud.As("t-p1"), "", "text/plain")->status == 201);
  }
  json manifest = json::array();
  for (const std::string part : {"alpha-", "beta"}) {
    REQUIRE(
        cloud.http->Put("/v1/AUTH_p1/segs/" + part, cloud.As("t-p1"), part, "text/plain")->status ==
        201);
    manifest.push_back({{"path", "/segs/" + part}});
  }
  REQUIRE(cloud.http
              ->Put("/v1/AUTH_p1/c/slo?multipart-manifest=put", cloud.As("t-p1"), manifest.dump(),
                    "text/plain")
              ->status == 201);
  auto r = cloud.http->Get("/v1/AUTH_p1/c?format=json", cloud.As("t-p1"));
  json rows = json::parse(r->body);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["bytes"] == 10);
  CHECK(rows[0]["hash"] == Md5Hex(Md5Hex("alpha-") + Md5Hex("beta")));
  CHECK(rows[0]["content_type"] == "text/plain");
  r = cloud.http->Head("/v1/AUTH_p1/c/slo", cloud.As("t-p1"));
  CHECK(r->get_header_value("Content-Type") == "text/plain");
  // Ranges within it: from the segments that hold them.
  r = cloud.http->Get("/v1/AUTH_p1/c/slo", cloud.As("t-p1", {{"Range", "bytes=3-7"}}));
  CHECK(r->status == 206);
  CHECK(r->body == "ha-be");
  CHECK(r->get_header_value("Content-Range") == "bytes 3-7/10");
  r = cloud.http->Get("/v1/AUTH_p1/c/slo", cloud.As("t-p1", {{"Range", "bytes=-3"}}));
  CHECK(r->body == "eta");
  r = cloud.http->Get("/v1/AUTH_p1/c/slo", cloud.As("t-p1", {{"Range", "bytes=6-"}}));
  CHECK(r->body == "beta");
  r = cloud.http->Get("/v1/AUTH_p1/c/slo", cloud.As("t-p1", {{"Range", "bytes=1000-"}}));
  CHECK(r->status == 416);
  // A copy holds its bytes (a plain object); ?multipart-manifest=get copies the manifest.
  httplib::Request copy;
  copy.method = "COPY";
  copy.path = "/v1/AUTH_p1/c/slo";
  copy.headers = cloud.As("t-p1", {{"Destination", "c/whole"}});
  REQUIRE(cloud.http->send(copy)->status == 201);
  r = cloud.http->Get("/v1/AUTH_p1/c/whole", cloud.As("t-p1"));
  CHECK(r->body == "alpha-beta");
  CHECK_FALSE(r->has_header("X-Static-Large-Object"));
  CHECK(r->get_header_value("Content-Type") == "text/plain");
  copy.path = "/v1/AUTH_p1/c/slo?multipart-manifest=get";
  copy.headers = cloud.As("t-p1", {{"Destination", "c/manifest"}});
  REQUIRE(cloud.http->send(copy)->status == 201);
  r = cloud.http->Head("/v1/AUTH_p1/c/manifest", cloud.As("t-p1"));
  CHECK(r->get_header_value("X-Static-Large-Object") == "True");
  CHECK(cloud.http->Get("/v1/AUTH_p1/c/manifest", cloud.As("t-p1"))->body == "alpha-beta");
  r = cloud.http->Get("/v1/AUTH_p1/c?format=json", cloud.As("t-p1"));
  CHECK(json::parse(r->body).size() == 3);
  for (const char* o : {"/v1/AUTH_p1/c/whole", "/v1/AUTH_p1/c/manifest"}) {
    REQUIRE(cloud.http->Delete(o, cloud.As("t-p1"))->status == 204);
  }
  // A POST keeps it a static large object.
  REQUIRE(cloud.http
                  ->Post("/v1/AUTH_p1/c/slo", cloud.As("t-p1", {{"X-Object-Meta-A", "b"}}), "",
                         "text/plain")
                  ->status /
              100 ==
          2);
  CHECK(cloud.http->Get("/v1/AUTH_p1/c/slo", cloud.As("t-p1"))->body == "alpha-beta");
}

}  // namespace
}  // namespace gureum::object::proxy
