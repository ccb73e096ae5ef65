#include "common/process/command_runner.h"

namespace gureum::process {

absl::Status CommandRunner::RunChecked(const std::vector<std::string>& argv,
                                       absl::Duration timeout) {
  absl::StatusOr<CommandResult> r = Run(argv, timeout);
  if (!r.ok()) return r.status();
  if (r->exit_code == 0) return absl::OkStatus();
  return CommandError(argv, *r);
}

absl::StatusOr<std::string> CommandRunner::Output(const std::vector<std::string>& argv,
                                                  absl::Duration timeout) {
  absl::StatusOr<CommandResult> r = Run(argv, timeout);
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) return CommandError(argv, *r);
  return std::move(r->output);
}

absl::StatusOr<CommandResult> RealCommandRunner::Run(const std::vector<std::string>& argv,
                                                     absl::Duration timeout) {
  return RunCommand(argv, timeout, "", clock_);
}

absl::StatusOr<CommandResult> RealCommandRunner::RunPassingFd(const std::vector<std::string>& argv,
                                                              absl::Duration timeout, int fd) {
  return RunCommand(argv, timeout, "", clock_, fd);
}

}  // namespace gureum::process
