#include "dashboard/session_manager.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/str_replace.h"

#include "spdlog/spdlog.h"

namespace gureum::dashboard {
namespace {

absl::Status NotLoggedIn() {
  return absl::UnauthenticatedError("You are not logged in, or your session has ended.");
}

}  // namespace

bool Token::HasRole(const std::string& role) const {
  for (const auto& r : roles) {
    if (r == role) return true;
  }
  return false;
}

SessionManager::SessionManager(Deps deps, SessionOptions options)
    : deps_(deps), options_(options) {}

std::string SessionManager::NewSecret() {
  // Two random v4 UUIDs: 244 random bits.
  return absl::StrReplaceAll(deps_.ids.NewUuid() + deps_.ids.NewUuid(), {{"-", ""}});
}

absl::StatusOr<Token> SessionManager::Scope(const Token& unscoped,
                                            const std::vector<ProjectRef>& projects,
                                            const std::string& project_id) {
  if (projects.empty()) return Token{};  // no project yet: the session can only log out
  if (project_id.empty()) return deps_.identity.ScopeTo(unscoped.value, projects.front().id);
  for (const auto& p : projects) {
    if (p.id == project_id) return deps_.identity.ScopeTo(unscoped.value, p.id);
  }
  return absl::PermissionDeniedError("You have no role on that project.");
}

absl::StatusOr<Session> SessionManager::Login(const Credentials& credentials,
                                              const std::string& project_id) {
  RemoveIdle();
  absl::StatusOr<Token> unscoped = deps_.identity.Login(credentials);
  if (!unscoped.ok()) {
    if (absl::IsUnauthenticated(unscoped.status()) || absl::IsNotFound(unscoped.status()) ||
        absl::IsInvalidArgument(unscoped.status())) {
      return absl::UnauthenticatedError(
          credentials.application_credential_id.empty()
              ? "The domain, user name or password is wrong."
              : "The application credential's id or secret is wrong, or it has expired.");
    }
    return unscoped.status();
  }
  Session s;
  s.unscoped = *std::move(unscoped);
  if (!s.unscoped.project.id.empty()) return OpenScoped(std::move(s), project_id);
  absl::StatusOr<std::vector<ProjectRef>> projects = deps_.identity.UserProjects(s.unscoped.value);
  if (projects.ok()) {
    // By name: the switcher's order, and the first one is the default project.
    std::sort(projects->begin(), projects->end(),
              [](const ProjectRef& a, const ProjectRef& b) { return a.name < b.name; });
  }
  absl::StatusOr<Token> scoped =
      projects.ok() ? Scope(s.unscoped, *projects, project_id) : projects.status();
  if (!scoped.ok()) {
    (void)deps_.identity.Revoke(s.unscoped.value);
    return scoped.status();
  }
  s.projects = *std::move(projects);
  s.scoped = *std::move(scoped);
  return Open(std::move(s));
}

absl::StatusOr<Session> SessionManager::OpenScoped(Session s, const std::string& project_id) {
  // An application credential's token: scoped already, to one project, for good.
  if (!project_id.empty() && project_id != s.unscoped.project.id) {
    (void)deps_.identity.Revoke(s.unscoped.value);
    return absl::PermissionDeniedError("This application credential is for another project.");
  }
  s.scoped = s.unscoped;
  s.projects = {s.scoped.project};
  return Open(std::move(s));
}

absl::StatusOr<Session> SessionManager::Open(Session s) {
  s.id = NewSecret();
  s.csrf_token = NewSecret();
  s.created_at = s.last_seen = deps_.clock.Now();
  if (absl::Status put = deps_.store.Put(s); !put.ok()) return put;
  spdlog::info("session opened for user {} in project {}", s.unscoped.user_id, s.scoped.project.id);
  return s;
}

bool SessionManager::Expired(const Session& s, absl::Time now) const {
  if (now - s.last_seen >= options_.idle_timeout) return true;
  if (now >= s.unscoped.expires_at) return true;
  return !s.scoped.value.empty() && now >= s.scoped.expires_at;
}

absl::StatusOr<Session> SessionManager::Find(const std::string& id) {
  if (id.empty()) return NotLoggedIn();
  absl::StatusOr<Session> s = deps_.store.Get(id);
  if (!s.ok()) return NotLoggedIn();
  const absl::Time now = deps_.clock.Now();
  if (Expired(*s, now)) {
    (void)deps_.store.Delete(id);
    RevokeTokens(*s);
    return NotLoggedIn();
  }
  s->last_seen = now;
  if (absl::Status put = deps_.store.Put(*s); !put.ok()) return put;
  return s;
}

bool SessionManager::IsLive(const std::string& id) const {
  absl::StatusOr<Session> s = deps_.store.Get(id);
  return s.ok() && !Expired(*s, deps_.clock.Now());
}

absl::StatusOr<Session> SessionManager::SwitchProject(const std::string& id,
                                                      const std::string& project_id) {
  absl::StatusOr<Session> s = Find(id);
  if (!s.ok()) return s.status();
  if (project_id.empty()) return absl::InvalidArgumentError("Choose a project.");
  if (s->unscoped.value == s->scoped.value) {
    return absl::FailedPreconditionError(
        "A session opened with an application credential stays in its project.");
  }
  absl::StatusOr<Token> scoped = Scope(s->unscoped, s->projects, project_id);
  if (!scoped.ok()) return scoped.status();
  const std::string old = s->scoped.value;
  s->scoped = *std::move(scoped);
  if (absl::Status put = deps_.store.Put(*s); !put.ok()) return put;
  if (!old.empty()) (void)deps_.identity.Revoke(old);
  return s;
}

absl::Status SessionManager::Logout(const std::string& id) {
  absl::StatusOr<Session> s = deps_.store.Get(id);
  if (!s.ok()) return absl::OkStatus();
  if (absl::Status del = deps_.store.Delete(id); !del.ok()) return del;
  RevokeTokens(*s);
  spdlog::info("session closed for user {}", s->unscoped.user_id);
  return absl::OkStatus();
}

absl::Status SessionManager::CheckCsrf(const Session& session, const std::string& presented) {
  if (presented.size() == session.csrf_token.size() && !presented.empty() &&
      sodium_memcmp(presented.data(), session.csrf_token.data(), presented.size()) == 0) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "This request lacks the page's CSRF token (X-CSRF-Token): reload the page and try again.");
}

void SessionManager::RevokeTokens(const Session& session) {
  for (const Token* t : {&session.scoped, &session.unscoped}) {
    if (t->value.empty()) continue;
    // One token for both (an application credential's session): revoked once.
    if (t == &session.unscoped && t->value == session.scoped.value) continue;
    if (absl::Status s = deps_.identity.Revoke(t->value); !s.ok()) {
      spdlog::warn("could not revoke a token of user {}: {}", t->user_id, s.ToString());
    }
  }
}

void SessionManager::RemoveIdle() {
  for (const Session& s : deps_.store.TakeIdle(deps_.clock.Now() - options_.idle_timeout)) {
    RevokeTokens(s);
  }
}

}  // namespace gureum::dashboard
