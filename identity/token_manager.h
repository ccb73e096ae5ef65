// Tokens of gureum-identity: issuing (signed with the newest key of the KeySource),
// describing and validating them (signature, expiry, revocation, then that the user,
// project, domain and application credential still exist and are enabled), revoking
// them; the signing keys and the revocation events other services fetch.
//
// Thread-safe. ValidateToken and Issue call the store unless the ValidationCache holds
// the records; VerifyToken never does.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/keys.h"
#include "common/auth/revocation.h"
#include "common/auth/token.h"
#include "common/auth/verifier.h"
#include "common/base/caller.h"
#include "identity/assignment_manager.h"
#include "identity/catalog_manager.h"
#include "identity/key_repository.h"
#include "identity/manager_deps.h"
#include "identity/model.h"
#include "identity/role_manager.h"

namespace gureum::identity {

// Everything the Keystone token body needs (see openstack-rest-notes.md section 1).
struct TokenData {
  auth::TokenClaims claims;  // methods, audit ids, issued_at, expires_at, roles
  User user;
  Domain user_domain;
  std::optional<Project> project;
  std::optional<Domain> project_domain;
  std::optional<Domain> domain;  // domain scope
  std::vector<RoleRef> roles;    // effective roles, implied ones included
  std::vector<CatalogEntry> catalog;
  std::optional<ApplicationCredential> application_credential;
};

struct IssuedToken {
  std::string token;  // the X-Subject-Token value; a bearer secret, never log it
  TokenData data;
};

class TokenManager {
 public:
  struct Deps {
    const ManagerDeps& shared;
    KeySource& keys;
    RoleManager& roles;
    AssignmentManager& assignments;
    CatalogManager& catalog;
  };
  // Loads the signing keys (FailedPrecondition if none). Everything in `deps` must
  // outlive the manager.
  static absl::StatusOr<std::unique_ptr<TokenManager>> Create(const Deps& deps);

  // A token for `user` on `target` (unscoped when empty), with the user's effective roles
  // there, or only the credential's when `cred` is set (and only while the user still
  // has them). Unauthenticated when the user has no role on a scoped target.
  // `expires_at` shortens the token's life (a re-scoped token, a credential's expiry).
  absl::StatusOr<IssuedToken> Issue(const User& user, const ScopeTarget& target,
                                    std::vector<std::string> methods,
                                    std::vector<std::string> audit_chain,
                                    const std::optional<ApplicationCredential>& cred,
                                    std::optional<absl::Time> expires_at);
  // GET /v3/auth/tokens: signature, expiry, revocation, then that the user (and project,
  // domain, app credential) still exist and are enabled; roles are the token's.
  // Unauthenticated(auth::kAuthRequired) for any failure (the REST adapter answers 404
  // for a bad X-Subject-Token).
  absl::StatusOr<TokenData> ValidateToken(const std::string& token);
  // The same for `caller` (GET /v3/auth/tokens, gRPC ValidateToken): NotFound "Could not
  // find token." for any failure, then identity:validate_token with
  // target.token.user_id (the token's own user, a service, a cloud reader).
  absl::StatusOr<TokenData> ValidateToken(const Caller& caller, const std::string& token);
  // DELETE /v3/auth/tokens: revokes the token (and tokens re-scoped from it) by audit id.
  // NotFound "Could not find token." if it does not verify; then
  // identity:revoke_token for `caller` (the token's own user, a service, a cloud admin).
  absl::Status RevokeToken(const Caller& caller, const std::string& token);
  // Verification only (signature, expiry, revocation): for authenticating a caller's
  // X-Auth-Token in-process without touching the store.
  absl::StatusOr<auth::TokenClaims> VerifyToken(const std::string& token) const;

  // ---- keys and revocations, for other services ----
  std::vector<auth::PublicKey> PublicKeys() const;
  // Re-reads the key source (after gureum-manage identity rotate-keys).
  absl::Status ReloadKeys();
  // Forgets events no token can still match (older than the token lifetime), in the
  // store and in memory. main() calls it periodically.
  absl::Status PurgeExpiredRevocations();
  // Events with revoked_at >= since, oldest first.
  absl::StatusOr<std::vector<auth::RevocationEvent>> ListRevocationEvents(absl::Time since);
  const auth::RevocationList& revocations() const { return revocations_.list(); }

 private:
  explicit TokenManager(const Deps& deps);
  absl::StatusOr<auth::KeyPair> SigningKey() const;
  absl::StatusOr<TokenData> Describe(const auth::TokenClaims& claims);

  IdentityStore& store_;
  const Clock& clock_;
  const IdentityOptions& options_;
  ValidationCache& validation_cache_;
  RevocationLog& revocations_;
  KeySource& key_source_;
  RoleManager& roles_;
  AssignmentManager& assignments_;
  CatalogManager& catalog_;
  IdentityAccess& access_;
  auth::TokenVerifier verifier_;
  mutable absl::Mutex keys_mu_;
  std::vector<auth::KeyPair> keys_ ABSL_GUARDED_BY(keys_mu_);  // newest first
};

}  // namespace gureum::identity
