// Test-only HostSystem: records every command, answers them from canned outputs (by
// the command line's prefix), keeps files in memory, and fails chosen commands.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "network/agent/host_system.h"

namespace gureum::network_agent {

class FakeHostSystem final : public HostSystem {
 public:
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    const std::string& input) override;
  std::optional<std::string> ReadFile(const std::string& path) override;
  absl::Status WriteFile(const std::string& path, const std::string& content) override;
  absl::Status RemovePath(const std::string& path) override;
  std::vector<std::string> ListDir(const std::string& path) override;
  std::optional<std::string> ProcessCommandLine(int pid) override;
  absl::Status Signal(int pid, int signal) override;

  // The output of commands whose joined command line starts with `prefix` (longest wins).
  void SetOutput(const std::string& prefix, const std::string& output, int exit_code = 0);
  // Commands starting with `prefix` exit 1 with `message`.
  void Fail(const std::string& prefix, const std::string& message);

  std::vector<std::string> commands;  // joined argv of every Run
  std::vector<std::string> inputs;    // standard input of every Run
  std::vector<std::string> signals;   // "<sig> <pid>"
  std::map<std::string, std::string> files;
  std::map<int, std::string> processes;  // pid -> command line

 private:
  struct Canned {
    std::string output;
    int exit_code = 0;
  };
  std::map<std::string, Canned> canned_;
};

}  // namespace gureum::network_agent
