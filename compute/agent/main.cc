// gureum-compute-agent: drives libvirt on one hypervisor host (nova-compute). Registers
// the host's resource provider with placement, heartbeats to the conductor, and turns
// the casts on compute.<host> into domains (see README.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "absl/synchronization/notification.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/auth/service_token.h"
#include "common/base/ids.h"
#include "common/base/process.h"
#include "common/base/signals.h"
#include "common/service/runtime.h"
#include "compute/agent/agent_options.h"
#include "compute/agent/compute_handler.h"
#include "compute/agent/compute_manager.h"
#include "compute/agent/kvm_probe.h"
#include "compute/agent/libvirt_hypervisor.h"

namespace gureum::compute_agent {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-compute-agent", what, status);
}

// The resource provider's uuid is this host's for good: kept next to the instances.
std::string ProviderUuid(const std::string& instances_path) {
  std::string path = instances_path + "/.compute_id";
  std::ifstream in(path);
  std::string id;
  if (in >> id && IsUuid(id)) return id;
  id = NewUuid();
  std::ofstream(path) << id << "\n";
  return id;
}

int Main(int argc, char** argv) {
  InitProcess();
  BlockTerminationSignals();
  config::Schema schema;
  AddAgentOptions(schema);
  auth::AddServiceTokenOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "compute-agent", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());
  AgentOptions options = AgentOptionsFromConfig(*cfg);
  const Clock& clock = RealClock::Get();

  std::string why_not_kvm;
  auto virt = ResolveVirtType(options.virt_type, options.connection_uri, options.kvm_probe_timeout,
                              options.kvm_probe_kernel, &why_not_kvm, clock);
  if (!virt.ok()) return Fail("[compute] virt_type", virt.status());
  if (!why_not_kvm.empty())
    spdlog::warn("not using KVM: {}; guests run under QEMU emulation", why_not_kvm);
  options.virt_type = *virt;
  auto hypervisor = CreateLibvirtHypervisor(options.connection_uri, clock);
  if (!hypervisor.ok()) return Fail("libvirt", hypervisor.status());

  std::string transport = cfg->GetString("DEFAULT", "transport_url");
  if (transport.empty()) {
    return Fail("[DEFAULT] transport_url",
                absl::InvalidArgumentError("is required: the agent works on AMQP casts"));
  }
  auto amqp_options = amqp::ParseUrl(transport);
  if (!amqp_options.ok()) return Fail("[DEFAULT] transport_url", amqp_options.status());
  auto bus = amqp::Publisher::Create(*amqp_options);
  if (!bus.ok()) return Fail("cannot set up the AMQP publisher", bus.status());

  // The service token for placement and the image service. Without a [service_auth]
  // user (a simulated host in a test) the calls carry no token, and services that check
  // tokens refuse them: said once here, loudly.
  std::unique_ptr<auth::ServiceToken> token;
  if (cfg->GetString("service_auth", "username").empty()) {
    spdlog::warn(
        "[service_auth] username is not set: calls to placement and the image service "
        "carry no token");
  } else {
    auto created = auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(*cfg));
    if (!created.ok()) return Fail("[service_auth]", created.status());
    token = *std::move(created);
  }

  std::error_code ec;
  std::filesystem::create_directories(options.instances_path, ec);
  auto image_source = NewGrpcImageSource(options.image_grpc, token.get());
  ImageCache images(options.image_cache_path, *image_source, clock);
  InstanceFiles files(options.instances_path);
  auto placement = NewGrpcPlacementClient(options.placement_grpc, token.get());
  ComputeManager manager(options, {**hypervisor, images, files, *placement, **bus, clock});
  std::unique_ptr<NetworkClient> network;
  if (!options.network_grpc.empty()) {
    network = NewGrpcNetworkClient(options.network_grpc, token.get());
    manager.SetNetwork(network.get());
  } else {
    spdlog::warn(
        "[compute] network_grpc is not set: instances that ask for networks fail on this host");
  }

  const std::string provider_uuid = ProviderUuid(options.instances_path);
  bool registered = false;
  if (absl::Status s = manager.RegisterProvider(provider_uuid); s.ok()) {
    registered = true;
  } else {
    spdlog::error("registering the resource provider (retried every report_interval): {}",
                  s.ToString());
  }
  manager.ReconcileAfterRestart();

  amqp::ConsumerOptions in;
  in.queue = "compute." + options.host;
  in.prefetch = 1;
  std::vector<std::unique_ptr<amqp::Consumer>> consumers;
  for (int i = 0; i < options.build_workers; ++i) {
    auto c = amqp::Consumer::Create(*amqp_options, in, [&manager](const amqp::Message& m) {
      return HandleComputeMessage(manager, m);
    });
    if (!c.ok()) return Fail("AMQP consumer", c.status());
    (*c)->Start();
    consumers.push_back(*std::move(c));
  }
  spdlog::info("gureum-compute-agent on {}: {} ({}), queue {}, instances in {}", options.host,
               options.connection_uri, options.virt_type, in.queue, options.instances_path);

  absl::Notification stopping;
  std::thread reporter([&] {
    absl::Time started = clock.Now();
    bool stale_checked = false;
    absl::Time next_cleanup = clock.Now() + options.image_cache_cleanup_interval;
    do {
      // The heartbeat first: a slow or absent placement must not make the host look down.
      if (absl::Status s = manager.Heartbeat(); !s.ok())
        spdlog::error("heartbeat: {}", s.ToString());
      manager.SyncPowerStates();
      if (!registered) {
        absl::Status s = manager.RegisterProvider(provider_uuid);
        registered = s.ok();
        if (!s.ok()) spdlog::warn("registering the resource provider: {}", s.ToString());
      }
      if (!stale_checked && clock.Now() - started > options.stale_build_grace) {
        manager.FailStaleBuilds();
        stale_checked = true;
      }
      if (clock.Now() > next_cleanup) {
        manager.CleanupImageCache();
        next_cleanup = clock.Now() + options.image_cache_cleanup_interval;
      }
    } while (!stopping.WaitForNotificationWithTimeout(options.report_interval));
  });
  std::thread console([&] {
    while (!stopping.WaitForNotificationWithTimeout(options.console_interval)) {
      manager.PushConsoleTails();
    }
  });

  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down", sig);
  stopping.Notify();
  // Casts in progress finish and are acked; the rest stay queued for the next start.
  for (auto& c : consumers) c->Stop();
  reporter.join();
  console.join();
  return 0;
}

}  // namespace
}  // namespace gureum::compute_agent

int main(int argc, char** argv) { return gureum::compute_agent::Main(argc, argv); }
