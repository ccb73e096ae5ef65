// The test cloud of the proxy's tests: four live object servers (port 0, one device each;
// the ring has three replicas, so every partition has a handoff) and the proxy, spoken to
// over HTTP as a Swift client would. Tokens: "t-p1" is project p1's, "t-p2" project p2's,
// "t-admin" a cloud admin's, "t-reseller" a ResellerAdmin's (project p3).
#pragma once

#include <httplib.h>

#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/testing/test_env.h"
#include "object-storage/proxy/http_node_client.h"
#include "object-storage/proxy/proxy_rest.h"
#include "object-storage/proxy/s3_rest.h"
#include "object-storage/ring/ring_builder.h"
#include "object-storage/ring/ring_file.h"
#include "object-storage/server/http_listing_client.h"
#include "object-storage/server/listing_manager.h"
#include "object-storage/server/names.h"
#include "object-storage/server/object_server_rest.h"

namespace gureum::object::proxy {

namespace fs = std::filesystem;

struct StorageNode {
  explicit StorageNode(const fs::path& root)
      : pending(root.string(), client),
        files(root.string()),
        objects(files, client, pending, RealClock::Get()),
        listings(root.string(), client, pending),
        rest(objects, listings),
        server(http::ServerOptions{}) {
    fs::create_directories(root / "sda");
    rest.Register(server);
    port = *server.Start();
  }
  ~StorageNode() { server.Stop(); }
  HttpListingClient client;
  AsyncPending pending;
  ObjectFiles files;
  ObjectManager objects;
  ListingManager listings;
  ObjectServerRest rest;
  http::Server server;
  int port = 0;
};

inline absl::StatusOr<Caller> Verify(const std::string& token) {
  Caller c;
  if (token == "t-p1")
    c.project_id = "p1";
  else if (token == "t-p2")
    c.project_id = "p2";
  else if (token == "t-admin") {
    c.project_id = "adm";
    c.roles = {"admin"};
    c.is_admin_project = true;
  } else if (token == "t-reseller") {
    c.project_id = "p3";
    c.roles = {"ResellerAdmin"};
  } else {
    return absl::UnauthenticatedError("bad token");
  }
  c.roles.push_back("member");
  return c;
}

struct Cloud {
  Cloud() : root(fs::temp_directory_path() / testing::UniqueName("objproxy")) {
    ring::RingData data = *ring::NewRing(6, 3, "test");
    for (int i = 0; i < 4; ++i) {
      nodes.push_back(std::make_unique<StorageNode>(root / std::to_string(i)));
      REQUIRE(
          ring::AddDevice(data, {-1, 1, i + 1, "127.0.0.1", nodes.back()->port, "sda", 100}).ok());
    }
    REQUIRE(ring::Rebalance(data).ok());
    REQUIRE(ring::WriteRingFile((root / "object.ring").string(), data).ok());
    rings = *ring::RingHolder::Create((root / "object.ring").string(), RealClock::Get());
    cluster = std::make_unique<Cluster>(*rings, node_client, RealClock::Get());
    containers = std::make_unique<ContainerController>(*cluster);
    objects = std::make_unique<ObjectController>(*cluster, *containers);
    rest = std::make_unique<ProxyRest>(*containers, *objects, Verify, RealClock::Get());
    proxy = std::make_unique<http::Server>(ProxyRest::ServerOptions());
    rest->Register(*proxy);
    // The S3 API: access key "AK1" (secret "SK1") is project p1's; <bucket>.s3.test hosts.
    identity.Add({"AK1", "SK1", "u1", "p1"});
    s3_auth = std::make_unique<S3Auth>(identity, RealClock::Get());
    s3 = std::make_unique<S3Rest>(*containers, *objects, *s3_auth, RealClock::Get(), "s3.test");
    s3->Register(*proxy);
    port = *proxy->Start();
    http = std::make_unique<httplib::Client>("127.0.0.1", port);
  }
  ~Cloud() {
    proxy->Stop();
    nodes.clear();
    fs::remove_all(root);
  }
  httplib::Headers As(const std::string& token, httplib::Headers more = {}) {
    more.emplace("X-Auth-Token", token);
    return more;
  }
  // Counts the .data files of the object on every node.
  int Copies() {
    int n = 0;
    for (auto& p : fs::recursive_directory_iterator(root)) n += p.path().extension() == ".data";
    return n;
  }

  fs::path root;
  std::vector<std::unique_ptr<StorageNode>> nodes;
  HttpNodeClient node_client{RealClock::Get()};
  std::unique_ptr<ring::RingHolder> rings;
  std::unique_ptr<Cluster> cluster;
  std::unique_ptr<ContainerController> containers;
  std::unique_ptr<ObjectController> objects;
  std::unique_ptr<ProxyRest> rest;
  FakeIdentityClient identity;
  std::unique_ptr<S3Auth> s3_auth;
  std::unique_ptr<S3Rest> s3;
  std::unique_ptr<http::Server> proxy;
  int port = 0;
  std::unique_ptr<httplib::Client> http;
};

}  // namespace gureum::object::proxy
