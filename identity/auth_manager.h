// Authentication of gureum-identity (POST /v3/auth/tokens): the password, token and
// application_credential methods, lockout, and scope resolution; the token itself comes
// from TokenManager. Every authentication failure answers the same
// Unauthenticated(kAuthRequired), whether the user exists or not; the reason goes to the
// log with the user id only.
//
// Thread-safe. Blocking: the store, and ~50-100 ms of argon2id per password or secret.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "identity/assignment_manager.h"
#include "identity/manager_deps.h"
#include "identity/model.h"
#include "identity/token_manager.h"
#include "identity/user_manager.h"

namespace gureum::identity {

struct PasswordMethod {
  UserRef user;
  std::string password;
};

// By id, or by name plus the owning user.
struct ApplicationCredentialMethod {
  std::string id;
  std::string name;
  UserRef user;
  std::string secret;
};

enum class ScopeKind {
  kDefault,   // no scope in the request: the user's default project if they have a role
              // there (as Keystone does), else unscoped
  kUnscoped,  // "scope": "unscoped": never use the default project
  kProject,
  kDomain,
  kSystem,  // {"system": {"all": true}}
};

struct AuthScope {
  ScopeKind kind = ScopeKind::kDefault;
  // kProject: project_id, or project_name + its domain (project_domain_id or _name).
  std::string project_id, project_name, project_domain_id, project_domain_name;
  // kDomain: domain_id or domain_name.
  std::string domain_id, domain_name;
};

// The body of POST /v3/auth/tokens. `methods` lists what the client named; each named
// method must have its part filled in. Only one identity method per request is supported
// (password, token or application_credential), as with the OpenStack clients.
struct AuthRequest {
  std::vector<std::string> methods;
  std::optional<PasswordMethod> password;
  std::optional<std::string> token;  // the token to re-scope (never logged)
  std::optional<ApplicationCredentialMethod> application_credential;
  AuthScope scope;
};

class AuthManager {
 public:
  struct Deps {
    const ManagerDeps& shared;
    UserManager& users;
    AssignmentManager& assignments;
    TokenManager& tokens;
  };
  // Everything in `deps` must outlive the manager.
  explicit AuthManager(const Deps& deps);

  // POST /v3/auth/tokens. Unauthenticated for any failed check (wrong password, unknown
  // user, locked out, disabled user/project/domain, no role on the requested scope).
  absl::StatusOr<IssuedToken> Authenticate(const AuthRequest& request);

 private:
  absl::StatusOr<IssuedToken> ByPassword(const AuthRequest& request);
  absl::StatusOr<IssuedToken> ByToken(const AuthRequest& request);
  absl::StatusOr<IssuedToken> ByApplicationCredential(const AuthRequest& request);
  absl::Status CheckUserUsable(const User& user);
  absl::StatusOr<ScopeTarget> ResolveScope(const AuthScope& scope, const User& user);

  IdentityStore& store_;
  const Clock& clock_;
  const PasswordHasher& hasher_;
  UserManager& users_;
  AssignmentManager& assignments_;
  TokenManager& tokens_;
};

}  // namespace gureum::identity
