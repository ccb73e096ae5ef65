// Runs a host tool (qemu-img, genisoimage, qemu-system-*) as a child process with an
// argument vector (no shell, so no quoting problems), a deadline, and its output kept
// for the error message.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace gureum::process {

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal or by the deadline
  bool timed_out = false;
  bool stopped = false;  // stop_when was seen
  std::string output;    // standard output and error, at most 64 KiB (the end)
};

// InternalError only when the process could not be started at all.
// With `stop_when` set, the process is killed as soon as its output contains it
// (`stopped` is then true). The deadline is read on `clock` (the child is a real process,
// so callers other than tests pass the real clock, the default).
// With `pass_fd` >= 0 the child gets that descriptor as its descriptor 3 (and no other
// process started meanwhile gets it, as long as the caller opened it close-on-exec), for tools
// that take an inherited socket such as qemu-storage-daemon's `addr.type=fd,addr.str=3`.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         absl::Duration timeout, const std::string& stop_when = "",
                                         const Clock& clock = RealClock::Get(), int pass_fd = -1);

// The descriptor number a child started with `pass_fd` finds it under.
inline constexpr int kPassedFd = 3;

// The error of a finished command that did not exit 0: the tool's name, how it ended and
// the end of its output.
absl::Status CommandError(const std::vector<std::string>& argv, const CommandResult& result);

// RunCommand, and an error naming the tool and its last output unless it exited 0.
absl::Status RunChecked(const std::vector<std::string>& argv, absl::Duration timeout,
                        const Clock& clock = RealClock::Get());

}  // namespace gureum::process
