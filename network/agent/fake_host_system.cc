#include "network/agent/fake_host_system.h"

#include <signal.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gureum::network_agent {

absl::StatusOr<CommandResult> FakeHostSystem::Run(const std::vector<std::string>& argv,
                                                  const std::string& input) {
  std::string line = absl::StrJoin(argv, " ");
  commands.push_back(line);
  inputs.push_back(input);
  const Canned* best = nullptr;
  size_t best_len = 0;
  for (const auto& [prefix, c] : canned_) {
    if (absl::StartsWith(line, prefix) && prefix.size() >= best_len) {
      best = &c;
      best_len = prefix.size();
    }
  }
  CommandResult r;
  r.exit_code = best ? best->exit_code : 0;
  r.output = best ? best->output : "";
  return r;
}

std::optional<std::string> FakeHostSystem::ReadFile(const std::string& path) {
  auto it = files.find(path);
  if (it == files.end()) return std::nullopt;
  return it->second;
}

absl::Status FakeHostSystem::WriteFile(const std::string& path, const std::string& content) {
  files[path] = content;
  return absl::OkStatus();
}

absl::Status FakeHostSystem::RemovePath(const std::string& path) {
  for (auto it = files.begin(); it != files.end();) {
    if (it->first == path || absl::StartsWith(it->first, path + "/")) {
      it = files.erase(it);
    } else {
      ++it;
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> FakeHostSystem::ListDir(const std::string& path) {
  std::vector<std::string> out;
  std::string prefix = path + "/";
  for (const auto& [name, content] : files) {
    if (!absl::StartsWith(name, prefix)) continue;
    std::string rest = name.substr(prefix.size());
    std::string first = rest.substr(0, rest.find('/'));
    if (out.empty() || out.back() != first) out.push_back(first);
  }
  return out;
}

std::optional<std::string> FakeHostSystem::ProcessCommandLine(int pid) {
  auto it = processes.find(pid);
  if (it == processes.end()) return std::nullopt;
  return it->second;
}

absl::Status FakeHostSystem::Signal(int pid, int sig) {
  signals.push_back(absl::StrCat(sig, " ", pid));
  if (sig == SIGTERM || sig == SIGKILL) processes.erase(pid);
  return absl::OkStatus();
}

void FakeHostSystem::SetOutput(const std::string& prefix, const std::string& output,
                               int exit_code) {
  canned_[prefix] = {output, exit_code};
}

void FakeHostSystem::Fail(const std::string& prefix, const std::string& message) {
  canned_[prefix] = {message, 1};
}

}  // namespace gureum::network_agent
