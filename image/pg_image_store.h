// ImageStore on PostgreSQL (database gureum_image, schema in migrations/).
#pragma once

#include <memory>

#include "common/db/pool.h"
#include "image/image_store.h"

namespace gureum::image {

// `pool` is not owned and must outlive the store; the schema must be migrated
// (gureum::image::Migrations()).
std::unique_ptr<ImageStore> NewPgImageStore(db::ConnectionPool& pool);

}  // namespace gureum::image
