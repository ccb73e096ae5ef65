// The Glance v2 REST API against a real PostgreSQL database and real files: shapes,
// streaming round trip, and the bad-input outcomes (wrong disk_format, qcow2 with a
// backing file made by qemu-img, an upload cut half-way, download of an image without
// data, another project's private image, a protected image, quotas).
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "image/tests/api_env.h"

namespace gureum::image {
namespace {

using nlohmann::json;
using testing::ApiEnv;
using testing::Reply;

const json kRaw = {{"name", "img"}, {"disk_format", "raw"}, {"container_format", "bare"}};

Reply PutFile(ApiEnv& env, const std::string& id, const std::string& token,
              const std::string& data) {
  httplib::Client c = env.Client();
  httplib::Headers h = {{"X-Auth-Token", token}};
  // Chunked, 256 KiB pieces, as a streaming client sends.
  auto r = c.Put(("/v2/images/" + id + "/file").c_str(), h,
                 [&](size_t offset, httplib::DataSink& sink) {
                   if (offset >= data.size()) {
                     sink.done();
                     return true;
                   }
                   size_t n = std::min<size_t>(256 * 1024, data.size() - offset);
                   return sink.write(data.data() + offset, n);
                 },
                 "application/octet-stream");
  REQUIRE(r);
  Reply out;
  out.status = r->status;
  out.raw = r->body;
  out.headers = r->headers;
  out.body = json::parse(r->body, nullptr, false);
  return out;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("rest: discovery answers 300 with the v2 self link", "[rest]") {
  ApiEnv env;
  Reply r = env.Call("GET", "/", "");
  CHECK(r.status == 300);
  CHECK(r.body["versions"][0]["status"] == "CURRENT");
  CHECK(r.body["versions"][0]["links"][0]["href"] == "http://ctl:9292/v2/");
  CHECK(env.Call("GET", "/v2/images", "").status == 401);
  CHECK(env.Call("GET", "/v2/images", "bogus").status == 401);
  CHECK(env.Call("GET", "/v2/schemas/image", "tok-p1").body["name"] == "image");
}

TEST_CASE("rest: create, upload chunked, download byte for byte with Content-MD5", "[rest]") {
  ApiEnv env;
  json body = kRaw;
  body["owner_specified.openstack.md5"] = "";
  body["hw_disk_bus"] = "virtio";
  body["tags"] = {"x"};
  Reply created = env.Call("POST", "/v2/images", "tok-p1", body.dump());
  REQUIRE(created.status == 201);
  CHECK(created.body["status"] == "queued");
  CHECK(created.body["size"].is_null());
  CHECK(created.body["hw_disk_bus"] == "virtio");
  CHECK(created.body["visibility"] == "shared");
  CHECK(created.body["file"] == "/v2/images/" + created.body["id"].get<std::string>() + "/file");
  std::string id = created.body["id"];
  std::string data = testing::RandomBytes(5 * (1 << 20) + 17);
  REQUIRE(PutFile(env, id, "tok-p1", data).status == 204);
  Reply shown = env.Call("GET", "/v2/images/" + id, "tok-p1");
  CHECK(shown.body["status"] == "active");
  CHECK(shown.body["size"] == data.size());
  CHECK(shown.body["virtual_size"] == data.size());
  CHECK(shown.body["checksum"] == testing::HexDigest(EVP_md5(), data));
  CHECK(shown.body["os_hash_algo"] == "sha512");
  CHECK(shown.body["os_hash_value"] == testing::HexDigest(EVP_sha512(), data));
  Reply file = env.Call("GET", "/v2/images/" + id + "/file", "tok-p1");
  CHECK(file.status == 200);
  CHECK(file.raw == data);
  CHECK(file.Header("Content-MD5") == shown.body["checksum"]);
  // A second upload is a conflict.
  CHECK(PutFile(env, id, "tok-p1", "again").status == 409);
  // Listing, by name and tag.
  Reply list = env.Call("GET", "/v2/images?name=img&tag=x", "tok-p1");
  REQUIRE(list.body["images"].size() == 1);
  CHECK(list.body["schema"] == "/v2/schemas/images");
}

TEST_CASE("rest: data in another format than disk_format is refused with 400", "[rest]") {
  ApiEnv env;
  std::string id = env.Create("tok-p1", kRaw);
  Reply r = PutFile(env, id, "tok-p1", testing::Qcow2(1ull << 30));
  CHECK(r.status == 400);
  CHECK_THAT(r.Error(), Catch::Contains("qcow2 format, but disk_format is raw"));
  CHECK(env.Call("GET", "/v2/images/" + id, "tok-p1").body["status"] == "queued");
  CHECK(env.fixture.StoredFiles() == 0);
  CHECK(env.Call("POST", "/v2/images", "tok-p1", R"({"disk_format":"qcow3"})").status == 400);
}

TEST_CASE("rest: a qcow2 with a backing file made by qemu-img is refused", "[rest]") {
  ApiEnv env;
  std::string dir = env.fixture.dir + "-qemu";
  std::string cmd = "mkdir -p " + dir + " && cd " + dir +
                    " && qemu-img create -q -f raw base.raw 16M && qemu-img create -q -f qcow2 "
                    "-b base.raw -F raw x.qcow2 && qemu-img create -q -f qcow2 clean.qcow2 64M";
  REQUIRE(std::system(cmd.c_str()) == 0);
  json q = kRaw;
  q["disk_format"] = "qcow2";
  std::string bad = env.Create("tok-p1", q);
  Reply r = PutFile(env, bad, "tok-p1", Slurp(dir + "/x.qcow2"));
  CHECK(r.status == 400);
  CHECK_THAT(r.Error(), Catch::Contains("backing file"));
  CHECK(env.fixture.StoredFiles() == 0);
  std::string good = env.Create("tok-p1", q);
  REQUIRE(PutFile(env, good, "tok-p1", Slurp(dir + "/clean.qcow2")).status == 204);
  CHECK(env.Call("GET", "/v2/images/" + good, "tok-p1").body["virtual_size"] == 64 << 20);
  std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("rest: an upload cut half-way leaves the image killed and nothing stored", "[rest]") {
  ApiEnv env;
  std::string id = env.Create("tok-p1", kRaw);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(env.rest_port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  std::string head = "PUT /v2/images/" + id +
                     "/file HTTP/1.1\r\nHost: ctl\r\nX-Auth-Token: tok-p1\r\n"
                     "Content-Type: application/octet-stream\r\nContent-Length: 8388608\r\n\r\n";
  REQUIRE(::send(fd, head.data(), head.size(), 0) == static_cast<ssize_t>(head.size()));
  std::string half = testing::RandomBytes(4 << 20);
  size_t sent = 0;
  while (sent < half.size()) {
    ssize_t n = ::send(fd, half.data() + sent, half.size() - sent, 0);
    REQUIRE(n > 0);
    sent += static_cast<size_t>(n);
  }
  ::close(fd);  // the client dies half-way
  std::string status;
  for (int i = 0; i < 200; ++i) {  // poll (up to 20 s) for the server to notice
    status = env.Call("GET", "/v2/images/" + id, "tok-p1").body["status"];
    if (status != "saving" && status != "queued") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(status == "killed");
  CHECK(env.fixture.StoredFiles() == 0);
  CHECK(env.Call("GET", "/v2/images/" + id, "tok-p1").body["size"].is_null());
}

TEST_CASE("rest: downloading an image without data answers 204 as Glance does", "[rest]") {
  ApiEnv env;
  std::string id = env.Create("tok-p1", kRaw);
  Reply r = env.Call("GET", "/v2/images/" + id + "/file", "tok-p1");
  CHECK(r.status == 204);
  CHECK(r.raw.empty());
}

TEST_CASE(
    "rest: the owner's members and admins deactivate, a deactivated image's data is 403 "
    "for non-admins",
    "[rest]") {
  ApiEnv env;
  std::string id = env.Create("tok-p1", kRaw);
  REQUIRE(PutFile(env, id, "tok-p1", "bytes").status == 204);
  std::string path = "/v2/images/" + id;
  CHECK(env.Call("POST", path + "/actions/deactivate", "tok-reader").status == 403);
  CHECK(env.Call("POST", path + "/actions/deactivate", "tok-p2").status == 404);
  CHECK(env.Call("POST", path + "/actions/deactivate", "tok-p1").status == 204);
  CHECK(env.Call("POST", path + "/actions/reactivate", "tok-p1").status == 204);
  CHECK(env.Call("POST", path + "/actions/deactivate", "tok-admin").status == 204);
  CHECK(env.Call("GET", path, "tok-p1").body["status"] == "deactivated");
  CHECK(env.Call("GET", path + "/file", "tok-p1").status == 403);
  CHECK(env.Call("GET", path + "/file", "tok-admin").raw == "bytes");
  CHECK(env.Call("POST", path + "/actions/reactivate", "tok-admin").status == 204);
  CHECK(env.Call("GET", path + "/file", "tok-p1").raw == "bytes");
}

TEST_CASE("rest: another project's private image is 404 everywhere", "[rest]") {
  ApiEnv env;
  json body = kRaw;
  body["visibility"] = "private";
  std::string id = env.Create("tok-p1", body);
  REQUIRE(PutFile(env, id, "tok-p1", "secret bytes").status == 204);
  std::string path = "/v2/images/" + id;
  CHECK(env.Call("GET", path, "tok-p2").status == 404);
  CHECK(env.Call("GET", path + "/file", "tok-p2").status == 404);
  CHECK(env.Call("DELETE", path, "tok-p2").status == 404);
  CHECK(env.Call("PATCH", path, "tok-p2", R"([{"op":"replace","path":"/name","value":"x"}])",
                 "application/openstack-images-v2.1-json-patch")
            .status == 404);
  CHECK(env.Call("GET", "/v2/images", "tok-p2").body["images"].empty());
  // Admins and the compute agents' service role see it.
  CHECK(env.Call("GET", path, "tok-admin").status == 200);
  CHECK(env.Call("GET", path + "/file", "tok-service").raw == "secret bytes");
}

TEST_CASE("rest: deleting a protected image is 403, unprotect then delete", "[rest]") {
  ApiEnv env;
  json body = kRaw;
  body["protected"] = true;
  std::string id = env.Create("tok-p1", body);
  Reply r = env.Call("DELETE", "/v2/images/" + id, "tok-p1");
  CHECK(r.status == 403);
  CHECK_THAT(r.Error(), Catch::Contains("protected"));
  Reply p = env.Call("PATCH", "/v2/images/" + id, "tok-p1",
                     R"([{"op":"replace","path":"/protected","value":false}])",
                     "application/openstack-images-v2.1-json-patch");
  CHECK(p.status == 200);
  CHECK(env.Call("DELETE", "/v2/images/" + id, "tok-p1").status == 204);
  CHECK(env.Call("GET", "/v2/images/" + id, "tok-p1").status == 404);
}

TEST_CASE("rest: quotas answer 413 with the usage", "[rest]") {
  ImageManagerOptions o;
  o.image_count_quota = 2;
  o.image_size_total_quota = 3 << 20;
  ApiEnv env(o);
  std::string a = env.Create("tok-p1", kRaw);
  std::string b = env.Create("tok-p1", kRaw);
  Reply full = env.Call("POST", "/v2/images", "tok-p1", kRaw.dump());
  CHECK(full.status == 413);
  CHECK_THAT(full.Error(), Catch::Contains("usage: 2 images of 2"));
  REQUIRE(PutFile(env, a, "tok-p1", testing::RandomBytes(2 << 20)).status == 204);
  Reply over = PutFile(env, b, "tok-p1", testing::RandomBytes(2 << 20));
  CHECK(over.status == 413);
  CHECK_THAT(over.Error(), Catch::Contains("image_size_total_quota"));
  CHECK(env.Call("GET", "/v2/images/" + b, "tok-p1").body["status"] == "queued");
  CHECK(env.fixture.StoredFiles() == 1);
}

TEST_CASE("rest: JSON patch, tags, members, publicize rules", "[rest]") {
  ApiEnv env;
  std::string id = env.Create("tok-p1", kRaw);
  const char* kPatch = "application/openstack-images-v2.1-json-patch";
  Reply r = env.Call("PATCH", "/v2/images/" + id, "tok-p1",
                     R"([{"op":"replace","path":"/name","value":"renamed"},
                         {"op":"add","path":"/os_distro","value":"debian"},
                         {"op":"add","path":"/kernel_id","value":"k"},
                         {"op":"replace","path":"/min_ram","value":512}])",
                     kPatch);
  REQUIRE(r.status == 200);
  CHECK(r.body["name"] == "renamed");
  CHECK(r.body["os_distro"] == "debian");
  CHECK(r.body["min_ram"] == 512);
  r = env.Call("PATCH", "/v2/images/" + id, "tok-p1", R"([{"op":"remove","path":"/kernel_id"}])",
               kPatch);
  CHECK_FALSE(r.body.contains("kernel_id"));
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1",
                 R"([{"op":"replace","path":"/status","value":"active"}])", kPatch)
            .status == 403);
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1",
                 R"([{"op":"replace","path":"/visibility","value":"public"}])", kPatch)
            .status == 403);
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-admin",
                 R"([{"op":"replace","path":"/visibility","value":"public"}])", kPatch)
            .status == 200);
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-reader",
                 R"([{"op":"replace","path":"/name","value":"r"}])", kPatch)
            .status == 403);
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1", R"({"name":"x"})", "application/json")
            .status == 415);
  CHECK(env.Call("PUT", "/v2/images/" + id + "/tags/blue", "tok-p1").status == 204);
  CHECK(env.Call("GET", "/v2/images/" + id, "tok-p1").body["tags"] == json{"blue"});
  CHECK(env.Call("DELETE", "/v2/images/" + id + "/tags/blue", "tok-p1").status == 204);

  std::string shared = env.Create("tok-p1", kRaw);
  std::string base = "/v2/images/" + shared + "/members";
  CHECK(env.Call("GET", "/v2/images/" + shared, "tok-p2").status == 404);
  Reply m = env.Call("POST", base, "tok-p1", R"({"member":"p2"})");
  REQUIRE(m.status == 200);
  CHECK(m.body["status"] == "pending");
  CHECK(env.Call("GET", "/v2/images/" + shared, "tok-p2").status == 200);
  CHECK(env.Call("PUT", base + "/p2", "tok-p1", R"({"status":"accepted"})").status == 403);
  CHECK(env.Call("PUT", base + "/p2", "tok-p2", R"({"status":"accepted"})").body["status"] ==
        "accepted");
  CHECK(env.Call("GET", base, "tok-p1").body["members"].size() == 1);
  CHECK(env.Call("DELETE", base + "/p2", "tok-p1").status == 204);
  CHECK(env.Call("GET", "/v2/images/" + shared, "tok-p2").status == 404);
}

TEST_CASE(
    "rest: Tempest's forms: the v2.0 JSON patch, an admin's owner change, Glance's "
    "formats, the empty id",
    "[rest]") {
  ApiEnv env;
  const char* kPatch20 = "application/openstack-images-v2.0-json-patch";
  json vhd = {{"name", "v"}, {"disk_format", "vhd"}, {"container_format", "ova"}};
  std::string id = env.Create("tok-p1", vhd);
  Reply r = env.Call("PATCH", "/v2/images/" + id, "tok-p1",
                     R"([{"replace":"/name","value":"renamed"},{"add":"/os_distro","value":"x"}])",
                     kPatch20);
  REQUIRE(r.status == 200);
  CHECK(r.body["name"] == "renamed");
  CHECK(r.body["os_distro"] == "x");
  CHECK(r.body["disk_format"] == "vhd");
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1", R"([{"remove":"/os_distro"}])", kPatch20)
            .status == 200);
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1", R"([{"frobnicate":"/name"}])", kPatch20)
            .status == 400);

  const std::string owner = R"([{"op":"replace","path":"/owner","value":"p2"}])";
  const char* kPatch = "application/openstack-images-v2.1-json-patch";
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1", owner, kPatch).status == 403);
  CHECK(env.Call("PATCH", "/v2/images/" + id, "tok-p1", R"([{"op":"remove","path":"/owner"}])",
                 kPatch)
            .status == 403);
  Reply moved = env.Call("PATCH", "/v2/images/" + id, "tok-admin", owner, kPatch);
  REQUIRE(moved.status == 200);
  CHECK(moved.body["owner"] == "p2");
  CHECK(env.Call("GET", "/v2/images/" + id, "tok-p1").status == 404);  // no longer p1's
  CHECK(env.Call("GET", "/v2/images/" + id, "tok-p2").status == 200);

  CHECK(env.Call("GET", "/v2/images/", "tok-p1").status == 404);
  CHECK(env.Call("DELETE", "/v2/images/", "tok-p1").status == 404);
  CHECK(env.Call("GET", "/v2/images", "tok-p1").status == 200);
  json bad = {{"disk_format", "floppy"}};
  Reply refused = env.Call("POST", "/v2/images", "tok-p1", bad.dump());
  CHECK(refused.status == 400);
  CHECK_THAT(refused.Error(), Catch::Contains("ploop"));
}

TEST_CASE(
    "rest: metadefs as Tempest drives them: namespaces, resource types, properties, "
    "objects, tags, schemas",
    "[rest]") {
  ApiEnv env;
  const std::string ns = "/v2/metadefs/namespaces";
  Reply types = env.Call("GET", "/v2/metadefs/resource_types", "tok-p1");
  REQUIRE(types.status == 200);
  const std::string rt = types.body["resource_types"][0]["name"];
  json create = {{"namespace", "tempest-ns"}, {"visibility", "public"},
                 {"description", "Tempest"},  {"display_name", "tempest-ns"},
                 {"protected", true},         {"resource_type_associations", {{{"name", rt}}}}};
  CHECK(env.Call("POST", ns, "tok-p1", create.dump()).status == 403);  // members only read
  Reply made = env.Call("POST", ns, "tok-admin", create.dump());
  REQUIRE(made.status == 201);
  CHECK(made.body["namespace"] == "tempest-ns");
  CHECK(made.body["self"] == "/v2/metadefs/namespaces/tempest-ns");
  CHECK(env.Call("POST", ns, "tok-admin", create.dump()).status == 409);
  Reply listed = env.Call("GET", ns, "tok-p2");
  REQUIRE(listed.status == 200);
  CHECK(listed.body["namespaces"][0]["namespace"] == "tempest-ns");
  CHECK(env.Call("DELETE", ns + "/tempest-ns", "tok-admin").status == 403);  // protected
  json update = {{"namespace", "tempest-ns"},
                 {"description", "Tempest"},
                 {"visibility", "private"},
                 {"display_name", "tempest-ns"},
                 {"protected", false}};
  Reply updated = env.Call("PUT", ns + "/tempest-ns", "tok-admin", update.dump());
  REQUIRE(updated.status == 200);
  CHECK(updated.body["visibility"] == "private");
  CHECK(updated.body["protected"] == false);
  CHECK(env.Call("GET", ns + "/tempest-ns", "tok-p2").status == 404);  // private, not p2's

  const std::string base = ns + "/tempest-ns";
  json prop = {{"name", rt}, {"title", "p"}, {"type", "string"}, {"enum", {"qemu", "kvm"}}};
  Reply p = env.Call("POST", base + "/properties", "tok-admin", prop.dump());
  REQUIRE(p.status == 201);
  CHECK(p.body["title"] == "p");
  CHECK(env.Call("GET", base + "/properties/" + rt, "tok-admin").body["name"] == rt);
  prop["title"] = "p2";
  CHECK(env.Call("PUT", base + "/properties/" + rt, "tok-admin", prop.dump()).body["title"] ==
        "p2");
  CHECK(env.Call("GET", base + "/properties", "tok-admin").body["properties"].contains(rt));
  CHECK(env.Call("DELETE", base + "/properties/" + rt, "tok-admin").status == 204);

  Reply o = env.Call("POST", base + "/objects", "tok-admin", R"({"name":"obj"})");
  REQUIRE(o.status == 201);
  CHECK(o.body["schema"] == "/v2/schemas/metadefs/object");
  CHECK(env.Call("PUT", base + "/objects/obj", "tok-admin", R"({"name":"obj2"})").body["name"] ==
        "obj2");
  CHECK(env.Call("GET", base + "/objects", "tok-admin").body["objects"][0]["name"] == "obj2");
  CHECK(env.Call("DELETE", base + "/objects/obj2", "tok-admin").status == 204);

  Reply tags = env.Call("POST", base + "/tags", "tok-admin",
                        R"({"tags":[{"name":"t1"},{"name":"t2"},{"name":"t3"}]})");
  REQUIRE(tags.status == 201);
  CHECK(env.Call("GET", base + "/tags", "tok-admin").body["tags"].size() == 3);
  CHECK(env.Call("POST", base + "/tags/t4", "tok-admin").body["name"] == "t4");
  CHECK(env.Call("PUT", base + "/tags/t4", "tok-admin", R"({"name":"t5"})").body["name"] == "t5");
  CHECK(env.Call("GET", base + "/tags/t5", "tok-admin").status == 200);
  CHECK(env.Call("DELETE", base + "/tags", "tok-admin").status == 204);
  CHECK(env.Call("GET", base + "/tags", "tok-admin").body["tags"].empty());

  Reply rts = env.Call("GET", base + "/resource_types", "tok-admin");
  CHECK(rts.body["resource_type_associations"][0]["name"] == rt);
  CHECK(env.Call("DELETE", base + "/resource_types/" + rt, "tok-admin").status == 204);
  CHECK(env.Call("POST", base + "/resource_types", "tok-admin", json{{"name", rt}}.dump()).status ==
        201);
  CHECK(env.Call("POST", base + "/objects", "tok-admin", "{not json").status == 400);
  CHECK(env.Call("DELETE", base, "tok-admin").status == 204);
  CHECK(env.Call("GET", base, "tok-admin").status == 404);

  const std::map<std::string, std::string> schemas = {
      {"namespace", "namespace"},
      {"namespaces", "namespaces"},
      {"resource_type", "resource_type_association"},
      {"resource_types", "resource_type_associations"},
      {"object", "object"},
      {"objects", "objects"},
      {"property", "property"},
      {"properties", "properties"},
      {"tag", "tag"},
      {"tags", "tags"}};
  for (const auto& [path, name] : schemas) {
    Reply doc = env.Call("GET", "/v2/schemas/metadefs/" + path, "tok-p1");
    CHECK(doc.status == 200);
    CHECK(doc.body["name"] == name);
  }
  CHECK(env.Call("GET", "/v2/schemas/metadefs/nope", "tok-p1").status == 404);
}

}  // namespace
}  // namespace gureum::image
