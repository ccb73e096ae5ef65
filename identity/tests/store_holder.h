// The store the shared test cases run on: each test binary defines NewStoreHolder (the
// unit binary an in-memory fake, the integration binary a fresh migrated PostgreSQL
// database), so the same cases hold both implementations to one contract.
#pragma once

#include <memory>

#include "identity/identity_store.h"

namespace gureum::identity::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual IdentityStore& store() = 0;
};

std::unique_ptr<StoreHolder> NewStoreHolder();

}  // namespace gureum::identity::testing
