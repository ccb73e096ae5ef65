// PlacementStore on PostgreSQL (database gureum_scheduler, schema in migrations/). Claims
// are one conditional UPDATE of the provider's inventory rows (see placement_store.h).
#pragma once

#include <memory>

#include "common/db/pool.h"
#include "scheduler/placement_store.h"

namespace gureum::scheduler {

// `pool` must outlive the store.
std::unique_ptr<PlacementStore> NewPgPlacementStore(db::ConnectionPool& pool);

}  // namespace gureum::scheduler
