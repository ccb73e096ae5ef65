// FakeNetworkStore: the tables in maps (see fake_network_store.h); the transaction's calls
// are FakeTx (fake_network_tx.h).
#include "network/server/fake_network_store.h"

#include <utility>

#include "common/status/macros.h"
#include "network/server/fake_network_tx.h"

namespace gureum::network {

using fake_internal::FakeTx;

absl::Status FakeNetworkStore::Run(const TxFn& fn, bool read_only) {
  absl::MutexLock l(&mu_);
  if (!fail_next_.ok()) return std::exchange(fail_next_, absl::OkStatus());
  Tables copy = tables_;
  FakeTx tx(copy, read_only);
  GUREUM_RETURN_IF_ERROR(fn(tx));
  tables_ = std::move(copy);
  return absl::OkStatus();
}

absl::Status FakeNetworkStore::Transact(const TxFn& fn) { return Run(fn, false); }
absl::Status FakeNetworkStore::ReadOnly(const TxFn& fn) { return Run(fn, true); }
absl::Status FakeNetworkStore::Snapshot(const TxFn& fn) { return Run(fn, true); }

void FakeNetworkStore::FailNext(absl::Status status) {
  absl::MutexLock l(&mu_);
  fail_next_ = std::move(status);
}

int64_t FakeNetworkStore::generation() const {
  absl::MutexLock l(&mu_);
  return tables_.generation;
}

}  // namespace gureum::network
