// The [block_storage] configuration section: what gureum-block-storage reads, registered on
// a config::Schema by AddBlockStorageOptions and read back by BlockStorageOptionsFromConfig.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "block-storage/api/model.h"
#include "common/config/config.h"
#include "common/config/schema.h"

namespace gureum::block_storage {

struct BlockStorageOptions {
  // Cinder's [DEFAULT] quota_* defaults, by quota name (-1 unlimited).
  QuotaLimits default_quotas = {
      {"volumes", 10}, {"gigabytes", 1000},        {"snapshots", 10}, {"per_volume_gigabytes", -1},
      {"backups", 10}, {"backup_gigabytes", 1000}, {"groups", 10}};
  // The type a volume gets when the create names none (Cinder's default_volume_type).
  std::string default_volume_type = "__DEFAULT__";
  std::string default_availability_zone = "nova";
  // This API's own host ([DEFAULT] host), listed as the cinder-scheduler service.
  std::string host = "localhost";
  // A backend takes volumes up to total_gb * this (qcow2 files are sparse).
  double max_over_subscription_ratio = 20.0;
  // A backend silent for longer is down (services list; not scheduled onto).
  absl::Duration service_down_time = absl::Seconds(60);
  // How long an attachment waits for the agent's export before it fails.
  absl::Duration export_timeout = absl::Seconds(60);
  // A volume or snapshot whose agent task has not answered for this long, on a backend
  // that is down, goes to error (nothing stays `creating` forever).
  absl::Duration task_timeout = absl::Seconds(120);
};

// Registers [block_storage]: host, rest_port (8776), grpc_port (18776), public_url,
// policy_file, db_pool_size, the quota defaults (quota_volumes, quota_gigabytes,
// quota_snapshots, per_volume_size_limit), default_volume_type,
// default_availability_zone, max_over_subscription_ratio, service_down_time,
// export_timeout, task_timeout (seconds).
void AddBlockStorageOptions(config::Schema& schema);

BlockStorageOptions BlockStorageOptionsFromConfig(const config::Config& config);

}  // namespace gureum::block_storage
