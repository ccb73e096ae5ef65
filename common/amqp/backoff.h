// Exponential reconnect delay: initial, doubling, capped. Not thread-safe: each
// reconnecting loop owns one.
#pragma once

#include <algorithm>

#include "absl/time/time.h"

namespace gureum::amqp {

class Backoff {
 public:
  Backoff(absl::Duration initial, absl::Duration max)
      : initial_(initial), max_(max), next_(initial) {}

  // The delay to wait before the next attempt; each call doubles the following one.
  absl::Duration Next() {
    absl::Duration d = next_;
    next_ = std::min(next_ * 2, max_);
    return d;
  }

  // After a success, start again from the initial delay.
  void Reset() { next_ = initial_; }

 private:
  absl::Duration initial_;
  absl::Duration max_;
  absl::Duration next_;
};

}  // namespace gureum::amqp
