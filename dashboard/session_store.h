// Where the dashboard keeps its sessions (model.h Session), by session id.
//
// Contract: Put inserts or replaces; Get returns a copy, NotFound for an unknown id;
// Delete is idempotent (OK for an unknown id); TakeIdle removes and returns every session
// last seen before `cutoff`. All methods are thread-safe.
//
// Implementations: MemorySessionStore (memory_session_store.h): sessions die with the
// process (users log in again after a restart); FileSessionStore (file_session_store.h,
// [dashboard] session_file): sessions survive a restart, sealed on disk. Either way one
// dashboard process serves all; a shared store (PostgreSQL or Redis) comes with running
// several dashboards behind a balancer.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "dashboard/model.h"

namespace gureum::dashboard {

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual absl::Status Put(const Session& session) = 0;
  virtual absl::StatusOr<Session> Get(const std::string& id) const = 0;
  virtual absl::Status Delete(const std::string& id) = 0;
  virtual std::vector<Session> TakeIdle(absl::Time cutoff) = 0;
};

}  // namespace gureum::dashboard
