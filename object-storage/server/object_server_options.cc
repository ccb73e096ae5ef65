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
  schema.String(s, "ring_file", "/etc/gureum/object.ring",
                "The object ring, for the replicator and the expirer; reloaded when it changes. "
                "Without it the server serves requests but replicates and expires nothing.");
  schema.String(s, "ring_ip", "",
                "This server's address in the ring (its devices' ip); empty: `host`. The port "
                "is rest_port.");
  schema.Int(s, "replicator_interval", 30, 0, 86400,
             "Seconds between replication passes; 0: only on POST /passes/replicate.");
  schema.Int(s, "auditor_interval", 300, 0, 86400,
             "Seconds between auditor passes; 0: only on POST /passes/audit.");
  schema.Int(s, "auditor_bytes_per_second", 10 << 20, 0, int64_t{1} << 40,
             "The auditor's read rate; 0: unlimited.");
  schema.Int(s, "expirer_interval", 60, 0, 86400,
             "Seconds between expirer passes; 0: only on POST /passes/expire.");
  http::AddMetricsListenerOptions(schema, s);
}

}  // namespace gureum::object
