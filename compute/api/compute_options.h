// The settings of compute-api's manager classes ([compute] and [quota] in the config).
#pragma once

#include <string>

#include "absl/time/time.h"
#include "compute/api/model.h"

namespace gureum::compute {

struct ComputeOptions {
  QuotaLimits default_quotas;
  absl::Duration service_down_time = absl::Seconds(60);
  // A resize may stay on the instance's host (Nova's allow_resize_to_same_host).
  bool allow_resize_to_same_host = false;
  std::string default_availability_zone = "nova";
  std::string internal_service_availability_zone = "internal";
  int max_list_limit = 1000;
  // Where schedule requests go (tests use their own queue on a shared broker).
  std::string scheduler_queue = "scheduler";
  // Nova's reclaim_instance_interval: zero, a DELETE deletes; else a DELETE of a server
  // that ran soft deletes it (SOFT_DELETED, powered off; `restore` brings it back,
  // `forceDelete` deletes it), and a soft-deleted server older than this is deleted by the
  // periodic reclaim (SoftDeleteReclaimer), which also runs this often.
  absl::Duration reclaim_instance_interval = absl::ZeroDuration();
  // How long GET servers/{id}/diagnostics waits for the host's agent to push them.
  absl::Duration diagnostics_timeout = absl::Seconds(10);
};

}  // namespace gureum::compute
