#include "identity/auth_manager.h"

#include <algorithm>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

AuthManager::AuthManager(const Deps& deps)
    : store_(deps.shared.store),
      clock_(deps.shared.clock),
      hasher_(deps.shared.hasher),
      users_(deps.users),
      assignments_(deps.assignments),
      tokens_(deps.tokens) {}

absl::Status AuthManager::CheckUserUsable(const User& user) {
  if (!user.enabled) return AuthFailure("user disabled", user.id);
  absl::StatusOr<Domain> d = store_.GetDomain(user.domain_id);
  if (!d.ok()) return AsAuthFailure(d.status(), "user domain missing");
  if (!d->enabled) return AuthFailure("user domain disabled", user.id);
  return absl::OkStatus();
}

absl::StatusOr<ScopeTarget> AuthManager::ResolveScope(const AuthScope& scope, const User& user) {
  ScopeTarget t;
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
      ScopeTarget candidate;
      candidate.project = *p;
      candidate.domain = *d;
      GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> roles,
                              assignments_.EffectiveRoleIds(user.id, candidate));
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
      if (!p->enabled) return AuthFailure("project disabled", user.id);
      absl::StatusOr<Domain> d = store_.GetDomain(p->domain_id);
      if (!d.ok()) return AsAuthFailure(d.status(), "project domain missing");
      if (!d->enabled) return AuthFailure("project domain disabled", user.id);
      t.project = *std::move(p);
      t.domain = *std::move(d);
      return t;
    }
    case ScopeKind::kDomain: {
      absl::StatusOr<Domain> d = !scope.domain_id.empty()
                                     ? store_.GetDomain(scope.domain_id)
                                     : store_.GetDomainByName(scope.domain_name);
      if (!d.ok()) return AsAuthFailure(d.status(), "scope domain missing");
      if (!d->enabled) return AuthFailure("domain disabled", user.id);
      t.domain = *std::move(d);
      return t;
    }
    case ScopeKind::kSystem:
      t.system = true;
      return t;
  }
  return t;
}

absl::StatusOr<IssuedToken> AuthManager::Authenticate(const AuthRequest& request) {
  const auto& m = request.methods;
  int identity_methods = (Has(m, "password") ? 1 : 0) + (Has(m, "token") ? 1 : 0) +
                         (Has(m, "application_credential") ? 1 : 0);
  if (identity_methods != 1 || identity_methods != static_cast<int>(m.size())) {
    return InvalidFieldError("methods", "exactly one of password, token, application_credential");
  }
  if (Has(m, "password")) return ByPassword(request);
  if (Has(m, "token")) return ByToken(request);
  return ByApplicationCredential(request);
}

absl::StatusOr<IssuedToken> AuthManager::ByPassword(const AuthRequest& request) {
  if (!request.password) return InvalidFieldError("password", "missing");
  GUREUM_ASSIGN_OR_RETURN(UserRecord r,
                          users_.CheckPassword(request.password->user, request.password->password));
  GUREUM_RETURN_IF_ERROR(CheckUserUsable(r.user));
  GUREUM_ASSIGN_OR_RETURN(ScopeTarget t, ResolveScope(request.scope, r.user));
  return tokens_.Issue(r.user, t, {"password"}, {}, std::nullopt, std::nullopt);
}

absl::StatusOr<IssuedToken> AuthManager::ByToken(const AuthRequest& request) {
  if (!request.token || request.token->empty()) return InvalidFieldError("token", "missing");
  absl::StatusOr<auth::TokenClaims> old = tokens_.VerifyToken(*request.token);
  if (!old.ok()) return AuthFailure("invalid token to re-scope");
  if (!old->application_credential_id.empty()) {
    return AuthFailure("application credential tokens cannot be re-scoped", old->user_id);
  }
  absl::StatusOr<UserRecord> r = store_.GetUser(old->user_id);
  if (!r.ok()) return AsAuthFailure(r.status(), "token user missing");
  GUREUM_RETURN_IF_ERROR(CheckUserUsable(r->user));
  GUREUM_ASSIGN_OR_RETURN(ScopeTarget t, ResolveScope(request.scope, r->user));
  std::vector<std::string> methods = old->methods;
  if (!Has(methods, "token")) methods.push_back("token");
  std::vector<std::string> chain = old->audit_chain;
  chain.push_back(old->audit_id);
  // As Keystone: a token made from a token cannot outlive it.
  return tokens_.Issue(r->user, t, methods, chain, std::nullopt, old->expires_at);
}

absl::StatusOr<IssuedToken> AuthManager::ByApplicationCredential(const AuthRequest& request) {
  if (!request.application_credential) {
    return InvalidFieldError("application_credential", "missing");
  }
  const ApplicationCredentialMethod& ac = *request.application_credential;
  if (request.scope.kind != ScopeKind::kDefault) {
    return AuthFailure("application credentials cannot request a scope");
  }
  absl::StatusOr<ApplicationCredentialRecord> cred;
  if (!ac.id.empty()) {
    cred = store_.GetApplicationCredential(ac.id);
  } else {
    absl::StatusOr<UserRecord> owner = users_.ResolveUser(ac.user);
    cred = owner.ok() ? store_.GetApplicationCredentialByName(owner->user.id, ac.name)
                      : absl::StatusOr<ApplicationCredentialRecord>(owner.status());
  }
  if (!cred.ok()) {
    hasher_.VerifyDummy(ac.secret);
    return AsAuthFailure(cred.status(), "unknown application credential");
  }
  const ApplicationCredential& c = cred->credential;
  if (!hasher_.Verify(cred->secret_hash, ac.secret)) return AuthFailure("wrong secret", c.user_id);
  absl::Time now = clock_.Now();
  if (c.expires_at && *c.expires_at <= now) return AuthFailure("credential expired", c.user_id);
  absl::StatusOr<UserRecord> r = store_.GetUser(c.user_id);
  if (!r.ok()) return AsAuthFailure(r.status(), "credential user missing");
  GUREUM_RETURN_IF_ERROR(CheckUserUsable(r->user));
  AuthScope scope;
  scope.kind = ScopeKind::kProject;
  scope.project_id = c.project_id;
  GUREUM_ASSIGN_OR_RETURN(ScopeTarget t, ResolveScope(scope, r->user));
  return tokens_.Issue(r->user, t, {"application_credential"}, {}, c, c.expires_at);
}

}  // namespace gureum::identity
