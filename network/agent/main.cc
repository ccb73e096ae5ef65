// gureum-network-agent: makes gureum-network's HostState real on one host (the Linux
// bridge agent, DHCP agent and L3 agent of Neutron in one process). Converges at start,
// on every cast on network-agent.<host> and every resync_interval; heartbeats with
// ReportAgent (see README.md).
#include <iostream>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "absl/synchronization/notification.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/auth/service_token.h"
#include "common/base/clock.h"
#include "common/base/process.h"
#include "common/base/signals.h"
#include "common/service/runtime.h"
#include "network/agent/agent_options.h"
#include "network/agent/dnsmasq_user.h"
#include "network/agent/local_ip.h"
#include "network/agent/network_agent.h"

#include "network.pb.h"

namespace gureum::network_agent {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-network-agent", what, status);
}

int Main(int argc, char** argv) {
  InitProcess();
  BlockTerminationSignals();
  config::Schema schema;
  AddAgentOptions(schema);
  auth::AddServiceTokenOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "network-agent", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());
  auto parsed = AgentOptionsFromConfig(*cfg);
  if (!parsed.ok()) return Fail("configuration", parsed.status());
  AgentOptions options = *std::move(parsed);
  if (std::string why = ApplyDnsmasqUser(options); !why.empty()) spdlog::warn("{}", why);
  if (options.local_ip.empty()) {
    auto ip = LocalAddressToward(options.network_grpc);
    if (!ip.ok())
      return Fail("[network_agent] local_ip is not set and cannot be guessed", ip.status());
    options.local_ip = *ip;
  }

  std::string transport = cfg->GetString("DEFAULT", "transport_url");
  if (transport.empty()) {
    return Fail("[DEFAULT] transport_url",
                absl::InvalidArgumentError("is required: the agent listens for casts"));
  }
  auto amqp_options = amqp::ParseUrl(transport);
  if (!amqp_options.ok()) return Fail("[DEFAULT] transport_url", amqp_options.status());

  std::unique_ptr<auth::ServiceToken> token;
  if (cfg->GetString("service_auth", "username").empty()) {
    spdlog::warn("[service_auth] username is not set: calls to gureum-network carry no token");
  } else {
    auto created = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(*cfg));
    if (!created.ok()) return Fail("[service_auth]", created.status());
    token = *std::move(created);
  }

  const Clock& clock = RealClock::Get();
  auto host = NewLinuxHostSystem(absl::Seconds(20), options.datapath_namespace, clock);
  auto server = NewGrpcServerClient(options.network_grpc, token.get());
  NetworkAgent agent(options, *host, *server, clock);
  if (absl::Status s = agent.Report(); !s.ok()) spdlog::warn("ReportAgent: {}", s.ToString());
  agent.Start();

  // Casts are hints (the state is the truth): each one asks for a convergence, and is
  // acked at once; a lost one costs at most one resync_interval.
  amqp::ConsumerOptions in;
  in.queue = "network-agent." + options.host;
  in.prefetch = 16;
  auto consumer = amqp::Consumer::Create(*amqp_options, in, [&agent](const amqp::Message& m) {
    gureum::network::v1::AgentCast cast;
    agent.RequestConverge(cast.ParseFromString(m.body) ? cast.reason() : "unparsed cast");
    return absl::OkStatus();
  });
  if (!consumer.ok()) return Fail("AMQP consumer", consumer.status());
  (*consumer)->Start();
  spdlog::info("gureum-network-agent on {}: local_ip {}, queue {}, server {}, state in {}",
               options.host, options.local_ip, in.queue, options.network_grpc, options.state_path);

  absl::Notification stopping;
  std::thread reporter([&] {
    while (!stopping.WaitForNotificationWithTimeout(options.report_interval)) {
      if (absl::Status s = agent.Report(); !s.ok()) spdlog::warn("ReportAgent: {}", s.ToString());
    }
  });

  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down (the datapath stays as it is)", sig);
  stopping.Notify();
  (*consumer)->Stop();
  agent.Stop();
  reporter.join();
  return 0;
}

}  // namespace
}  // namespace gureum::network_agent

int main(int argc, char** argv) { return gureum::network_agent::Main(argc, argv); }
