#include "dashboard/memory_session_store.h"

namespace gureum::dashboard {

absl::Status MemorySessionStore::Put(const Session& session) {
  absl::MutexLock lock(&mu_);
  sessions_[session.id] = session;
  return absl::OkStatus();
}

absl::StatusOr<Session> MemorySessionStore::Get(const std::string& id) const {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return absl::NotFoundError("no such session");
  return it->second;
}

absl::Status MemorySessionStore::Delete(const std::string& id) {
  absl::MutexLock lock(&mu_);
  sessions_.erase(id);
  return absl::OkStatus();
}

std::vector<Session> MemorySessionStore::TakeIdle(absl::Time cutoff) {
  absl::MutexLock lock(&mu_);
  std::vector<Session> idle;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.last_seen < cutoff) {
      idle.push_back(std::move(it->second));
      sessions_.erase(it++);
    } else {
      ++it;
    }
  }
  return idle;
}

}  // namespace gureum::dashboard
