// The store the shared test cases run on: each test binary defines NewStoreHolder (the
// unit binary an in-memory fake, the integration binary a fresh migrated PostgreSQL
// database), so the same cases hold both implementations to one contract.
#pragma once

#include <memory>

#include "common/base/clock.h"
#include "compute/api/compute_store.h"

namespace gureum::compute::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual ComputeStore& store() = 0;
};

// `clock` is what the fake stamps its rows with (PostgreSQL uses its own now()); it must
// outlive the holder.
std::unique_ptr<StoreHolder> NewStoreHolder(const Clock& clock);

}  // namespace gureum::compute::testing
