#include "scheduler/scheduler_options.h"

namespace gureum::scheduler {

void AddSchedulerOptions(config::Schema& schema) {
  const char* s = "scheduler";
  schema.String(s, "host", "0.0.0.0", "Address the gRPC and REST servers listen on.");
  schema.Int(s, "grpc_port", 18778, 0, 65535, "Placement gRPC API port.");
  schema.Int(s, "rest_port", 8778, 0, 65535, "Placement-style REST API port (0: off).");
  schema.String(s, "compute_api_grpc", "localhost:18774",
                "host:port of compute-api's gRPC API (ComputeHosts.ListHostStates).");
  schema.Int(s, "workers", 4, 1, 64, "Consumers of the scheduler queue (parallel decisions).");
  schema.Int(s, "db_pool_size", 8, 1, 256, "PostgreSQL connections.");
  schema.String(s, "policy_file", "/etc/gureum/policy.yaml", "Policy overrides.");
  schema.Int(s, "max_attempts", 3, 1, 100, "Build attempts per instance, the first included.");
  schema.Int(s, "host_subset_size", 1, 1, 1000, "Choose at random among the N best hosts.");
  schema.Int(s, "alternates", 2, 0, 20, "Alternate hosts sent with a build for reschedules.");
  schema.Double(s, "ram_weight_multiplier", 1.0, "Free RAM weigher (negative stacks).");
  schema.Double(s, "cpu_weight_multiplier", 1.0, "Free VCPU weigher (negative stacks).");
  schema.Double(s, "disk_weight_multiplier", 1.0, "Free disk weigher (negative stacks).");
  schema.Double(s, "soft_affinity_weight_multiplier", 1.0, "soft-affinity groups.");
  schema.Double(s, "soft_anti_affinity_weight_multiplier", 1.0, "soft-anti-affinity groups.");
  schema.Double(s, "cpu_allocation_ratio", 4.0, "VCPU ratio when a host reports none.");
  schema.Double(s, "ram_allocation_ratio", 1.0, "MEMORY_MB ratio when a host reports none.");
  schema.Double(s, "disk_allocation_ratio", 1.0, "DISK_GB ratio when a host reports none.");
  schema.Duration(s, "host_state_refresh", "1s", "Age of cached host states (compute-api).");
  schema.Duration(s, "provider_refresh", "1s", "Age of cached provider usages.");
}

SchedulerOptions SchedulerOptionsFromConfig(const config::Config& cfg) {
  const char* s = "scheduler";
  SchedulerOptions o;
  o.max_attempts = static_cast<int>(cfg.GetInt(s, "max_attempts"));
  o.host_subset_size = static_cast<int>(cfg.GetInt(s, "host_subset_size"));
  o.alternates = static_cast<int>(cfg.GetInt(s, "alternates"));
  o.ram_weight_multiplier = cfg.GetDouble(s, "ram_weight_multiplier");
  o.cpu_weight_multiplier = cfg.GetDouble(s, "cpu_weight_multiplier");
  o.disk_weight_multiplier = cfg.GetDouble(s, "disk_weight_multiplier");
  o.soft_affinity_weight_multiplier = cfg.GetDouble(s, "soft_affinity_weight_multiplier");
  o.soft_anti_affinity_weight_multiplier = cfg.GetDouble(s, "soft_anti_affinity_weight_multiplier");
  o.cpu_allocation_ratio = cfg.GetDouble(s, "cpu_allocation_ratio");
  o.ram_allocation_ratio = cfg.GetDouble(s, "ram_allocation_ratio");
  o.disk_allocation_ratio = cfg.GetDouble(s, "disk_allocation_ratio");
  o.host_state_refresh = cfg.GetDuration(s, "host_state_refresh");
  o.provider_refresh = cfg.GetDuration(s, "provider_refresh");
  return o;
}

}  // namespace gureum::scheduler
