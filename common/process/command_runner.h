// The seam between code that runs host tools (qemu-img, qemu-storage-daemon, nft) and the
// OS: components take a CommandRunner& so unit tests swap in FakeCommandRunner
// (fake_command_runner.h) and see which commands would have run.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/process/command.h"

namespace gureum::process {

// Thread-safe.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // As RunCommand (command.h): InternalError only when the tool could not be started; its
  // exit code and output otherwise.
  virtual absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                            absl::Duration timeout) = 0;
  // Run with `fd` handed to the child as its descriptor kPassedFd (see RunCommand). Runners
  // that start no process (fakes) ignore the descriptor.
  virtual absl::StatusOr<CommandResult> RunPassingFd(const std::vector<std::string>& argv,
                                                     absl::Duration timeout, int fd) {
    (void)fd;
    return Run(argv, timeout);
  }
  // Run, and an error naming the tool and the end of its output unless it exited 0.
  absl::Status RunChecked(const std::vector<std::string>& argv, absl::Duration timeout);
  // Run, and the tool's output when it exited 0 (else RunChecked's error).
  absl::StatusOr<std::string> Output(const std::vector<std::string>& argv, absl::Duration timeout);
};

// Real child processes (RunCommand), deadlines read on `clock`.
class RealCommandRunner final : public CommandRunner {
 public:
  explicit RealCommandRunner(const Clock& clock = RealClock::Get()) : clock_(clock) {}
  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override;
  absl::StatusOr<CommandResult> RunPassingFd(const std::vector<std::string>& argv,
                                             absl::Duration timeout, int fd) override;

 private:
  const Clock& clock_;
};

}  // namespace gureum::process
