// gureum-network: the Neutron v2.0 REST API (port 9696) and network's gRPC API (19696:
// Networks, ComputeNetworking, NetworkAgents) over one NetworkManagers, records in
// PostgreSQL (database gureum_network), casts to network-agent.<host> on RabbitMQ.
// Callers' tokens are verified locally with identity's public keys (common/auth).
#include <iostream>

#include <spdlog/spdlog.h>

#include "common/amqp/connection_options.h"
#include "common/amqp/notifier.h"
#include "common/amqp/publisher.h"
#include "common/auth/service_auth.h"
#include "common/auth/service_token.h"
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
#include "network/server/migrations/migrations.h"
#include "network/server/network_managers.h"
#include "network/server/network_policy.h"
#include "network/server/network_rest.h"
#include "network/server/network_service.h"
#include "network/server/pg_network_store.h"

namespace gureum::network {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-network", what, status);
}

void AddOptions(config::Schema& schema) {
  const std::string s = "network";
  // gRPC: Networks, ComputeNetworking, NetworkAgents.
  service::AddApiOptions(schema, s, {.rest_port = 9696, .grpc_port = 19696, .api = "Neutron v2.0"});
  schema.String(s, "vni_ranges", "1:10000", "VXLAN VNIs given to tenant networks (min:max).");
  schema.Duration(s, "agent_down_time", "75s", "A network agent silent this long is down.");
  const std::string q = "quotas";
  QuotaDefaults d;
  for (const auto& [res, limit] : d.limits) {
    schema.Int(q, "quota_" + res, limit, -1, 1 << 30,
               "Default " + res + " quota per project (-1: unlimited).");
  }
  auth::AddServiceTokenOptions(schema);
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddOptions(schema);
  http::AddMetricsListenerOptions(schema, "network");
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "network", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  NetworkOptions options;
  if (absl::Status s = ParseVniRange(cfg->GetString("network", "vni_ranges"), &options.vni_min,
                                     &options.vni_max);
      !s.ok()) {
    return Fail("[network] vni_ranges", s);
  }
  options.agent_down_time = cfg->GetDuration("network", "agent_down_time");
  auto enforcer = policy::EnforcerFromConfig(NetworkPolicyDefaults(), *cfg, "network");
  if (!enforcer.ok()) return Fail("bad policy", enforcer.status());
  options.enforcer = enforcer->get();
  for (auto& [res, limit] : options.quotas.limits) limit = cfg->GetInt("quotas", "quota_" + res);

  auto pool = db::OpenCurrentDatabase(
      cfg->GetString("database", "connection"), "gureum_network", "network",
      static_cast<int>(cfg->GetInt("network", "db_pool_size")), Migrations());
  if (!pool.ok()) return Fail("database", pool.status());

  const std::string transport = cfg->GetString("DEFAULT", "transport_url");
  auto amqp_options = amqp::ParseUrl(transport);
  if (!amqp_options.ok()) return Fail("[DEFAULT] transport_url", amqp_options.status());
  auto publisher = amqp::Publisher::Create(*amqp_options);
  if (!publisher.ok()) return Fail("cannot set up the AMQP publisher", publisher.status());

  auto authn = service::StartServiceAuth(*cfg);
  if (!authn.ok()) return Fail("cannot reach identity for token verification", authn.status());
  auto authenticate = [&](const std::string& t) { return (*authn)->Authenticate(t); };

  PgNetworkStore store(**pool);
  amqp::Notifier notifier(**publisher, "network." + cfg->GetString("DEFAULT", "host"),
                          RealClock::Get(), RandomIdGenerator::Get());
  NetworkManagers manager(store, publisher->get(), RealClock::Get(), RandomIdGenerator::Get(),
                          options, &notifier);
  metrics::Metrics metrics("network");
  const std::string host = cfg->GetString("network", "host");

  grpcx::CallEnv env;
  env.auth = authenticate;
  env.metrics = &metrics;
  NetworksService networks(manager, env);
  ComputeNetworkingService compute(manager, env);
  NetworkAgentsService agents(manager, env);
  auto grpc_server = grpcx::Server::Start(
      {.listen_address = service::Address(host, cfg->GetInt("network", "grpc_port"))},
      {&networks, &compute, &agents});
  if (!grpc_server.ok()) return Fail("gRPC", grpc_server.status());

  NetworkRest rest(manager, authenticate,
                   {.public_url = service::PublicBaseUrl(*cfg, "network", "/v2.0")});
  auto http_server =
      service::StartRestServer(*cfg, "network", NetworkRest::ServerOptions(host, 0, &metrics),
                               [&](http::Server& s) { rest.Register(s); });
  if (!http_server.ok()) return Fail("REST", http_server.status());
  spdlog::info("gureum-network serving: REST port {}, gRPC port {}, VNIs {}:{}",
               cfg->GetInt("network", "rest_port"), (*grpc_server)->port(), options.vni_min,
               options.vni_max);
  service::ServeUntilSignal(**http_server, grpc_server->get());
  return 0;
}

}  // namespace
}  // namespace gureum::network

int main(int argc, char** argv) { return gureum::network::Main(argc, argv); }
