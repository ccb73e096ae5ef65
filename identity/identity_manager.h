// The logic of gureum-identity (Keystone v3), as one manager class per resource family:
//
//   projects()         domains and projects                     project_manager.h
//   users()            users, groups, membership, passwords     user_manager.h
//   roles()            roles and implied roles                  role_manager.h
//   assignments()      grants, effective roles, user projects   assignment_manager.h
//   catalog()          regions, services, endpoints, catalog    catalog_manager.h
//   app_credentials()  application credentials                  app_credential_manager.h
//   credentials()      /v3/credentials and OS-EC2 (encrypted)   credential_manager.h
//   extensions()       policies, OAuth1 consumers, endpoint     extension_manager.h
//                      groups, domain configurations (kept only)
//   trusts()           OS-TRUST trusts (kept; no token by trust) trust_manager.h
//   tokens()           issue/validate/revoke, keys, revocations token_manager.h
//   auth()             POST /v3/auth/tokens                     auth_manager.h
//
// IdentityManager only builds them and holds what they share (ManagerDeps: the store,
// the password hasher, the validation cache, the revocation log, the policy); the REST adapter
// (identity_rest), the gRPC service (identity_service), gureum-manage and the benchmarks
// reach the managers through it. It knows nothing about HTTP or gRPC.
//
// Errors, in Keystone's words so adapters can pass messages through:
//   NotFound "Could not find project: <id>."   InvalidArgument naming the field
//   AlreadyExists "Duplicate entry: ..."       FailedPrecondition for state conflicts
//   (deleting an enabled domain, a project with children, an implication cycle)
//   Unauthenticated auth::kAuthRequired-style messages for every authentication failure
//   (the same text whether the user exists or not).
// Policy (who may call what, identity_policy.h) is the managers' job: their public
// methods take the caller as their first argument and check it with the
// IdentityAccess of ManagerDeps, so the REST and gRPC adapters get the same enforcement.
// Application credentials also obey rules about the token itself: created only by their
// own user, with a project-scoped token not made from an application credential.
//
// Thread safety: all managers are thread-safe. Blocking: most methods call the store
// (PostgreSQL); password and secret checks also spend ~50-100 ms in argon2id.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/policy/enforcer.h"
#include "identity/app_credential_manager.h"
#include "identity/assignment_manager.h"
#include "identity/auth_manager.h"
#include "identity/catalog_manager.h"
#include "identity/credential_manager.h"
#include "identity/extension_manager.h"
#include "identity/identity_access.h"
#include "identity/identity_options.h"
#include "identity/identity_store.h"
#include "identity/key_repository.h"
#include "identity/manager_deps.h"
#include "identity/model.h"
#include "identity/password_hasher.h"
#include "identity/project_manager.h"
#include "identity/revocation_log.h"
#include "identity/revocation_sink.h"
#include "identity/role_manager.h"
#include "identity/token_manager.h"
#include "identity/trust_manager.h"
#include "identity/user_manager.h"
#include "identity/validation_cache.h"

namespace gureum::identity {

// ---- bootstrap ----
struct BootstrapOptions {
  std::string admin_password;  // required
  std::string admin_username = "admin";
  std::string project_name = "admin";
  std::string role_name = "admin";
  std::string region_id = "RegionOne";
  std::string public_url_host = "localhost";  // host in the public endpoints
  std::string internal_url_host;              // empty: same as public
  std::string admin_url_host;                 // empty: same as internal
  // The identity endpoints' URL when it is not http://<host>:5000/v3 (Keystone's
  // --bootstrap-public-url): identity behind a proxy, or on another port in tests.
  std::string identity_url;
  // The user the services authenticate as ([service_auth]): created in project
  // `service_project` with the roles admin and service; the password is reset when it
  // differs. Empty username: none.
  std::string service_username;
  std::string service_password;
  std::string service_project = "service";
  // The catalog's service types to register (identity always is). Empty: every service
  // Gureum has. Otherwise the others of Gureum's catalog are removed with their endpoints,
  // so clients never try a service that does not run here (e.g. `openstack quota show`
  // asking block storage).
  std::vector<std::string> catalog_types;
};

struct BootstrapResult {
  std::string admin_user_id;
  std::string admin_project_id;
  std::string admin_role_id;
  bool changed = false;  // false when everything already existed as asked
};

class IdentityManager {
 public:
  // Loads the signing keys from `keys` (FailedPrecondition if none) and the revocation
  // events younger than the token lifetime from `store`; the managers check callers
  // against `enforcer` (identity_policy.h, with the operator's overrides). Every
  // reference must outlive the manager.
  static absl::StatusOr<std::unique_ptr<IdentityManager>> Create(
      IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
      IdGenerator& ids, const IdentityOptions& options, const policy::Enforcer& enforcer,
      AdminProjectOptions admin_project = {});
  // As Create, with the default rules (IdentityPolicyDefaults).
  static absl::StatusOr<std::unique_ptr<IdentityManager>> Create(
      IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
      IdGenerator& ids, const IdentityOptions& options);
  // As Create with the default rules, with a hasher of the caller's choosing (tests:
  // PasswordHasher::ForTesting).
  static absl::StatusOr<std::unique_ptr<IdentityManager>> Create(
      IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
      IdGenerator& ids, const IdentityOptions& options, std::unique_ptr<PasswordHasher> hasher);
  ~IdentityManager();

  ProjectManager& projects() { return projects_; }
  UserManager& users() { return users_; }
  RoleManager& roles() { return roles_; }
  AssignmentManager& assignments() { return assignments_; }
  CatalogManager& catalog() { return catalog_; }
  AppCredentialManager& app_credentials() { return app_credentials_; }
  CredentialManager& credentials() { return *credentials_; }
  ExtensionManager& extensions() { return extensions_; }
  TrustManager& trusts() { return trusts_; }
  TokenManager& tokens() { return *tokens_; }
  AuthManager& auth() { return *auth_; }

  // Idempotent set-up of a fresh deployment (see BootstrapOptions and README.md), through
  // the managers above (bootstrap.cc). A second run creates nothing; a different
  // admin_password resets the admin's password (and revokes their tokens), so an
  // operator can recover the admin account.
  absl::StatusOr<BootstrapResult> Bootstrap(const BootstrapOptions& options);

 private:
  // The three Create overloads end here; `owned_enforcer` (may be null) is `enforcer`
  // when Create made it.
  static absl::StatusOr<std::unique_ptr<IdentityManager>> Build(
      IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
      IdGenerator& ids, const IdentityOptions& options, std::unique_ptr<PasswordHasher> hasher,
      std::unique_ptr<policy::Enforcer> owned_enforcer, const policy::Enforcer& enforcer,
      AdminProjectOptions admin_project);
  IdentityManager(IdentityStore& store, RevocationSink& sink, const Clock& clock, IdGenerator& ids,
                  const IdentityOptions& options, std::unique_ptr<PasswordHasher> hasher,
                  std::unique_ptr<policy::Enforcer> owned_enforcer,
                  const policy::Enforcer& enforcer, AdminProjectOptions admin_project);

  // What the managers share; declared first, so built before them.
  const IdentityOptions options_;
  std::unique_ptr<PasswordHasher> hasher_;
  ValidationCache validation_cache_;
  RevocationLog revocations_;
  std::unique_ptr<policy::Enforcer> owned_enforcer_;  // null when the caller gave one
  IdentityAccess access_;
  ManagerDeps deps_;
  // The managers, each after those it calls.
  ProjectManager projects_;
  UserManager users_;
  RoleManager roles_;
  AssignmentManager assignments_;
  CatalogManager catalog_;
  AppCredentialManager app_credentials_;
  ExtensionManager extensions_;
  TrustManager trusts_;
  std::unique_ptr<TokenManager> tokens_;  // set by Create (loading keys can fail)
  std::unique_ptr<AuthManager> auth_;
  std::unique_ptr<CredentialManager> credentials_;  // set by Create (reads the key)
};

}  // namespace gureum::identity
