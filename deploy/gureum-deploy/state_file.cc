#include "deploy/gureum-deploy/state_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gureum::deploy {
namespace {

ServiceState StateFromName(const std::string& name) {
  for (ServiceState s : {ServiceState::kRunning, ServiceState::kBackoff, ServiceState::kStopping,
                         ServiceState::kStopped}) {
    if (name == ServiceStateName(s)) return s;
  }
  return ServiceState::kStopped;
}

}  // namespace

std::string StateToJson(const SupervisorState& state) {
  nlohmann::json services = nlohmann::json::array();
  for (const ServiceStatus& s : state.services) {
    services.push_back({
        {"name", s.name},
        {"command", s.command},
        {"state", ServiceStateName(s.state)},
        {"pid", s.pid},
        {"restarts", s.restarts},
        {"started_at",
         s.started_at == absl::InfinitePast() ? 0 : absl::ToUnixSeconds(s.started_at)},
        {"last_exit", s.last_exit},
    });
  }
  nlohmann::json doc = {{"supervisor_pid", state.supervisor_pid},
                        {"updated_at", absl::ToUnixSeconds(state.updated_at)},
                        {"services", services}};
  return doc.dump(2) + "\n";
}

absl::StatusOr<SupervisorState> StateFromJson(const std::string& json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::DataLossError("state file is not a JSON object");
  }
  SupervisorState state;
  state.supervisor_pid = doc.value("supervisor_pid", 0);
  state.updated_at = absl::FromUnixSeconds(doc.value("updated_at", int64_t{0}));
  for (const nlohmann::json& s : doc.value("services", nlohmann::json::array())) {
    ServiceStatus status;
    status.name = s.value("name", "");
    status.command = s.value("command", "");
    status.state = StateFromName(s.value("state", ""));
    status.pid = s.value("pid", 0);
    status.restarts = s.value("restarts", 0);
    int64_t started = s.value("started_at", int64_t{0});
    status.started_at = started == 0 ? absl::InfinitePast() : absl::FromUnixSeconds(started);
    status.last_exit = s.value("last_exit", "");
    state.services.push_back(std::move(status));
  }
  return state;
}

absl::Status WriteStateFile(const std::string& path, const SupervisorState& state) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << StateToJson(state);
    out.flush();
    if (!out) return absl::InternalError(absl::StrCat("write ", tmp, ": ", strerror(errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("rename ", tmp, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<SupervisorState> ReadStateFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", strerror(errno)));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return StateFromJson(buffer.str());
}

std::string FormatUptime(absl::Duration d) {
  int64_t s = absl::ToInt64Seconds(d);
  if (s < 0) s = 0;
  if (s >= 86400) return absl::StrFormat("%dd%dh", s / 86400, (s % 86400) / 3600);
  if (s >= 3600) return absl::StrFormat("%dh%dm", s / 3600, (s % 3600) / 60);
  if (s >= 60) return absl::StrFormat("%dm%ds", s / 60, s % 60);
  return absl::StrFormat("%ds", s);
}

std::string FormatStatusTable(const SupervisorState& state, absl::Time now) {
  size_t width = 7;  // "SERVICE"
  for (const ServiceStatus& s : state.services) width = std::max(width, s.name.size());
  std::string out = absl::StrFormat("%-*s  %-8s  %7s  %8s  %7s  %s\n", width, "SERVICE", "STATE",
                                    "PID", "RESTARTS", "UPTIME", "LAST-EXIT");
  for (const ServiceStatus& s : state.services) {
    bool running = s.state == ServiceState::kRunning;
    std::string pid = running ? absl::StrCat(s.pid) : "-";
    std::string uptime = running ? FormatUptime(now - s.started_at) : "-";
    absl::StrAppendFormat(&out, "%-*s  %-8s  %7s  %8d  %7s  %s\n", width, s.name,
                          ServiceStateName(s.state), pid, s.restarts, uptime,
                          s.last_exit.empty() ? "-" : s.last_exit);
  }
  if (state.services.empty()) out += "(no services configured)\n";
  return out;
}

}  // namespace gureum::deploy
