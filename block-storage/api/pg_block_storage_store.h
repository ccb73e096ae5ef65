// BlockStorageStore on PostgreSQL (database gureum_block_storage, schema in migrations/).
#pragma once

#include <memory>

#include "block-storage/api/block_storage_store.h"
#include "common/db/pool.h"

namespace gureum::block_storage {

// `pool` is not owned and must outlive the store; the schema must be migrated
// (gureum::block_storage::Migrations()).
std::unique_ptr<BlockStorageStore> NewPgBlockStorageStore(db::ConnectionPool& pool);

}  // namespace gureum::block_storage
