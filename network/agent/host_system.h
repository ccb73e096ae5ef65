// Every contact the network agent has with the host goes through HostSystem: running a
// tool (ip, bridge, nft, sysctl, dnsmasq) with an argument vector and optional standard
// input, the files in its state folder, and signals to the dnsmasq processes it started.
// The real implementation is LinuxHostSystem; tests use FakeHostSystem
// (fake_host_system.h), which records commands and answers them from canned outputs.
// Implementations are thread-compatible: the agent uses one from one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace gureum::network_agent {

struct CommandResult {
  int exit_code = -1;  // -1: killed (deadline) or not started
  std::string output;  // standard output (and error, after it), at most 1 MiB
};

class HostSystem {
 public:
  virtual ~HostSystem() = default;

  // Runs argv[0] (searched in PATH) with `input` on its standard input. InternalError
  // only when it could not be started; a non-zero exit is a result, not an error.
  virtual absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                            const std::string& input = "") = 0;

  // nullopt when the file does not exist.
  virtual std::optional<std::string> ReadFile(const std::string& path) = 0;
  // Writes through a temporary file and a rename (readers never see half a file);
  // creates the parent folders.
  virtual absl::Status WriteFile(const std::string& path, const std::string& content) = 0;
  // Removes a file or a folder with its content; OK when it did not exist.
  virtual absl::Status RemovePath(const std::string& path) = 0;
  // The names in a folder (empty when it does not exist).
  virtual std::vector<std::string> ListDir(const std::string& path) = 0;

  // The command line of process `pid` (arguments joined by spaces); nullopt when there
  // is no such process.
  virtual std::optional<std::string> ProcessCommandLine(int pid) = 0;
  virtual absl::Status Signal(int pid, int signal) = 0;
};

// The real host. Commands get `timeout` each, read on `clock`. With `netns` set (a name
// under /run/netns), every command runs in that network namespace instead of the caller's
// (a simulated host: the agent keeps its own namespace, where it reaches the services).
std::unique_ptr<HostSystem> NewLinuxHostSystem(absl::Duration timeout = absl::Seconds(20),
                                               const std::string& netns = "",
                                               const Clock& clock = RealClock::Get());

// Run, and an error naming the tool, its arguments and its output unless it exited 0.
absl::Status RunChecked(HostSystem& host, const std::vector<std::string>& argv,
                        const std::string& input = "");

}  // namespace gureum::network_agent
