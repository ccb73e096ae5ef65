// The dashboard's sessions: login (identity password auth, then a project-scoped token),
// project switch, lookup with the idle timeout, CSRF check, logout with revocation.
// The browser only ever sees the session id (cookie) and the CSRF token; identity's
// tokens stay in the SessionStore. Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/ids.h"

#include "dashboard/identity_client.h"
#include "dashboard/session_store.h"

namespace gureum::dashboard {

struct SessionOptions {
  absl::Duration idle_timeout = absl::Minutes(30);
};

class SessionManager {
 public:
  struct Deps {
    SessionStore& store;
    IdentityClient& identity;
    const Clock& clock;
    IdGenerator& ids;  // random (libsodium CSPRNG) in production: ids are secrets
  };
  SessionManager(Deps deps, SessionOptions options);

  // Authenticates and opens a session scoped to `project_id`, or to the first of the
  // user's projects by name when empty. Unauthenticated for bad credentials (one message for
  // every cause), PermissionDenied for a project the user has no role on. An application
  // credential's session stays in the credential's project (its only one).
  absl::StatusOr<Session> Login(const Credentials& credentials, const std::string& project_id);

  // The live session `id` (its idle clock restarted), or Unauthenticated (unknown,
  // logged out, idle too long or its token expired: the session is then removed).
  absl::StatusOr<Session> Find(const std::string& id);
  // True if `id` is still a live session; does not count as activity (event streams).
  bool IsLive(const std::string& id) const;

  // Rescopes the session to another of the user's projects (FailedPrecondition for an
  // application credential's session).
  absl::StatusOr<Session> SwitchProject(const std::string& id, const std::string& project_id);

  // Removes the session and revokes its tokens. OK for an unknown id.
  absl::Status Logout(const std::string& id);

  // PermissionDenied unless `presented` equals the session's CSRF token.
  static absl::Status CheckCsrf(const Session& session, const std::string& presented);

 private:
  absl::StatusOr<Token> Scope(const Token& unscoped, const std::vector<ProjectRef>& projects,
                              const std::string& project_id);
  // Gives `s` its id, CSRF token and times, and stores it.
  absl::StatusOr<Session> Open(Session s);
  // A session on an already scoped token (an application credential's).
  absl::StatusOr<Session> OpenScoped(Session s, const std::string& project_id);
  void RevokeTokens(const Session& session);
  void RemoveIdle();
  std::string NewSecret();
  bool Expired(const Session& s, absl::Time now) const;

  Deps deps_;
  const SessionOptions options_;
};

}  // namespace gureum::dashboard
