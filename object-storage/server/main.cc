// gureum-object-server: one storage host's objects and account/container listings on its
// devices (<devices>/<device>), served to the proxies over the internal HTTP API
// (object_server_rest.h, port 6200), with an updater thread that sends containers' counts
// to their accounts and retries listing updates that failed.
#include <atomic>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/base/clock.h"
#include "common/base/signals.h"
#include "common/http/server.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"
#include "object-storage/server/async_pending.h"
#include "object-storage/server/http_listing_client.h"
#include "object-storage/server/listing_manager.h"
#include "object-storage/server/object_files.h"
#include "object-storage/server/object_manager.h"
#include "object-storage/server/object_server_options.h"
#include "object-storage/server/object_server_rest.h"

namespace gureum::object {
namespace {

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddObjectServerOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "object_server", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  const std::string root = cfg->GetString("object_server", "devices");
  Clock& clock = RealClock::Get();
  HttpListingClient client;
  AsyncPending pending(root, client);
  ObjectFiles files(root);
  ObjectManager objects(files, client, pending, clock);
  ListingManager listings(root, client, pending);
  ObjectServerRest rest(objects, listings);

  http::ServerOptions options;
  options.threads = static_cast<int>(cfg->GetInt("object_server", "workers"));
  options.max_body_bytes = 1 << 20;
  // Internal traffic: a proxy keeps its connections, and bodies arrive at disk speed.
  options.max_connections_per_client = 4096;
  auto server = service::StartRestServer(*cfg, "object_server", options,
                                         [&](http::Server& s) { rest.Register(s); });
  if (!server.ok()) return service::Fail("gureum-object-server", "HTTP", server.status());

  std::atomic<bool> stop{false};
  const absl::Duration interval = absl::Seconds(cfg->GetInt("object_server", "updater_interval"));
  std::thread updater([&] {
    while (!stop.load()) {
      listings.FlushCounts();
      if (auto left = pending.SendAll(); left.ok() && *left > 0) {
        spdlog::info("{} listing update(s) still pending", *left);
      }
      for (absl::Duration waited; waited < interval && !stop.load(); waited += absl::Seconds(1)) {
        clock.SleepFor(std::min(interval, absl::Seconds(1)));
      }
    }
  });
  spdlog::info("gureum-object-server serving devices under {} on port {}", root,
               cfg->GetInt("object_server", "rest_port"));
  service::ServeUntilSignal(**server, nullptr);
  stop = true;
  updater.join();
  return 0;
}

}  // namespace
}  // namespace gureum::object

int main(int argc, char** argv) { return gureum::object::Main(argc, argv); }
