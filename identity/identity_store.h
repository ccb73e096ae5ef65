// Persistence for gureum-identity: one interface over every table the service owns, with
// a PostgreSQL implementation (pg_identity_store.h) and an in-memory fake
// (fake_identity_store.h) that the contract test keeps in step.
//
// Contract, for every implementation:
// - Create* inserts the record as given (ids are chosen by the caller). A duplicate name
//   in its scope is AlreadyExists naming the resource: "Duplicate entry: project with
//   name 'x' in domain 'default'." (users/projects/groups unique per domain, roles per
//   domain with "" global, domains/services-by-id, app credentials per user).
// - Get*/Update*/Delete* of an unknown id is NotFound "Could not find <kind>: <id>.".
// - A reference to a missing row (project in unknown domain, endpoint of unknown service)
//   is NotFound naming the missing thing.
// - Deleting a row deletes what hangs off it in the same transaction: a user's group
//   memberships, assignments and app credentials; a project's assignments and app
//   credentials; a group's memberships and assignments; a role's assignments and
//   implications; a domain's projects, users, groups and domain roles (the manager checks
//   first that the domain is disabled). A project with children cannot be deleted
//   (FailedPrecondition).
// - Methods taking `revocations` persist those events in the same transaction as the
//   change, so a committed change always has its events and vice versa.
// - List* sorts by id and applies ListFilter/Page (see model.h).
// Thread safety: implementations are thread-safe. Blocking: the PostgreSQL one blocks on
// the network.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "identity/model.h"

namespace gureum::identity {

using Revocations = std::vector<StoredRevocationEvent>;

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // ---- domains ----
  virtual absl::Status CreateDomain(const Domain& domain) = 0;
  virtual absl::StatusOr<Domain> GetDomain(const std::string& id) = 0;
  virtual absl::StatusOr<Domain> GetDomainByName(const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<Domain>> ListDomains(const ListFilter& filter) = 0;
  virtual absl::Status UpdateDomain(const Domain& domain, const Revocations& revocations) = 0;
  virtual absl::Status DeleteDomain(const std::string& id, const Revocations& revocations) = 0;

  // ---- projects ----
  virtual absl::Status CreateProject(const Project& project) = 0;
  virtual absl::StatusOr<Project> GetProject(const std::string& id) = 0;
  virtual absl::StatusOr<Project> GetProjectByName(const std::string& domain_id,
                                                   const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<Project>> ListProjects(const ListFilter& filter) = 0;
  virtual absl::Status UpdateProject(const Project& project, const Revocations& revocations) = 0;
  virtual absl::Status DeleteProject(const std::string& id, const Revocations& revocations) = 0;

  // ---- users ----
  virtual absl::Status CreateUser(const UserRecord& user) = 0;
  virtual absl::StatusOr<UserRecord> GetUser(const std::string& id) = 0;
  virtual absl::StatusOr<UserRecord> GetUserByName(const std::string& domain_id,
                                                   const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<User>> ListUsers(const ListFilter& filter) = 0;
  // Updates everything but the lockout counters (see RecordAuthResult).
  virtual absl::Status UpdateUser(const UserRecord& user, const Revocations& revocations) = 0;
  virtual absl::Status DeleteUser(const std::string& id, const Revocations& revocations) = 0;
  // Sets the lockout counters only: count 0 and nullopt after a success.
  virtual absl::Status RecordAuthResult(const std::string& user_id, int failed_count,
                                        std::optional<absl::Time> last_failed_at) = 0;

  // ---- groups and membership ----
  virtual absl::Status CreateGroup(const Group& group) = 0;
  virtual absl::StatusOr<Group> GetGroup(const std::string& id) = 0;
  virtual absl::StatusOr<Group> GetGroupByName(const std::string& domain_id,
                                               const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<Group>> ListGroups(const ListFilter& filter) = 0;
  virtual absl::Status UpdateGroup(const Group& group) = 0;
  virtual absl::Status DeleteGroup(const std::string& id, const Revocations& revocations) = 0;
  // Idempotent. NotFound if the user or the group does not exist.
  virtual absl::Status AddUserToGroup(const std::string& user_id, const std::string& group_id) = 0;
  // NotFound if the user is not a member.
  virtual absl::Status RemoveUserFromGroup(const std::string& user_id, const std::string& group_id,
                                           const Revocations& revocations) = 0;
  virtual absl::StatusOr<std::vector<User>> ListGroupUsers(const std::string& group_id) = 0;
  virtual absl::StatusOr<std::vector<Group>> ListUserGroups(const std::string& user_id) = 0;

  // ---- roles and implications ----
  virtual absl::Status CreateRole(const Role& role) = 0;
  virtual absl::StatusOr<Role> GetRole(const std::string& id) = 0;
  virtual absl::StatusOr<Role> GetRoleByName(const std::string& domain_id,
                                             const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<Role>> ListRoles(const ListFilter& filter) = 0;
  virtual absl::Status UpdateRole(const Role& role) = 0;
  virtual absl::Status DeleteRole(const std::string& id, const Revocations& revocations) = 0;
  // AlreadyExists if present; NotFound if either role is missing.
  virtual absl::Status CreateImpliedRole(const ImpliedRole& rule) = 0;
  virtual absl::Status DeleteImpliedRole(const ImpliedRole& rule) = 0;
  virtual absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles() = 0;

  // ---- role assignments ----
  // Idempotent (granting twice is OK). NotFound if the role, actor or target is missing.
  virtual absl::Status CreateAssignment(const RoleAssignment& assignment) = 0;
  // NotFound if there is no such grant.
  virtual absl::Status DeleteAssignment(const RoleAssignment& assignment,
                                        const Revocations& revocations) = 0;
  virtual absl::StatusOr<std::vector<RoleAssignment>> ListAssignments(
      const AssignmentFilter& filter) = 0;

  // ---- catalog ----
  virtual absl::Status CreateRegion(const Region& region) = 0;
  virtual absl::StatusOr<Region> GetRegion(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Region>> ListRegions(const ListFilter& filter) = 0;
  virtual absl::Status UpdateRegion(const Region& region) = 0;
  // FailedPrecondition while endpoints or child regions refer to it.
  virtual absl::Status DeleteRegion(const std::string& id) = 0;

  virtual absl::Status CreateService(const Service& service) = 0;
  virtual absl::StatusOr<Service> GetService(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Service>> ListServices(const ListFilter& filter) = 0;
  virtual absl::Status UpdateService(const Service& service) = 0;
  // Deletes the service's endpoints too.
  virtual absl::Status DeleteService(const std::string& id) = 0;

  virtual absl::Status CreateEndpoint(const Endpoint& endpoint) = 0;
  virtual absl::StatusOr<Endpoint> GetEndpoint(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const ListFilter& filter) = 0;
  virtual absl::Status UpdateEndpoint(const Endpoint& endpoint) = 0;
  virtual absl::Status DeleteEndpoint(const std::string& id) = 0;

  // ---- application credentials ----
  virtual absl::Status CreateApplicationCredential(const ApplicationCredentialRecord& cred) = 0;
  virtual absl::StatusOr<ApplicationCredentialRecord> GetApplicationCredential(
      const std::string& id) = 0;
  virtual absl::StatusOr<ApplicationCredentialRecord> GetApplicationCredentialByName(
      const std::string& user_id, const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<ApplicationCredential>> ListApplicationCredentials(
      const std::string& user_id) = 0;
  // Records a token issued from the credential (its audit id, until it expires), so that
  // deleting the credential revokes exactly its tokens. NotFound if the credential is gone
  // (a deletion in progress wins: the token must not be handed out).
  // Records expired at `now` are dropped on the way.
  virtual absl::Status RecordApplicationCredentialToken(const std::string& credential_id,
                                                        const std::string& audit_id,
                                                        absl::Time expires_at, absl::Time now) = 0;
  // Deletes it and, in the same transaction, persists one audit-id revocation event (stamped
  // `now`) per recorded token not expired at `now`; returns those events.
  virtual absl::StatusOr<Revocations> DeleteApplicationCredential(const std::string& id,
                                                                  absl::Time now) = 0;

  // ---- credentials ----
  // NotFound if the user (or the project, when set) is missing; AlreadyExists for an id
  // in use ("Duplicate entry: credential ..."). A user's or project's delete removes theirs.
  virtual absl::Status CreateCredential(const CredentialRecord& credential) = 0;
  virtual absl::StatusOr<CredentialRecord> GetCredential(const std::string& id) = 0;
  // Filters: user_id, type.
  virtual absl::StatusOr<std::vector<CredentialRecord>> ListCredentials(
      const ListFilter& filter) = 0;
  virtual absl::Status UpdateCredential(const CredentialRecord& credential) = 0;
  virtual absl::Status DeleteCredential(const std::string& id) = 0;

  // ---- stored documents (policies, OAuth1 consumers, endpoint groups, domain configs) ----
  // AlreadyExists for a (kind, id) in use; NotFound "Could not find <kind>: <id>." (kind
  // with '_' as ' '). A domain's delete removes its "domain_config".
  virtual absl::Status CreateDocument(const StoredDocument& document) = 0;
  virtual absl::StatusOr<StoredDocument> GetDocument(const std::string& kind,
                                                     const std::string& id) = 0;
  // Sorted by id.
  virtual absl::StatusOr<std::vector<StoredDocument>> ListDocuments(const std::string& kind) = 0;
  virtual absl::Status UpdateDocument(const StoredDocument& document) = 0;
  virtual absl::Status DeleteDocument(const std::string& kind, const std::string& id) = 0;

  // ---- revocation events ----
  virtual absl::Status AddRevocationEvents(const Revocations& revocations) = 0;
  // Events with revoked_at >= since, oldest first.
  virtual absl::StatusOr<std::vector<StoredRevocationEvent>> ListRevocationEvents(
      absl::Time since) = 0;
  // Drops events with revoked_at < before (housekeeping; they can match no live token).
  virtual absl::Status PurgeRevocationEvents(absl::Time before) = 0;
};

}  // namespace gureum::identity
