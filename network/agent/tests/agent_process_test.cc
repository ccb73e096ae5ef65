// gureum-network-agent as a process, with a real RabbitMQ and a fake gureum-network
// (NetworkAgents over real gRPC, in this test): heartbeat at start, the state fetched and
// applied (in a namespace of the test, [network_agent] datapath_namespace), the port
// reported ACTIVE; a cast on network-agent.<host> brings the next change; SIGTERM stops
// it and leaves the datapath as it is. Needs root and the test services.
#include <signal.h>
#include <unistd.h>

#include <fstream>

#include <catch2/catch.hpp>
#include <sys/wait.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/publisher.h"
#include "common/grpc/server.h"
#include "common/testing/test_env.h"
#include "network/agent/tests/host_states.h"
#include "network/agent/tests/netns_lab.h"

#include "network.grpc.pb.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

class FakeNetworkAgents final : public pb::NetworkAgents::Service {
 public:
  grpc::Status ReportAgent(grpc::ServerContext*, const pb::AgentReport* r, pb::Empty*) override {
    absl::MutexLock l(&mu);
    reports.push_back(*r);
    return grpc::Status::OK;
  }
  grpc::Status GetHostState(grpc::ServerContext*, const pb::HostRequest* r,
                            pb::HostState* out) override {
    absl::MutexLock l(&mu);
    ++fetches;
    requested_host = r->host();
    *out = state;
    return grpc::Status::OK;
  }
  grpc::Status UpdatePortStatus(grpc::ServerContext*, const pb::PortStatusUpdate* u,
                                pb::Empty*) override {
    absl::MutexLock l(&mu);
    for (const auto& [id, status] : u->port_status()) {
      statuses[id] = status;
      // As the server does: the next state carries the new status.
      for (auto& p : *state.mutable_ports()) {
        if (p.id() == id) p.set_status(status);
      }
    }
    return grpc::Status::OK;
  }
  // Waits (up to 30 s) until `done` holds under the lock.
  bool WaitFor(const std::function<bool()>& done) {
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      {
        absl::MutexLock l(&mu);
        if (done()) return true;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  absl::Mutex mu;
  pb::HostState state;
  std::vector<pb::AgentReport> reports;
  std::map<std::string, std::string> statuses;
  std::string requested_host;
  int fetches = 0;
};

struct AgentProcess {
  ~AgentProcess() { Stop(SIGKILL); }
  void Start(const std::vector<std::string>& argv, const std::string& log) {
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      FILE* f = freopen(log.c_str(), "w", stderr);
      (void)f;
      dup2(2, 1);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  int Stop(int sig) {
    if (pid <= 0) return -1;
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  pid_t pid = -1;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("the agent process: report, converge, ACTIVE, a cast brings the next port, SIGTERM") {
  const std::string amqp_url = gureum::testing::RequireEnv("GUREUM_TEST_AMQP_URL");
  const std::string host = gureum::testing::UniqueName("gnap-host");
  NetnsLab lab("gnap", {});
  lab.AddNamespace("h1");

  const char kNet[] = "gnapnet1000-0000-4000-8000-000000000001";
  pb::Subnet subnet = testing::Subnet("gnapsub1", kNet, "10.78.1.0/24", "10.78.1.1");
  FakeNetworkAgents fake;
  {
    pb::HostNetwork n = VxlanNetwork(kNet, 7801, subnet);
    n.add_peer_ips("10.254.78.2");
    *fake.state.add_networks() = n;
    *fake.state.add_ports() =
        testing::Port("gnapvm1port-1", subnet, "fa:16:3e:78:01:11", "10.78.1.11", "compute:nova");
    fake.state.set_host(host);
  }
  grpcx::ServerOptions so;
  so.listen_address = "127.0.0.1:0";
  auto server = grpcx::Server::Start(so, {&fake});
  REQUIRE(server.ok());

  const std::string conf = lab.dir() + "/agent.conf";
  std::ofstream(conf)
      << "[DEFAULT]\nhost = " << host << "\ntransport_url = " << amqp_url
      << "\n[network_agent]\nlocal_ip = 10.254.78.1\nnetwork_grpc = 127.0.0.1:" << (*server)->port()
      << "\nstate_path = " << lab.dir()
      << "/state\nresync_interval = 3600\ndebounce_ms = 50\nreport_interval = 3600\n"
      << "datapath_namespace = " << lab.Ns("h1")
      << "\nphysical_interface_mappings = physnet1:gnap-none\n";
  AgentProcess agent;
  const std::string log = lab.dir() + "/agent.log";
  agent.Start({GUREUM_NETWORK_AGENT_BINARY, "--config-file", conf}, log);

  INFO(ReadAll(log));
  REQUIRE(fake.WaitFor([&] { return !fake.reports.empty(); }));
  {
    absl::MutexLock l(&fake.mu);
    CHECK(fake.reports[0].host() == host);
    CHECK(fake.reports[0].local_ip() == "10.254.78.1");
    CHECK(fake.reports[0].physical_interfaces().at("physnet1") == "gnap-none");
  }
  REQUIRE(fake.WaitFor([&] { return fake.statuses.count("gnapvm1port-1") > 0; }));
  CHECK(fake.requested_host == host);
  CHECK(fake.statuses.at("gnapvm1port-1") == "ACTIVE");
  const std::string bridge = std::string("brq") + std::string(kNet).substr(0, 11);
  CHECK_THAT(lab.MustExec("h1", "ip -d link show vxlan-7801"),
             Catch::Contains("local 10.254.78.1"));
  CHECK_THAT(lab.MustExec("h1", "ip link show " + bridge), Catch::Contains("mtu 1450"));
  // The agent's own namespace (this one) has none of it.
  CHECK(lab.Exec("", "ip link show " + bridge).exit_code != 0);

  // A second port, then the cast that says so.
  int fetches_before;
  {
    absl::MutexLock l(&fake.mu);
    *fake.state.add_ports() =
        testing::Port("gnapvm2port-2", subnet, "fa:16:3e:78:01:12", "10.78.1.12", "compute:nova");
    fetches_before = fake.fetches;
  }
  auto options = amqp::ParseUrl(amqp_url);
  REQUIRE(options.ok());
  auto bus = amqp::Publisher::Create(*options);
  REQUIRE(bus.ok());
  pb::AgentCast cast;
  cast.set_host(host);
  cast.set_reason("port bound gnapvm2port-2");
  amqp::Message m;
  m.body = cast.SerializeAsString();
  m.content_type = "application/x-protobuf";
  REQUIRE((*bus)->Cast("network-agent." + host, m).ok());
  REQUIRE(fake.WaitFor([&] { return fake.statuses.count("gnapvm2port-2") > 0; }));
  CHECK(fake.fetches > fetches_before);

  // SIGTERM: a clean exit, and the datapath stays (an agent restart must not cut traffic).
  CHECK(agent.Stop(SIGTERM) == 0);
  CHECK(lab.Exec("h1", "ip link show " + bridge).exit_code == 0);
}

}  // namespace
}  // namespace gureum::network_agent
