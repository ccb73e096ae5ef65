#include "block-storage/api/block_storage_options.h"

#include "common/service/runtime.h"

namespace gureum::block_storage {
namespace {
constexpr char kSection[] = "block_storage";
}  // namespace

void AddBlockStorageOptions(config::Schema& schema) {
  const std::string s = kSection;
  service::AddApiOptions(schema, s, {.rest_port = 8776, .grpc_port = 18776, .api = "Cinder v3"});
  schema.Int(s, "quota_volumes", 10, -1, 1LL << 40, "Volumes a project may have; -1: no limit.");
  schema.Int(s, "quota_gigabytes", 1000, -1, 1LL << 40,
             "GiB of volumes and snapshots a project may have; -1: no limit.");
  schema.Int(s, "quota_snapshots", 10, -1, 1LL << 40,
             "Snapshots a project may have; -1: no limit.");
  schema.Int(s, "per_volume_size_limit", -1, -1, 1LL << 40, "Largest volume, GiB; -1: no limit.");
  schema.String(s, "default_volume_type", "__DEFAULT__",
                "Volume type of a volume created without one.");
  schema.String(s, "default_availability_zone", "nova",
                "Availability zone of a volume created without one.");
  schema.Int(s, "max_over_subscription_ratio", 20, 1, 1000,
             "A backend takes volumes up to its size times this (files are sparse).");
  schema.Int(s, "service_down_time", 60, 1, 86400,
             "Seconds without a report after which a volume agent's backend is down.");
  schema.Int(s, "export_timeout", 60, 1, 3600,
             "Seconds an attachment waits for the volume agent's export.");
  schema.Int(s, "task_timeout", 120, 1, 86400,
             "Seconds after which a task of a down backend's agent fails the volume.");
}

BlockStorageOptions BlockStorageOptionsFromConfig(const config::Config& config) {
  BlockStorageOptions o;
  o.default_quotas["volumes"] = config.GetInt(kSection, "quota_volumes");
  o.default_quotas["gigabytes"] = config.GetInt(kSection, "quota_gigabytes");
  o.default_quotas["snapshots"] = config.GetInt(kSection, "quota_snapshots");
  o.default_quotas["per_volume_gigabytes"] = config.GetInt(kSection, "per_volume_size_limit");
  o.default_volume_type = config.GetString(kSection, "default_volume_type");
  o.default_availability_zone = config.GetString(kSection, "default_availability_zone");
  o.host = config.GetString("DEFAULT", "host");
  o.max_over_subscription_ratio =
      static_cast<double>(config.GetInt(kSection, "max_over_subscription_ratio"));
  o.service_down_time = absl::Seconds(config.GetInt(kSection, "service_down_time"));
  o.export_timeout = absl::Seconds(config.GetInt(kSection, "export_timeout"));
  o.task_timeout = absl::Seconds(config.GetInt(kSection, "task_timeout"));
  return o;
}

}  // namespace gureum::block_storage
