// network_agent_apply: applies a HostState (protobuf text format, from a file) once, as
// the agent's convergence would, and prints the port statuses it would report, one
// "port_id STATUS" per line. For integration tests and the benchmark, which run it in a
// "host" network namespace (nsenter --net=/run/netns/<host>):
//
//   network_agent_apply --state s.txtpb --local-ip 10.0.0.1 --state-path /tmp/x
//       [--mapping physnet:iface]...
#include <fstream>
#include <iostream>
#include <sstream>

#include <google/protobuf/text_format.h>

#include "absl/strings/match.h"
#include "network/agent/dnsmasq_user.h"
#include "network/agent/network_agent.h"
#include "network/agent/observed_state.h"

namespace gureum::network_agent {
namespace {

class PrintingServer final : public ServerClient {
 public:
  absl::StatusOr<pb::HostState> GetHostState(const std::string&) override {
    return absl::UnimplementedError("no server here");
  }
  absl::Status ReportAgent(const pb::AgentReport&) override { return absl::OkStatus(); }
  absl::Status UpdatePortStatus(const pb::PortStatusUpdate& update) override {
    std::map<std::string, std::string> sorted(update.port_status().begin(),
                                              update.port_status().end());
    for (const auto& [id, status] : sorted) std::cout << id << " " << status << "\n";
    return absl::OkStatus();
  }
};

int Main(int argc, char** argv) {
  AgentOptions options;
  options.dnsmasq_user = "nobody";  // the agent's default
  std::string state_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--state") {
      state_file = value;
    } else if (flag == "--local-ip") {
      options.local_ip = value;
    } else if (flag == "--state-path") {
      options.state_path = value;
    } else if (flag == "--dnsmasq-user") {
      options.dnsmasq_user = value;
    } else if (flag == "--mapping") {
      auto m = ParseInterfaceMappings({value});
      if (!m.ok()) {
        std::cerr << m.status().message() << "\n";
        return 2;
      }
      options.physical_interfaces.insert(m->begin(), m->end());
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  std::ifstream in(state_file);
  std::stringstream text;
  text << in.rdbuf();
  pb::HostState state;
  if (!in || !google::protobuf::TextFormat::ParseFromString(text.str(), &state)) {
    std::cerr << "cannot read a HostState from " << state_file << "\n";
    return 2;
  }
  options.host = state.host();
  if (std::string why = ApplyDnsmasqUser(options); !why.empty()) std::cerr << why << "\n";
  auto host = NewLinuxHostSystem();
  PrintingServer server;
  NetworkAgent agent(options, *host, server);
  ApplyResult result;
  absl::Status s = agent.Apply(state, &result);
  for (const std::string& w : result.warnings) std::cerr << "warning: " << w << "\n";
  for (const std::string& f : result.failed) std::cerr << "failed: " << f << "\n";
  std::cerr << "steps: " << result.steps << "\n";
  if (!s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  return result.failed.empty() ? 0 : 1;
}

}  // namespace
}  // namespace gureum::network_agent

int main(int argc, char** argv) { return gureum::network_agent::Main(argc, argv); }
