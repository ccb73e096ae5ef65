#include "common/service/api_server.h"

#include <spdlog/spdlog.h>

#include "common/base/signals.h"
#include "common/http/metrics_listener.h"
#include "common/http/rest.h"

namespace gureum::service {

absl::StatusOr<std::unique_ptr<auth::ServiceAuth>> StartServiceAuth(const config::Config& cfg) {
  return auth::ServiceAuth::Start({.identity_grpc = cfg.GetString("service_auth", "identity_grpc"),
                                   .transport_url = cfg.GetString("DEFAULT", "transport_url")});
}

std::string PublicBaseUrl(const config::Config& cfg, const std::string& section,
                          absl::string_view version_suffix) {
  return http::ApiBaseUrl(cfg.GetString(section, "public_url"), cfg.GetString("DEFAULT", "my_ip"),
                          static_cast<int>(cfg.GetInt(section, "rest_port")), version_suffix);
}

absl::StatusOr<std::unique_ptr<http::Server>> StartRestServer(
    const config::Config& cfg, const std::string& section, http::ServerOptions options,
    const std::function<void(http::Server&)>& register_routes) {
  options.host = cfg.GetString(section, "host");
  options.port = static_cast<int>(cfg.GetInt(section, "rest_port"));
  http::ApplyMetricsListenerOptions(cfg, section, options);  // /metrics off the API port
  auto server = std::make_unique<http::Server>(options);
  register_routes(*server);
  absl::StatusOr<int> port = server->Start();
  if (!port.ok()) return port.status();
  return server;
}

void ServeUntilSignal(http::Server& rest, grpcx::Server* grpc) {
  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down", sig);
  rest.Stop();
  if (grpc != nullptr) grpc->Shutdown(absl::Seconds(5));
}

}  // namespace gureum::service
