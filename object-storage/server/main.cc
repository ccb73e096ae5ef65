// gureum-object-server: one storage host's objects and account/container listings on its
// devices (<devices>/<device>), served to the proxies over the internal HTTP API
// (object_server_rest.h, replication_rest.h; port 6200), with background threads: the
// updater (containers' counts to their accounts, listing updates that failed), the
// replicator, the auditor and the expirer.
#include <algorithm>
#include <memory>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/base/clock.h"
#include "common/base/signals.h"
#include "common/http/server.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"
#include "object-storage/ring/ring_holder.h"
#include "object-storage/server/async_pending.h"
#include "object-storage/server/auditor.h"
#include "object-storage/server/expirer.h"
#include "object-storage/server/http_listing_client.h"
#include "object-storage/server/http_replica_client.h"
#include "object-storage/server/listing_manager.h"
#include "object-storage/server/object_files.h"
#include "object-storage/server/object_manager.h"
#include "object-storage/server/object_server_options.h"
#include "object-storage/server/object_server_rest.h"
#include "object-storage/server/periodic.h"
#include "object-storage/server/replication_rest.h"

namespace gureum::object {
namespace {

const std::string kSection = "object_server";

// The ring, or null (logged) when the file is missing or broken.
std::unique_ptr<ring::RingHolder> LoadRing(const config::Config& cfg, Clock& clock) {
  const std::string path = cfg.GetString(kSection, "ring_file");
  auto rings = ring::RingHolder::Create(path, clock);
  if (rings.ok()) return *std::move(rings);
  spdlog::warn("no ring ({}): the replicator and the expirer are off", rings.status().ToString());
  return nullptr;
}

// Starts `pass` every `option` seconds, unless that is 0.
void Every(std::vector<std::unique_ptr<Periodic>>& out, const config::Config& cfg,
           const std::string& option, Clock& clock, std::function<void()> pass) {
  const long long seconds = cfg.GetInt(kSection, option);
  if (seconds > 0) out.push_back(std::make_unique<Periodic>(absl::Seconds(seconds), clock, pass));
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddObjectServerOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, kSection, schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  const std::string root = cfg->GetString(kSection, "devices");
  Clock& clock = RealClock::Get();
  HttpListingClient client;
  AsyncPending pending(root, client);
  ObjectFiles files(root);
  // Half the workers may wait for listing updates; the rest stay free to take them.
  const int workers = static_cast<int>(cfg->GetInt(kSection, "workers"));
  ObjectManager objects(files, client, pending, clock, std::max(1, workers / 2));
  ListingManager listings(root, client, pending);
  ObjectServerRest rest(objects, listings);

  std::unique_ptr<ring::RingHolder> rings = LoadRing(*cfg, clock);
  HttpReplicaClient replicas;
  std::string ip = cfg->GetString(kSection, "ring_ip");
  if (ip.empty()) ip = cfg->GetString(kSection, "host");
  std::unique_ptr<Replicator> replicator;
  std::unique_ptr<Expirer> expirer;
  if (rings) {
    const int port = static_cast<int>(cfg->GetInt(kSection, "rest_port"));
    replicator = std::make_unique<Replicator>(
        ReplicatorDeps{files, *rings, replicas, ip, port, &listings.connections()});
    expirer = std::make_unique<Expirer>(ExpirerDeps{files, objects, *rings, clock, ip, port});
  }
  Auditor auditor(files, clock, cfg->GetInt(kSection, "auditor_bytes_per_second"));
  ReplicationRest replication(files, replicator.get(), auditor, expirer.get());

  http::ServerOptions options;
  options.threads = workers;
  options.max_body_bytes = 1 << 20;
  // Internal traffic: a proxy keeps its connections, and bodies arrive at disk speed.
  options.max_connections_per_client = 4096;
  auto server = service::StartRestServer(*cfg, kSection, options, [&](http::Server& s) {
    rest.Register(s);
    replication.Register(s);
  });
  if (!server.ok()) return service::Fail("gureum-object-server", "HTTP", server.status());

  std::vector<std::unique_ptr<Periodic>> passes;
  Every(passes, *cfg, "updater_interval", clock, [&] {
    listings.FlushCounts();
    if (auto left = pending.SendAll(); left.ok() && *left > 0) {
      spdlog::info("{} listing update(s) still pending", *left);
    }
  });
  if (replicator) Every(passes, *cfg, "replicator_interval", clock, [&] { replicator->RunOnce(); });
  if (expirer) Every(passes, *cfg, "expirer_interval", clock, [&] { expirer->RunOnce(); });
  Every(passes, *cfg, "auditor_interval", clock, [&] { auditor.RunOnce(); });
  spdlog::info("gureum-object-server serving devices under {} on port {}", root,
               cfg->GetInt(kSection, "rest_port"));
  service::ServeUntilSignal(**server, nullptr);
  passes.clear();
  return 0;
}

}  // namespace
}  // namespace gureum::object

int main(int argc, char** argv) { return gureum::object::Main(argc, argv); }
