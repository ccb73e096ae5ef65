// gureum-identity: the Keystone v3 REST API (port 5000) and identity's gRPC API (15000)
// over the identity managers (IdentityManager), on PostgreSQL (database gureum_identity), with
// revocations published to the identity.revocations fanout on RabbitMQ.
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "absl/synchronization/notification.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/publisher.h"
#include "common/base/signals.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/grpc/server.h"
#include "common/http/metrics_listener.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "common/policy/policy_config.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"
#include "common/status/macros.h"
#include "identity/amqp_revocation_sink.h"
#include "identity/identity_manager.h"
#include "identity/identity_options.h"
#include "identity/identity_policy.h"
#include "identity/identity_rest.h"
#include "identity/identity_service.h"
#include "identity/key_repository.h"
#include "identity/migrations/migrations.h"
#include "identity/pg_identity_store.h"

namespace gureum::identity {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-identity", what, status);
}

config::Schema Schema() {
  config::Schema schema;
  AddIdentityOptions(schema);
  http::AddMetricsListenerOptions(schema, "identity");
  schema.String("identity", "policy_file", "/etc/gureum/policy.yaml",
                "oslo.policy-style overrides of the default rules.");
  schema.String("identity", "public_url", "",
                "Base URL clients reach the REST API at (discovery documents and links); "
                "empty: http://[DEFAULT] my_ip:rest_port (never the request's Host header).");
  schema.Int("identity", "db_pool_size", 8, 1, 256, "PostgreSQL connections.");
  return schema;
}

struct RevocationTransport {
  std::unique_ptr<amqp::Publisher> publisher;  // null without a transport_url
  std::unique_ptr<RevocationSink> sink;
};

// Revocations go out on the fanout; without a transport they are still persisted and
// fetched by the services' periodic refresh.
absl::StatusOr<RevocationTransport> OpenRevocationTransport(const config::Config& cfg) {
  RevocationTransport out;
  std::string transport = cfg.GetString("DEFAULT", "transport_url");
  if (transport.empty()) {
    spdlog::warn(
        "[DEFAULT] transport_url is not set: revocations reach other services only "
        "through their periodic fetch");
    out.sink = std::make_unique<NullRevocationSink>();
    return out;
  }
  GUREUM_ASSIGN_OR_RETURN(amqp::ConnectionOptions amqp_options, amqp::ParseUrl(transport));
  GUREUM_ASSIGN_OR_RETURN(out.publisher, amqp::Publisher::Create(amqp_options));
  out.sink = std::make_unique<AmqpRevocationSink>(*out.publisher);
  return out;
}

// Every minute until `stopping`: keys rotated by `gureum-manage identity rotate-keys` are
// picked up (rotation leaves the old key in place far longer, see max_active_keys), and
// revocation events older than any live token are forgotten.
std::thread StartMaintenance(TokenManager& tokens, absl::Notification& stopping) {
  return std::thread([&tokens, &stopping] {
    while (!stopping.WaitForNotificationWithTimeout(absl::Seconds(60))) {
      if (absl::Status s = tokens.ReloadKeys(); !s.ok()) {
        spdlog::error("reloading the signing keys failed: {}", s.ToString());
      }
      if (absl::Status s = tokens.PurgeExpiredRevocations(); !s.ok()) {
        spdlog::warn("purging old revocation events failed: {}", s.ToString());
      }
    }
  });
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema = Schema();
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "identity", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  // Persistence: the schema must be current (gureum-manage db sync identity).
  auto pool = db::OpenCurrentDatabase(
      cfg->GetString("database", "connection"), "gureum_identity", "identity",
      static_cast<int>(cfg->GetInt("identity", "db_pool_size")), Migrations());
  if (!pool.ok()) return Fail("database", pool.status());
  std::unique_ptr<IdentityStore> store = NewPgIdentityStore(**pool);

  absl::StatusOr<RevocationTransport> transport = OpenRevocationTransport(*cfg);
  if (!transport.ok()) return Fail("revocation transport", transport.status());

  DirectoryKeySource keys(cfg->GetString("identity", "key_repository"));
  auto enforcer = policy::EnforcerFromConfig(IdentityPolicyDefaults(), *cfg, "identity");
  if (!enforcer.ok()) return Fail("bad policy", enforcer.status());
  auto manager = IdentityManager::Create(*store, keys, *transport->sink, RealClock::Get(),
                                         RandomIdGenerator::Get(), IdentityOptionsFromConfig(*cfg),
                                         **enforcer);
  if (!manager.ok()) return Fail("cannot start the identity manager", manager.status());

  metrics::Metrics metrics("identity");
  const std::string host = cfg->GetString("identity", "host");

  grpcx::CallEnv env;
  env.auth = IdentityAuthHook(**manager);
  env.metrics = &metrics;
  IdentityService grpc_service(**manager, env);
  auto grpc_server = grpcx::Server::Start(
      {.listen_address = service::Address(host, cfg->GetInt("identity", "grpc_port"))},
      {&grpc_service});
  if (!grpc_server.ok()) return Fail("gRPC", grpc_server.status());

  IdentityRest rest(**manager, **enforcer,
                    {.public_url = service::PublicBaseUrl(*cfg, "identity", "/v3")});
  auto http_server = service::StartRestServer(
      *cfg, "identity",
      IdentityRest::ServerOptions(host, static_cast<int>(cfg->GetInt("identity", "rest_port")),
                                  &metrics),
      [&](http::Server& s) { rest.Register(s); });
  if (!http_server.ok()) return Fail("REST", http_server.status());
  spdlog::info("gureum-identity serving: REST port {}, gRPC port {}",
               cfg->GetInt("identity", "rest_port"), (*grpc_server)->port());

  absl::Notification stopping;
  std::thread maintenance = StartMaintenance((*manager)->tokens(), stopping);
  service::ServeUntilSignal(**http_server, grpc_server->get());
  stopping.Notify();
  maintenance.join();
  return 0;
}

}  // namespace
}  // namespace gureum::identity

int main(int argc, char** argv) { return gureum::identity::Main(argc, argv); }
