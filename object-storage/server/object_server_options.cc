#include "object-storage/server/object_server_options.h"

#include "common/http/metrics_listener.h"

namespace gureum::object {

void AddObjectServerOptions(config::Schema& schema) {
  const std::string s = "object_server";
  schema.String(s, "host", "0.0.0.0", "Address the internal HTTP API listens on.");
  schema.Int(s, "rest_port", 6200, 1, 65535, "Port of the internal HTTP API.");
  schema.String(s, "devices", "/srv/node",
                "Directory holding the devices, one directory each (<devices>/<device>).");
  schema.Int(s, "workers", 32, 1, 1024, "Threads serving requests.");
  schema.Int(s, "updater_interval", 1, 1, 3600,
             "Seconds between sends of container counts and saved listing updates.");
  http::AddMetricsListenerOptions(schema, s);
}

}  // namespace gureum::object
