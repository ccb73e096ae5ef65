#include "deploy/gureum-deploy/supervisor_daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <set>
#include <thread>

#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/clock.h"
#include "common/log/log.h"
#include "deploy/gureum-deploy/control.h"
#include "deploy/gureum-deploy/process_spawner.h"
#include "deploy/gureum-deploy/services_file.h"
#include "deploy/gureum-deploy/state_file.h"
#include "deploy/gureum-deploy/supervisor.h"

#include "spdlog/spdlog.h"

namespace gureum::deploy {
namespace {

absl::Status MakeDirs(const std::string& dir, mode_t mode) {
  std::string path;
  for (size_t pos = 0; pos != std::string::npos;) {
    pos = dir.find('/', pos + 1);
    path = dir.substr(0, pos);
    if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
      const int err = errno;
      return absl::ErrnoToStatus(err, absl::StrCat("mkdir ", path));
    }
  }
  return absl::OkStatus();
}

// Milliseconds until `deadline` for poll(), capped so that a clock jump cannot leave
// the loop asleep for long.
int PollTimeoutMs(absl::Time deadline, absl::Time now) {
  if (deadline == absl::InfiniteFuture()) return 60'000;
  int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(deadline - now, absl::Milliseconds(1)));
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 60'000));
}

void ReapChildren(Supervisor& supervisor) {
  int wait_status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &wait_status, WNOHANG)) > 0) supervisor.OnExit(pid, wait_status);
}

sigset_t SupervisorSignals() {
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, sig);
  return mask;
}

// After the services' leaders have exited, waits until every process of their groups
// (a shell's children, say) is gone too, reaping them (we are their subreaper), and
// SIGKILLs what is left at `deadline`. Without it a stop could return while children of
// a service still run.
void DrainProcessGroups(std::set<int> groups, absl::Time deadline) {
  bool killed = false;
  while (!groups.empty()) {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    for (auto it = groups.begin(); it != groups.end();) {
      it = (kill(-*it, 0) != 0 && errno == ESRCH) ? groups.erase(it) : std::next(it);
    }
    if (groups.empty()) break;
    if (!killed && absl::Now() >= deadline) {
      for (int group : groups) {
        spdlog::warn("process group {} outlived its service; killing it", group);
        kill(-group, SIGKILL);
      }
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

void BlockSupervisorSignals() {
  sigset_t mask = SupervisorSignals();
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
}

absl::Status RunSupervisor(const DaemonOptions& options) {
  for (const std::string& dir : {options.state_dir, options.log_dir}) {
    absl::Status made = MakeDirs(dir, 0755);
    if (!made.ok()) return made;
  }
  absl::StatusOr<PidFileLock> lock = PidFileLock::Acquire(options.state_dir);
  if (!lock.ok()) return lock.status();
  absl::StatusOr<std::vector<ServiceSpec>> specs = ReadServicesFile(options.services_file);
  if (!specs.ok()) return specs.status();

  // Signals are read from a signalfd in the loop rather than handled asynchronously, so
  // all the supervisor's work happens on this one thread, between polls.
  // Blocked again here for callers that did not; see BlockSupervisorSignals().
  sigset_t mask = SupervisorSignals();
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) return absl::ErrnoToStatus(errno, "sigmask");
  int signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd < 0) return absl::ErrnoToStatus(errno, "signalfd");

  // Orphans of a service (a shell's children) are re-parented to us rather than to
  // PID 1, which on a host without an init system may never reap them.
  prctl(PR_SET_CHILD_SUBREAPER, 1);

  Clock& clock = RealClock::Get();
  PosixProcessSpawner spawner(options.log_dir);
  Supervisor::Options supervisor_options;
  supervisor_options.stop_grace = options.stop_grace;
  Supervisor supervisor(spawner, clock, supervisor_options);
  supervisor.SetServices(*specs);
  spdlog::info("supervisor started, pid {}, {} services from {}", getpid(), specs->size(),
               options.services_file);

  const std::string state_path = StateFilePath(options.state_dir);
  bool stopping = false;
  std::set<int> groups;  // of every service started, for DrainProcessGroups
  for (;;) {
    supervisor.Tick();
    for (const ServiceStatus& service : supervisor.Status()) {
      if (service.pid > 0) groups.insert(service.pid);
    }
    absl::Status written = WriteStateFile(state_path, {getpid(), clock.Now(), supervisor.Status()});
    if (!written.ok()) spdlog::error("state file: {}", written.ToString());
    if (stopping && supervisor.AllStopped()) break;

    pollfd pfd = {signal_fd, POLLIN, 0};
    int ready = poll(&pfd, 1, PollTimeoutMs(supervisor.NextDeadline(), clock.Now()));
    if (ready < 0 && errno != EINTR) {
      spdlog::error("poll: {}", strerror(errno));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    signalfd_siginfo info;
    while (read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
      if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) {
        if (!stopping) spdlog::info("signal {}: stopping every service", info.ssi_signo);
        stopping = true;
        supervisor.StopAll();
      } else if (info.ssi_signo == SIGHUP && !stopping) {
        absl::StatusOr<std::vector<ServiceSpec>> reread = ReadServicesFile(options.services_file);
        if (reread.ok()) {
          spdlog::info("SIGHUP: re-read {} ({} services)", options.services_file, reread->size());
          supervisor.SetServices(*reread);
        } else {
          // Keep running what runs: a typo in the file must not take services down.
          spdlog::error("SIGHUP: keeping the current services: {}", reread.status().ToString());
        }
      }
    }
    // Always reap, not only on SIGCHLD: several exits can share one signal.
    ReapChildren(supervisor);
    // Forget groups that are gone, so that the set stays small and a reused id never
    // makes us wait for, or kill, a stranger at stop.
    for (auto it = groups.begin(); it != groups.end();) {
      it = (kill(-*it, 0) != 0 && errno == ESRCH) ? groups.erase(it) : std::next(it);
    }
  }
  DrainProcessGroups(std::move(groups), absl::Now() + options.stop_grace);
  close(signal_fd);
  spdlog::info("supervisor stopped");
  return absl::OkStatus();
}

absl::Status DaemonizeSupervisor(const DaemonOptions& options, absl::Duration timeout) {
  // Check what can be checked here, where the caller sees the error.
  if (absl::StatusOr<int> pid = RunningSupervisorPid(options.state_dir); pid.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("a supervisor already runs (pid ", *pid, ")"));
  }
  absl::StatusOr<std::vector<ServiceSpec>> specs = ReadServicesFile(options.services_file);
  if (!specs.ok()) return specs.status();
  for (const std::string& dir : {options.state_dir, options.log_dir}) {
    absl::Status made = MakeDirs(dir, 0755);
    if (!made.ok()) return made;
  }
  std::string log_file = options.log_dir + "/gureum-deploy.log";

  pid_t child = fork();
  if (child < 0) return absl::ErrnoToStatus(errno, "fork");
  if (child == 0) {
    setsid();
    // Let go of the caller's terminal and pipes: a shell capturing our output must not
    // wait for the daemon to exit.
    int null_fd = open("/dev/null", O_RDWR);
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) dup2(null_fd, fd);
    if (null_fd > STDERR_FILENO) close(null_fd);
    close_range(3, ~0U, 0);
    if (chdir("/") != 0) _exit(1);
    BlockSupervisorSignals();
    absl::Status logging = log::Init({.service = "gureum-deploy", .file = log_file});
    if (!logging.ok()) _exit(1);
    absl::Status ran = RunSupervisor(options);
    if (!ran.ok()) spdlog::error("supervisor: {}", ran.ToString());
    spdlog::shutdown();
    _exit(ran.ok() ? 0 : 1);
  }

  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    absl::StatusOr<int> pid = RunningSupervisorPid(options.state_dir);
    if (pid.ok() && *pid == child) return absl::OkStatus();
    int wait_status = 0;
    if (waitpid(child, &wait_status, WNOHANG) == child) {
      return absl::InternalError(absl::StrCat(
          "supervisor exited at start (", DescribeWaitStatus(wait_status), "); see ", log_file));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("supervisor did not start; see ", log_file));
}

}  // namespace gureum::deploy
