// gureum-scheduler's configuration: the [scheduler] section (ports, compute-api's
// address, retries, host subset, weigher multipliers, default allocation ratios, refresh
// intervals) and the values the logic reads from it.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::scheduler {

struct SchedulerOptions {
  int max_attempts = 3;      // build attempts per instance, the first included
  int host_subset_size = 1;  // pick at random among the N best hosts
  int alternates = 2;        // hosts handed to the agent for a reschedule
  // Weighers: positive spreads (most free first), negative stacks.
  double ram_weight_multiplier = 1.0;
  double cpu_weight_multiplier = 1.0;
  double disk_weight_multiplier = 1.0;
  double soft_affinity_weight_multiplier = 1.0;
  double soft_anti_affinity_weight_multiplier = 1.0;
  // For inventories reported without a ratio (modern Nova's initial ratios).
  double cpu_allocation_ratio = 4.0;
  double ram_allocation_ratio = 1.0;
  double disk_allocation_ratio = 1.0;
  // How old the cached host states (compute-api) and provider usages may get.
  absl::Duration host_state_refresh = absl::Seconds(1);
  absl::Duration provider_refresh = absl::Seconds(1);
  // Hosts tried, best first, when claims lose races to other schedulers, per round.
  int claim_tries = 8;
  // Where casts go: the conductor's queue and the agents' "compute.<host>" queues.
  std::string conductor_queue = "conductor";
  std::string compute_queue_prefix = "compute.";
};

// Adds [scheduler] to `schema` (with host, grpc_port, rest_port, compute_api_grpc,
// workers, db_pool_size and policy_file for main).
void AddSchedulerOptions(config::Schema& schema);
SchedulerOptions SchedulerOptionsFromConfig(const config::Config& cfg);

}  // namespace gureum::scheduler
