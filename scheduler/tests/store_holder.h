// The store under test: the in-memory fake (fake_store_holder.cc) or a fresh PostgreSQL
// database (pg_store_holder.cc). The same test sources link against either.
#pragma once

#include <memory>

#include "scheduler/placement_store.h"

namespace gureum::scheduler::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual PlacementStore& store() = 0;
  // A second, independent handle on the same data (another scheduler process's pool);
  // the fake returns the same store.
  virtual PlacementStore& other() = 0;
};

std::unique_ptr<StoreHolder> NewStoreHolder();

}  // namespace gureum::scheduler::testing
