#include "common/process/fake_command_runner.h"

#include <catch2/catch.hpp>

namespace gureum::process {
namespace {

TEST_CASE("FakeCommandRunner records commands and answers by rule") {
  FakeCommandRunner runner;
  runner.On("qemu-img info", [](const std::vector<std::string>&) {
    CommandResult r;
    r.exit_code = 0;
    r.output = "{}";
    return r;
  });
  CHECK(runner.Output({"qemu-img", "info", "x"}, absl::Seconds(1)).value() == "{}");
  CHECK(runner.RunChecked({"qemu-img", "create", "y"}, absl::Seconds(1)).ok());
  runner.FailNext(1, "no space left");
  absl::Status s = runner.RunChecked({"qemu-img", "convert"}, absl::Seconds(1));
  CHECK(s.message() == "qemu-img failed (exit 1): no space left");
  CHECK(runner.Commands() ==
        std::vector<std::string>{"qemu-img info x", "qemu-img create y", "qemu-img convert"});
}

TEST_CASE("RealCommandRunner runs the tool") {
  RealCommandRunner runner;
  CHECK(runner.Output({"sh", "-c", "echo hi"}, absl::Seconds(10)).value() == "hi\n");
  CHECK(!runner.RunChecked({"false"}, absl::Seconds(10)).ok());
}

}  // namespace
}  // namespace gureum::process
