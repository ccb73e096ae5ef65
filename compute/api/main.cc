// gureum-compute-api: the Nova v2.1 REST API (port 8774), the ComputeHosts gRPC API for
// the scheduler (18774), and the conductor (consumer of the `conductor` queue), over one
// compute-api's manager classes on PostgreSQL (database gureum_compute).
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
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
#include "compute/api/compute_hosts_service.h"
#include "compute/api/compute_managers.h"
#include "compute/api/compute_rest.h"
#include "compute/api/compute_service.h"
#include "compute/api/conductor.h"
#include "compute/api/migrations/migrations.h"
#include "compute/api/soft_delete_reclaimer.h"

namespace gureum::compute {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-compute-api", what, status);
}

void AddOptions(config::Schema& schema) {
  const std::string s = "compute";
  // gRPC: the Compute API, and ComputeHosts for the scheduler.
  service::AddApiOptions(schema, s, {.rest_port = 8774, .grpc_port = 18774, .api = "Nova v2.1"});
  schema.Duration(s, "service_down_time", "60s", "A service silent this long is down.");
  schema.Bool(s, "allow_resize_to_same_host", false,
              "A resize may stay on the same host (set on single-host clouds).");
  schema.Int(s, "conductor_workers", 4, 1, 64, "Consumers of the conductor queue.");
  schema.String(s, "default_availability_zone", "nova", "Zone of hosts in no zoned aggregate.");
  schema.Duration(s, "reclaim_instance_interval", "0",
                  "Nova's: 0, a DELETE deletes; else it soft deletes a server (SOFT_DELETED, "
                  "restore brings it back, forceDelete deletes it) and a periodic task deletes "
                  "those soft deleted this long ago, this often.");
  schema.String(s, "image_grpc", "localhost:19292", "gureum-image's gRPC API.");
  schema.String(
      s, "network_grpc", "",
      "gureum-network's gRPC API (host:19696); empty: no network service, servers get no NIC.");
  schema.String(s, "placement_grpc", "localhost:18778", "gureum-scheduler's Placement gRPC API.");
  schema.String(s, "block_storage_grpc", "",
                "gureum-block-storage's gRPC API (host:18776); empty: volumes cannot be "
                "attached (503).");
  const std::string q = "quota";
  schema.Int(q, "instances", 10, -1, 1 << 30, "Default instances per project (-1: unlimited).");
  schema.Int(q, "cores", 20, -1, 1 << 30, "Default vCPUs per project.");
  schema.Int(q, "ram", 51200, -1, 1LL << 40, "Default RAM (MiB) per project.");
  schema.Int(q, "key_pairs", 100, -1, 1 << 30, "Default key pairs per user.");
  schema.Int(q, "server_groups", 10, -1, 1 << 30, "Default server groups per project.");
  auth::AddServiceTokenOptions(schema);
}

ComputeOptions OptionsFromConfig(const config::Config& cfg) {
  ComputeOptions o;
  o.service_down_time = cfg.GetDuration("compute", "service_down_time");
  o.allow_resize_to_same_host = cfg.GetBool("compute", "allow_resize_to_same_host");
  o.default_availability_zone = cfg.GetString("compute", "default_availability_zone");
  o.reclaim_instance_interval = cfg.GetDuration("compute", "reclaim_instance_interval");
  o.default_quotas.instances = cfg.GetInt("quota", "instances");
  o.default_quotas.cores = cfg.GetInt("quota", "cores");
  o.default_quotas.ram = cfg.GetInt("quota", "ram");
  o.default_quotas.key_pairs = cfg.GetInt("quota", "key_pairs");
  o.default_quotas.server_groups = cfg.GetInt("quota", "server_groups");
  return o;
}

// Links name the public URL, else http://[DEFAULT] my_ip:rest_port.
ComputeRestOptions RestOptions(const config::Config& cfg) {
  return {.public_url = service::PublicBaseUrl(cfg, "compute", "/v2.1")};
}

// gureum-network's client when [compute] network_grpc is set; null (no network service:
// servers get no network interface) when it is empty.
std::unique_ptr<NetworkClient> NetworkClientFromConfig(const config::Config& cfg) {
  if (std::string target = cfg.GetString("compute", "network_grpc"); !target.empty()) {
    return NewGrpcNetworkClient({.target = target});  // the user's token: no service token
  }
  spdlog::info("[compute] network_grpc is not set: servers are created without network interfaces");
  return nullptr;
}

// gureum-block-storage's clients when [compute] block_storage_grpc is set: one with the
// user's token (no service token, so a call never carries more than the user's rights)
// and one as the service user (the attachments of deleted servers); null otherwise.
struct BlockStorageClients {
  std::unique_ptr<BlockStorageClient> user;
  std::unique_ptr<BlockStorageClient> service;
};
BlockStorageClients BlockStorageFromConfig(const config::Config& cfg, auth::ServiceToken* token) {
  std::string target = cfg.GetString("compute", "block_storage_grpc");
  if (target.empty()) {
    spdlog::info("[compute] block_storage_grpc is not set: volumes cannot be attached");
    return {};
  }
  return {NewGrpcBlockStorageClient({.target = target}),
          NewGrpcBlockStorageClient({.target = target, .service_token = token})};
}

// `workers` consumers of the conductor queue. Updates of one instance are guarded by
// expected_task_states, so they need no ordering between workers.
absl::StatusOr<std::vector<std::unique_ptr<amqp::Consumer>>> StartConductor(
    const amqp::ConnectionOptions& options, Conductor& conductor, int workers) {
  amqp::ConsumerOptions in;
  in.queue = "conductor";
  std::vector<std::unique_ptr<amqp::Consumer>> consumers;
  for (int n = 0; n < workers; ++n) {
    auto consumer = amqp::Consumer::Create(
        options, in, [&conductor](const amqp::Message& m) { return conductor.Handle(m); });
    if (!consumer.ok()) return consumer.status();
    (*consumer)->Start();
    consumers.push_back(*std::move(consumer));
  }
  return consumers;
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddOptions(schema);
  http::AddMetricsListenerOptions(schema, "compute");
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "compute", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  auto pool = db::OpenCurrentDatabase(
      cfg->GetString("database", "connection"), "gureum_compute", "compute",
      static_cast<int>(cfg->GetInt("compute", "db_pool_size")), Migrations());
  if (!pool.ok()) return Fail("database", pool.status());
  std::unique_ptr<ComputeStore> store = NewPgComputeStore(**pool);

  auto amqp_options = amqp::ParseUrl(cfg->GetString("DEFAULT", "transport_url"));
  if (!amqp_options.ok()) return Fail("[DEFAULT] transport_url", amqp_options.status());
  auto publisher = amqp::Publisher::Create(*amqp_options);
  if (!publisher.ok()) return Fail("cannot set up the AMQP publisher", publisher.status());

  auto service_token = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(*cfg));
  if (!service_token.ok()) return Fail("[service_auth]", service_token.status());
  auto authn = service::StartServiceAuth(*cfg);
  if (!authn.ok()) return Fail("cannot reach identity", authn.status());

  // No service token: the image and network calls carry the user's own (client_options.h).
  std::unique_ptr<ImageClient> images =
      NewGrpcImageClient({.target = cfg->GetString("compute", "image_grpc")});
  std::unique_ptr<PlacementClient> placement =
      NewGrpcPlacementClient({.target = cfg->GetString("compute", "placement_grpc"),
                              .service_token = service_token->get()});
  auto enforcer = policy::EnforcerFromConfig(ComputePolicyDefaults(), *cfg, "compute");
  if (!enforcer.ok()) return Fail("bad policy", enforcer.status());
  std::unique_ptr<NetworkClient> networks = NetworkClientFromConfig(*cfg);  // may be null
  BlockStorageClients volumes = BlockStorageFromConfig(*cfg, service_token->get());
  amqp::Notifier notifier(**publisher, "compute." + cfg->GetString("DEFAULT", "host"),
                          RealClock::Get(), RandomIdGenerator::Get());
  ComputeManagers managers({.store = *store,
                            .bus = **publisher,
                            .images = *images,
                            .placement = *placement,
                            .networks = networks.get(),
                            .enforcer = **enforcer,
                            .clock = RealClock::Get(),
                            .ids = RandomIdGenerator::Get(),
                            .block_storage = volumes.user.get(),
                            .block_storage_as_service = volumes.service.get(),
                            .notifier = &notifier},
                           OptionsFromConfig(*cfg));

  Conductor conductor(*store, **publisher, *placement, RealClock::Get(), &managers.volumes(),
                      managers.instance_events());
  auto consumers = StartConductor(*amqp_options, conductor,
                                  static_cast<int>(cfg->GetInt("compute", "conductor_workers")));
  if (!consumers.ok()) return Fail("conductor consumer", consumers.status());
  SoftDeleteReclaimer reclaimer(managers.servers(), RealClock::Get(),
                                managers.options().reclaim_instance_interval);

  metrics::Metrics metrics("compute");
  const std::string host = cfg->GetString("compute", "host");
  grpcx::CallEnv env;
  env.auth = [&](const std::string& t) { return (*authn)->Authenticate(t); };
  env.metrics = &metrics;
  ComputeHostsService hosts_service(managers, env);
  ComputeService compute_service(managers, env);
  auto grpc_server = grpcx::Server::Start(
      {.listen_address = service::Address(host, cfg->GetInt("compute", "grpc_port"))},
      {&hosts_service, &compute_service});
  if (!grpc_server.ok()) return Fail("gRPC", grpc_server.status());

  ComputeRest rest(
      managers, [&](const std::string& t) { return (*authn)->Authenticate(t); }, RestOptions(*cfg));
  auto http_server = service::StartRestServer(*cfg, "compute", ComputeRest::ServerOptions(&metrics),
                                              [&](http::Server& s) { rest.Register(s); });
  if (!http_server.ok()) return Fail("REST", http_server.status());
  spdlog::info("gureum-compute-api serving: REST port {}, gRPC port {}, conductor",
               cfg->GetInt("compute", "rest_port"), (*grpc_server)->port());
  service::ServeUntilSignal(**http_server, grpc_server->get());
  for (auto& c : *consumers) c->Stop();
  return 0;
}

}  // namespace
}  // namespace gureum::compute

int main(int argc, char** argv) { return gureum::compute::Main(argc, argv); }
