#include "object-storage/server/periodic.h"

#include <algorithm>

namespace gureum::object {

Periodic::Periodic(absl::Duration interval, Clock& clock, std::function<void()> pass) {
  thread_ = std::thread([this, interval, &clock, pass = std::move(pass)] {
    while (!stop_.load()) {
      pass();
      // Slept in steps of at most a second, so that a stop is seen soon.
      for (absl::Duration waited; waited < interval && !stop_.load();) {
        const absl::Duration step = std::min(interval - waited, absl::Seconds(1));
        clock.SleepFor(step);
        waited += step;
      }
    }
  });
}

Periodic::~Periodic() {
  stop_ = true;
  thread_.join();
}

}  // namespace gureum::object
