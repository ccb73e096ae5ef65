#include "network/agent/network_agent.h"

#include <signal.h>

#include <set>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace gureum::network_agent {
namespace {

absl::Status RunStep(HostSystem& host, const Step& s, const Clock& clock) {
  switch (s.kind) {
    case Step::Kind::kRun:
      return RunChecked(host, s.argv, s.input);
    case Step::Kind::kWriteFile:
      return host.WriteFile(s.path, s.content);
    case Step::Kind::kRemovePath:
      return host.RemovePath(s.path);
    case Step::Kind::kSignal:
      return host.Signal(s.pid, s.signal);
    case Step::Kind::kStopProcess: {
      // TERM, then up to 3 s for it to go (dnsmasq frees its DHCP socket when it exits,
      // and the next one binds the same port), then KILL.
      auto first = host.ProcessCommandLine(s.pid);
      if (!first) return absl::OkStatus();
      if (absl::Status st = host.Signal(s.pid, SIGTERM); !st.ok()) return st;
      absl::Time give_up = clock.Now() + absl::Seconds(3);
      while (clock.Now() < give_up) {
        auto now = host.ProcessCommandLine(s.pid);
        if (!now || *now != *first) return absl::OkStatus();
        clock.SleepFor(absl::Milliseconds(20));
      }
      return host.Signal(s.pid, SIGKILL);
    }
  }
  return absl::InternalError("unknown step");
}

// Every port bound here, with its server-side status and admin state.
std::map<std::string, const pb::Port*> BoundPorts(const pb::HostState& st) {
  std::map<std::string, const pb::Port*> out;
  for (const auto& p : st.ports()) out[p.id()] = &p;
  for (const auto& d : st.dhcp()) out[d.dhcp_port().id()] = &d.dhcp_port();
  for (const auto& r : st.routers()) {
    for (const auto& leg : r.interfaces()) out[leg.port().id()] = &leg.port();
    if (r.has_gateway()) out[r.gateway().port().id()] = &r.gateway().port();
  }
  return out;
}

}  // namespace

std::map<std::string, absl::Status> ExecutePlan(HostSystem& host, const Plan& plan, int* steps_run,
                                                const Clock& clock) {
  std::map<std::string, absl::Status> failed;
  for (const Task& task : plan.tasks) {
    for (const Step& step : task.steps) {
      if (steps_run) ++*steps_run;
      absl::Status s = RunStep(host, step, clock);
      if (s.ok()) continue;
      if (step.may_fail) {
        spdlog::debug("{}: {} (ignored)", task.name, std::string(s.message()));
        continue;
      }
      failed[task.name] = s;
      break;
    }
  }
  return failed;
}

NetworkAgent::NetworkAgent(const AgentOptions& options, HostSystem& host, ServerClient& server,
                           const Clock& clock)
    : options_(options), host_(host), server_(server), clock_(clock), planner_(options, host) {}

NetworkAgent::~NetworkAgent() { Stop(); }

absl::Status NetworkAgent::Apply(const pb::HostState& state, ApplyResult* result) {
  ApplyResult local;
  ApplyResult& r = result ? *result : local;
  auto observed = Observe(host_, planner_.NamespacesOfInterest(state));
  if (!observed.ok()) return observed.status();
  Plan plan = planner_.Make(state, *observed);
  r.warnings = plan.warnings;
  for (const std::string& w : plan.warnings) spdlog::warn("{}", w);
  auto failed = ExecutePlan(host_, plan, &r.steps, clock_);
  for (const auto& [task, status] : failed) {
    r.failed.push_back(absl::StrCat(task, ": ", status.message()));
    spdlog::error("{}: {}", task, std::string(status.message()));
  }
  if (r.steps > 0) {
    spdlog::info("converged to generation {}: {} steps, {} tasks failed", state.generation(),
                 r.steps, failed.size());
  }

  pb::PortStatusUpdate update;
  update.set_host(state.host().empty() ? options_.host : state.host());
  for (const auto& [id, port] : BoundPorts(state)) {
    auto tasks = plan.port_tasks.find(id);
    bool ok = true;
    if (tasks != plan.port_tasks.end()) {
      for (const std::string& t : tasks->second) ok &= !failed.count(t);
    }
    if (!ok) continue;  // retried at the next convergence
    std::string want = port->admin_state_up() ? "ACTIVE" : "DOWN";
    if (port->status() != want) (*update.mutable_port_status())[id] = want;
  }
  if (!update.port_status().empty()) {
    for (const auto& [id, status] : update.port_status()) r.port_status[id] = status;
    if (absl::Status s = server_.UpdatePortStatus(update); !s.ok()) {
      spdlog::warn("UpdatePortStatus ({} ports): {}", update.port_status().size(), s.ToString());
    }
  }
  return absl::OkStatus();
}

absl::Status NetworkAgent::Converge(ApplyResult* result) {
  auto state = server_.GetHostState(options_.host);
  if (!state.ok()) return state.status();
  absl::Status s = Apply(*state, result);
  absl::MutexLock l(&mu_);
  ++convergences_;
  return s;
}

absl::Status NetworkAgent::Report() {
  pb::AgentReport report;
  report.set_host(options_.host);
  report.set_local_ip(options_.local_ip);
  for (const auto& [physnet, iface] : options_.physical_interfaces) {
    (*report.mutable_physical_interfaces())[physnet] = iface;
  }
  report.set_dhcp(options_.dhcp);
  report.set_l3(options_.l3);
  report.set_version("1");
  report.set_at_unix_ms(absl::ToUnixMillis(clock_.Now()));
  return server_.ReportAgent(report);
}

void NetworkAgent::Start() {
  {
    absl::MutexLock l(&mu_);
    pending_ = true;
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void NetworkAgent::RequestConverge(const std::string& reason) {
  spdlog::debug("convergence requested: {}", reason);
  absl::MutexLock l(&mu_);
  pending_ = true;
}

void NetworkAgent::Stop() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

int64_t NetworkAgent::convergences() const {
  absl::MutexLock l(&mu_);
  return convergences_;
}

void NetworkAgent::Loop() {
  absl::Time next_resync = clock_.Now();
  while (true) {
    {
      absl::MutexLock l(&mu_);
      auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_ || stopping_; };
      // A timeout, not absl's deadline: the deadline is on the injected clock.
      mu_.AwaitWithTimeout(absl::Condition(&wake), next_resync - clock_.Now());
      if (stopping_) return;
      if (pending_) {
        // Debounce: the casts of one API call (port, then rules, then status) come
        // together; one convergence serves them all.
        mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.debounce);
        if (stopping_) return;
      }
      pending_ = false;
    }
    ApplyResult result;
    absl::Status s = Converge(&result);
    if (!s.ok()) spdlog::error("convergence: {}", s.ToString());
    // A failed convergence is retried sooner than the full interval.
    next_resync = clock_.Now() + (s.ok() && result.failed.empty()
                                      ? options_.resync_interval
                                      : std::min(options_.resync_interval, absl::Seconds(5)));
  }
}

}  // namespace gureum::network_agent
