// network_bench: what a port create and a security-group-rule create cost through
// gureum-network's Neutron REST API (in-process server, real PostgreSQL, keep-alive
// clients), and a compute agent's AllocatePort (port bound to a host + cast confirmed by
// RabbitMQ when GUREUM_TEST_AMQP_URL is set). Goal (issue 7): p50 <= 5 ms for both creates.
// Token verification is replaced by a fixed caller: in production it is a local signature
// check cached per token (identity_bench), not part of what this measures.
#include <httplib.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/amqp/connection_options.h"
#include "common/amqp/publisher.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "common/http/server.h"
#include "network/server/migrations/migrations.h"
#include "network/server/network_managers.h"
#include "network/server/network_rest.h"
#include "network/server/pg_network_store.h"
#include "tests/bench/harness.h"

namespace gureum::network {
namespace {

using nlohmann::json;

Caller BenchCaller(bool admin) {
  Caller c;
  c.user_id = admin ? "admin" : "bench-user";
  c.project_id = "bench-project";
  c.system_scope = admin;  // a cloud admin (common/policy cloud_admin), as since issue 16
  c.roles = admin ? std::vector<std::string>{"admin", "member", "reader"}
                  : std::vector<std::string>{"member", "reader"};
  return c;
}

int Main() {
  if (std::getenv("GUREUM_TEST_PG_URI") == nullptr) {
    std::cerr << "GUREUM_TEST_PG_URI is not set: start tests/lib/services.sh and source its env\n";
    return 1;
  }
  db::testing::TestDatabase database;
  auto pool = database.NewPool(16);
  if (auto s = db::Migrate(*pool, Migrations()); !s.ok())
    return (std::cerr << s.status() << "\n", 1);
  std::unique_ptr<amqp::Publisher> publisher;
  if (const char* url = std::getenv("GUREUM_TEST_AMQP_URL")) {
    auto opts = amqp::ParseUrl(url);
    if (opts.ok()) {
      auto p = amqp::Publisher::Create(*opts);
      if (p.ok()) publisher = *std::move(p);
    }
  }
  PgNetworkStore store(*pool);
  NetworkManagers manager(store, publisher.get(), RealClock::Get(), RandomIdGenerator::Get(), {});
  const Caller admin = BenchCaller(true);
  const Caller user = BenchCaller(false);
  if (auto s = manager.quotas().UpdateQuotas(admin, "bench-project",
                                             {{"port", -1}, {"security_group_rule", -1}});
      !s.ok()) {
    return (std::cerr << "quotas: " << s.status() << "\n", 1);
  }
  auto net = manager.networks().CreateNetwork(user, v1::Network(), {});
  v1::Subnet sub;
  sub.set_network_id(net->id());
  sub.set_cidr("10.64.0.0/16");
  if (!manager.networks().CreateSubnet(user, sub, {}).ok()) return 1;
  v1::SecurityGroup g;
  g.set_name("bench");
  auto group = manager.security_groups().CreateSecurityGroup(user, g);
  if (!group.ok()) return 1;
  v1::AgentReport report;
  report.set_host("bench-host");
  report.set_local_ip("192.0.2.10");
  (void)manager.agents().ReportAgent(admin, report);

  NetworkRest rest(manager, [&](const std::string&) -> absl::StatusOr<Caller> { return user; }, {});
  http::Server server(NetworkRest::ServerOptions("127.0.0.1", 0, nullptr));
  rest.Register(server);
  auto port = server.Start();
  if (!port.ok()) return (std::cerr << port.status() << "\n", 1);
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<httplib::Client>("127.0.0.1", *port));
    clients.back()->set_keep_alive(true);
    clients.back()->set_tcp_nodelay(true);  // else Nagle + delayed ACK add 40 ms per POST
  }
  const httplib::Headers headers = {{"X-Auth-Token", "bench"}};
  const std::string port_body = json{{"port", {{"network_id", net->id()}, {"name", "p"}}}}.dump();
  auto post = [&](int t, const std::string& path, const std::string& body) -> absl::Status {
    auto r = clients[t]->Post(path, headers, body, "application/json");
    if (!r) return absl::UnavailableError("no answer");
    if (r->status != 201) return absl::InternalError(std::to_string(r->status) + " " + r->body);
    return absl::OkStatus();
  };
  std::atomic<int> next_port{1};
  auto rule = [&](int t) {
    int n = next_port++;
    json body = {{"security_group_rule",
                  {{"security_group_id", group->id()},
                   {"direction", "ingress"},
                   {"ethertype", "IPv4"},
                   {"protocol", "tcp"},
                   {"port_range_min", n},
                   {"port_range_max", n},
                   {"remote_ip_prefix", "0.0.0.0/0"}}}};
    return post(t, "/v2.0/security-group-rules", body.dump());
  };
  std::atomic<int> next_vm{0};
  auto allocate = [&](int) -> absl::Status {
    v1::AllocatePortRequest r;
    r.set_network_id(net->id());
    r.set_project_id("bench-project");
    r.set_device_id("vm-" + std::to_string(next_vm++));
    r.set_device_owner("compute:nova");
    r.set_host("bench-host");
    return manager.compute_ports().AllocatePort(admin, r).status();
  };

  std::vector<bench::Row> rows;
  // Warm up the connections and the plan cache.
  (void)bench::RunClosedLoop(
      "warm-up", 50, 4, [&](int t) { return post(t, "/v2.0/ports", port_body); }, "");
  rows.push_back(bench::RunClosedLoop(
      "manager CreatePort (no HTTP)", 500, 1,
      [&](int) {
        v1::Port p;
        p.set_network_id(net->id());
        return manager.ports().CreatePort(user, p, {}).status();
      },
      "(for scale)"));
  rows.push_back(bench::RunClosedLoop(
      "REST POST /v2.0/ports", 1000, 1, [&](int t) { return post(t, "/v2.0/ports", port_body); },
      "p50 <= 5 ms"));
  rows.push_back(bench::RunClosedLoop(
      "REST POST /v2.0/ports", 2000, 4, [&](int t) { return post(t, "/v2.0/ports", port_body); },
      "p50 <= 5 ms"));
  rows.push_back(
      bench::RunClosedLoop("REST POST /v2.0/security-group-rules", 1000, 1, rule, "p50 <= 5 ms"));
  rows.push_back(
      bench::RunClosedLoop("REST POST /v2.0/security-group-rules", 2000, 4, rule, "p50 <= 5 ms"));
  rows.push_back(bench::RunClosedLoop(
      publisher ? "AllocatePort bound + cast (RabbitMQ)" : "AllocatePort bound (no AMQP)", 1000, 4,
      allocate, "(for scale)"));
  bench::PrintTable("gureum-network (Neutron REST and compute port calls; 2 shared cores)", rows);
  server.Stop();
  return 0;
}

}  // namespace
}  // namespace gureum::network

int main() { return gureum::network::Main(); }
