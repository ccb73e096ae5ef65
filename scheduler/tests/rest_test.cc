// The Placement-style REST API on a real http::Server (port 0): shapes, 401 without a
// token, 403 for a member, 404 for an unknown provider.
#include <httplib.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "scheduler/fake_placement_store.h"
#include "scheduler/placement_rest.h"

namespace gureum::scheduler {
namespace {

using nlohmann::json;

TEST_CASE("placement REST: providers, inventories, usages, allocations") {
  FakePlacementStore store;
  SequentialIdGenerator ids;
  auto enforcer = policy::Enforcer::Create(PlacementPolicyDefaults());
  REQUIRE(enforcer.ok());
  PlacementManager manager(store, **enforcer, ids, SchedulerOptions{});
  PlacementRest rest(manager, [](const std::string& token) -> absl::StatusOr<Caller> {
    Caller c;
    c.user_id = token;
    if (token == "admin") {
      c.roles = {"admin"};
      c.system_scope = true;  // a cloud admin
    } else if (token == "member")
      c.roles = {"member"};
    else
      return absl::UnauthenticatedError("The request you have made requires authentication.");
    return c;
  });
  http::ServerOptions options;
  options.host = "127.0.0.1";
  http::Server server(options);
  rest.Register(server);
  auto port = server.Start();
  REQUIRE(port.ok());
  httplib::Client client("127.0.0.1", *port);

  Provider p;
  p.name = "cn1";
  p.inventories[kVcpu].total = 8;
  p.inventories[kVcpu].allocation_ratio = 2.0;
  p.traits = {"HW_ARCH_X86_64"};
  Caller admin;
  admin.roles = {"admin"};
  admin.system_scope = true;
  auto created = manager.PutProvider(admin, p);
  REQUIRE(created.ok());
  ClaimRequest c;
  c.consumer_uuid = "10000000-0000-4000-8000-000000000009";
  c.project_id = "proj";
  c.user_id = "user";
  c.provider_uuid = created->uuid;
  c.resources = {{kVcpu, 3}};
  c.claim_key = "t/1";
  REQUIRE(store.Claim(c).ok());

  auto get = [&](const std::string& path, const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("X-Auth-Token", token);
    auto r = client.Get(path.c_str(), h);
    REQUIRE(r);
    return std::make_pair(r->status, r->body);
  };
  CHECK(get("/resource_providers", "").first == 401);
  CHECK(get("/resource_providers", "member").first == 403);
  auto [status, body] = get("/resource_providers", "admin");
  CHECK(status == 200);
  json list = json::parse(body);
  REQUIRE(list["resource_providers"].size() == 1);
  CHECK(list["resource_providers"][0]["name"] == "cn1");

  json inv =
      json::parse(get("/resource_providers/" + created->uuid + "/inventories", "admin").second);
  CHECK(inv["inventories"]["VCPU"]["total"] == 8);
  CHECK(inv["inventories"]["VCPU"]["allocation_ratio"] == 2.0);
  CHECK(inv["resource_provider_generation"] == 1);
  json usages =
      json::parse(get("/resource_providers/" + created->uuid + "/usages", "admin").second);
  CHECK(usages["usages"]["VCPU"] == 3);
  json traits =
      json::parse(get("/resource_providers/" + created->uuid + "/traits", "admin").second);
  CHECK(traits["traits"][0] == "HW_ARCH_X86_64");
  json allocs = json::parse(get("/allocations/" + c.consumer_uuid, "admin").second);
  CHECK(allocs["allocations"][created->uuid]["resources"]["VCPU"] == 3);
  CHECK(allocs["project_id"] == "proj");
  CHECK(get("/resource_providers/20000000-0000-4000-8000-000000000000", "admin").first == 404);
  CHECK(get("/allocations/not-a-uuid", "admin").first == 400);
  server.Stop();
}

// Sends `request` on a new connection and returns what comes back within `wait` (the
// status line at least), or "" when nothing does.
std::string RawExchange(int port, const std::string& request, std::chrono::milliseconds wait) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (got.find("\r\n\r\n") == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return got;
}

// The API is read-only: a write is 405, and a write declaring a Content-Length over the
// body limit is 413 at once, without waiting for a body that never comes (it used to be
// answered only after the body deadline, 10 s).
TEST_CASE("placement REST: writes are refused at once, 413 over the body limit") {
  FakePlacementStore store;
  SequentialIdGenerator ids;
  auto enforcer = policy::Enforcer::Create(PlacementPolicyDefaults());
  REQUIRE(enforcer.ok());
  PlacementManager manager(store, **enforcer, ids, SchedulerOptions{});
  PlacementRest rest(manager, [](const std::string&) -> absl::StatusOr<Caller> {
    return absl::UnauthenticatedError("The request you have made requires authentication.");
  });
  http::ServerOptions options;
  options.host = "127.0.0.1";
  http::Server server(options);
  rest.Register(server);
  auto port = server.Start();
  REQUIRE(port.ok());

  for (const std::string path : {"/resource_providers", "/resource_providers/x/inventories",
                                 "/allocations/10000000-0000-4000-8000-000000000009"}) {
    CAPTURE(path);
    const auto t0 = std::chrono::steady_clock::now();
    std::string got = RawExchange(*port,
                                  "POST " + path +
                                      " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                      "Content-Length: 1000000000000\r\n\r\n",
                                  std::chrono::milliseconds(5000));
    CHECK(got.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  }
  // A write within the limit: 405 with Allow, nothing done.
  std::string got = RawExchange(*port,
                                "PUT /resource_providers/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2"
                                "\r\nConnection: close\r\n\r\n{}",
                                std::chrono::milliseconds(5000));
  CHECK(got.rfind("HTTP/1.1 405", 0) == 0);
  CHECK(got.find("Allow: GET, HEAD") != std::string::npos);
  server.Stop();
}

}  // namespace
}  // namespace gureum::scheduler
