#include "deploy/gureum-deploy/supervisor.h"

#include <signal.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include <sys/wait.h>

#include "absl/strings/str_cat.h"

#include "spdlog/spdlog.h"

namespace gureum::deploy {

const char* ServiceStateName(ServiceState state) {
  switch (state) {
    case ServiceState::kRunning:
      return "running";
    case ServiceState::kBackoff:
      return "backoff";
    case ServiceState::kStopping:
      return "stopping";
    case ServiceState::kStopped:
      return "stopped";
  }
  return "unknown";
}

std::string DescribeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return absl::StrCat("exit ", WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    return absl::StrCat("signal ", sig, " (", strsignal(sig), ")");
  }
  return absl::StrCat("status ", wait_status);
}

Supervisor::Supervisor(ProcessSpawner& spawner, const Clock& clock, Options options)
    : spawner_(spawner), clock_(clock), options_(options) {}

void Supervisor::SetServices(const std::vector<ServiceSpec>& specs) {
  if (shutting_down_) return;
  std::set<std::string> wanted;
  for (const ServiceSpec& spec : specs) {
    wanted.insert(spec.name);
    auto it = services_.find(spec.name);
    if (it == services_.end()) {
      Service service;
      service.status.name = spec.name;
      service.status.command = spec.command;
      service.backoff = options_.initial_backoff;
      service.next_start = clock_.Now();
      services_.emplace(spec.name, std::move(service));
      spdlog::info("service {} added", spec.name);
      continue;
    }
    Service& service = it->second;
    service.remove_when_stopped = false;
    const std::string& current =
        service.restart_with ? service.restart_with->command : service.status.command;
    if (current == spec.command) continue;
    spdlog::info("service {} command changed; restarting it", spec.name);
    if (service.status.state == ServiceState::kRunning ||
        service.status.state == ServiceState::kStopping) {
      service.restart_with = spec;
      if (service.status.state == ServiceState::kRunning) BeginStop(service);
    } else {
      // Not running: the new command simply starts now, with a fresh backoff.
      service.status.command = spec.command;
      service.status.restarts = 0;
      service.starts = 0;
      service.backoff = options_.initial_backoff;
      service.next_start = clock_.Now();
    }
  }
  for (auto it = services_.begin(); it != services_.end();) {
    Service& service = it->second;
    if (wanted.count(it->first)) {
      ++it;
      continue;
    }
    spdlog::info("service {} removed", it->first);
    if (service.status.state == ServiceState::kRunning ||
        service.status.state == ServiceState::kStopping) {
      service.remove_when_stopped = true;
      service.restart_with.reset();
      if (service.status.state == ServiceState::kRunning) BeginStop(service);
      ++it;
    } else {
      it = services_.erase(it);
    }
  }
}

void Supervisor::OnExit(int pid, int wait_status) {
  auto it = std::find_if(services_.begin(), services_.end(),
                         [pid](const auto& entry) { return entry.second.status.pid == pid; });
  if (it == services_.end()) return;
  Service& service = it->second;
  absl::Time now = clock_.Now();
  service.status.pid = 0;
  service.status.last_exit = DescribeWaitStatus(wait_status);
  service.kill_at = absl::InfiniteFuture();
  service.killed = false;

  if (service.status.state == ServiceState::kStopping) {
    spdlog::info("service {} stopped ({})", it->first, service.status.last_exit);
    if (service.remove_when_stopped) {
      services_.erase(it);
    } else if (shutting_down_) {
      service.status.state = ServiceState::kStopped;
    } else if (service.restart_with) {
      service.status.command = service.restart_with->command;
      service.restart_with.reset();
      service.status.restarts = 0;
      service.starts = 0;
      service.backoff = options_.initial_backoff;
      service.status.state = ServiceState::kBackoff;
      service.next_start = now;
    } else {
      service.status.state = ServiceState::kStopped;
    }
    return;
  }

  // An exit nobody asked for: a crash. A run that lasted long enough counts as healthy,
  // so the next crash waits only the initial backoff again.
  if (now - service.status.started_at >= options_.reset_after) {
    service.backoff = options_.initial_backoff;
  }
  service.status.state = ServiceState::kBackoff;
  service.next_start = now + service.backoff;
  spdlog::warn(
      "service {} exited ({}) after {}; restarting in {}", it->first, service.status.last_exit,
      absl::FormatDuration(absl::Trunc(now - service.status.started_at, absl::Milliseconds(1))),
      absl::FormatDuration(service.backoff));
  service.backoff = std::min(service.backoff * 2, options_.max_backoff);
}

void Supervisor::Tick() {
  absl::Time now = clock_.Now();
  for (auto& [name, service] : services_) {
    if (service.status.state == ServiceState::kBackoff && !shutting_down_ &&
        now >= service.next_start) {
      Start(service);
    } else if (service.status.state == ServiceState::kStopping && !service.killed &&
               now >= service.kill_at) {
      spdlog::warn("service {} did not stop within {}; killing it", name,
                   absl::FormatDuration(options_.stop_grace));
      (void)spawner_.Signal(service.status.pid, SIGKILL);
      service.killed = true;
    }
  }
}

void Supervisor::Start(Service& service) {
  ServiceSpec spec{service.status.name, service.status.command};
  absl::StatusOr<int> pid = spawner_.Spawn(spec);
  absl::Time now = clock_.Now();
  // Every start after the first of the current command is a restart.
  if (service.starts++ > 0) ++service.status.restarts;
  service.status.started_at = now;
  if (!pid.ok()) {
    // Treated like a crash at once: retry with the same backoff rules.
    spdlog::error("service {} failed to start: {}", spec.name, pid.status().ToString());
    service.status.last_exit = std::string(pid.status().message());
    service.next_start = now + service.backoff;
    service.backoff = std::min(service.backoff * 2, options_.max_backoff);
    return;
  }
  service.status.pid = *pid;
  service.status.state = ServiceState::kRunning;
  spdlog::info("service {} started, pid {}", spec.name, *pid);
}

void Supervisor::BeginStop(Service& service) {
  service.status.state = ServiceState::kStopping;
  service.kill_at = clock_.Now() + options_.stop_grace;
  service.killed = false;
  absl::Status signalled = spawner_.Signal(service.status.pid, SIGTERM);
  if (!signalled.ok()) spdlog::warn("stop {}: {}", service.status.name, signalled.ToString());
}

void Supervisor::StopAll() {
  shutting_down_ = true;
  for (auto& [name, service] : services_) {
    if (service.status.state == ServiceState::kRunning) {
      BeginStop(service);
    } else if (service.status.state == ServiceState::kBackoff) {
      service.status.state = ServiceState::kStopped;
    }
  }
}

bool Supervisor::AllStopped() const {
  return std::none_of(services_.begin(), services_.end(),
                      [](const auto& entry) { return entry.second.status.pid != 0; });
}

absl::Time Supervisor::NextDeadline() const {
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [name, service] : services_) {
    if (service.status.state == ServiceState::kBackoff && !shutting_down_) {
      next = std::min(next, service.next_start);
    } else if (service.status.state == ServiceState::kStopping && !service.killed) {
      next = std::min(next, service.kill_at);
    }
  }
  return next;
}

std::vector<ServiceStatus> Supervisor::Status() const {
  std::vector<ServiceStatus> out;
  for (const auto& [name, service] : services_) out.push_back(service.status);
  return out;
}

}  // namespace gureum::deploy
