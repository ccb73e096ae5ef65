// Finding and controlling a running supervisor through its pid file
// (<state-dir>/supervisor.pid). The supervisor holds an exclusive flock on that file
// for as long as it runs, so "is it running" never trusts a stale pid: a file nobody
// holds locked means no supervisor, whatever pid it names.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gureum::deploy {

std::string PidFilePath(const std::string& state_dir);
std::string StateFilePath(const std::string& state_dir);

// Held by the running supervisor: the locked pid file. Closing it releases the lock.
class PidFileLock {
 public:
  // Creates the pid file, locks it and writes this process's pid. AlreadyExists (naming
  // the pid) if another supervisor holds it.
  static absl::StatusOr<PidFileLock> Acquire(const std::string& state_dir);
  PidFileLock(PidFileLock&& other) noexcept;
  PidFileLock& operator=(PidFileLock&&) = delete;
  ~PidFileLock();

 private:
  PidFileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

// The pid of the running supervisor; NotFound if none runs.
absl::StatusOr<int> RunningSupervisorPid(const std::string& state_dir);

// Sends SIGTERM and waits, up to `timeout`, until the supervisor is gone. OK if none
// was running.
absl::Status StopSupervisor(const std::string& state_dir, absl::Duration timeout);

// Sends SIGHUP: the supervisor re-reads its services file.
absl::Status ReloadSupervisor(const std::string& state_dir);

}  // namespace gureum::deploy
