#include "deploy/gureum-deploy/state_file.h"

#include <catch2/catch.hpp>

namespace gureum::deploy {
namespace {

TEST_CASE("state file: JSON round trip") {
  SupervisorState state;
  state.supervisor_pid = 42;
  state.updated_at = absl::FromUnixSeconds(1'700'000'100);
  ServiceStatus a;
  a.name = "identity";
  a.command = "gureum-identity";
  a.state = ServiceState::kRunning;
  a.pid = 1234;
  a.restarts = 2;
  a.started_at = absl::FromUnixSeconds(1'700'000'000);
  a.last_exit = "exit 3";
  ServiceStatus b;
  b.name = "image";
  b.state = ServiceState::kBackoff;
  state.services = {a, b};

  auto back = StateFromJson(StateToJson(state));
  REQUIRE(back.ok());
  CHECK(back->supervisor_pid == 42);
  CHECK(back->updated_at == state.updated_at);
  REQUIRE(back->services.size() == 2);
  CHECK(back->services[0].pid == 1234);
  CHECK(back->services[0].state == ServiceState::kRunning);
  CHECK(back->services[0].started_at == a.started_at);
  CHECK(back->services[0].last_exit == "exit 3");
  CHECK(back->services[1].state == ServiceState::kBackoff);
  CHECK(back->services[1].started_at == absl::InfinitePast());

  std::string table = FormatStatusTable(*back, absl::FromUnixSeconds(1'700'000'125));
  CHECK(table ==
        "SERVICE   STATE         PID  RESTARTS   UPTIME  LAST-EXIT\n"
        "identity  running      1234         2     2m5s  exit 3\n"
        "image     backoff         -         0        -  -\n");
}

TEST_CASE("state file: garbage is DataLoss") {
  CHECK(absl::IsDataLoss(StateFromJson("{not json").status()));
}

TEST_CASE("uptime formatting") {
  CHECK(FormatUptime(absl::Seconds(12)) == "12s");
  CHECK(FormatUptime(absl::Seconds(3 * 3600 + 7 * 60)) == "3h7m");
  CHECK(FormatUptime(absl::Hours(50)) == "2d2h");
}

}  // namespace
}  // namespace gureum::deploy
