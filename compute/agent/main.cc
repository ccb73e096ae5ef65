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

// The reporter thread: heartbeat and power states every report_interval, the resource
// provider until it is registered, stale builds once after the grace period, and the
// image cache cleanup, until `stopping`.
void ReportLoop(ComputeManager& manager, const AgentOptions& options, const Clock& clock,
                const std::string& provider_uuid, bool registered, absl::Notification& stopping) {
  absl::Time started = clock.Now();
  bool stale_checked = false;
  absl::Time next_cleanup = clock.Now() + options.image_cache_cleanup_interval;
  do {
    // The heartbeat first: a slow or absent placement must not make the host look down.
    if (absl::Status s = manager.Heartbeat(); !s.ok()) spdlog::error("heartbeat: {}", s.ToString());
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
}

// The service token for placement and the image service. Without a [service_auth]
// user (a simulated host in a test) the calls carry no token, and services that check
// tokens refuse them: said once here, loudly.
absl::StatusOr<std::unique_ptr<auth::ServiceToken>> ServiceTokenIfAny(const config::Config& cfg) {
  if (cfg.GetString("service_auth", "username").empty()) {
    spdlog::warn(
        "[service_auth] username is not set: calls to placement and the image service "
        "carry no token");
    return std::unique_ptr<auth::ServiceToken>();
  }
  return auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(cfg));
}

// False (said in the log) when placement could not be reached: the reporter retries.
bool RegisterAtStart(ComputeManager& manager, const std::string& provider_uuid) {
  absl::Status s = manager.RegisterProvider(provider_uuid);
  if (!s.ok()) {
    spdlog::error("registering the resource provider (retried every report_interval): {}",
                  s.ToString());
  }
  return s.ok();
}

// gureum-network's client, or null (said in the log) without [compute] network_grpc.
std::unique_ptr<compute::NetworkClient> NetworkClientIfAny(const AgentOptions& options,
                                                           auth::ServiceToken* token) {
  if (options.network_grpc.empty()) {
    spdlog::warn(
        "[compute] network_grpc is not set: instances that ask for networks fail on this host");
    return nullptr;
  }
  return compute::NewGrpcNetworkClient({.target = options.network_grpc, .service_token = token});
}

// gureum-block-storage's client, or null (said in the log) without [compute]
// block_storage_grpc.
std::unique_ptr<compute::BlockStorageClient> BlockStorageClientIfAny(const AgentOptions& options,
                                                                     auth::ServiceToken* token) {
  if (options.block_storage_grpc.empty()) {
    spdlog::warn(
        "[compute] block_storage_grpc is not set: volumes cannot be attached on this host");
    return nullptr;
  }
  return compute::NewGrpcBlockStorageClient(
      {.target = options.block_storage_grpc, .service_token = token});
}

// build_workers consumers of compute.<host>, started.
absl::StatusOr<std::vector<std::unique_ptr<amqp::Consumer>>> StartConsumers(
    const amqp::ConnectionOptions& amqp_options, const AgentOptions& options,
    ComputeManager& manager) {
  amqp::ConsumerOptions in;
  in.queue = "compute." + options.host;
  in.prefetch = 1;
  std::vector<std::unique_ptr<amqp::Consumer>> consumers;
  for (int i = 0; i < options.build_workers; ++i) {
    auto c = amqp::Consumer::Create(amqp_options, in, [&manager](const amqp::Message& m) {
      return HandleComputeMessage(manager, m);
    });
    if (!c.ok()) return c.status();
    (*c)->Start();
    consumers.push_back(*std::move(c));
  }
  return consumers;
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

  auto service_token = ServiceTokenIfAny(*cfg);
  if (!service_token.ok()) return Fail("[service_auth]", service_token.status());
  std::unique_ptr<auth::ServiceToken> token = *std::move(service_token);

  std::error_code ec;
  std::filesystem::create_directories(options.instances_path, ec);
  std::unique_ptr<compute::ImageClient> image_client = compute::NewGrpcImageClient(
      {.target = options.image_grpc, .service_token = token.get(), .timeout = absl::Seconds(30)});
  ImageCache images(options.image_cache_path, *image_client, clock);
  InstanceFiles files(options.instances_path);
  std::unique_ptr<compute::PlacementClient> placement =
      compute::NewGrpcPlacementClient({.target = options.placement_grpc,
                                       .service_token = token.get(),
                                       .timeout = absl::Seconds(5)});
  std::unique_ptr<compute::NetworkClient> network = NetworkClientIfAny(options, token.get());
  std::unique_ptr<compute::BlockStorageClient> block_storage =
      BlockStorageClientIfAny(options, token.get());
  VolumeAttacher volumes(options, {**hypervisor, **bus, clock, block_storage.get()});
  ComputeManager manager(options, {**hypervisor, images, files, *placement, **bus, clock,
                                   network.get(), &volumes, image_client.get()});

  const std::string provider_uuid = ProviderUuid(options.instances_path);
  const bool registered = RegisterAtStart(manager, provider_uuid);
  manager.ReconcileAfterRestart();

  auto consumers = StartConsumers(*amqp_options, options, manager);
  if (!consumers.ok()) return Fail("AMQP consumer", consumers.status());
  spdlog::info("gureum-compute-agent on {}: {} ({}), queue compute.{}, instances in {}",
               options.host, options.connection_uri, options.virt_type, options.host,
               options.instances_path);

  absl::Notification stopping;
  std::thread reporter(
      [&] { ReportLoop(manager, options, clock, provider_uuid, registered, stopping); });
  std::thread console([&] {
    while (!stopping.WaitForNotificationWithTimeout(options.console_interval)) {
      manager.PushConsoleTails();
    }
  });

  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down", sig);
  stopping.Notify();
  // Casts in progress finish and are acked; the rest stay queued for the next start.
  for (auto& c : *consumers) c->Stop();
  reporter.join();
  console.join();
  return 0;
}

}  // namespace
}  // namespace gureum::compute_agent

int main(int argc, char** argv) { return gureum::compute_agent::Main(argc, argv); }
