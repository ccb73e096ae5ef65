// gureum-block-storage: the Cinder v3 REST API (port 8776) and block storage's gRPC API
// (18776) over one set of manager classes, records in PostgreSQL (database
// gureum_block_storage), casts to the volume agents on AMQP (volume.<host>), their reports
// consumed from queue "block-storage", and a sweep that fails tasks of agents that went
// down. Tokens are verified locally with identity's public keys (common/auth ServiceAuth).
#include <thread>

#include <spdlog/spdlog.h>

#include "absl/synchronization/notification.h"
#include "block-storage/api/block_storage_managers.h"
#include "block-storage/api/block_storage_options.h"
#include "block-storage/api/block_storage_policy.h"
#include "block-storage/api/block_storage_rest.h"
#include "block-storage/api/block_storage_service.h"
#include "block-storage/api/compute_client.h"
#include "block-storage/api/migrations/migrations.h"
#include "block-storage/api/pg_block_storage_store.h"
#include "block-storage/clients/image_client.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/notifier.h"
#include "common/amqp/publisher.h"
#include "common/auth/service_token.h"
#include "common/base/signals.h"
#include "common/db/migrations.h"
#include "common/grpc/server.h"
#include "common/http/metrics_listener.h"
#include "common/metrics/metrics.h"
#include "common/policy/policy_config.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"
#include "common/status/macros.h"
#include "compute/clients/image_client.h"

namespace gureum::block_storage {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-block-storage", what, status);
}

void AddOptions(config::Schema& schema) {
  AddBlockStorageOptions(schema);
  schema.String("block_storage", "image_grpc", "localhost:19292",
                "gureum-image's gRPC API (volumes created from images).");
  schema.String("block_storage", "compute_grpc", "",
                "gureum-compute-api's gRPC API, told when an attached volume grew (Nova's "
                "volume-extended event, as block storage's [service_auth] user); empty: none.");
  schema.Int("block_storage", "report_workers", 2, 1, 64,
             "Consumers of the volume agents' reports (queue block-storage).");
  http::AddMetricsListenerOptions(schema, "block_storage");
  auth::AddServiceTokenOptions(schema);  // [service_auth] identity_grpc: where keys come from
}

// compute-api's client, as block storage's service user; null (said once) when
// [block_storage] compute_grpc or [service_auth] username is not set.
absl::StatusOr<std::unique_ptr<ComputeClient>> ComputeIfAny(
    const config::Config& cfg, std::unique_ptr<auth::ServiceToken>& token) {
  const std::string target = cfg.GetString("block_storage", "compute_grpc");
  if (target.empty() || cfg.GetString("service_auth", "username").empty()) {
    spdlog::warn(
        "[block_storage] compute_grpc or [service_auth] username is not set: guests "
        "see an attached volume's new size only at their next attach or boot");
    return std::unique_ptr<ComputeClient>();
  }
  GUREUM_ASSIGN_OR_RETURN(token,
                          auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(cfg)));
  return NewGrpcComputeClient({.target = target, .service_token = token.get()});
}

// Fails the tasks of agents that went down, every 10 s until `stop`.
std::thread StartSweeper(ReportHandler& reports, absl::Notification& stop) {
  return std::thread([&reports, &stop] {
    while (!stop.WaitForNotificationWithTimeout(absl::Seconds(10))) {
      absl::StatusOr<int> failed = reports.SweepStale();
      if (!failed.ok()) {
        spdlog::warn("sweep of stale volume tasks failed: {}", failed.status().ToString());
      } else if (*failed > 0) {
        spdlog::warn("{} volume task(s) of unanswering agents set to error", *failed);
      }
    }
  });
}

absl::StatusOr<std::vector<std::unique_ptr<amqp::Consumer>>> StartReports(
    const amqp::ConnectionOptions& options, ReportHandler& reports, int workers) {
  amqp::ConsumerOptions in;
  in.queue = kReportQueue;
  return amqp::StartConsumers(options, in, workers,
                              [&reports](const amqp::Message& m) { return reports.Handle(m); });
}

// Longer than 80 lines: the composition root, one wiring step after another.
int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "block_storage", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  auto pool = db::OpenCurrentDatabase(
      cfg->GetString("database", "connection"), "gureum_block_storage", "block_storage",
      static_cast<int>(cfg->GetInt("block_storage", "db_pool_size")), Migrations());
  if (!pool.ok()) return Fail("database", pool.status());
  std::unique_ptr<BlockStorageStore> store = NewPgBlockStorageStore(**pool);

  auto amqp_options = amqp::ParseUrl(cfg->GetString("DEFAULT", "transport_url"));
  if (!amqp_options.ok()) return Fail("[DEFAULT] transport_url", amqp_options.status());
  auto publisher = amqp::Publisher::Create(*amqp_options);
  if (!publisher.ok()) return Fail("cannot set up the AMQP publisher", publisher.status());

  auto authn = service::StartServiceAuth(*cfg);
  if (!authn.ok()) return Fail("cannot reach identity", authn.status());
  auto enforcer = policy::EnforcerFromConfig(BlockStoragePolicyDefaults(), *cfg, "block_storage");
  if (!enforcer.ok()) return Fail("bad policy", enforcer.status());
  BlockStoragePolicy policy(**enforcer);

  // No service token: image lookups carry the user's own (compute/clients/client_options.h).
  // (and images made from volumes are created with the user's token too; the agent uploads)
  std::unique_ptr<compute::ImageClient> images =
      compute::NewGrpcImageClient({.target = cfg->GetString("block_storage", "image_grpc")});
  std::unique_ptr<auth::ServiceToken> service_token;
  auto compute = ComputeIfAny(*cfg, service_token);
  if (!compute.ok()) return Fail("[service_auth]", compute.status());
  const BlockStorageOptions options = BlockStorageOptionsFromConfig(*cfg);
  VolumeCasts casts(**publisher, RandomIdGenerator::Get());
  amqp::Notifier notifier(**publisher, "block-storage." + cfg->GetString("DEFAULT", "host"),
                          RealClock::Get(), RandomIdGenerator::Get());
  ManagerDeps deps{.store = *store,
                   .casts = casts,
                   .policy = policy,
                   .clock = RealClock::Get(),
                   .ids = RandomIdGenerator::Get(),
                   .options = options,
                   .images = images.get(),
                   .new_images = images.get(),
                   .notifier = &notifier,
                   .compute = compute->get()};
  BlockStorageManagers managers(deps);
  if (absl::Status s = managers.types().EnsureDefault(); !s.ok()) {
    return Fail("the default volume type", s);
  }

  auto consumers = StartReports(*amqp_options, managers.reports(),
                                static_cast<int>(cfg->GetInt("block_storage", "report_workers")));
  if (!consumers.ok()) return Fail("report consumer", consumers.status());
  absl::Notification stop_sweeper;
  std::thread sweeper = StartSweeper(managers.reports(), stop_sweeper);

  metrics::Metrics metrics("block_storage");
  grpcx::CallEnv env;
  env.auth = [&](const std::string& t) { return (*authn)->Authenticate(t); };
  env.metrics = &metrics;
  BlockStorageService grpc_service(managers, env);
  auto grpc_server = grpcx::Server::Start(
      {.listen_address = service::Address(cfg->GetString("block_storage", "host"),
                                          cfg->GetInt("block_storage", "grpc_port"))},
      {&grpc_service});
  if (!grpc_server.ok()) return Fail("gRPC", grpc_server.status());

  BlockStorageRest rest(managers, [&](const std::string& t) { return (*authn)->Authenticate(t); },
                        {.public_url = service::PublicBaseUrl(*cfg, "block_storage", "/v3")});
  auto http_server =
      service::StartRestServer(*cfg, "block_storage", BlockStorageRest::ServerOptions(&metrics),
                               [&](http::Server& s) { rest.Register(s); });
  if (!http_server.ok()) return Fail("REST", http_server.status());
  spdlog::info("gureum-block-storage serving: REST port {}, gRPC port {}, reports on queue {}",
               cfg->GetInt("block_storage", "rest_port"), (*grpc_server)->port(), kReportQueue);
  service::ServeUntilSignal(**http_server, grpc_server->get());
  stop_sweeper.Notify();
  sweeper.join();
  for (auto& c : *consumers) c->Stop();
  return 0;
}

}  // namespace
}  // namespace gureum::block_storage

int main(int argc, char** argv) { return gureum::block_storage::Main(argc, argv); }
