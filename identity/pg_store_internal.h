// Internal to the PostgreSQL store: the class shared by pg_*_store.cc, and SQL helpers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/db/pool.h"
#include "common/db/row.h"
#include "common/db/tx.h"
#include "identity/identity_store.h"

namespace gureum::identity::internal {

// Builds "WHERE a = $1 AND b = $2 ..." with its parameters.
class Where {
 public:
  void Eq(const std::string& column, db::Param value);
  // "column IS NULL" when value is empty, else "column = value".
  void EqOrNull(const std::string& column, const std::string& value);
  void Raw(const std::string& condition) { conditions_.push_back(condition); }
  // Adds id > marker (if set) and returns " WHERE ... ORDER BY id LIMIT n".
  std::string Paged(const Page& page, const std::string& id_column = "id");
  std::string Sql() const;
  db::Params& params() { return params_; }
  std::string Next() const { return "$" + std::to_string(params_.size() + 1); }

 private:
  std::vector<std::string> conditions_;
  db::Params params_;
};

// Inserts revocation events inside the caller's transaction.
absl::Status InsertEvents(db::Tx& tx, const Revocations& events);
// OK if a row with `id` exists in `table`, else NotFound naming `kind`.
absl::Status MustExist(db::Tx& tx, const std::string& table, const std::string& kind,
                       const std::string& id);
// Maps a unique violation to Keystone's "Duplicate entry" message; other errors pass.
absl::Status Duplicate(absl::Status s, const std::string& kind, const std::string& name,
                       const std::string& scope = "");
std::string Text(const db::Row& row, const std::string& column);  // NULL -> ""
std::optional<std::string> NullIfEmpty(const std::string& s);

class PgIdentityStore final : public IdentityStore {
 public:
  explicit PgIdentityStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::Status CreateDomain(const Domain& domain) override;
  absl::StatusOr<Domain> GetDomain(const std::string& id) override;
  absl::StatusOr<Domain> GetDomainByName(const std::string& name) override;
  absl::StatusOr<std::vector<Domain>> ListDomains(const ListFilter& filter) override;
  absl::Status UpdateDomain(const Domain& domain, const Revocations& revocations) override;
  absl::Status DeleteDomain(const std::string& id, const Revocations& revocations) override;
  absl::Status CreateProject(const Project& project) override;
  absl::StatusOr<Project> GetProject(const std::string& id) override;
  absl::StatusOr<Project> GetProjectByName(const std::string& domain_id,
                                           const std::string& name) override;
  absl::StatusOr<std::vector<Project>> ListProjects(const ListFilter& filter) override;
  absl::Status UpdateProject(const Project& project, const Revocations& revocations) override;
  absl::Status DeleteProject(const std::string& id, const Revocations& revocations) override;
  absl::Status CreateUser(const UserRecord& user) override;
  absl::StatusOr<UserRecord> GetUser(const std::string& id) override;
  absl::StatusOr<UserRecord> GetUserByName(const std::string& domain_id,
                                           const std::string& name) override;
  absl::StatusOr<std::vector<User>> ListUsers(const ListFilter& filter) override;
  absl::Status UpdateUser(const UserRecord& user, const Revocations& revocations) override;
  absl::Status DeleteUser(const std::string& id, const Revocations& revocations) override;
  absl::Status RecordAuthResult(const std::string& user_id, int failed_count,
                                std::optional<absl::Time> last_failed_at) override;
  absl::Status CreateGroup(const Group& group) override;
  absl::StatusOr<Group> GetGroup(const std::string& id) override;
  absl::StatusOr<Group> GetGroupByName(const std::string& domain_id,
                                       const std::string& name) override;
  absl::StatusOr<std::vector<Group>> ListGroups(const ListFilter& filter) override;
  absl::Status UpdateGroup(const Group& group) override;
  absl::Status DeleteGroup(const std::string& id, const Revocations& revocations) override;
  absl::Status AddUserToGroup(const std::string& user_id, const std::string& group_id) override;
  absl::Status RemoveUserFromGroup(const std::string& user_id, const std::string& group_id,
                                   const Revocations& revocations) override;
  absl::StatusOr<std::vector<User>> ListGroupUsers(const std::string& group_id) override;
  absl::StatusOr<std::vector<Group>> ListUserGroups(const std::string& user_id) override;
  absl::Status CreateRole(const Role& role) override;
  absl::StatusOr<Role> GetRole(const std::string& id) override;
  absl::StatusOr<Role> GetRoleByName(const std::string& domain_id,
                                     const std::string& name) override;
  absl::StatusOr<std::vector<Role>> ListRoles(const ListFilter& filter) override;
  absl::Status UpdateRole(const Role& role) override;
  absl::Status DeleteRole(const std::string& id, const Revocations& revocations) override;
  absl::Status CreateImpliedRole(const ImpliedRole& rule) override;
  absl::Status DeleteImpliedRole(const ImpliedRole& rule) override;
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles() override;
  absl::Status CreateAssignment(const RoleAssignment& assignment) override;
  absl::Status DeleteAssignment(const RoleAssignment& assignment,
                                const Revocations& revocations) override;
  absl::StatusOr<std::vector<RoleAssignment>> ListAssignments(
      const AssignmentFilter& filter) override;
  absl::Status CreateRegion(const Region& region) override;
  absl::StatusOr<Region> GetRegion(const std::string& id) override;
  absl::StatusOr<std::vector<Region>> ListRegions(const ListFilter& filter) override;
  absl::Status UpdateRegion(const Region& region) override;
  absl::Status DeleteRegion(const std::string& id) override;
  absl::Status CreateService(const Service& service) override;
  absl::StatusOr<Service> GetService(const std::string& id) override;
  absl::StatusOr<std::vector<Service>> ListServices(const ListFilter& filter) override;
  absl::Status UpdateService(const Service& service) override;
  absl::Status DeleteService(const std::string& id) override;
  absl::Status CreateEndpoint(const Endpoint& endpoint) override;
  absl::StatusOr<Endpoint> GetEndpoint(const std::string& id) override;
  absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const ListFilter& filter) override;
  absl::Status UpdateEndpoint(const Endpoint& endpoint) override;
  absl::Status DeleteEndpoint(const std::string& id) override;
  absl::Status CreateApplicationCredential(const ApplicationCredentialRecord& cred) override;
  absl::StatusOr<ApplicationCredentialRecord> GetApplicationCredential(
      const std::string& id) override;
  absl::StatusOr<ApplicationCredentialRecord> GetApplicationCredentialByName(
      const std::string& user_id, const std::string& name) override;
  absl::StatusOr<std::vector<ApplicationCredential>> ListApplicationCredentials(
      const std::string& user_id) override;
  absl::Status RecordApplicationCredentialToken(const std::string& credential_id,
                                                const std::string& audit_id, absl::Time expires_at,
                                                absl::Time now) override;
  absl::StatusOr<Revocations> DeleteApplicationCredential(const std::string& id,
                                                          absl::Time now) override;
  absl::Status CreateCredential(const CredentialRecord& credential) override;
  absl::StatusOr<CredentialRecord> GetCredential(const std::string& id) override;
  absl::StatusOr<std::vector<CredentialRecord>> ListCredentials(const ListFilter& filter) override;
  absl::Status UpdateCredential(const CredentialRecord& credential) override;
  absl::Status DeleteCredential(const std::string& id) override;
  absl::Status CreateDocument(const StoredDocument& document) override;
  absl::StatusOr<StoredDocument> GetDocument(const std::string& kind,
                                             const std::string& id) override;
  absl::StatusOr<std::vector<StoredDocument>> ListDocuments(const std::string& kind) override;
  absl::Status UpdateDocument(const StoredDocument& document) override;
  absl::Status DeleteDocument(const std::string& kind, const std::string& id) override;
  absl::Status AddRevocationEvents(const Revocations& revocations) override;
  absl::StatusOr<std::vector<StoredRevocationEvent>> ListRevocationEvents(
      absl::Time since) override;
  absl::Status PurgeRevocationEvents(absl::Time before) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace gureum::identity::internal
