// Time as a collaborator: components take a Clock& so tests can drive time by hand.
#pragma once

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace gureum {

// Thread-safe source of the current time, and of waiting: code that polls or backs off
// waits with SleepFor, so a test on a FakeClock runs its timeouts without waiting.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
  // Blocks for `d` (the real clock), or moves the time on by `d` at once (the fake one).
  virtual void SleepFor(absl::Duration d) const = 0;
};

// The system clock.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override;
  void SleepFor(absl::Duration d) const override;
  // A process-wide instance; RealClock has no state, so sharing it is safe.
  static Clock& Get();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1'700'000'000)) : now_(start) {}
  absl::Time Now() const override;
  // Advances the time by `d` and returns at once.
  void SleepFor(absl::Duration d) const override;
  void Advance(absl::Duration d);
  void Set(absl::Time t);

 private:
  mutable absl::Mutex mu_;
  mutable absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum
