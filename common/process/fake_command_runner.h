// A CommandRunner for unit tests: runs nothing, records every command line, and answers
// with what the test scripted (by default exit 0 and no output). Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/process/command_runner.h"

namespace gureum::process {

class FakeCommandRunner final : public CommandRunner {
 public:
  // Answers a command line; it may also act as the tool would (create the output file).
  using Responder = std::function<CommandResult(const std::vector<std::string>& argv)>;

  absl::StatusOr<CommandResult> Run(const std::vector<std::string>& argv,
                                    absl::Duration timeout) override;

  // Commands whose line, joined with spaces, contains `needle` get `responder`'s answer
  // (the most recent matching rule wins).
  void On(const std::string& needle, Responder responder);
  // The next command exits `exit_code` with `output`, whatever the rules say.
  void FailNext(int exit_code, const std::string& output);
  // Every command line run so far, each joined with spaces.
  std::vector<std::string> Commands() const;
  void Clear();

 private:
  struct Rule {
    std::string needle;
    Responder responder;
  };
  mutable absl::Mutex mu_;
  std::vector<Rule> rules_ ABSL_GUARDED_BY(mu_);
  std::vector<CommandResult> failures_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> commands_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::process
