#include "common/process/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace gureum::process {

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         absl::Duration timeout, const std::string& stop_when,
                                         const Clock& clock, int pass_fd) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return absl::InternalError("fork failed");
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (pass_fd == kPassedFd) {
      fcntl(kPassedFd, F_SETFD, 0);  // keep it across exec
    } else if (pass_fd >= 0) {
      dup2(pass_fd, kPassedFd);  // the copy is not close-on-exec
    }
    setpgid(0, 0);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  CommandResult result;
  absl::Time deadline = clock.Now() + timeout;
  char buf[4096];
  bool open_pipe = true;
  while (open_pipe) {
    absl::Duration left = deadline - clock.Now();
    if (left <= absl::ZeroDuration()) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (r <= 0) continue;
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n <= 0) {
      open_pipe = false;
    } else {
      result.output.append(buf, static_cast<size_t>(n));
      if (result.output.size() > 65536) result.output.erase(0, result.output.size() - 65536);
      if (!stop_when.empty() && result.output.find(stop_when) != std::string::npos) {
        result.stopped = true;
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        break;
      }
    }
  }
  close(fds[0]);
  int status = 0;
  if (result.timed_out || result.stopped) {
    // A process stuck in the kernel (a hung KVM vCPU) may take a while to die, or never:
    // it is waited for a few seconds, then left to the init process.
    absl::Time give_up = clock.Now() + absl::Seconds(5);
    while (waitpid(pid, &status, WNOHANG) == 0 && clock.Now() < give_up) {
      clock.SleepFor(absl::Milliseconds(10));
    }
    return result;
  }
  waitpid(pid, &status, 0);
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (result.exit_code == 127 && result.output.empty()) {
    result.output = absl::StrCat(argv[0], ": not found (is its Debian package installed?)");
  }
  return result;
}

absl::Status CommandError(const std::vector<std::string>& argv, const CommandResult& r) {
  std::string tail = r.output.size() > 400 ? r.output.substr(r.output.size() - 400) : r.output;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  return absl::InternalError(absl::StrCat(
      argv.empty() ? "" : argv[0],
      r.timed_out ? " timed out" : " failed (exit " + std::to_string(r.exit_code) + ")",
      tail.empty() ? "" : ": " + tail));
}

absl::Status RunChecked(const std::vector<std::string>& argv, absl::Duration timeout,
                        const Clock& clock) {
  auto r = RunCommand(argv, timeout, "", clock);
  if (!r.ok()) return r.status();
  if (r->exit_code == 0) return absl::OkStatus();
  return CommandError(argv, *r);
}

}  // namespace gureum::process
