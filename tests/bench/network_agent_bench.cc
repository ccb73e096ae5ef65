// network_agent_bench: how long gureum-network-agent takes to make a HostState change
// real on the host (observe with ip/bridge/nft, plan, run the commands), on real Linux
// bridges, VXLAN devices and nftables, in a network namespace of its own (created and
// removed here; the process moves into it, so nothing touches the machine's own
// network). Root needed.
//
//   network_agent_bench [--ports 50] [--rounds 30]
//
// Scenarios (each row: p50/p99 of one convergence):
//   - port wiring, network exists: one more VM port on a network with --ports ports
//     (the port's rules, i.e. the nftables transaction, are what changes);
//   - port wiring, new network: the first port of a new VXLAN network (bridge, VXLAN
//     device, forwarding entries for 2 peers, rules);
//   - security group rule added: one rule more in the group all ports use;
//   - resync with nothing to do: the periodic full convergence of a converged host.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "network/agent/network_agent.h"
#include "network/agent/tests/host_states.h"
#include "tests/bench/harness.h"

namespace gureum::network_agent {
namespace {

using namespace testing;

class NullServer final : public ServerClient {
 public:
  absl::StatusOr<pb::HostState> GetHostState(const std::string&) override {
    return absl::UnimplementedError("none");
  }
  absl::Status ReportAgent(const pb::AgentReport&) override { return absl::OkStatus(); }
  absl::Status UpdatePortStatus(const pb::PortStatusUpdate&) override { return absl::OkStatus(); }
};

constexpr char kNs[] = "gnabench-host";
constexpr char kGroup[] = "gnabsg000000";

std::string NetId(int n) { return absl::StrFormat("gnabnet%04d-0000-4000-8000-000000000000", n); }

pb::HostNetwork Network(int n) {
  pb::Subnet s = testing::Subnet(absl::StrCat("gnabsub", n), NetId(n),
                                 absl::StrFormat("10.%d.0.0/16", 100 + n),
                                 absl::StrFormat("10.%d.0.1", 100 + n));
  pb::HostNetwork hn = VxlanNetwork(NetId(n), 9000 + n, s);
  hn.add_peer_ips("10.252.0.2");
  hn.add_peer_ips("10.252.0.3");
  return hn;
}

pb::Port VmPort(int net, int i) {
  pb::Subnet s = testing::Subnet(absl::StrCat("gnabsub", net), NetId(net),
                                 absl::StrFormat("10.%d.0.0/16", 100 + net), "");
  return testing::Port(absl::StrFormat("gnab%03d%04d-port", net, i), s,
                       absl::StrFormat("fa:16:3e:%02x:%02x:%02x", net, i / 256, i % 256),
                       absl::StrFormat("10.%d.%d.%d", 100 + net, 1 + i / 250, 1 + i % 250),
                       "compute:nova", {kGroup});
}

pb::SecurityGroupState Group(int extra_rules) {
  std::vector<pb::SecurityGroupRule> rules = {
      Rule("gnab-egress", kGroup, "egress"), Rule("gnab-icmp", kGroup, "ingress", "icmp"),
      Rule("gnab-ssh", kGroup, "ingress", "tcp", 22, 22),
      Rule("gnab-self", kGroup, "ingress", "", -1, -1, "", kGroup)};
  for (int i = 0; i < extra_rules; ++i) {
    rules.push_back(
        Rule(absl::StrFormat("gnab-extra-%04d", i), kGroup, "ingress", "tcp", 1000 + i, 1000 + i));
  }
  return testing::Group(kGroup, rules);
}

void AddMembers(pb::HostState& st) {
  pb::SecurityGroupState* g = st.mutable_security_groups(0);
  g->clear_member_ips();
  for (const auto& p : st.ports()) g->add_member_ips(p.fixed_ips(0).ip_address());
}

int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

int Main(int argc, char** argv) {
  CLI::App app("network agent datapath wiring benchmark");
  int ports = 50, rounds = 30;
  app.add_option("--ports", ports, "VM ports already on the host");
  app.add_option("--rounds", rounds, "convergences measured per scenario");
  CLI11_PARSE(app, argc, argv);
  if (geteuid() != 0) {
    std::cerr << "network_agent_bench: needs root (it creates a network namespace)\n";
    return 1;
  }
  Sh(absl::StrCat("ip netns del ", kNs, " 2>/dev/null"));
  if (Sh(absl::StrCat("ip netns add ", kNs)) != 0) return 1;
  int fd = open(absl::StrCat("/run/netns/", kNs).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    std::cerr << "cannot enter the namespace\n";
    Sh(absl::StrCat("ip netns del ", kNs));
    return 1;
  }
  close(fd);
  Sh("ip link set lo up");
  char tmpl[] = "/tmp/gureum-netagent-bench.XXXXXX";
  std::string dir = mkdtemp(tmpl);

  AgentOptions options;
  options.host = "bench";
  options.local_ip = "10.252.0.1";
  options.state_path = dir;
  auto host = NewLinuxHostSystem();
  NullServer server;
  NetworkAgent agent(options, *host, server);

  pb::HostState st;
  st.set_host("bench");
  *st.add_networks() = Network(0);
  *st.add_security_groups() = Group(0);
  for (int i = 0; i < ports; ++i) *st.add_ports() = VmPort(0, i);
  AddMembers(st);
  ApplyResult first;
  if (!agent.Apply(st, &first).ok() || !first.failed.empty()) {
    std::cerr << "the initial state did not apply: "
              << (first.failed.empty() ? "" : first.failed[0]) << "\n";
  }

  std::vector<bench::Row> rows;
  auto measure = [&](const std::string& name, const std::string& goal,
                     const std::function<void(int)>& change) {
    std::vector<double> ms;
    long long errors = 0;
    std::string first_error;
    absl::Time start = absl::Now();
    for (int r = 0; r < rounds; ++r) {
      change(r);
      ApplyResult result;
      absl::Time t0 = absl::Now();
      absl::Status s = agent.Apply(st, &result);
      ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      if (!s.ok() || !result.failed.empty()) {
        ++errors;
        if (first_error.empty()) first_error = s.ok() ? result.failed[0] : std::string(s.message());
      }
    }
    bench::Row row =
        bench::Summarize(name, ms, absl::ToDoubleSeconds(absl::Now() - start), 1, goal);
    row.errors = errors;
    row.first_error = first_error;
    rows.push_back(row);
  };

  measure(absl::StrCat("port wiring, network exists (", ports, "+ ports)"), "reported apart",
          [&](int r) {
            *st.add_ports() = VmPort(0, ports + r);
            AddMembers(st);
          });
  measure("port wiring, new VXLAN network", "reported apart", [&](int r) {
    *st.add_networks() = Network(1 + r);
    *st.add_ports() = VmPort(1 + r, 0);
    AddMembers(st);
  });
  measure("security group rule added", "reported apart", [&](int r) {
    *st.mutable_security_groups(0) = Group(r + 1);
    AddMembers(st);
  });
  measure("resync, nothing to do", "reported apart", [&](int) {});

  // Deleting it all, once (the agent's own cleanup), then the namespace.
  pb::HostState none;
  none.set_host("bench");
  ApplyResult gone;
  absl::Time t0 = absl::Now();
  absl::Status s = agent.Apply(none, &gone);
  double delete_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
  rows.push_back(
      bench::Summarize(absl::StrCat("remove everything (", st.networks_size(), " networks)"),
                       {delete_ms}, delete_ms / 1000, 1, "reported apart"));
  if (!s.ok() || !gone.failed.empty()) rows.back().errors = 1;

  bench::PrintTable(
      absl::StrCat("gureum-network-agent datapath wiring (", ports, " ports, ", rounds,
                   " rounds each; real bridges/VXLAN/nftables in a namespace)"),
      rows);
  Sh(absl::StrCat("ip netns del ", kNs));
  Sh(absl::StrCat("rm -rf ", dir));
  return 0;
}

}  // namespace
}  // namespace gureum::network_agent

int main(int argc, char** argv) { return gureum::network_agent::Main(argc, argv); }
