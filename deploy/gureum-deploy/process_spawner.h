// Starting and signalling service processes: the one place gureum-deploy touches
// fork/exec, so the supervisor's restart logic can be tested with a fake.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "deploy/gureum-deploy/services_file.h"

namespace gureum::deploy {

class ProcessSpawner {
 public:
  virtual ~ProcessSpawner() = default;

  // Starts `spec.command` as the leader of a new process group and returns its pid. The
  // caller reaps it (waitpid) and reports the exit to the Supervisor.
  virtual absl::StatusOr<int> Spawn(const ServiceSpec& spec) = 0;

  // Sends `signal` to the whole process group led by `pid`, so a shell's children go
  // too. NotFound if the group is already gone.
  virtual absl::Status Signal(int pid, int signal) = 0;
};

// The real thing: runs the command with /bin/sh -c "exec <command>", stdin from
// /dev/null, stdout and stderr appended to <log_dir>/<name>.log, default signal mask.
class PosixProcessSpawner final : public ProcessSpawner {
 public:
  explicit PosixProcessSpawner(std::string log_dir) : log_dir_(std::move(log_dir)) {}

  absl::StatusOr<int> Spawn(const ServiceSpec& spec) override;
  absl::Status Signal(int pid, int signal) override;

 private:
  std::string log_dir_;
};

}  // namespace gureum::deploy
