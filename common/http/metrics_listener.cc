#include "common/http/metrics_listener.h"

namespace gureum::http {

void AddMetricsListenerOptions(config::Schema& schema, const std::string& section) {
  schema.String(section, "metrics_host", "127.0.0.1",
                "Address of the /metrics listener (kept off the public API port).");
  schema.Int(section, "metrics_port", 0, 0, 65535,
             "Port of the /metrics listener (0: no metrics listener).");
}

void ApplyMetricsListenerOptions(const config::Config& cfg, const std::string& section,
                                 ServerOptions& options) {
  const long long port = cfg.GetInt(section, "metrics_port");
  options.metrics_host = cfg.GetString(section, "metrics_host");
  options.metrics_port = port > 0 ? static_cast<int>(port) : -1;
}

}  // namespace gureum::http
