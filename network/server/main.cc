// gureum-network: the Neutron v2.0 REST API (port 9696) and network's gRPC API (19696:
// Networks, ComputeNetworking, NetworkAgents) over one NetworkManager, records in
// PostgreSQL (database gureum_network), casts to network-agent.<host> on RabbitMQ.
// Callers' tokens are verified locally with identity's public keys (common/auth).
#include <iostream>

#include <spdlog/spdlog.h>

#include "common/amqp/connection_options.h"
#include "common/amqp/publisher.h"
#include "common/auth/service_auth.h"
#include "common/auth/service_token.h"
#include "common/base/signals.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/grpc/server.h"
#include "common/http/metrics_listener.h"
#include "common/http/public_url.h"
#include "common/http/server.h"
#include "common/metrics/metrics.h"
#include "common/policy/enforcer.h"
#include "common/policy/policy_config.h"
#include "common/service/runtime.h"
#include "network/server/migrations/migrations.h"
#include "network/server/network_manager.h"
#include "network/server/network_policy.h"
#include "network/server/network_rest.h"
#include "network/server/network_service.h"

namespace gureum::network {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-network", what, status);
}

void AddOptions(config::Schema& schema) {
  const std::string s = "network";
  schema.String(s, "host", "0.0.0.0", "Address the REST and gRPC servers listen on.");
  schema.Int(s, "rest_port", 9696, 1, 65535, "Neutron v2.0 REST port.");
  schema.Int(s, "grpc_port", 19696, 1, 65535,
             "gRPC port (Networks, ComputeNetworking, NetworkAgents).");
  schema.String(s, "public_url", "",
                "Base URL of the REST API in links; empty: http://[DEFAULT] my_ip:rest_port.");
  schema.Int(s, "db_pool_size", 8, 1, 256, "PostgreSQL connections.");
  schema.String(s, "vni_ranges", "1:10000", "VXLAN VNIs given to tenant networks (min:max).");
  schema.Duration(s, "agent_down_time", "75s", "A network agent silent this long is down.");
  schema.String(s, "policy_file", "/etc/gureum/policy.yaml",
                "oslo.policy-style overrides of network_policy.h.");
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

  auth::ServiceTokenOptions token_options = auth::ServiceTokenOptionsFromConfig(*cfg);
  auto authn = auth::ServiceAuth::Start(
      {.identity_grpc = token_options.identity_grpc, .transport_url = transport});
  if (!authn.ok()) return Fail("cannot reach identity for token verification", authn.status());
  auto authenticate = [&](const std::string& t) { return (*authn)->Authenticate(t); };

  NetworkManager manager(**pool, publisher->get(), RealClock::Get(), RandomIdGenerator::Get(),
                         options);
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
                   {.public_url = http::PublicUrl(
                        cfg->GetString("network", "public_url"), cfg->GetString("DEFAULT", "my_ip"),
                        static_cast<int>(cfg->GetInt("network", "rest_port")))});
  http::ServerOptions http_options = NetworkRest::ServerOptions(
      host, static_cast<int>(cfg->GetInt("network", "rest_port")), &metrics);
  http::ApplyMetricsListenerOptions(*cfg, "network", http_options);  // /metrics off the API port
  http::Server http_server(http_options);
  rest.Register(http_server);
  auto rest_port = http_server.Start();
  if (!rest_port.ok()) return Fail("REST", rest_port.status());
  spdlog::info("gureum-network serving: REST port {}, gRPC port {}, VNIs {}:{}", *rest_port,
               (*grpc_server)->port(), options.vni_min, options.vni_max);

  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down", sig);
  http_server.Stop();
  (*grpc_server)->Shutdown(absl::Seconds(5));
  return 0;
}

}  // namespace
}  // namespace gureum::network

int main(int argc, char** argv) { return gureum::network::Main(argc, argv); }
