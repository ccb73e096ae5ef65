#include "common/process/command.h"

#include <fcntl.h>
#include <unistd.h>

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

TEST_CASE("RunCommand hands one close-on-exec descriptor to the child as descriptor 3") {
  int fds[2];
  REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  auto r =
      RunCommand({"sh", "-c", "echo passed >&3"}, absl::Seconds(10), "", RealClock::Get(), fds[1]);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  char buf[16] = {};
  CHECK(read(fds[0], buf, sizeof(buf) - 1) == 7);
  CHECK(std::string(buf) == "passed\n");
  // Only as descriptor 3: the original stays close-on-exec (sh refuses descriptors above 9).
  REQUIRE(fds[1] <= 9);
  auto without = RunCommand({"sh", "-c", "echo leaked >&" + std::to_string(fds[1])},
                            absl::Seconds(10), "", RealClock::Get(), fds[1]);
  REQUIRE(without.ok());
  CHECK(without->exit_code != 0);
  close(fds[0]);
  close(fds[1]);
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
