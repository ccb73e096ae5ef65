// SessionStore in this process's memory (see session_store.h for the contract and why).
#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

#include "dashboard/session_store.h"

namespace gureum::dashboard {

class MemorySessionStore final : public SessionStore {
 public:
  absl::Status Put(const Session& session) override;
  absl::StatusOr<Session> Get(const std::string& id) const override;
  absl::Status Delete(const std::string& id) override;
  std::vector<Session> TakeIdle(absl::Time cutoff) override;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::dashboard
