// gureum-volume-agent's configuration: [DEFAULT] host and transport_url, and the [volume]
// section (backends, export address and ports, filter, state directory, zone, intervals,
// queues, the image service), and its reading.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::volume_agent {

struct BackendOptions {
  std::string name;       // volume_backend_name
  std::string directory;  // where its volumes live
  std::string driver = "file";
};

struct AgentOptions {
  std::string host;  // [DEFAULT] host: queue volume.<host>
  std::vector<BackendOptions> backends;
  std::string export_address = "127.0.0.1";
  int export_port_min = 10809;
  int export_port_max = 11808;
  std::string export_filter = "none";  // none | nftables
  std::string state_dir = "/var/lib/gureum/volume-agent";
  std::string availability_zone = "nova";
  absl::Duration report_interval = absl::Seconds(10);
  std::string report_queue = "block-storage";
  std::string image_grpc = "localhost:19292";
  int workers = 4;
};

void AddAgentOptions(config::Schema& schema);
// InvalidArgument, naming the option, for a backend list that does not parse.
absl::StatusOr<AgentOptions> AgentOptionsFromConfig(const config::Config& cfg);

}  // namespace gureum::volume_agent
