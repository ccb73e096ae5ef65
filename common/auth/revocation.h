// Token revocations, checked on every request in O(1): a handful of hash lookups however
// many events there are. Identity emits an event when a token is revoked (DELETE
// /v3/auth/tokens), a user is disabled or deleted, a password changes, a role assignment
// is removed or a project is disabled; every service applies the events it receives on
// the identity.revocations fanout and fetches the full list at start-up.
//
// Events are kept until no token they could match can still be valid (max token life
// after the event); Expire() drops the rest. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/token.h"

namespace gureum::auth {

struct RevocationEvent {
  // Exactly one kind of match:
  std::string audit_id;      // one token (and tokens made from it)
  std::string user_id;       // all of a user's tokens (scoped to project_id if set)
  std::string project_id;    // all tokens scoped to a project (when user_id is empty)
  absl::Time issued_before;  // user/project events: tokens issued at or before this
  absl::Time revoked_at;
};

class RevocationList {
 public:
  void Add(const RevocationEvent& event);
  bool IsRevoked(const TokenClaims& claims) const;
  // Drops events older than `now - max_token_life`.
  void Expire(absl::Time now, absl::Duration max_token_life);
  std::vector<RevocationEvent> Events() const;
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, RevocationEvent> by_audit_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, RevocationEvent> by_user_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, RevocationEvent> by_user_project_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, RevocationEvent> by_project_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::auth
