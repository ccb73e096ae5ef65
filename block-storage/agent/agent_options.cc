#include "block-storage/agent/agent_options.h"

#include <unistd.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gureum::volume_agent {
namespace {
constexpr char kSection[] = "volume";
}  // namespace

void AddAgentOptions(config::Schema& s) {
  const std::string v = kSection;
  s.List(v, "backends", "file:/var/lib/gureum/volumes",
         "The backends of this host, each name:directory[:driver] (driver: file).");
  s.String(v, "export_address", "127.0.0.1",
           "The storage network address exports listen on and compute hosts connect to.");
  s.Int(v, "export_port_min", 10809, 1, 65535, "First TCP port of the exports.");
  s.Int(v, "export_port_max", 11808, 1, 65535, "Last TCP port of the exports.");
  s.Add({.section = v,
         .name = "export_filter",
         .type = config::Type::kString,
         .default_value = "none",
         .help = "nftables: only the attaching host's address may reach an export's port "
                 "(needs root); none: the unguessable export name is the only check.",
         .choices = {"none", "nftables"}});
  s.String(v, "state_dir", "/var/lib/gureum/volume-agent",
           "Where the agent keeps its exports' state (pid files, monitor sockets).");
  s.String(v, "availability_zone", "nova", "Availability zone of this host's backends.");
  s.Int(v, "report_interval", 10, 1, 3600, "Seconds between capacity reports (heartbeats).");
  s.String(v, "report_queue", "block-storage", "Queue for results and capacity reports.");
  s.String(v, "image_grpc", "localhost:19292",
           "The image service's gRPC endpoint (volumes created from images).");
  s.Int(v, "workers", 4, 1, 64, "Casts handled at once.");
}

absl::StatusOr<AgentOptions> AgentOptionsFromConfig(const config::Config& cfg) {
  const std::string v = kSection;
  AgentOptions o;
  o.host = cfg.GetString("DEFAULT", "host");
  if (o.host.empty()) {
    char name[256] = {};
    gethostname(name, sizeof(name) - 1);
    o.host = name;
  }
  std::set<std::string> names;
  for (const std::string& entry : cfg.GetList(v, "backends")) {
    std::vector<std::string> parts = absl::StrSplit(entry, ':');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty() ||
        parts[1][0] != '/' || (parts.size() == 3 && parts[2] != "file") ||
        !names.insert(parts[0]).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("[volume] backends: '", entry,
                       "' is not name:/absolute/directory[:file] (or its name is used twice)"));
    }
    o.backends.push_back({.name = parts[0], .directory = parts[1]});
  }
  if (o.backends.empty()) return absl::InvalidArgumentError("[volume] backends: none given");
  o.export_address = cfg.GetString(v, "export_address");
  // Compute hosts connect to it: it must be one address, not "any".
  if (o.export_address.empty() || o.export_address == "0.0.0.0" || o.export_address == "::") {
    return absl::InvalidArgumentError(
        "[volume] export_address: must be this host's storage network address");
  }
  o.export_port_min = static_cast<int>(cfg.GetInt(v, "export_port_min"));
  o.export_port_max = static_cast<int>(cfg.GetInt(v, "export_port_max"));
  if (o.export_port_min > o.export_port_max) {
    return absl::InvalidArgumentError("[volume] export_port_min is above export_port_max");
  }
  o.export_filter = cfg.GetString(v, "export_filter");
  o.state_dir = cfg.GetString(v, "state_dir");
  o.availability_zone = cfg.GetString(v, "availability_zone");
  o.report_interval = absl::Seconds(cfg.GetInt(v, "report_interval"));
  o.report_queue = cfg.GetString(v, "report_queue");
  o.image_grpc = cfg.GetString(v, "image_grpc");
  o.workers = static_cast<int>(cfg.GetInt(v, "workers"));
  return o;
}

}  // namespace gureum::volume_agent
