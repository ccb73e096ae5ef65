// A background pass of gureum-object-server (replicator, auditor, expirer, updater): runs
// `pass` every `interval` in a thread of its own, from construction until destruction.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "common/base/clock.h"

namespace gureum::object {

class Periodic {
 public:
  Periodic(absl::Duration interval, Clock& clock, std::function<void()> pass);
  ~Periodic();  // waits for a pass under way
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace gureum::object
