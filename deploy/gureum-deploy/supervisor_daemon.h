// The supervisor process: holds the pid file, reads the services file, and drives a
// Supervisor from signals (SIGCHLD: a service exited; SIGHUP: re-read the services
// file; SIGTERM/SIGINT: stop every service, then exit), writing the state file as it
// goes. `gureum-deploy supervise` runs it, in the foreground or daemonized.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace gureum::deploy {

struct DaemonOptions {
  std::string services_file = "/etc/gureum/services.conf";
  std::string state_dir = "/run/gureum";
  std::string log_dir = "/var/log/gureum";
  absl::Duration stop_grace = absl::Seconds(10);
};

// Blocks the signals the supervisor reads from its signalfd. Call before any thread
// starts (spdlog's flusher is one): a thread that leaves SIGHUP unblocked would take
// the default action for the whole process, and a reload would kill the supervisor.
void BlockSupervisorSignals();

// Runs until SIGTERM or SIGINT has stopped every service. Returns an error without
// starting anything if another supervisor runs or the services file is invalid.
absl::Status RunSupervisor(const DaemonOptions& options);

// Detaches (fork, setsid, standard streams to /dev/null) and runs RunSupervisor in the
// child. The parent returns once the child holds the pid file, or with the reason it
// failed to.
absl::Status DaemonizeSupervisor(const DaemonOptions& options, absl::Duration timeout);

}  // namespace gureum::deploy
