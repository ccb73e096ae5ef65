// gureum-deploy: runs Gureum's services under supervision on one host.
//
//   gureum-deploy supervise [--services FILE] [--state-dir DIR] [--log-dir DIR] [--foreground]
//   gureum-deploy status | stop | reload [--state-dir DIR]
//
// allinone.sh writes the services file and starts (or reloads) the supervisor.
#include <iostream>

#include <CLI/CLI.hpp>

#include "absl/time/clock.h"
#include "common/log/log.h"
#include "deploy/gureum-deploy/control.h"
#include "deploy/gureum-deploy/state_file.h"
#include "deploy/gureum-deploy/supervisor_daemon.h"

namespace {

using gureum::deploy::DaemonOptions;

int Fail(const absl::Status& status) {
  std::cerr << "gureum-deploy: " << status.ToString() << "\n";
  return 1;
}

// Exit status 3 when the supervisor is not running, as LSB init scripts' "status" does.
int Status(const std::string& state_dir) {
  absl::StatusOr<int> pid = gureum::deploy::RunningSupervisorPid(state_dir);
  if (!pid.ok()) {
    std::cout << "supervisor: not running (" << state_dir << ")\n";
    return 3;
  }
  absl::StatusOr<gureum::deploy::SupervisorState> state =
      gureum::deploy::ReadStateFile(gureum::deploy::StateFilePath(state_dir));
  if (!state.ok()) return Fail(state.status());
  std::cout << "supervisor: running (pid " << *pid << ")\n"
            << gureum::deploy::FormatStatusTable(*state, absl::Now());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gureum-deploy: run Gureum's services under supervision"};
  app.require_subcommand(1);
  DaemonOptions options;
  double stop_grace_seconds = 10;
  bool foreground = false;

  CLI::App* supervise = app.add_subcommand("supervise", "start the supervisor");
  supervise->add_option("--services", options.services_file, "services file")
      ->capture_default_str();
  supervise->add_option("--log-dir", options.log_dir, "where <service>.log files go")
      ->capture_default_str();
  supervise
      ->add_option("--stop-grace", stop_grace_seconds,
                   "seconds between SIGTERM and SIGKILL when stopping a service")
      ->capture_default_str();
  supervise->add_flag("--foreground", foreground, "do not daemonize; log to stderr");
  CLI::App* status = app.add_subcommand("status", "show the supervised services");
  CLI::App* stop = app.add_subcommand("stop", "stop every service and the supervisor");
  CLI::App* reload = app.add_subcommand("reload", "re-read the services file");
  for (CLI::App* sub : {supervise, status, stop, reload}) {
    sub->add_option("--state-dir", options.state_dir, "pid and state files")->capture_default_str();
  }
  CLI11_PARSE(app, argc, argv);
  options.stop_grace = absl::Seconds(stop_grace_seconds);

  if (*supervise) {
    if (!foreground) {
      absl::Status started = gureum::deploy::DaemonizeSupervisor(options, absl::Seconds(10));
      if (!started.ok()) return Fail(started);
      std::cout << "gureum-deploy: supervisor running (pid "
                << gureum::deploy::RunningSupervisorPid(options.state_dir).value_or(0) << ")\n";
      return 0;
    }
    gureum::deploy::BlockSupervisorSignals();
    absl::Status logging = gureum::log::Init({.service = "gureum-deploy"});
    if (!logging.ok()) return Fail(logging);
    absl::Status ran = gureum::deploy::RunSupervisor(options);
    return ran.ok() ? 0 : Fail(ran);
  }
  if (*status) return Status(options.state_dir);
  if (*stop) {
    absl::Status stopped = gureum::deploy::StopSupervisor(options.state_dir, absl::Seconds(60));
    return stopped.ok() ? 0 : Fail(stopped);
  }
  if (*reload) {
    absl::Status reloaded = gureum::deploy::ReloadSupervisor(options.state_dir);
    return reloaded.ok() ? 0 : Fail(reloaded);
  }
  return 0;
}
