// gureum-scheduler: placement's gRPC API (port 18778), a read-only Placement-style REST
// API with /metrics (8778), and the scheduler, which consumes
// the `scheduler` queue, claims in PostgreSQL (database gureum_scheduler) and casts
// builds to compute.<host> (or faults to the conductor). Host states come from
// compute-api's gRPC API with the scheduler's own service token.
#include <iostream>
#include <memory>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/auth/service_auth.h"
#include "common/auth/service_token.h"
#include "common/base/ids.h"
#include "common/base/signals.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/grpc/server.h"
#include "common/http/metrics_listener.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "common/policy/policy_config.h"
#include "common/service/runtime.h"
#include "scheduler/host_state_source.h"
#include "scheduler/migrations/migrations.h"
#include "scheduler/pg_placement_store.h"
#include "scheduler/placement_manager.h"
#include "scheduler/placement_rest.h"
#include "scheduler/placement_service.h"
#include "scheduler/scheduler_handler.h"
#include "scheduler/scheduler_manager.h"
#include "scheduler/scheduler_options.h"

namespace gureum::scheduler {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-scheduler", what, status);
}

// `workers` consumers of the scheduler queue, started.
absl::StatusOr<std::vector<std::unique_ptr<amqp::Consumer>>> StartConsumers(
    const amqp::ConnectionOptions& amqp_options, SchedulerHandler& handler, int workers) {
  std::vector<std::unique_ptr<amqp::Consumer>> consumers;
  for (int i = 0; i < workers; ++i) {
    amqp::ConsumerOptions in;
    in.queue = kSchedulerQueue;
    in.prefetch = 8;
    auto consumer = amqp::Consumer::Create(
        amqp_options, in, [&handler](const amqp::Message& m) { return handler.Handle(m); });
    if (!consumer.ok()) return consumer.status();
    (*consumer)->Start();
    consumers.push_back(*std::move(consumer));
  }
  return consumers;
}

// The read-only Placement-style REST API, when rest_port is set (else nothing runs and the
// port is 0); /metrics on a listener of its own when metrics_port is set.
struct RestServer {
  std::unique_ptr<http::Server> server;
  std::unique_ptr<PlacementRest> rest;
  int port = 0;
};

absl::StatusOr<RestServer> StartRest(const config::Config& cfg, const std::string& host,
                                     metrics::Metrics& metrics, PlacementManager& placement,
                                     PlacementRest::Authenticate authenticate) {
  RestServer out;
  if (cfg.GetInt("scheduler", "rest_port") <= 0) return out;
  http::ServerOptions http_options;
  http_options.host = host;
  http_options.port = static_cast<int>(cfg.GetInt("scheduler", "rest_port"));
  http_options.metrics = &metrics;
  http::ApplyMetricsListenerOptions(cfg, "scheduler", http_options);
  out.server = std::make_unique<http::Server>(http_options);
  out.rest = std::make_unique<PlacementRest>(placement, std::move(authenticate));
  out.rest->Register(*out.server);
  auto started = out.server->Start();
  if (!started.ok()) return started.status();
  out.port = *started;
  return out;
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddSchedulerOptions(schema);
  auth::AddServiceTokenOptions(schema);
  http::AddMetricsListenerOptions(schema, "scheduler");
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "scheduler", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());
  const SchedulerOptions options = SchedulerOptionsFromConfig(*cfg);

  // Persistence: the schema must be current (gureum-manage db sync scheduler).
  const int workers = static_cast<int>(cfg->GetInt("scheduler", "workers"));
  auto pool = db::OpenCurrentDatabase(
      cfg->GetString("database", "connection"), "gureum_scheduler", "scheduler",
      static_cast<int>(cfg->GetInt("scheduler", "db_pool_size")), Migrations());
  if (!pool.ok()) return Fail("database", pool.status());
  std::unique_ptr<PlacementStore> store = NewPgPlacementStore(**pool);

  auto enforcer = policy::EnforcerFromConfig(PlacementPolicyDefaults(), *cfg, "scheduler");
  if (!enforcer.ok()) return Fail("bad policy", enforcer.status());

  // Callers' tokens are verified locally with identity's keys; revocations arrive on the
  // identity.revocations fanout.
  const std::string transport = cfg->GetString("DEFAULT", "transport_url");
  if (transport.empty()) {
    return Fail("[DEFAULT] transport_url",
                absl::InvalidArgumentError("the scheduler consumes the scheduler queue: "
                                           "set the RabbitMQ URL"));
  }
  auto authn =
      auth::ServiceAuth::Start({.identity_grpc = cfg->GetString("service_auth", "identity_grpc"),
                                .transport_url = transport});
  if (!authn.ok()) return Fail("cannot reach identity for token verification", authn.status());

  // The scheduler's own token, for compute-api's host states.
  auto token = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(*cfg));
  if (!token.ok()) return Fail("[service_auth]", token.status());
  std::unique_ptr<HostStateSource> host_states =
      NewGrpcHostStateSource(cfg->GetString("scheduler", "compute_api_grpc"), **token);

  auto amqp_options = amqp::ParseUrl(transport);
  if (!amqp_options.ok()) return Fail("[DEFAULT] transport_url", amqp_options.status());
  auto bus = amqp::Publisher::Create(*amqp_options);
  if (!bus.ok()) return Fail("cannot set up the AMQP publisher", bus.status());

  const Clock& clock = RealClock::Get();
  Scheduler scheduler(*store, *host_states, **bus, clock, options);
  SchedulerHandler handler(scheduler, clock);
  auto consumers = StartConsumers(*amqp_options, handler, workers);
  if (!consumers.ok()) return Fail("cannot consume the scheduler queue", consumers.status());

  metrics::Metrics metrics("scheduler");
  grpcx::CallEnv env;
  env.auth = [&](const std::string& t) { return (*authn)->Authenticate(t); };
  env.metrics = &metrics;
  PlacementManager placement(*store, **enforcer, RandomIdGenerator::Get(), options);
  PlacementService grpc_service(placement, env);
  const std::string host = cfg->GetString("scheduler", "host");
  auto grpc_server = grpcx::Server::Start(
      {.listen_address = service::Address(host, cfg->GetInt("scheduler", "grpc_port"))},
      {&grpc_service});
  if (!grpc_server.ok()) return Fail("gRPC", grpc_server.status());
  auto rest = StartRest(*cfg, host, metrics, placement, env.auth);
  if (!rest.ok()) return Fail("REST", rest.status());
  spdlog::info("gureum-scheduler serving: gRPC port {}, REST port {}, {} consumers of queue '{}'",
               (*grpc_server)->port(), rest->port, workers, kSchedulerQueue);

  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down", sig);
  for (auto& c : *consumers) c->Stop();
  if (rest->server) rest->server->Stop();
  (*grpc_server)->Shutdown(absl::Seconds(5));
  return 0;
}

}  // namespace
}  // namespace gureum::scheduler

int main(int argc, char** argv) { return gureum::scheduler::Main(argc, argv); }
