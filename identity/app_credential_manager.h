// Application credentials of gureum-identity: a user's delegation of some of their roles
// on one project to a secret that tools can use instead of the password.
//
// Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls the
// store; CreateApplicationCredential also spends ~50-100 ms in argon2id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "common/base/caller.h"
#include "identity/manager_deps.h"
#include "identity/model.h"

namespace gureum::identity {

struct ApplicationCredentialCreate {
  std::string user_id;  // must be the caller's
  std::string name;
  std::string description;
  std::string secret;  // empty: generate one
  std::optional<absl::Time> expires_at;
  bool unrestricted = false;
  std::vector<RoleRef> roles;  // by id or name; empty: all roles of the caller's token
};

struct CreatedApplicationCredential {
  ApplicationCredential credential;
  std::string secret;  // shown once; only its hash is stored
};

class AppCredentialManager {
 public:
  explicit AppCredentialManager(const ManagerDeps& deps);

  // Each method checks the identity policy first (identity:<verb>_application_credential,
  // target.user_id = the credential's user): PermissionDenied before anything else.

  // `caller` is the verified token of the request (the policy's caller is made from it).
  // PermissionDenied unless the caller is the user, with a project-scoped token not made
  // from an application credential, and holds every requested role.
  absl::StatusOr<CreatedApplicationCredential> CreateApplicationCredential(
      const auth::TokenClaims& caller, const ApplicationCredentialCreate& request);
  absl::StatusOr<ApplicationCredential> GetApplicationCredential(const Caller& caller,
                                                                 const std::string& user_id,
                                                                 const std::string& id);
  // NotFound for an unknown user.
  absl::StatusOr<std::vector<ApplicationCredential>> ListApplicationCredentials(
      const Caller& caller, const std::string& user_id, const std::optional<std::string>& name);
  // Revokes the tokens made from it.
  absl::Status DeleteApplicationCredential(const Caller& caller, const std::string& user_id,
                                           const std::string& id);

 private:
  // Whether the caller holds `role_id` on its project: in its token, or granted directly
  // since.
  absl::StatusOr<bool> UserHasRole(const auth::TokenClaims& caller, const std::string& role_id);
  // The user's credential `id`; another user's is NotFound.
  absl::StatusOr<ApplicationCredential> Find(const std::string& user_id, const std::string& id);

  IdentityStore& store_;
  IdGenerator& ids_;
  const Clock& clock_;
  const PasswordHasher& hasher_;
  ValidationCache& validation_cache_;
  RevocationLog& revocations_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
