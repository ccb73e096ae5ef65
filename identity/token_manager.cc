#include "identity/token_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

absl::Status TokenRejected(const std::string& why, const std::string& audit_id) {
  spdlog::info("token rejected: {} audit_id={}", why, audit_id);
  return absl::UnauthenticatedError(auth::kAuthRequired);
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenManager>> TokenManager::Create(const Deps& deps) {
  std::unique_ptr<TokenManager> m(new TokenManager(deps));
  GUREUM_RETURN_IF_ERROR(m->ReloadKeys());
  return m;
}

TokenManager::TokenManager(const Deps& deps)
    : store_(deps.shared.store),
      clock_(deps.shared.clock),
      options_(deps.shared.options),
      validation_cache_(deps.shared.validation_cache),
      revocations_(deps.shared.revocations),
      key_source_(deps.keys),
      roles_(deps.roles),
      assignments_(deps.assignments),
      catalog_(deps.catalog),
      access_(deps.shared.access),
      verifier_(deps.shared.clock, deps.shared.revocations.list()) {}

absl::Status TokenManager::ReloadKeys() {
  GUREUM_ASSIGN_OR_RETURN(std::vector<auth::KeyPair> keys, key_source_.Load());
  if (keys.empty()) return absl::FailedPreconditionError("no signing key");
  std::vector<auth::PublicKey> pub;
  for (const auth::KeyPair& k : keys) pub.push_back(k.public_key);
  verifier_.SetPublicKeys(pub);
  absl::MutexLock lock(&keys_mu_);
  keys_ = std::move(keys);
  return absl::OkStatus();
}

std::vector<auth::PublicKey> TokenManager::PublicKeys() const {
  absl::MutexLock lock(&keys_mu_);
  std::vector<auth::PublicKey> out;
  for (const auth::KeyPair& k : keys_) out.push_back(k.public_key);
  return out;
}

absl::StatusOr<auth::KeyPair> TokenManager::SigningKey() const {
  absl::MutexLock lock(&keys_mu_);
  if (keys_.empty()) return absl::FailedPreconditionError("no signing key");
  return keys_.front();
}

absl::StatusOr<std::vector<auth::RevocationEvent>> TokenManager::ListRevocationEvents(
    absl::Time since) {
  return revocations_.List(since);
}

absl::Status TokenManager::PurgeExpiredRevocations() { return revocations_.Purge(); }

absl::StatusOr<IssuedToken> TokenManager::Issue(const User& user, const ScopeTarget& target,
                                                std::vector<std::string> methods,
                                                std::vector<std::string> audit_chain,
                                                const std::optional<ApplicationCredential>& cred,
                                                std::optional<absl::Time> expires_at) {
  bool scoped = target.project || target.domain || target.system;
  std::vector<std::string> role_ids;
  if (scoped) {
    GUREUM_ASSIGN_OR_RETURN(role_ids, assignments_.EffectiveRoleIds(user.id, target));
    if (role_ids.empty()) {
      spdlog::info("authentication failed: no role on the requested scope user={}", user.id);
      return absl::UnauthenticatedError(auth::kAuthRequired);
    }
  }
  if (cred) {
    // The credential carries only its own roles, and only while the user still has them.
    std::vector<std::string> own;
    for (const RoleRef& r : cred->roles) {
      if (std::find(role_ids.begin(), role_ids.end(), r.id) == role_ids.end()) {
        spdlog::info("authentication failed: user lost role {} of credential {}", r.id, cred->id);
        return absl::UnauthenticatedError(auth::kAuthRequired);
      }
      own.push_back(r.id);
    }
    GUREUM_ASSIGN_OR_RETURN(role_ids, roles_.ExpandImplied(own));
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<RoleRef> roles, roles_.RoleRefs(role_ids));

  auth::TokenClaims c;
  c.user_id = user.id;
  c.user_name = user.name;
  c.user_domain_id = user.domain_id;
  if (target.project) {
    c.project_id = target.project->id;
    c.project_domain_id = target.project->domain_id;
    c.is_admin_project = target.project->name == options_.admin_project_name &&
                         target.project->domain_id == options_.admin_project_domain_id;
  } else if (target.domain) {
    c.domain_id = target.domain->id;
  }
  c.system = target.system;
  for (const RoleRef& r : roles) {
    c.roles.push_back(r.name);
    c.role_ids.push_back(r.id);
  }
  c.methods = std::move(methods);
  c.audit_id = auth::NewAuditId();
  c.audit_chain = std::move(audit_chain);
  c.issued_at = clock_.Now();
  c.expires_at = c.issued_at + options_.token_expiration;
  if (expires_at && *expires_at < c.expires_at) c.expires_at = *expires_at;
  if (cred) {
    c.application_credential_id = cred->id;
    // Before the token exists: deleting the credential then revokes it by audit id.
    GUREUM_RETURN_IF_ERROR(
        store_.RecordApplicationCredentialToken(cred->id, c.audit_id, c.expires_at, c.issued_at));
  }

  GUREUM_ASSIGN_OR_RETURN(auth::KeyPair key, SigningKey());
  IssuedToken out;
  out.token = auth::SignToken(c, key);
  c.key_id = key.public_key.key_id;
  GUREUM_ASSIGN_OR_RETURN(out.data, Describe(c));
  spdlog::info("token issued user={} audit_id={} project={} domain={} system={} admin_project={}",
               c.user_id, c.audit_id, c.project_id, c.domain_id, c.system, c.is_admin_project);
  return out;
}

absl::StatusOr<TokenData> TokenManager::Describe(const auth::TokenClaims& c) {
  auto fail = [&](const absl::Status& s, const std::string& why) -> absl::Status {
    if (absl::IsNotFound(s)) return TokenRejected(why, c.audit_id);
    return s;
  };
  // The records are checked again on every call (enabled flags), cached or not.
  const std::string key = absl::StrCat(c.user_id, "|", c.project_id, "|", c.domain_id, "|",
                                       c.application_credential_id);
  std::optional<ScopeRecords> r = validation_cache_.GetScope(key);
  if (!r) {
    uint64_t generation = validation_cache_.generation();
    r.emplace();
    absl::StatusOr<UserRecord> user = store_.GetUser(c.user_id);
    if (!user.ok()) return fail(user.status(), "user gone");
    r->user = user->user;
    absl::StatusOr<Domain> ud = store_.GetDomain(r->user.domain_id);
    if (!ud.ok()) return fail(ud.status(), "user domain gone");
    r->user_domain = *ud;
    if (!c.project_id.empty()) {
      absl::StatusOr<Project> p = store_.GetProject(c.project_id);
      if (!p.ok()) return fail(p.status(), "project gone");
      absl::StatusOr<Domain> pd = store_.GetDomain(p->domain_id);
      if (!pd.ok()) return fail(pd.status(), "project domain gone");
      r->project = *p;
      r->project_domain = *pd;
    }
    if (!c.domain_id.empty()) {
      absl::StatusOr<Domain> sd = store_.GetDomain(c.domain_id);
      if (!sd.ok()) return fail(sd.status(), "scope domain gone");
      r->domain = *sd;
    }
    if (!c.application_credential_id.empty()) {
      absl::StatusOr<ApplicationCredentialRecord> cred =
          store_.GetApplicationCredential(c.application_credential_id);
      if (!cred.ok()) return fail(cred.status(), "application credential gone");
      r->application_credential = cred->credential;
    }
    validation_cache_.PutScope(key, *r, generation);
  }
  if (!r->user.enabled) return TokenRejected("user disabled", c.audit_id);
  if (!r->user_domain.enabled) return TokenRejected("user domain disabled", c.audit_id);
  if (r->project && !r->project->enabled) return TokenRejected("project disabled", c.audit_id);
  if (r->project_domain && !r->project_domain->enabled) {
    return TokenRejected("project domain disabled", c.audit_id);
  }
  if (r->domain && !r->domain->enabled) return TokenRejected("scope domain disabled", c.audit_id);
  TokenData d;
  d.claims = c;
  d.user = std::move(r->user);
  d.user_domain = std::move(r->user_domain);
  d.project = std::move(r->project);
  d.project_domain = std::move(r->project_domain);
  d.domain = std::move(r->domain);
  d.application_credential = std::move(r->application_credential);
  for (size_t i = 0; i < c.role_ids.size() && i < c.roles.size(); ++i) {
    d.roles.push_back({c.role_ids[i], c.roles[i]});
  }
  GUREUM_ASSIGN_OR_RETURN(d.catalog, catalog_.Catalog(c.project_id));
  return d;
}

absl::StatusOr<TokenData> TokenManager::ValidateToken(const std::string& token) {
  absl::StatusOr<auth::TokenClaims> c = verifier_.Verify(token);
  if (!c.ok()) {
    spdlog::info("token rejected: {}", verifier_.WhyInvalid(token));
    return c.status();
  }
  return Describe(*c);
}

absl::StatusOr<auth::TokenClaims> TokenManager::VerifyToken(const std::string& token) const {
  return verifier_.Verify(token);
}

absl::StatusOr<TokenData> TokenManager::ValidateToken(const Caller& caller,
                                                      const std::string& token) {
  absl::StatusOr<TokenData> data = ValidateToken(token);
  if (!data.ok()) return absl::NotFoundError("Could not find token.");
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:validate_token", caller,
                                         {{"target.token.user_id", data->user.id}}));
  return data;
}

absl::Status TokenManager::RevokeToken(const Caller& caller, const std::string& token) {
  absl::StatusOr<auth::TokenClaims> c = verifier_.Verify(token);
  if (!c.ok()) return absl::NotFoundError("Could not find token.");
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:revoke_token", caller, {{"target.token.user_id", c->user_id}}));
  Revocations events{revocations_.TokenEvent(*c)};
  GUREUM_RETURN_IF_ERROR(store_.AddRevocationEvents(events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

}  // namespace gureum::identity
