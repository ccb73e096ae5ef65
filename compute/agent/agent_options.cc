#include "compute/agent/agent_options.h"

#include <unistd.h>

namespace gureum::compute_agent {

void AddAgentOptions(config::Schema& s) {
  const std::string c = "compute";
  s.String(c, "host_ip", "", "The address other hosts reach this one at (reported in heartbeats).");
  s.String(c, "availability_zone", "nova", "Availability zone of this host.");
  s.String(c, "connection_uri", "qemu:///system",
           "libvirt connection (test:///default for tests).");
  s.Add({.section = c,
         .name = "virt_type",
         .type = config::Type::kString,
         .default_value = "auto",
         .help = "kvm, qemu (software emulation) or auto (kvm if a test guest runs under it).",
         .choices = {"auto", "kvm", "qemu"}});
  s.Add({.section = c,
         .name = "cpu_mode",
         .type = config::Type::kString,
         .default_value = "",
         .help = "Guest CPU: host-passthrough, host-model or empty (host-model on kvm, the "
                 "hypervisor's default on qemu).",
         .choices = {"", "host-passthrough", "host-model"}});
  s.String(c, "machine_type", "",
           "Default machine type (pc, q35); images may set hw_machine_type.");
  s.String(c, "instances_path", "/var/lib/gureum/instances", "Where instance disks live.");
  s.String(c, "image_cache", "", "Cached base images; empty: <instances_path>/_base.");
  s.Int(c, "reserved_host_memory_mb", 512, 0, 1LL << 40, "Memory kept for the host.");
  s.Int(c, "reserved_host_disk_mb", 0, 0, 1LL << 40, "Disk kept for the host.");
  s.Int(c, "reserved_host_cpus", 0, 0, 4096, "vCPUs kept for the host.");
  s.Int(c, "vcpus", 0, 0, 1 << 20, "Override the host's vCPUs (simulated hosts); 0: real.");
  s.Int(c, "memory_mb", 0, 0, 1LL << 40, "Override the host's memory in MiB; 0: real.");
  s.Int(c, "disk_gb", 0, 0, 1LL << 30, "Override the instances disk size in GiB; 0: real.");
  s.Int(c, "report_interval", 10, 1, 3600, "Seconds between heartbeats and power-state syncs.");
  s.Int(c, "console_interval", 3, 1, 3600, "Seconds between console log checks.");
  s.Int(c, "shutdown_timeout", 60, 0, 3600,
        "Seconds an ACPI shutdown may take before destroy (the request is repeated every 10 s).");
  s.Int(c, "image_cache_max_unused", 86400, 0, 1LL << 31,
        "Seconds a base image no instance uses is kept.");
  s.Int(c, "image_cache_cleanup_interval", 600, 1, 1LL << 31, "Seconds between cache cleanups.");
  s.Int(c, "stale_build_grace", 60, 1, 86400,
        "Seconds after a restart before a build left unfinished is failed.");
  s.Int(c, "build_workers", 4, 1, 64, "Casts handled at once.");
  s.String(c, "kvm_probe_kernel", "/vmlinuz",
           "Kernel booted under KVM to decide virt_type = auto (missing: ioctl test only).");
  s.Int(c, "kvm_probe_timeout", 20, 1, 600, "Seconds the KVM test guest may take.");
  s.String(c, "placement_grpc", "localhost:18778", "The scheduler's Placement gRPC endpoint.");
  s.String(c, "image_grpc", "localhost:19292", "The image service's gRPC endpoint.");
  s.String(c, "network_grpc", "",
           "gureum-network's gRPC endpoint (host:19696); empty: this host builds no network "
           "interfaces.");
  s.String(c, "block_storage_grpc", "",
           "gureum-block-storage's gRPC endpoint (host:18776); empty: volumes cannot be "
           "attached to this host's instances.");
  s.Int(c, "volume_detach_timeout", 60, 1, 3600,
        "Seconds a volume detach waits for the guest to release the disk.");
  s.Int(c, "vif_plugging_timeout", 60, 1, 3600,
        "Seconds a build waits for the network agent to wire its ports (then it fails and is "
        "rescheduled).");
  s.Int(c, "block_device_allocate_timeout", 180, 1, 3600,
        "Seconds a build waits for the root volume made for it (boot from volume) to become "
        "available (then it fails: the server goes to ERROR).");
  s.String(c, "conductor_queue", "conductor", "Queue for instance updates and heartbeats.");
  s.String(c, "scheduler_queue", "scheduler", "Queue for reschedule requests.");
}

AgentOptions AgentOptionsFromConfig(const config::Config& cfg) {
  const std::string c = "compute";
  AgentOptions o;
  // [DEFAULT] host, as in Nova ([compute] host is compute-api's listen address).
  o.host = cfg.GetString("DEFAULT", "host");
  if (o.host.empty()) {
    char name[256] = {};
    gethostname(name, sizeof(name) - 1);
    o.host = name;
  }
  o.host_ip = cfg.GetString(c, "host_ip");
  if (o.host_ip.empty()) o.host_ip = cfg.GetString("DEFAULT", "my_ip");
  o.availability_zone = cfg.GetString(c, "availability_zone");
  o.connection_uri = cfg.GetString(c, "connection_uri");
  o.virt_type = cfg.GetString(c, "virt_type");
  o.cpu_mode = cfg.GetString(c, "cpu_mode");
  o.machine_type = cfg.GetString(c, "machine_type");
  o.instances_path = cfg.GetString(c, "instances_path");
  o.image_cache_path = cfg.GetString(c, "image_cache");
  if (o.image_cache_path.empty()) o.image_cache_path = o.instances_path + "/_base";
  o.reserved_host_memory_mb = cfg.GetInt(c, "reserved_host_memory_mb");
  o.reserved_host_disk_mb = cfg.GetInt(c, "reserved_host_disk_mb");
  o.reserved_host_cpus = cfg.GetInt(c, "reserved_host_cpus");
  o.vcpus = cfg.GetInt(c, "vcpus");
  o.memory_mb = cfg.GetInt(c, "memory_mb");
  o.disk_gb = cfg.GetInt(c, "disk_gb");
  o.report_interval = absl::Seconds(cfg.GetInt(c, "report_interval"));
  o.console_interval = absl::Seconds(cfg.GetInt(c, "console_interval"));
  o.shutdown_timeout = absl::Seconds(cfg.GetInt(c, "shutdown_timeout"));
  o.image_cache_max_unused = absl::Seconds(cfg.GetInt(c, "image_cache_max_unused"));
  o.image_cache_cleanup_interval = absl::Seconds(cfg.GetInt(c, "image_cache_cleanup_interval"));
  o.stale_build_grace = absl::Seconds(cfg.GetInt(c, "stale_build_grace"));
  o.build_workers = static_cast<int>(cfg.GetInt(c, "build_workers"));
  o.kvm_probe_kernel = cfg.GetString(c, "kvm_probe_kernel");
  o.kvm_probe_timeout = absl::Seconds(cfg.GetInt(c, "kvm_probe_timeout"));
  o.placement_grpc = cfg.GetString(c, "placement_grpc");
  o.image_grpc = cfg.GetString(c, "image_grpc");
  o.network_grpc = cfg.GetString(c, "network_grpc");
  o.block_storage_grpc = cfg.GetString(c, "block_storage_grpc");
  o.volume_detach_timeout = absl::Seconds(cfg.GetInt(c, "volume_detach_timeout"));
  o.vif_plugging_timeout = absl::Seconds(cfg.GetInt(c, "vif_plugging_timeout"));
  o.block_device_allocate_timeout = absl::Seconds(cfg.GetInt(c, "block_device_allocate_timeout"));
  o.conductor_queue = cfg.GetString(c, "conductor_queue");
  o.scheduler_queue = cfg.GetString(c, "scheduler_queue");
  return o;
}

}  // namespace gureum::compute_agent
