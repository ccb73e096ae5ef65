// gureum-volume-agent: owns the volume backends of one storage host and exports their
// volumes to compute hosts (cinder-volume). Consumes VolumeCast on volume.<host>, casts
// AgentReport to block-storage (see README.md).
#include <filesystem>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "absl/synchronization/notification.h"
#include "block-storage/agent/agent_options.h"
#include "block-storage/agent/file_driver.h"
#include "block-storage/agent/nbd_exporter.h"
#include "block-storage/agent/volume_agent_manager.h"
#include "block-storage/agent/volume_handler.h"
#include "block-storage/agent/volume_reporter.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/consumer.h"
#include "common/amqp/publisher.h"
#include "common/auth/service_token.h"
#include "common/base/ids.h"
#include "common/base/process.h"
#include "common/base/signals.h"
#include "common/process/command_runner.h"
#include "common/service/runtime.h"

namespace gureum::volume_agent {
namespace {

int Fail(const std::string& what, const absl::Status& status) {
  return service::Fail("gureum-volume-agent", what, status);
}

// The service token for the image service; without a [service_auth] user (a test host)
// downloads carry no token and a service that checks tokens refuses them: said once here.
absl::StatusOr<std::unique_ptr<auth::ServiceToken>> ServiceTokenIfAny(const config::Config& cfg) {
  if (cfg.GetString("service_auth", "username").empty()) {
    spdlog::warn("[service_auth] username is not set: image downloads carry no token");
    return std::unique_ptr<auth::ServiceToken>();
  }
  return auth::ServiceToken::Create(auth::ServiceTokenOptionsFromConfig(cfg));
}

// One FileDriver per configured backend, its directory made if missing.
absl::StatusOr<std::vector<std::unique_ptr<VolumeDriver>>> MakeDrivers(
    const AgentOptions& options, process::CommandRunner& runner) {
  std::vector<std::unique_ptr<VolumeDriver>> drivers;
  for (const BackendOptions& b : options.backends) {
    std::error_code ec;
    std::filesystem::create_directories(b.directory, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("backend ", b.name, ": cannot make ", b.directory, ": ", ec.message()));
    }
    drivers.push_back(std::make_unique<FileDriver>(b.directory, runner));
  }
  return drivers;
}

// <state_dir>/uploads, where volumes are converted before an upload to the image service;
// copies an agent that stopped mid-upload left behind are removed (those uploads failed).
absl::StatusOr<std::string> UploadScratchDir(const AgentOptions& options) {
  const std::string dir = options.state_dir + "/uploads";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("cannot make ", dir, ": ", ec.message()));
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  return dir;
}

// `workers` consumers of volume.<host>, started.
absl::StatusOr<std::vector<std::unique_ptr<amqp::Consumer>>> StartConsumers(
    const amqp::ConnectionOptions& amqp_options, const AgentOptions& options,
    VolumeHandler& handler) {
  amqp::ConsumerOptions in;
  in.queue = "volume." + options.host;
  in.prefetch = 1;
  return amqp::StartConsumers(amqp_options, in, options.workers,
                              [&handler](const amqp::Message& m) { return handler.Handle(m); });
}

int Main(int argc, char** argv) {
  InitProcess();
  BlockTerminationSignals();
  config::Schema schema;
  AddAgentOptions(schema);
  auth::AddServiceTokenOptions(schema);
  absl::StatusOr<config::Config> cfg = service::Start(argc, argv, "volume-agent", schema);
  if (!cfg.ok()) return service::ExitCode(cfg.status());
  absl::StatusOr<AgentOptions> options = AgentOptionsFromConfig(*cfg);
  if (!options.ok()) return Fail("configuration", options.status());
  const Clock& clock = RealClock::Get();

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
  const compute::GrpcClientOptions image_options{
      .target = options->image_grpc, .service_token = token.get(), .timeout = absl::Seconds(30)};
  // One client reads images (the image cache) and fills the ones made from volumes.
  std::unique_ptr<compute::ImageClient> images = compute::NewGrpcImageClient(image_options);
  compute::ImageClient* new_images = images.get();
  auto scratch_dir = UploadScratchDir(*options);
  if (!scratch_dir.ok()) return Fail("[volume] state_dir", scratch_dir.status());

  process::RealCommandRunner runner(clock);
  auto drivers = MakeDrivers(*options, runner);
  if (!drivers.ok()) return Fail("[volume] backends", drivers.status());
  auto exporter = NbdExporter::Create({.state_dir = options->state_dir,
                                       .address = options->export_address,
                                       .port_min = options->export_port_min,
                                       .port_max = options->export_port_max,
                                       .nftables = options->export_filter == "nftables"},
                                      {runner, clock, RandomIdGenerator::Get()});
  if (!exporter.ok()) return Fail("exports", exporter.status());
  VolumeAgentManager::Deps deps{.exporter = **exporter,
                                .images = images.get(),
                                .new_images = new_images,
                                .scratch_dir = *scratch_dir};
  for (size_t i = 0; i < drivers->size(); ++i) {
    deps.backends[options->backends[i].name] = (*drivers)[i].get();
  }
  VolumeAgentManager manager(options->host, std::move(deps));
  // The handler reports a transient failure on the consumer's last attempt.
  VolumeHandler handler(manager, **bus,
                        {.report_queue = options->report_queue,
                         .max_attempts = amqp::ConsumerOptions().max_attempts});
  VolumeReporter reporter(manager, **bus, clock,
                          {.availability_zone = options->availability_zone,
                           .report_queue = options->report_queue,
                           .interval = options->report_interval});

  auto consumers = StartConsumers(*amqp_options, *options, handler);
  if (!consumers.ok()) return Fail("AMQP consumer", consumers.status());
  spdlog::info("gureum-volume-agent on {}: queue volume.{}, {} backend(s), exports on {}",
               options->host, options->host, options->backends.size(), options->export_address);
  absl::Notification stopping;
  std::thread report_thread([&] { reporter.Run(stopping); });

  int sig = WaitForTerminationSignal();
  spdlog::info("signal {}: shutting down (exports keep serving)", sig);
  stopping.Notify();
  for (auto& c : *consumers) c->Stop();
  report_thread.join();
  return 0;
}

}  // namespace
}  // namespace gureum::volume_agent

int main(int argc, char** argv) { return gureum::volume_agent::Main(argc, argv); }
