// An in-memory IdentityStore for unit tests of the manager and the adapters. Follows the
// IdentityStore contract (the contract test runs the same cases on it and on
// PostgreSQL), plus fault injection: FailNext(status) makes the next call fail.
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "identity/identity_store.h"

namespace gureum::identity {

class FakeIdentityStore;

// A fresh empty fake (with the "default" domain, as migration 0001 makes it).
std::unique_ptr<FakeIdentityStore> NewFakeIdentityStore();

class FakeIdentityStore : public IdentityStore {
 public:
  // The next store call returns `status` and changes nothing.
  virtual void FailNext(absl::Status status) = 0;
};

}  // namespace gureum::identity
