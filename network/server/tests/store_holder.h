// The store the shared test cases run on: each test binary defines NewStoreHolder (the
// unit binary the in-memory fake, the integration binary a fresh migrated PostgreSQL
// database), so the same cases hold both implementations to one contract.
#pragma once

#include <memory>

#include "network/server/network_store.h"

namespace gureum::network::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual NetworkStore& store() = 0;
};

std::unique_ptr<StoreHolder> NewStoreHolder();

}  // namespace gureum::network::testing
