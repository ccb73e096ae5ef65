#include "deploy/gureum-deploy/process_spawner.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sys/types.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gureum::deploy {
namespace {

// Runs in the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void ExecChild(int log_fd, int null_fd, const char* script) {
  setpgid(0, 0);
  // The supervisor blocks signals to read them from a signalfd; a service must start
  // with the defaults or it could not be stopped.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE}) signal(sig, SIG_DFL);
  dup2(null_fd, STDIN_FILENO);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  if (chdir("/") != 0) _exit(126);
  execl("/bin/sh", "sh", "-c", script, static_cast<char*>(nullptr));
  _exit(127);
}

}  // namespace

absl::StatusOr<int> PosixProcessSpawner::Spawn(const ServiceSpec& spec) {
  std::string log_path = absl::StrCat(log_dir_, "/", spec.name, ".log");
  // Opened before fork so that an unwritable log is an error the supervisor can report,
  // not a silent exit of the child. O_CLOEXEC: only the dup2'ed copies survive exec.
  int log_fd = open(log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (log_fd < 0) {
    const int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat("open ", log_path));
  }
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    const int err = errno;
    close(log_fd);
    return absl::ErrnoToStatus(err, "open /dev/null");
  }
  std::string banner = absl::StrCat("=== gureum-deploy: starting ", spec.name, " at ",
                                    absl::FormatTime(absl::Now()), ": ", spec.command, "\n");
  (void)!write(log_fd, banner.data(), banner.size());
  // "exec" so the service itself, not a shell, is the process we supervise.
  std::string script = absl::StrCat("exec ", spec.command);

  pid_t pid = fork();
  if (pid == 0) ExecChild(log_fd, null_fd, script.c_str());
  int fork_errno = errno;
  close(log_fd);
  close(null_fd);
  if (pid < 0) {
    return absl::ErrnoToStatus(fork_errno, "fork");
  }
  // Also from the parent: whichever of the two runs first, the group exists before the
  // supervisor could signal it.
  setpgid(pid, pid);
  return static_cast<int>(pid);
}

absl::Status PosixProcessSpawner::Signal(int pid, int signal) {
  if (pid <= 0) return absl::InvalidArgumentError("bad pid");
  if (kill(-pid, signal) == 0) return absl::OkStatus();
  const int err = errno;
  if (err == ESRCH) {
    // The group may not exist if the child has not reached setpgid yet; try the pid.
    if (kill(pid, signal) == 0) return absl::OkStatus();
    return absl::NotFoundError(absl::StrCat("no process ", pid));
  }
  return absl::ErrnoToStatus(err, absl::StrCat("kill ", pid));
}

}  // namespace gureum::deploy
