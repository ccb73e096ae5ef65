#include "network/agent/network_agent.h"

#include <catch2/catch.hpp>

#include "network/agent/fake_host_system.h"
#include "network/agent/tests/host_states.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

class FakeServer final : public ServerClient {
 public:
  absl::StatusOr<pb::HostState> GetHostState(const std::string& host) override {
    ++fetches;
    if (!fail.ok()) return fail;
    return state;
  }
  absl::Status ReportAgent(const pb::AgentReport& report) override {
    reports.push_back(report);
    return absl::OkStatus();
  }
  absl::Status UpdatePortStatus(const pb::PortStatusUpdate& update) override {
    updates.push_back(update);
    return absl::OkStatus();
  }
  pb::HostState state;
  absl::Status fail;
  int fetches = 0;
  std::vector<pb::AgentReport> reports;
  std::vector<pb::PortStatusUpdate> updates;
};

struct Fixture {
  Fixture() {
    options.host = "h1";
    options.local_ip = "10.1.0.1";
    options.state_path = "/state";
    options.physical_interfaces["physnet1"] = "eth1";
    server.state.set_host("h1");
    *server.state.add_networks() = VxlanNetwork("net00000000001", 100, kSubnet);
    *server.state.add_ports() =
        testing::Port("vmport000001x", kSubnet, "fa:16:3e:00:00:05", "10.0.0.5", "compute:nova");
  }
  AgentOptions options;
  FakeHostSystem host;
  FakeServer server;
};

TEST_CASE("a port is reported ACTIVE once its bridge and rules are in place, and only once") {
  Fixture f;
  NetworkAgent agent(f.options, f.host, f.server);
  ApplyResult r;
  REQUIRE(agent.Converge(&r).ok());
  CHECK(r.failed.empty());
  REQUIRE(f.server.updates.size() == 1);
  CHECK(f.server.updates[0].host() == "h1");
  CHECK(f.server.updates[0].port_status().at("vmport000001x") == "ACTIVE");
  // The server took it: no report the next time.
  f.server.state.mutable_ports(0)->set_status("ACTIVE");
  REQUIRE(agent.Converge().ok());
  CHECK(f.server.updates.size() == 1);
  // Admin down: DOWN.
  f.server.state.mutable_ports(0)->set_admin_state_up(false);
  REQUIRE(agent.Converge().ok());
  REQUIRE(f.server.updates.size() == 2);
  CHECK(f.server.updates[1].port_status().at("vmport000001x") == "DOWN");
}

TEST_CASE("a failed step leaves the port DOWN and is retried at the next convergence") {
  Fixture f;
  f.host.Fail("ip link add brqnet00000000", "RTNETLINK answers: Operation not permitted");
  NetworkAgent agent(f.options, f.host, f.server);
  ApplyResult r;
  REQUIRE(agent.Converge(&r).ok());
  REQUIRE(r.failed.size() == 1);
  CHECK(r.failed[0].find("Operation not permitted") != std::string::npos);
  CHECK(f.server.updates.empty());
  // The VXLAN device was not added after the bridge failed (the task stopped).
  for (const std::string& c : f.host.commands)
    CHECK(c.find("vxlan-100 type vxlan") == std::string::npos);
}

TEST_CASE("an unreachable server is an error, and nothing is touched") {
  Fixture f;
  f.server.fail = absl::UnavailableError("connection refused");
  NetworkAgent agent(f.options, f.host, f.server);
  CHECK(agent.Converge().code() == absl::StatusCode::kUnavailable);
  CHECK(f.host.commands.empty());
}

TEST_CASE("ReportAgent carries the host, tunnel address and mappings") {
  Fixture f;
  NetworkAgent agent(f.options, f.host, f.server);
  REQUIRE(agent.Report().ok());
  REQUIRE(f.server.reports.size() == 1);
  CHECK(f.server.reports[0].host() == "h1");
  CHECK(f.server.reports[0].local_ip() == "10.1.0.1");
  CHECK(f.server.reports[0].physical_interfaces().at("physnet1") == "eth1");
}

TEST_CASE("a burst of casts costs one convergence") {
  Fixture f;
  f.options.debounce = absl::Seconds(1);
  f.options.resync_interval = absl::Hours(1);
  NetworkAgent agent(f.options, f.host, f.server);
  agent.Start();
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (agent.convergences() < 1 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  REQUIRE(agent.convergences() == 1);
  for (int i = 0; i < 20; ++i) agent.RequestConverge("port bound");
  while (agent.convergences() < 2 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  agent.Stop();
  // The 20 casts came within the debounce window of the first one.
  CHECK(agent.convergences() == 2);
  CHECK(f.server.fetches == 2);
}

}  // namespace
}  // namespace gureum::network_agent
