// compute_bench: the Nova REST API of compute-api in-process on the PostgreSQL and
// RabbitMQ of ./tests/run.sh (GUREUM_TEST_PG_URI, GUREUM_TEST_AMQP_URL).
//
//   1. POST /v2.1/servers latency (token check, policy, quota + insert in one
//      transaction, schedule cast confirmed by RabbitMQ), nobody consuming the casts.
//   2. create -> ACTIVE: POST, then the stand-in scheduler and the simulated agent
//      (compute/api/tests/simulated_host.h) answer over RabbitMQ, the conductor applies
//      the update, and the client sees ACTIVE by polling GET every 2 ms. The real
//      scheduler and agent are not in this loop (the coordinator's multi-process runs
//      measure them).
#include <httplib.h>

#include <atomic>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/time/clock.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/db/migrations.h"
#include "common/db/tests/test_database.h"
#include "common/http/server.h"
#include "common/testing/test_env.h"
#include "compute/api/compute_rest.h"
#include "compute/api/conductor.h"
#include "compute/api/migrations/migrations.h"
#include "compute/api/tests/simulated_host.h"
#include "compute/clients/fake_image_client.h"
#include "compute/clients/fake_placement_client.h"
#include "tests/bench/harness.h"

namespace gureum::compute {
namespace {

using nlohmann::json;
constexpr char kImage[] = "11111111-2222-3333-4444-555555555555";

// "bench" is project bench-project; "bench-<n>" is project bench-<n> (creates in
// different projects do not wait for each other's quota lock).
absl::StatusOr<Caller> BenchAuth(const std::string& token) {
  if (token.rfind("bench", 0) != 0) return absl::UnauthenticatedError("bad token");
  Caller c;
  c.user_id = "bench-user";
  c.project_id = token == "bench" ? "bench-project" : token;
  c.roles = {"admin", "member", "reader"};
  return c;
}

int Run() {
  db::testing::TestDatabase database;
  auto pool = database.NewPool(16);
  if (auto m = db::Migrate(*pool, Migrations()); !m.ok()) {
    std::cerr << m.status() << "\n";
    return 1;
  }
  auto store = NewPgComputeStore(*pool);
  auto amqp = amqp::ParseUrl(gureum::testing::RequireEnv("GUREUM_TEST_AMQP_URL"));
  auto bus = amqp::Publisher::Create(*amqp);
  if (!bus.ok()) {
    std::cerr << bus.status() << "\n";
    return 1;
  }
  FakeImageClient images;
  images.Add({.id = kImage, .name = "cirros", .status = "active"});
  FakePlacementClient placement;
  auto enforcer = policy::Enforcer::CreateFromYaml(ComputePolicyDefaults(), "");
  RandomIdGenerator ids;
  // One compute-api per phase, each casting to its own scheduler queue: the casts of the
  // API-only phase (nobody consumes them) must not be built by the simulated host later.
  struct Api {
    ComputeOptions options;
    std::unique_ptr<ComputeManagers> managers;
    std::unique_ptr<ComputeRest> rest;
    std::unique_ptr<http::Server> server;
    std::vector<std::unique_ptr<httplib::Client>> clients;
  };
  auto make_api = [&](const std::string& scheduler_queue) {
    auto api = std::make_unique<Api>();
    api->options.scheduler_queue = scheduler_queue;
    api->options.default_quotas = {.instances = -1, .cores = -1, .ram = -1};
    api->managers = std::make_unique<ComputeManagers>(ComputeDeps{.store = *store,
                                                                  .bus = **bus,
                                                                  .images = images,
                                                                  .placement = placement,
                                                                  .networks = nullptr,
                                                                  .enforcer = **enforcer,
                                                                  .clock = RealClock::Get(),
                                                                  .ids = ids},
                                                      api->options);
    api->rest = std::make_unique<ComputeRest>(*api->managers, BenchAuth, ComputeRestOptions{});
    http::ServerOptions http_options = ComputeRest::ServerOptions("127.0.0.1", 0, nullptr);
    http_options.threads = 32;
    api->server = std::make_unique<http::Server>(http_options);
    api->rest->Register(*api->server);
    const int port = *api->server->Start();
    for (int i = 0; i < 16; ++i)
      api->clients.push_back(std::make_unique<httplib::Client>("127.0.0.1", port));
    return api;
  };
  Conductor conductor(*store, **bus, placement, RealClock::Get());
  const std::string conductor_queue = gureum::testing::UniqueName("bench-conductor");
  amqp::ConsumerOptions in;
  in.queue = conductor_queue;
  in.prefetch = 256;
  std::vector<std::unique_ptr<amqp::Consumer>> consumers;
  for (int i = 0; i < 4; ++i) {  // [compute] conductor_workers
    auto c = amqp::Consumer::Create(*amqp, in,
                                    [&](const amqp::Message& m) { return conductor.Handle(m); });
    (*c)->Start();
    (*c)->WaitUntilConsuming(absl::Seconds(10));
    consumers.push_back(*std::move(c));
  }
  (void)store->CreateFlavor({.id = "1", .name = "m1.tiny", .vcpus = 1, .ram_mb = 64, .disk_gb = 1});

  const httplib::Headers headers = {{"X-Auth-Token", "bench"}};
  const std::string body =
      json{{"server", {{"name", "b"}, {"imageRef", kImage}, {"flavorRef", "1"}}}}.dump();
  auto create = [&](Api& api, int t, bool own_project = false) -> absl::StatusOr<std::string> {
    httplib::Headers h = headers;
    if (own_project) h = {{"X-Auth-Token", "bench-" + std::to_string(t)}};
    auto r = api.clients[t]->Post("/v2.1/servers", h, body, "application/json");
    if (!r || r->status != 202) return absl::InternalError(r ? r->body : "no answer");
    return json::parse(r->body)["server"]["id"].get<std::string>();
  };
  auto api_only = make_api(gureum::testing::UniqueName("bench-unconsumed"));
  auto with_host = make_api(gureum::testing::UniqueName("bench-scheduler"));

  std::vector<bench::Row> rows;
  rows.push_back(bench::RunClosedLoop(
      "REST server create (API only), c=1", 300, 1,
      [&](int t) { return create(*api_only, t).status(); }, "p50 <= 10 ms"));
  rows.push_back(bench::RunClosedLoop(
      "REST server create (API only), c=10", 1000, 10,
      [&](int t) { return create(*api_only, t).status(); }, "p50 <= 10 ms"));
  rows.push_back(bench::RunClosedLoop(
      "REST server create (API only), c=10, 10 projects", 1000, 10,
      [&](int t) { return create(*api_only, t, true).status(); }, "p50 <= 10 ms"));

  // create -> ACTIVE through a simulated host.
  auto host = testing::SimulatedHost::Start(*amqp, **bus, gureum::testing::UniqueName("bench-host"),
                                            conductor_queue, with_host->options.scheduler_queue);
  if (!host.ok()) {
    std::cerr << host.status() << "\n";
    return 1;
  }
  rows.push_back(bench::RunClosedLoop(
      "create -> ACTIVE, simulated host, c=10", 500, 10,
      [&](int t) -> absl::Status {
        absl::StatusOr<std::string> id = create(*with_host, t);
        if (!id.ok()) return id.status();
        const absl::Time deadline = absl::Now() + absl::Seconds(30);
        while (absl::Now() < deadline) {
          auto r = with_host->clients[t]->Get("/v2.1/servers/" + *id, headers);
          if (r && r->status == 200 && r->body.find("\"status\":\"ACTIVE\"") != std::string::npos) {
            return absl::OkStatus();
          }
          absl::SleepFor(absl::Milliseconds(2));
        }
        return absl::DeadlineExceededError("not ACTIVE after 30 s");
      },
      "p50 <= 100 ms"));
  bench::PrintTable("compute-api (PostgreSQL + RabbitMQ, in-process)", rows);
  host->reset();
  for (auto& c : consumers) c->Stop();
  api_only->server->Stop();
  with_host->server->Stop();
  return 0;
}

}  // namespace
}  // namespace gureum::compute

int main() { return gureum::compute::Run(); }
