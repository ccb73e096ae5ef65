#include "image/image_options.h"

#include "common/service/runtime.h"

namespace gureum::image {

void AddImageOptions(config::Schema& schema) {
  const std::string s = "image";
  service::AddApiOptions(schema, s, {.rest_port = 9292, .grpc_port = 19292, .api = "Glance v2"});
  schema.String(s, "filesystem_store_datadir", "/var/lib/gureum/images",
                "Directory of the local filesystem store (one file per image).");
  schema.Int(s, "image_count_quota", -1, -1, 1LL << 40,
             "Images a project may own; -1 for no limit.");
  schema.Int(s, "image_size_total_quota", -1, -1, 1LL << 60,
             "Bytes of image data a project may store; -1 for no limit.");
  schema.Int(s, "image_size_cap", 1LL << 40, 1, 1LL << 60, "Largest image, bytes.");
}

ImageManagerOptions ImageManagerOptionsFromConfig(const config::Config& config) {
  ImageManagerOptions o;
  o.image_count_quota = config.GetInt("image", "image_count_quota");
  o.image_size_total_quota = config.GetInt("image", "image_size_total_quota");
  o.image_size_cap = config.GetInt("image", "image_size_cap");
  return o;
}

}  // namespace gureum::image
