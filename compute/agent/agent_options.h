// gureum-compute-agent's configuration: the [compute] section (host, libvirt, paths,
// reserved resources, intervals, simulated-host overrides, peers) and its reading.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::compute_agent {

struct AgentOptions {
  std::string host;  // [DEFAULT] host: queue compute.<host>, provider name
  std::string host_ip;
  std::string availability_zone = "nova";
  std::string connection_uri = "qemu:///system";
  std::string virt_type = "qemu";  // resolved: kvm | qemu | test
  std::string cpu_mode;            // "" : host-model on kvm, the default on qemu
  std::string machine_type;        // "" : libvirt's default (pc)
  std::string instances_path = "/var/lib/gureum/instances";
  std::string image_cache_path = "/var/lib/gureum/instances/_base";
  long long reserved_host_memory_mb = 512;
  long long reserved_host_disk_mb = 0;
  long long reserved_host_cpus = 0;
  // Simulated hosts (several agents on one machine): 0 reads the real host.
  long long vcpus = 0;
  long long memory_mb = 0;
  long long disk_gb = 0;
  absl::Duration report_interval = absl::Seconds(10);
  absl::Duration console_interval = absl::Seconds(3);
  absl::Duration shutdown_timeout = absl::Seconds(60);
  absl::Duration image_cache_max_unused = absl::Hours(24);
  absl::Duration image_cache_cleanup_interval = absl::Minutes(10);
  // A build left in `building` by an agent that died is failed if no redelivery of its
  // cast finished it this long after the agent started again.
  absl::Duration stale_build_grace = absl::Seconds(60);
  int build_workers = 4;
  // A kernel booted under -accel kvm when virt_type = auto decides (kvm_probe.h).
  std::string kvm_probe_kernel = "/vmlinuz";
  absl::Duration kvm_probe_timeout = absl::Seconds(20);
  std::string placement_grpc = "localhost:18778";
  // Where updates/heartbeats and reschedules go (tests point them at queues of their own).
  std::string conductor_queue = "conductor";
  std::string scheduler_queue = "scheduler";
  std::string image_grpc = "localhost:19292";
  // gureum-network's gRPC ("" : none; instances with networks cannot be built here).
  std::string network_grpc;
  // gureum-block-storage's gRPC ("" : none; volume casts fail here with the reason).
  std::string block_storage_grpc;
  // How long a detach waits for the guest to release the disk (then it fails, attached).
  absl::Duration volume_detach_timeout = absl::Seconds(60);
  // How long a build waits for its ports to become ACTIVE (Nova's vif_plugging_timeout).
  absl::Duration vif_plugging_timeout = absl::Seconds(60);
  // How long a build waits for a root volume made at create to become available (Nova's
  // block_device_allocate_retries x interval: 60 x 3 s).
  absl::Duration block_device_allocate_timeout = absl::Seconds(180);
};

void AddAgentOptions(config::Schema& schema);
// virt_type here is the configured one (auto | kvm | qemu); main resolves it.
AgentOptions AgentOptionsFromConfig(const config::Config& cfg);

}  // namespace gureum::compute_agent
