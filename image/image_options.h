// The [image] configuration section: what gureum-image reads, registered on a
// config::Schema by AddImageOptions and read back by ImageManagerOptionsFromConfig.
#pragma once

#include "common/config/config.h"
#include "common/config/schema.h"
#include "image/image_manager.h"
#include "image/object_data_store.h"

namespace gureum::image {

// Registers [image]: host (0.0.0.0), rest_port (9292), grpc_port (19292),
// store (file | object), filesystem_store_datadir (/var/lib/gureum/images),
// object_store_url (http://127.0.0.1:8080), object_store_container (glance),
// object_store_segment_size (32 MiB), image_count_quota (-1),
// image_size_total_quota (-1, bytes), image_size_cap (1 TiB), policy_file, public_url,
// db_pool_size (8).
void AddImageOptions(config::Schema& schema);

ImageManagerOptions ImageManagerOptionsFromConfig(const config::Config& config);
ObjectDataStoreOptions ObjectDataStoreOptionsFromConfig(const config::Config& config);

}  // namespace gureum::image
