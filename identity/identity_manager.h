// The logic of gureum-identity (Keystone v3): resources (domains, projects, users, groups,
// roles, implied roles, role assignments, catalog, application credentials), password
// authentication with lockout, token issue/validate/revoke, revocation events and
// bootstrap. The REST adapter (identity_rest) and the gRPC service (identity_service) are
// thin layers over this class; it knows nothing about HTTP or gRPC.
//
// Errors, in Keystone's words so adapters can pass messages through:
//   NotFound "Could not find project: <id>."   InvalidArgument naming the field
//   AlreadyExists "Duplicate entry: ..."       FailedPrecondition for state conflicts
//   (deleting an enabled domain, a project with children, an implication cycle)
//   Unauthenticated auth::kAuthRequired-style messages for every authentication failure
//   (the same text whether the user exists or not).
// Policy (who may call what) is the adapters' job, except where the rule is about the
// token itself: application credentials are created only by their own user, with a
// project-scoped token not made from an application credential.
//
// Revocations: every change that must end tokens (user disabled/deleted, password
// changed, assignment removed, group membership removed, project disabled/deleted, token
// revoked) writes an event in the same transaction as the change, then applies it to
// revocations() (so this process honours it at once) and publishes it to the
// RevocationSink.
//
// Thread safety: all methods are thread-safe. Blocking: most methods call the store
// (PostgreSQL); Authenticate and ChangePassword also spend ~50-100 ms in argon2id.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/keys.h"
#include "common/auth/revocation.h"
#include "common/auth/token.h"
#include "common/auth/verifier.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "identity/identity_options.h"
#include "identity/identity_store.h"
#include "identity/key_repository.h"
#include "identity/model.h"
#include "identity/password_hasher.h"
#include "identity/revocation_sink.h"
#include "identity/validation_cache.h"

namespace gureum::identity {

// ---- partial updates (PATCH): unset fields stay as they are ----
struct DomainUpdate {
  std::optional<std::string> name, description;
  std::optional<bool> enabled;
};
struct ProjectUpdate {
  std::optional<std::string> name, description;
  std::optional<bool> enabled;
  std::optional<std::vector<std::string>> tags;
};
struct UserUpdate {
  std::optional<std::string> name, description, email, default_project_id;
  std::optional<bool> enabled;
  std::optional<UserOptions> options;
  std::optional<std::string> password;  // an administrator's reset: revokes the user's tokens
};
struct GroupUpdate {
  std::optional<std::string> name, description;
};
struct RoleUpdate {
  std::optional<std::string> name, description;
};
struct RegionUpdate {
  std::optional<std::string> description, parent_region_id;
};
struct ServiceUpdate {
  std::optional<std::string> type, name, description;
  std::optional<bool> enabled;
};
struct EndpointUpdate {
  std::optional<std::string> service_id, region_id, interface, url;
  std::optional<bool> enabled;
};

// ---- authentication ----

// A user named by id, or by name plus its domain (by id or by name).
struct UserRef {
  std::string id;
  std::string name;
  std::string domain_id;
  std::string domain_name;
};

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

struct CatalogEntry {
  Service service;
  std::vector<Endpoint> endpoints;  // enabled ones, $(project_id)s substituted
};

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

// ---- application credentials ----
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

// ---- role assignment listing (GET /v3/role_assignments) ----
struct AssignmentQuery {
  AssignmentFilter filter;  // user.id, group.id, role.id, scope.project.id, ...
  // Expand group grants into their members, inherited grants into the projects they
  // reach, and implied roles; then apply the user/project/role filters.
  bool effective = false;
  bool include_names = false;
};

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
  // events younger than the token lifetime from `store`. Every reference must outlive
  // the manager.
  static absl::StatusOr<std::unique_ptr<IdentityManager>> Create(
      IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
      IdGenerator& ids, const IdentityOptions& options);
  // As Create, with a hasher of the caller's choosing (tests: PasswordHasher::ForTesting).
  static absl::StatusOr<std::unique_ptr<IdentityManager>> Create(
      IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
      IdGenerator& ids, const IdentityOptions& options, std::unique_ptr<PasswordHasher> hasher);
  ~IdentityManager();

  // ---- domains ----
  // An empty id is generated. InvalidArgument "name" when empty.
  absl::StatusOr<Domain> CreateDomain(Domain domain);
  absl::StatusOr<Domain> GetDomain(const std::string& id);
  absl::StatusOr<std::vector<Domain>> ListDomains(const ListFilter& filter);
  absl::StatusOr<Domain> UpdateDomain(const std::string& id, const DomainUpdate& update);
  // FailedPrecondition while enabled (Keystone: disable it first).
  absl::Status DeleteDomain(const std::string& id);

  // ---- projects ----
  // domain_id defaults to the parent's domain, else "default"; the parent must be in the
  // same domain. is_domain projects are not supported (InvalidArgument "is_domain").
  absl::StatusOr<Project> CreateProject(Project project);
  absl::StatusOr<Project> GetProject(const std::string& id);
  absl::StatusOr<std::vector<Project>> ListProjects(const ListFilter& filter);
  // Disabling revokes the project's tokens, and so does renaming the admin project
  // (IdentityOptions::admin_project_name): its tokens say is_admin_project.
  absl::StatusOr<Project> UpdateProject(const std::string& id, const ProjectUpdate& update);
  // FailedPrecondition if it has children. Revokes the project's tokens.
  absl::Status DeleteProject(const std::string& id);
  // Projects where `user_id` has at least one effective role (GET /v3/auth/projects,
  // /v3/users/{id}/projects); enabled ones only.
  absl::StatusOr<std::vector<Project>> ListUserProjects(const std::string& user_id);

  // ---- users ----
  // InvalidArgument "name"/"domain_id"/"default_project_id"; the password is hashed.
  absl::StatusOr<User> CreateUser(User user, const std::optional<std::string>& password);
  absl::StatusOr<User> GetUser(const std::string& id);
  absl::StatusOr<std::vector<User>> ListUsers(const ListFilter& filter);
  // Disabling or a password reset revokes the user's tokens.
  absl::StatusOr<User> UpdateUser(const std::string& id, const UserUpdate& update);
  absl::Status DeleteUser(const std::string& id);
  // The user's own change (POST /v3/users/{id}/password): Unauthenticated when
  // `original` is wrong (counts towards lockout). Revokes the user's tokens.
  absl::Status ChangePassword(const std::string& user_id, const std::string& original,
                              const std::string& password);

  // ---- groups ----
  absl::StatusOr<Group> CreateGroup(Group group);
  absl::StatusOr<Group> GetGroup(const std::string& id);
  absl::StatusOr<std::vector<Group>> ListGroups(const ListFilter& filter);
  absl::StatusOr<Group> UpdateGroup(const std::string& id, const GroupUpdate& update);
  absl::Status DeleteGroup(const std::string& id);
  absl::Status AddUserToGroup(const std::string& user_id, const std::string& group_id);
  // NotFound if not a member. Revokes the user's tokens.
  absl::Status RemoveUserFromGroup(const std::string& user_id, const std::string& group_id);
  // NotFound for an unknown group/user; otherwise whether the user is a member.
  absl::StatusOr<bool> IsUserInGroup(const std::string& user_id, const std::string& group_id);
  absl::StatusOr<std::vector<User>> ListGroupUsers(const std::string& group_id);
  absl::StatusOr<std::vector<Group>> ListUserGroups(const std::string& user_id);

  // ---- roles ----
  absl::StatusOr<Role> CreateRole(Role role);
  absl::StatusOr<Role> GetRole(const std::string& id);
  absl::StatusOr<std::vector<Role>> ListRoles(const ListFilter& filter);
  absl::StatusOr<Role> UpdateRole(const std::string& id, const RoleUpdate& update);
  absl::Status DeleteRole(const std::string& id);
  // FailedPrecondition if the rule would make a cycle (or prior == implied).
  absl::StatusOr<ImpliedRole> CreateImpliedRole(const std::string& prior_id,
                                                const std::string& implied_id);
  absl::Status DeleteImpliedRole(const std::string& prior_id, const std::string& implied_id);
  // NotFound when the rule does not exist.
  absl::StatusOr<ImpliedRole> GetImpliedRole(const std::string& prior_id,
                                             const std::string& implied_id);
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles();

  // ---- role assignments ----
  // InvalidArgument unless exactly one actor and one target are set; NotFound for an
  // unknown role/actor/target. Idempotent.
  absl::Status Grant(const RoleAssignment& assignment);
  // NotFound if not granted. Revokes: user+project for a project grant; for a group,
  // each member; user-wide for domain, system and inherited grants.
  absl::Status Revoke(const RoleAssignment& assignment);
  // NotFound if the exact grant does not exist (HEAD .../roles/{role_id}).
  absl::Status CheckGrant(const RoleAssignment& assignment);
  absl::StatusOr<std::vector<RoleAssignmentView>> ListRoleAssignments(const AssignmentQuery& q);

  // ---- catalog ----
  absl::StatusOr<Region> CreateRegion(Region region);  // empty id: generated
  absl::StatusOr<Region> GetRegion(const std::string& id);
  absl::StatusOr<std::vector<Region>> ListRegions(const ListFilter& filter);
  absl::StatusOr<Region> UpdateRegion(const std::string& id, const RegionUpdate& update);
  absl::Status DeleteRegion(const std::string& id);
  absl::StatusOr<Service> CreateService(Service service);  // InvalidArgument "type"
  absl::StatusOr<Service> GetService(const std::string& id);
  absl::StatusOr<std::vector<Service>> ListServices(const ListFilter& filter);
  absl::StatusOr<Service> UpdateService(const std::string& id, const ServiceUpdate& update);
  absl::Status DeleteService(const std::string& id);
  // InvalidArgument "interface" (public/internal/admin), "url", "service_id".
  absl::StatusOr<Endpoint> CreateEndpoint(Endpoint endpoint);
  absl::StatusOr<Endpoint> GetEndpoint(const std::string& id);
  absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const ListFilter& filter);
  absl::StatusOr<Endpoint> UpdateEndpoint(const std::string& id, const EndpointUpdate& update);
  absl::Status DeleteEndpoint(const std::string& id);
  // Enabled services with their enabled endpoints; `project_id` substitutes
  // $(project_id)s (and $(tenant_id)s); endpoints still holding it are left out when
  // `project_id` is empty, as Keystone does.
  absl::StatusOr<std::vector<CatalogEntry>> Catalog(const std::string& project_id);

  // ---- application credentials ----
  // `caller` is the verified token of the request. PermissionDenied unless the caller is
  // the user, with a project-scoped token not made from an application credential, and
  // holds every requested role.
  absl::StatusOr<CreatedApplicationCredential> CreateApplicationCredential(
      const auth::TokenClaims& caller, const ApplicationCredentialCreate& request);
  absl::StatusOr<ApplicationCredential> GetApplicationCredential(const std::string& user_id,
                                                                 const std::string& id);
  absl::StatusOr<std::vector<ApplicationCredential>> ListApplicationCredentials(
      const std::string& user_id, const std::optional<std::string>& name);
  // Revokes the tokens made from it.
  absl::Status DeleteApplicationCredential(const std::string& user_id, const std::string& id);

  // ---- tokens ----
  // POST /v3/auth/tokens. Unauthenticated for any failed check (wrong password, unknown
  // user, locked out, disabled user/project/domain, no role on the requested scope).
  absl::StatusOr<IssuedToken> Authenticate(const AuthRequest& request);
  // GET /v3/auth/tokens: signature, expiry, revocation, then that the user (and project,
  // domain, app credential) still exist and are enabled; roles are the token's.
  // Unauthenticated(auth::kAuthRequired) for any failure (the REST adapter answers 404
  // for a bad X-Subject-Token).
  absl::StatusOr<TokenData> ValidateToken(const std::string& token);
  // DELETE /v3/auth/tokens: revokes the token (and tokens re-scoped from it) by audit id.
  // NotFound "Could not find token." if it does not validate.
  absl::Status RevokeToken(const std::string& token);
  // Verification only (signature, expiry, revocation): for authenticating a caller's
  // X-Auth-Token in-process without touching the store.
  absl::StatusOr<auth::TokenClaims> VerifyToken(const std::string& token) const;
  static Caller ToCaller(const auth::TokenClaims& claims);

  // ---- keys and revocations, for other services ----
  std::vector<auth::PublicKey> PublicKeys() const;
  // Re-reads the key source (after gureum-manage identity rotate-keys).
  absl::Status ReloadKeys();
  // Forgets events no token can still match (older than the token lifetime), in the
  // store and in memory. main() calls it periodically.
  absl::Status PurgeExpiredRevocations();
  // Events with revoked_at >= since, oldest first.
  absl::StatusOr<std::vector<auth::RevocationEvent>> ListRevocationEvents(absl::Time since);
  const auth::RevocationList& revocations() const { return revocations_; }

  // ---- bootstrap ----
  // Idempotent set-up of a fresh deployment (see BootstrapOptions and README.md). A second
  // run creates nothing; a different admin_password resets the admin's password (and
  // revokes their tokens), so an operator can recover the admin account.
  absl::StatusOr<BootstrapResult> Bootstrap(const BootstrapOptions& options);

 private:
  // A scope resolved to records: at most one of project/domain/system.
  struct Target {
    std::optional<Project> project;
    std::optional<Domain> domain;  // the project's domain, or the scoped domain
    bool system = false;
  };

  IdentityManager(IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
                  IdGenerator& ids, const IdentityOptions& options,
                  std::unique_ptr<PasswordHasher> hasher);

  // identity_manager.cc: revocation events for a committed change.
  StoredRevocationEvent UserEvent(const std::string& user_id,
                                  const std::string& project_id = "") const;
  StoredRevocationEvent ProjectEvent(const std::string& project_id) const;
  // Applies committed events to revocations_ and publishes them to the sink.
  void Announce(const Revocations& events);
  absl::StatusOr<auth::KeyPair> SigningKey() const;

  // role_manager.cc / assignment_manager.cc
  absl::StatusOr<std::vector<std::string>> ExpandImplied(std::vector<std::string> role_ids);
  // The project and its ancestors, the project first.
  absl::StatusOr<std::vector<Project>> ProjectChain(const std::string& project_id);
  // Effective role ids of a user on a target (direct, via groups, inherited, implied).
  absl::StatusOr<std::vector<std::string>> EffectiveRoleIds(const std::string& user_id,
                                                            const Target& target);
  absl::StatusOr<std::vector<RoleRef>> RoleRefs(const std::vector<std::string>& role_ids);
  absl::Status CheckAssignmentShape(const RoleAssignment& a);
  absl::StatusOr<Revocations> RevocationsForGrant(const RoleAssignment& a);

  // auth_manager.cc
  absl::StatusOr<UserRecord> ResolveUser(const UserRef& ref);
  // Checks the password with lockout; every failure is Unauthenticated(kAuthRequired).
  absl::StatusOr<UserRecord> CheckPassword(const UserRef& ref, const std::string& password);
  absl::Status CheckUserUsable(const User& user);
  absl::StatusOr<Target> ResolveScope(const AuthScope& scope, const User& user);

  // token_manager.cc
  absl::StatusOr<IssuedToken> Issue(const User& user, const Target& target,
                                    std::vector<std::string> methods,
                                    std::vector<std::string> audit_chain,
                                    const std::optional<ApplicationCredential>& cred,
                                    std::optional<absl::Time> expires_at);
  absl::StatusOr<TokenData> Describe(const auth::TokenClaims& claims);

  IdentityStore& store_;
  KeySource& key_source_;
  RevocationSink& sink_;
  const Clock& clock_;
  IdGenerator& ids_;
  const IdentityOptions options_;
  std::unique_ptr<PasswordHasher> hasher_;
  auth::RevocationList revocations_;
  auth::TokenVerifier verifier_;
  ValidationCache validation_cache_;
  mutable absl::Mutex keys_mu_;
  std::vector<auth::KeyPair> keys_ ABSL_GUARDED_BY(keys_mu_);  // newest first
};

}  // namespace gureum::identity
