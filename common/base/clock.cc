#include "common/base/clock.h"

#include "absl/time/clock.h"

namespace gureum {

absl::Time RealClock::Now() const { return absl::Now(); }

void RealClock::SleepFor(absl::Duration d) const { absl::SleepFor(d); }

Clock& RealClock::Get() {
  static RealClock* clock = new RealClock();
  return *clock;
}

absl::Time FakeClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void FakeClock::SleepFor(absl::Duration d) const {
  absl::MutexLock lock(&mu_);
  now_ += d;
}

void FakeClock::Advance(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  now_ += d;
}

void FakeClock::Set(absl::Time t) {
  absl::MutexLock lock(&mu_);
  now_ = t;
}

}  // namespace gureum
