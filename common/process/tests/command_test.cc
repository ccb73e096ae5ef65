#include "common/process/command.h"

#include <catch2/catch.hpp>

namespace gureum::process {
namespace {

TEST_CASE("RunCommand keeps output and exit code") {
  auto r = RunCommand({"sh", "-c", "echo hello; echo oops >&2; exit 3"}, absl::Seconds(10));
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->output.find("hello") != std::string::npos);
  CHECK(r->output.find("oops") != std::string::npos);
  absl::Status s = RunChecked({"sh", "-c", "echo broken disk >&2; exit 1"}, absl::Seconds(10));
  CHECK(s.message().find("broken disk") != std::string::npos);
}

TEST_CASE("RunCommand stops at the marker or the deadline") {
  auto r = RunCommand({"sh", "-c", "echo MARK; sleep 30"}, absl::Seconds(20), "MARK");
  REQUIRE(r.ok());
  CHECK(r->stopped);
  auto t = RunCommand({"sleep", "30"}, absl::Milliseconds(200));
  REQUIRE(t.ok());
  CHECK(t->timed_out);
  CHECK(RunChecked({"no-such-tool-gureum"}, absl::Seconds(5)).message().find("not found") !=
        std::string::npos);
}

}  // namespace
}  // namespace gureum::process
