// gureum-dashboard: the web console (port 8000). Serves the web app, keeps sessions
// (identity tokens stay here, the browser holds an HttpOnly cookie), proxies the pages'
// API calls to the services of the session's catalog, and pushes the project's
// notifications (RabbitMQ topic exchange `notifications`) to open pages as Server-Sent
// Events.
#include <spdlog/spdlog.h>

#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/notifier.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/base/signals.h"
#include "common/metrics/metrics.h"
#include "common/service/api_server.h"
#include "common/service/runtime.h"

#include "dashboard/dashboard_options.h"
#include "dashboard/dashboard_rest.h"
#include "dashboard/event_hub.h"
#include "dashboard/file_session_store.h"
#include "dashboard/http_identity_client.h"
#include "dashboard/httplib_http_client.h"
#include "dashboard/memory_session_store.h"
#include "dashboard/service_proxy.h"
#include "dashboard/session_manager.h"

namespace gureum::dashboard {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-dashboard", what, status);
}

// The consumer of every notification (binding "#") on an exclusive queue of its own:
// events are for the pages open now, nothing is kept for later.
absl::StatusOr<std::unique_ptr<amqp::Consumer>> StartEventConsumer(const config::Config& cfg,
                                                                   EventHub& hub) {
  auto connection = amqp::ParseUrl(cfg.GetString("DEFAULT", "transport_url"));
  if (!connection.ok()) return connection.status();
  auto consumer =
      amqp::Consumer::Create(*connection,
                             {.exchange = amqp::kNotificationExchange,
                              .exchange_type = amqp::ExchangeType::kTopic,
                              .binding_key = "#",
                              .max_attempts = 1},
                             [&hub](const amqp::Message& m) { return hub.Publish(m.body); });
  if (!consumer.ok()) return consumer.status();
  (*consumer)->Start();
  return consumer;
}

// The file store when [dashboard] session_file is set (sessions survive a restart), else
// the memory store.
absl::StatusOr<std::unique_ptr<SessionStore>> OpenSessionStore(const config::Config& cfg) {
  const std::string path = cfg.GetString("dashboard", "session_file");
  if (path.empty()) return std::make_unique<MemorySessionStore>();
  auto store = FileSessionStore::Open(path, cfg.GetDuration("dashboard", "session_touch_interval"));
  if (!store.ok()) return store.status();
  return std::unique_ptr<SessionStore>(*std::move(store));
}

int Main(int argc, char** argv) {
  BlockTerminationSignals();
  config::Schema schema;
  AddDashboardOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "dashboard", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());

  HttplibHttpClient http;
  HttpIdentityClient identity(http, cfg->GetString("dashboard", "identity_url"));
  absl::StatusOr<std::unique_ptr<SessionStore>> store = OpenSessionStore(*cfg);
  if (!store.ok()) return Fail("session store", store.status());
  SessionManager sessions({.store = **store,
                           .identity = identity,
                           .clock = RealClock::Get(),
                           .ids = RandomIdGenerator::Get()},
                          SessionOptionsFromConfig(*cfg));
  ServiceProxy proxy(http);
  EventHub hub;
  std::unique_ptr<amqp::Consumer> consumer;
  if (cfg->GetBool("dashboard", "live_events")) {
    auto started = StartEventConsumer(*cfg, hub);
    if (!started.ok()) return Fail("notifications consumer", started.status());
    consumer = *std::move(started);
  }

  metrics::Metrics metrics("dashboard");
  DashboardRest rest({.sessions = sessions, .proxy = proxy, .events = hub},
                     DashboardRestOptionsFromConfig(*cfg));
  auto server = service::StartRestServer(
      *cfg, "dashboard",
      DashboardRest::ServerOptions(&metrics, static_cast<int>(cfg->GetInt("dashboard", "threads"))),
      [&](http::Server& s) { rest.Register(s); });
  if (!server.ok()) return Fail("HTTP", server.status());
  spdlog::info("gureum-dashboard serving on port {} (identity {})",
               cfg->GetInt("dashboard", "rest_port"), cfg->GetString("dashboard", "identity_url"));
  service::ServeUntilSignal(**server, nullptr);
  if (consumer) consumer->Stop();
  return 0;
}

}  // namespace
}  // namespace gureum::dashboard

int main(int argc, char** argv) { return gureum::dashboard::Main(argc, argv); }
