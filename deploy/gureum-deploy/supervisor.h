// The supervisor's decisions, free of I/O: which services to start, restart, stop or
// kill, and when. The daemon loop (supervisor_daemon.h) feeds it process exits and
// ticks; processes are started through an injected ProcessSpawner and time comes from
// an injected Clock, so the restart and backoff rules are unit-tested with fakes.
//
// Rules:
//   - a service that exits on its own is restarted after a backoff that starts at
//     `initial_backoff` and doubles up to `max_backoff`; once a run has lasted
//     `reset_after`, the backoff starts again from `initial_backoff`;
//   - SetServices() reconciles with a new list: new services start, removed ones stop,
//     and only those whose command changed restart;
//   - a stop is SIGTERM to the process group, then SIGKILL after `stop_grace`.
//
// Not thread-safe: the daemon drives it from one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/base/clock.h"
#include "deploy/gureum-deploy/process_spawner.h"
#include "deploy/gureum-deploy/services_file.h"

namespace gureum::deploy {

enum class ServiceState {
  kRunning,   // the process is alive
  kBackoff,   // exited (or not started yet); waiting until next_start
  kStopping,  // SIGTERM sent; waiting for the exit
  kStopped,   // stopped for shutdown; never restarted
};
const char* ServiceStateName(ServiceState state);

struct ServiceStatus {
  std::string name;
  std::string command;
  ServiceState state = ServiceState::kBackoff;
  int pid = 0;
  int restarts = 0;
  absl::Time started_at = absl::InfinitePast();  // of the current run
  std::string last_exit;                         // "exit 3", "signal 9", or empty
};

class Supervisor {
 public:
  struct Options {
    absl::Duration initial_backoff = absl::Seconds(1);
    absl::Duration max_backoff = absl::Seconds(30);
    absl::Duration reset_after = absl::Seconds(60);
    absl::Duration stop_grace = absl::Seconds(10);
  };

  Supervisor(ProcessSpawner& spawner, const Clock& clock, Options options);

  // Reconciles with the wanted list (see the rules above). Starts happen in Tick().
  void SetServices(const std::vector<ServiceSpec>& specs);

  // Reports that `pid` ended with `wait_status` (as from waitpid). Unknown pids are
  // ignored.
  void OnExit(int pid, int wait_status);

  // Starts what is due and SIGKILLs what outlived its grace period.
  void Tick();

  // Stops every service for good (SIGTERM now, SIGKILL in Tick() after the grace).
  void StopAll();
  // True once no service has a live process.
  bool AllStopped() const;

  // The earliest time at which Tick() has something to do, or InfiniteFuture().
  absl::Time NextDeadline() const;

  // Services in name order.
  std::vector<ServiceStatus> Status() const;

 private:
  struct Service {
    ServiceStatus status;
    absl::Duration backoff;
    absl::Time next_start;
    absl::Time kill_at = absl::InfiniteFuture();
    bool killed = false;
    int starts = 0;  // of the current command
    bool remove_when_stopped = false;
    std::optional<ServiceSpec> restart_with;  // new command to start once stopped
  };

  void Start(Service& service);
  void BeginStop(Service& service);

  ProcessSpawner& spawner_;
  const Clock& clock_;
  const Options options_;
  bool shutting_down_ = false;
  std::map<std::string, Service> services_;
};

// "exit 3", "signal 9 (Killed)": a wait status for people.
std::string DescribeWaitStatus(int wait_status);

}  // namespace gureum::deploy
