#include "identity/revocation_log.h"

#include <spdlog/spdlog.h>

#include "common/status/macros.h"

namespace gureum::identity {
namespace {

auth::RevocationEvent ToAuth(const StoredRevocationEvent& e) {
  return auth::RevocationEvent{e.audit_id, e.user_id, e.project_id, e.issued_before, e.revoked_at};
}

}  // namespace

RevocationLog::RevocationLog(IdentityStore& store, RevocationSink& sink, const Clock& clock,
                             ValidationCache& cache, absl::Duration token_lifetime)
    : store_(store), sink_(sink), clock_(clock), cache_(cache), token_lifetime_(token_lifetime) {}

absl::Status RevocationLog::Load() {
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredRevocationEvent> events,
                          store_.ListRevocationEvents(clock_.Now() - token_lifetime_));
  for (const StoredRevocationEvent& e : events) list_.Add(ToAuth(e));
  return absl::OkStatus();
}

StoredRevocationEvent RevocationLog::UserEvent(const std::string& user_id,
                                               const std::string& project_id) const {
  absl::Time now = clock_.Now();
  return StoredRevocationEvent{"", user_id, project_id, now, now};
}

StoredRevocationEvent RevocationLog::ProjectEvent(const std::string& project_id) const {
  absl::Time now = clock_.Now();
  return StoredRevocationEvent{"", "", project_id, now, now};
}

StoredRevocationEvent RevocationLog::TokenEvent(const auth::TokenClaims& token) const {
  return StoredRevocationEvent{token.audit_id, "", "", token.issued_at, clock_.Now()};
}

absl::StatusOr<Revocations> RevocationLog::ForGrant(const RoleAssignment& a) {
  std::vector<std::string> users;
  if (!a.user_id.empty()) {
    users.push_back(a.user_id);
  } else {
    GUREUM_ASSIGN_OR_RETURN(std::vector<User> members, store_.ListGroupUsers(a.group_id));
    for (const User& u : members) users.push_back(u.id);
  }
  Revocations events;
  for (const std::string& u : users) {
    // A plain project grant reaches one project; anything else (domain, system,
    // inherited) may reach many, so it revokes the user everywhere.
    bool one_project = !a.project_id.empty() && !a.inherited;
    events.push_back(UserEvent(u, one_project ? a.project_id : ""));
  }
  return events;
}

void RevocationLog::Announce(const Revocations& events) {
  cache_.Invalidate();
  for (const StoredRevocationEvent& e : events) {
    auth::RevocationEvent event = ToAuth(e);
    list_.Add(event);
    spdlog::info("revocation event audit_id={} user={} project={}", e.audit_id, e.user_id,
                 e.project_id);
    if (absl::Status s = sink_.Publish(event); !s.ok()) {
      // Services also poll ListRevocationEvents, so a lost message only delays.
      spdlog::warn("publishing a revocation event failed: {}", s.ToString());
    }
  }
}

absl::StatusOr<std::vector<auth::RevocationEvent>> RevocationLog::List(absl::Time since) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredRevocationEvent> events,
                          store_.ListRevocationEvents(since));
  std::vector<auth::RevocationEvent> out;
  for (const StoredRevocationEvent& e : events) out.push_back(ToAuth(e));
  return out;
}

absl::Status RevocationLog::Purge() {
  absl::Time now = clock_.Now();
  list_.Expire(now, token_lifetime_);
  return store_.PurgeRevocationEvents(now - token_lifetime_);
}

}  // namespace gureum::identity
