// Host states set by the test (compute-api's answer), with a call counter and fault
// injection. Thread-safe.
#pragma once

#include <deque>

#include "absl/synchronization/mutex.h"
#include "scheduler/host_state_source.h"

namespace gureum::scheduler {

class FakeHostStateSource final : public HostStateSource {
 public:
  absl::StatusOr<HostStates> List() override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (!failures_.empty()) {
      absl::Status s = failures_.front();
      failures_.pop_front();
      return s;
    }
    return states_;
  }
  // An enabled, up host in the default zone unless changed through Mutate.
  void AddHost(const std::string& host, const std::string& hypervisor_type = "QEMU") {
    absl::MutexLock lock(&mu_);
    HostState& s = states_.hosts[host];
    s.host = host;
    s.enabled = true;
    s.up = true;
    s.hypervisor_type = hypervisor_type;
  }
  template <typename Fn>
  void Mutate(Fn fn) {
    absl::MutexLock lock(&mu_);
    fn(states_);
  }
  void FailNext(absl::Status status) {
    absl::MutexLock lock(&mu_);
    failures_.push_back(std::move(status));
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  mutable absl::Mutex mu_;
  HostStates states_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gureum::scheduler
