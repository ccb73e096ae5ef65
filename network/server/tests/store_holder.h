// The store the shared test cases run on: each test binary defines NewStoreHolder (the
// unit binary the in-memory fake, the integration binary a fresh migrated PostgreSQL
// database), so the same cases hold both implementations to one contract.
#pragma once

#include <memory>
#include <string>

#include "network/server/network_store.h"

namespace gureum::network::testing {

class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual NetworkStore& store() = 0;
};

std::unique_ptr<StoreHolder> NewStoreHolder();

// The contract tests' time zero.
inline const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

// Runs `fn` in one read-write transaction and returns its status.
inline absl::Status Tx(NetworkStore& s, const NetworkStore::TxFn& fn) { return s.Transact(fn); }

}  // namespace gureum::network::testing
