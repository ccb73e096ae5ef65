// A RevocationSink that records what it was given, for tests.
#pragma once

#include <vector>

#include "absl/synchronization/mutex.h"
#include "identity/revocation_sink.h"

namespace gureum::identity {

class FakeRevocationSink final : public RevocationSink {
 public:
  absl::Status Publish(const auth::RevocationEvent& event) override {
    absl::MutexLock lock(&mu_);
    events_.push_back(event);
    return absl::OkStatus();
  }
  std::vector<auth::RevocationEvent> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    events_.clear();
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<auth::RevocationEvent> events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::identity
