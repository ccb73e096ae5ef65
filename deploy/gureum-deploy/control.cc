#include "deploy/gureum-deploy/control.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <sys/file.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gureum::deploy {
namespace {

int ReadPid(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  int pid = 0;
  if (n > 0 && absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::string_view(buf, n)), &pid)) {
    return pid;
  }
  return 0;
}

}  // namespace

std::string PidFilePath(const std::string& state_dir) { return state_dir + "/supervisor.pid"; }
std::string StateFilePath(const std::string& state_dir) { return state_dir + "/supervisor.json"; }

absl::StatusOr<PidFileLock> PidFileLock::Acquire(const std::string& state_dir) {
  std::string path = PidFilePath(state_dir);
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat("open ", path));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int pid = ReadPid(fd);
    close(fd);
    return absl::AlreadyExistsError(absl::StrCat("a supervisor already runs (pid ", pid, ")"));
  }
  std::string pid = absl::StrCat(getpid(), "\n");
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    const int err = errno;
    close(fd);
    return absl::ErrnoToStatus(err, absl::StrCat("write ", path));
  }
  return PidFileLock(std::move(path), fd);
}

PidFileLock::PidFileLock(PidFileLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
}

PidFileLock::~PidFileLock() {
  if (fd_ < 0) return;
  // Unlink while still holding the lock, so nobody reads our pid after we are gone.
  unlink(path_.c_str());
  close(fd_);
}

absl::StatusOr<int> RunningSupervisorPid(const std::string& state_dir) {
  std::string path = PidFilePath(state_dir);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return absl::NotFoundError("supervisor not running");
    return absl::ErrnoToStatus(err, absl::StrCat("open ", path));
  }
  if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
    close(fd);  // nobody holds it: a leftover from a supervisor that died
    return absl::NotFoundError("supervisor not running");
  }
  int pid = ReadPid(fd);
  close(fd);
  if (pid <= 0) return absl::NotFoundError("supervisor starting (no pid yet)");
  return pid;
}

absl::Status StopSupervisor(const std::string& state_dir, absl::Duration timeout) {
  absl::StatusOr<int> pid = RunningSupervisorPid(state_dir);
  if (absl::IsNotFound(pid.status())) return absl::OkStatus();
  if (!pid.ok()) return pid.status();
  if (kill(*pid, SIGTERM) != 0 && errno != ESRCH) return absl::ErrnoToStatus(errno, "kill");
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (absl::IsNotFound(RunningSupervisorPid(state_dir).status())) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "supervisor (pid ", *pid, ") still running after ", absl::FormatDuration(timeout)));
}

absl::Status ReloadSupervisor(const std::string& state_dir) {
  absl::StatusOr<int> pid = RunningSupervisorPid(state_dir);
  if (!pid.ok()) return pid.status();
  if (kill(*pid, SIGHUP) != 0) return absl::ErrnoToStatus(errno, "kill");
  return absl::OkStatus();
}

}  // namespace gureum::deploy
