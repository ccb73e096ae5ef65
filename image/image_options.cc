#include "image/image_options.h"

namespace gureum::image {

void AddImageOptions(config::Schema& schema) {
  const std::string s = "image";
  schema.String(s, "host", "0.0.0.0", "Address the REST and gRPC servers listen on.");
  schema.Int(s, "rest_port", 9292, 1, 65535, "Glance v2 REST port.");
  schema.Int(s, "grpc_port", 19292, 1, 65535, "gRPC port.");
  schema.String(s, "filesystem_store_datadir", "/var/lib/gureum/images",
                "Directory of the local filesystem store (one file per image).");
  schema.Int(s, "image_count_quota", -1, -1, 1LL << 40,
             "Images a project may own; -1 for no limit.");
  schema.Int(s, "image_size_total_quota", -1, -1, 1LL << 60,
             "Bytes of image data a project may store; -1 for no limit.");
  schema.Int(s, "image_size_cap", 1LL << 40, 1, 1LL << 60, "Largest image, bytes.");
  schema.String(s, "policy_file", "/etc/gureum/policy.yaml",
                "oslo.policy-style overrides of the default rules.");
  schema.String(s, "public_url", "",
                "Base URL clients reach the REST API at (discovery documents); empty: "
                "http://[DEFAULT] my_ip:rest_port (never the request's Host header).");
  schema.Int(s, "db_pool_size", 8, 1, 256, "PostgreSQL connections.");
}

ImageManagerOptions ImageManagerOptionsFromConfig(const config::Config& config) {
  ImageManagerOptions o;
  o.image_count_quota = config.GetInt("image", "image_count_quota");
  o.image_size_total_quota = config.GetInt("image", "image_size_total_quota");
  o.image_size_cap = config.GetInt("image", "image_size_cap");
  return o;
}

}  // namespace gureum::image
