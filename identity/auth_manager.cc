// IdentityManager::Authenticate: the password, token and application_credential methods,
// lockout, and scope resolution. Every authentication failure answers the same
// Unauthenticated(kAuthRequired); the reason goes to the log with the user id only.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_manager.h"

namespace gureum::identity {
namespace {

absl::Status Unauth(const std::string& why, const std::string& user_id = "") {
  spdlog::info("authentication failed: {} user={}", why, user_id.empty() ? "-" : user_id);
  return absl::UnauthenticatedError(auth::kAuthRequired);
}

// A store NotFound during authentication is an authentication failure; outages are not.
absl::Status AsAuthFailure(const absl::Status& s, const std::string& why) {
  if (absl::IsNotFound(s) || absl::IsInvalidArgument(s)) return Unauth(why);
  return s;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

absl::StatusOr<UserRecord> IdentityManager::ResolveUser(const UserRef& ref) {
  if (!ref.id.empty()) return store_.GetUser(ref.id);
  if (ref.name.empty()) return InvalidFieldError("user", "an id or a name is required");
  std::string domain_id = ref.domain_id;
  if (domain_id.empty()) {
    if (ref.domain_name.empty()) return InvalidFieldError("user.domain", "required with a name");
    GUREUM_ASSIGN_OR_RETURN(Domain d, store_.GetDomainByName(ref.domain_name));
    domain_id = d.id;
  }
  return store_.GetUserByName(domain_id, ref.name);
}

absl::StatusOr<UserRecord> IdentityManager::CheckPassword(const UserRef& ref,
                                                          const std::string& password) {
  absl::StatusOr<UserRecord> found = ResolveUser(ref);
  if (!found.ok()) {
    // Spend the time a real check takes, so timing does not reveal unknown users.
    hasher_->VerifyDummy(password);
    return AsAuthFailure(found.status(), "unknown user");
  }
  UserRecord& r = *found;
  const int max_failures = options_.lockout_failure_attempts;
  const bool lockout = max_failures > 0 && !r.user.options.ignore_lockout_failure_attempts;
  absl::Time now = clock_.Now();
  int failures = r.failed_auth_count;
  if (lockout && failures >= max_failures) {
    if (r.last_failed_auth_at && now < *r.last_failed_auth_at + options_.lockout_duration) {
      hasher_->VerifyDummy(password);
      return Unauth("account locked", r.user.id);
    }
    failures = 0;  // the lockout has expired: start counting again
  }
  if (!hasher_->Verify(r.password_hash, password)) {
    if (lockout) GUREUM_RETURN_IF_ERROR(store_.RecordAuthResult(r.user.id, failures + 1, now));
    return Unauth("wrong password", r.user.id);
  }
  if (r.failed_auth_count != 0) {
    GUREUM_RETURN_IF_ERROR(store_.RecordAuthResult(r.user.id, 0, std::nullopt));
    r.failed_auth_count = 0;
    r.last_failed_auth_at.reset();
  }
  return r;
}

absl::Status IdentityManager::CheckUserUsable(const User& user) {
  if (!user.enabled) return Unauth("user disabled", user.id);
  absl::StatusOr<Domain> d = store_.GetDomain(user.domain_id);
  if (!d.ok()) return AsAuthFailure(d.status(), "user domain missing");
  if (!d->enabled) return Unauth("user domain disabled", user.id);
  return absl::OkStatus();
}

absl::StatusOr<IdentityManager::Target> IdentityManager::ResolveScope(const AuthScope& scope,
                                                                      const User& user) {
  Target t;
  switch (scope.kind) {
    case ScopeKind::kUnscoped:
      return t;
    case ScopeKind::kDefault: {
      if (user.default_project_id.empty()) return t;
      // Keystone scopes to the default project only when it is usable; otherwise the
      // user still gets an unscoped token.
      absl::StatusOr<Project> p = store_.GetProject(user.default_project_id);
      if (!p.ok() || !p->enabled) return t;
      absl::StatusOr<Domain> d = store_.GetDomain(p->domain_id);
      if (!d.ok() || !d->enabled) return t;
      Target candidate;
      candidate.project = *p;
      candidate.domain = *d;
      GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> roles, EffectiveRoleIds(user.id, candidate));
      return roles.empty() ? t : candidate;
    }
    case ScopeKind::kProject: {
      absl::StatusOr<Project> p;
      if (!scope.project_id.empty()) {
        p = store_.GetProject(scope.project_id);
      } else {
        std::string domain_id = scope.project_domain_id;
        if (domain_id.empty()) {
          absl::StatusOr<Domain> d = store_.GetDomainByName(scope.project_domain_name);
          if (!d.ok()) return AsAuthFailure(d.status(), "scope domain missing");
          domain_id = d->id;
        }
        p = store_.GetProjectByName(domain_id, scope.project_name);
      }
      if (!p.ok()) return AsAuthFailure(p.status(), "scope project missing");
      if (!p->enabled) return Unauth("project disabled", user.id);
      absl::StatusOr<Domain> d = store_.GetDomain(p->domain_id);
      if (!d.ok()) return AsAuthFailure(d.status(), "project domain missing");
      if (!d->enabled) return Unauth("project domain disabled", user.id);
      t.project = *std::move(p);
      t.domain = *std::move(d);
      return t;
    }
    case ScopeKind::kDomain: {
      absl::StatusOr<Domain> d = !scope.domain_id.empty()
                                     ? store_.GetDomain(scope.domain_id)
                                     : store_.GetDomainByName(scope.domain_name);
      if (!d.ok()) return AsAuthFailure(d.status(), "scope domain missing");
      if (!d->enabled) return Unauth("domain disabled", user.id);
      t.domain = *std::move(d);
      return t;
    }
    case ScopeKind::kSystem:
      t.system = true;
      return t;
  }
  return t;
}

absl::StatusOr<IssuedToken> IdentityManager::Authenticate(const AuthRequest& request) {
  const auto& m = request.methods;
  int identity_methods = (Has(m, "password") ? 1 : 0) + (Has(m, "token") ? 1 : 0) +
                         (Has(m, "application_credential") ? 1 : 0);
  if (identity_methods != 1 || identity_methods != static_cast<int>(m.size())) {
    return InvalidFieldError("methods", "exactly one of password, token, application_credential");
  }
  if (Has(m, "password")) {
    if (!request.password) return InvalidFieldError("password", "missing");
    GUREUM_ASSIGN_OR_RETURN(UserRecord r,
                            CheckPassword(request.password->user, request.password->password));
    GUREUM_RETURN_IF_ERROR(CheckUserUsable(r.user));
    GUREUM_ASSIGN_OR_RETURN(Target t, ResolveScope(request.scope, r.user));
    return Issue(r.user, t, {"password"}, {}, std::nullopt, std::nullopt);
  }
  if (Has(m, "token")) {
    if (!request.token || request.token->empty()) return InvalidFieldError("token", "missing");
    absl::StatusOr<auth::TokenClaims> old = verifier_.Verify(*request.token);
    if (!old.ok()) return Unauth("invalid token to re-scope");
    if (!old->application_credential_id.empty()) {
      return Unauth("application credential tokens cannot be re-scoped", old->user_id);
    }
    absl::StatusOr<UserRecord> r = store_.GetUser(old->user_id);
    if (!r.ok()) return AsAuthFailure(r.status(), "token user missing");
    GUREUM_RETURN_IF_ERROR(CheckUserUsable(r->user));
    GUREUM_ASSIGN_OR_RETURN(Target t, ResolveScope(request.scope, r->user));
    std::vector<std::string> methods = old->methods;
    if (!Has(methods, "token")) methods.push_back("token");
    std::vector<std::string> chain = old->audit_chain;
    chain.push_back(old->audit_id);
    // As Keystone: a token made from a token cannot outlive it.
    return Issue(r->user, t, methods, chain, std::nullopt, old->expires_at);
  }
  // application_credential
  if (!request.application_credential) {
    return InvalidFieldError("application_credential", "missing");
  }
  const ApplicationCredentialMethod& ac = *request.application_credential;
  if (request.scope.kind != ScopeKind::kDefault) {
    return Unauth("application credentials cannot request a scope");
  }
  absl::StatusOr<ApplicationCredentialRecord> cred;
  if (!ac.id.empty()) {
    cred = store_.GetApplicationCredential(ac.id);
  } else {
    absl::StatusOr<UserRecord> owner = ResolveUser(ac.user);
    cred = owner.ok() ? store_.GetApplicationCredentialByName(owner->user.id, ac.name)
                      : absl::StatusOr<ApplicationCredentialRecord>(owner.status());
  }
  if (!cred.ok()) {
    hasher_->VerifyDummy(ac.secret);
    return AsAuthFailure(cred.status(), "unknown application credential");
  }
  const ApplicationCredential& c = cred->credential;
  if (!hasher_->Verify(cred->secret_hash, ac.secret)) return Unauth("wrong secret", c.user_id);
  absl::Time now = clock_.Now();
  if (c.expires_at && *c.expires_at <= now) return Unauth("credential expired", c.user_id);
  absl::StatusOr<UserRecord> r = store_.GetUser(c.user_id);
  if (!r.ok()) return AsAuthFailure(r.status(), "credential user missing");
  GUREUM_RETURN_IF_ERROR(CheckUserUsable(r->user));
  AuthScope scope;
  scope.kind = ScopeKind::kProject;
  scope.project_id = c.project_id;
  GUREUM_ASSIGN_OR_RETURN(Target t, ResolveScope(scope, r->user));
  return Issue(r->user, t, {"application_credential"}, {}, c, c.expires_at);
}

}  // namespace gureum::identity
