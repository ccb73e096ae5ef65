// The revocation events of gureum-identity: every change that must end tokens (user
// disabled/deleted, password changed, assignment or group membership removed, project
// disabled/deleted, token revoked) makes an event here, the manager writes it in the same
// store transaction as the change, then Announce applies it to list() (so this process
// honours it at once), drops the validation cache and publishes it to the RevocationSink.
//
// Shared by every manager class (ManagerDeps). Thread-safe. `store`, `sink`, `clock` and
// `cache` must outlive it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/revocation.h"
#include "common/auth/token.h"
#include "common/base/clock.h"
#include "identity/identity_store.h"
#include "identity/revocation_sink.h"
#include "identity/validation_cache.h"

namespace gureum::identity {

class RevocationLog {
 public:
  // Events older than `token_lifetime` can match no valid token: Load and Purge forget them.
  RevocationLog(IdentityStore& store, RevocationSink& sink, const Clock& clock,
                ValidationCache& cache, absl::Duration token_lifetime);

  // Reads the events younger than the token lifetime from the store (at start-up).
  absl::Status Load();

  // Events for a change, stamped now: every token of the user (on `project_id` only, when
  // set), every token on a project, one token and those re-scoped from it.
  StoredRevocationEvent UserEvent(const std::string& user_id,
                                  const std::string& project_id = "") const;
  StoredRevocationEvent ProjectEvent(const std::string& project_id) const;
  StoredRevocationEvent TokenEvent(const auth::TokenClaims& token) const;
  // The events removing grant `a` causes: user+project for a plain project grant; for a
  // group, each member; user-wide for domain, system and inherited grants.
  absl::StatusOr<Revocations> ForGrant(const RoleAssignment& a);

  // Applies committed events to list() and publishes them to the sink.
  void Announce(const Revocations& events);

  // Events with revoked_at >= since, oldest first, from the store.
  absl::StatusOr<std::vector<auth::RevocationEvent>> List(absl::Time since);
  // Forgets events no token can still match, in the store and in memory.
  absl::Status Purge();

  const auth::RevocationList& list() const { return list_; }

 private:
  IdentityStore& store_;
  RevocationSink& sink_;
  const Clock& clock_;
  ValidationCache& cache_;
  const absl::Duration token_lifetime_;
  auth::RevocationList list_;
};

}  // namespace gureum::identity
