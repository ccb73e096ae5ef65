#include "image/image_options.h"

#include "common/service/runtime.h"

namespace gureum::image {

void AddImageOptions(config::Schema& schema) {
  const std::string s = "image";
  service::AddApiOptions(schema, s, {.rest_port = 9292, .grpc_port = 19292, .api = "Glance v2"});
  schema.String(s, "filesystem_store_datadir", "/var/lib/gureum/images",
                "Directory of the local filesystem store (one file per image).");
  schema.String(s, "store", "file",
                "Where image data lives: file (filesystem_store_datadir) or object (object "
                "storage, in the service user's account; Glance's swift store).");
  schema.String(s, "object_store_url", "http://127.0.0.1:8080",
                "The object storage proxy (store = object), http://host:port.");
  schema.String(s, "object_store_container", "glance",
                "Container of the image objects (store = object).");
  schema.Int(s, "object_store_segment_size", 32, 1, 5120,
             "MiB: larger images are kept as segments of this size and a manifest; also "
             "the most an upload holds in memory (store = object).");
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

ObjectDataStoreOptions ObjectDataStoreOptionsFromConfig(const config::Config& config) {
  ObjectDataStoreOptions o;
  o.container = config.GetString("image", "object_store_container");
  o.segment_bytes = static_cast<size_t>(config.GetInt("image", "object_store_segment_size")) << 20;
  return o;
}

}  // namespace gureum::image
