#include "common/process/fake_command_runner.h"

#include "absl/strings/str_join.h"

namespace gureum::process {

absl::StatusOr<CommandResult> FakeCommandRunner::Run(const std::vector<std::string>& argv,
                                                     absl::Duration) {
  std::string line = absl::StrJoin(argv, " ");
  Responder responder;
  {
    absl::MutexLock lock(&mu_);
    commands_.push_back(line);
    if (!failures_.empty()) {
      CommandResult r = failures_.front();
      failures_.erase(failures_.begin());
      return r;
    }
    for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
      if (line.find(it->needle) != std::string::npos) {
        responder = it->responder;
        break;
      }
    }
  }
  // Outside the lock: a responder may run commands of its own.
  if (responder) return responder(argv);
  CommandResult ok;
  ok.exit_code = 0;
  return ok;
}

void FakeCommandRunner::On(const std::string& needle, Responder responder) {
  absl::MutexLock lock(&mu_);
  rules_.push_back({needle, std::move(responder)});
}

void FakeCommandRunner::FailNext(int exit_code, const std::string& output) {
  absl::MutexLock lock(&mu_);
  CommandResult r;
  r.exit_code = exit_code;
  r.output = output;
  failures_.push_back(r);
}

std::vector<std::string> FakeCommandRunner::Commands() const {
  absl::MutexLock lock(&mu_);
  return commands_;
}

void FakeCommandRunner::Clear() {
  absl::MutexLock lock(&mu_);
  commands_.clear();
}

}  // namespace gureum::process
