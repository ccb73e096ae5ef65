// The in-memory IdentityStore's class, shared by its source files:
// fake_identity_store.cc (domains, projects, users, groups, and the cascades),
// fake_identity_store_catalog.cc (roles, assignments, catalog, application credentials,
// revocation events) and fake_identity_store_credentials.cc (/v3/credentials, stored
// documents). One mutex over std::maps keyed by id (so listings come out sorted
// by id, as PostgreSQL's ORDER BY id); cascades done by hand to mirror the foreign keys
// of migrations/*.sql. Tests use NewFakeIdentityStore() (fake_identity_store.h).
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "identity/fake_identity_store.h"
#include "identity/identity_errors.h"

namespace gureum::identity::fake_internal {

template <typename T>
std::vector<T> Paged(const std::map<std::string, T>& rows, const Page& page,
                     const std::function<bool(const T&)>& keep) {
  std::vector<T> out;
  for (auto it = page.marker.empty() ? rows.begin() : rows.upper_bound(page.marker);
       it != rows.end(); ++it) {
    if (!keep(it->second)) continue;
    if (page.limit > 0 && static_cast<int>(out.size()) >= page.limit) break;
    out.push_back(it->second);
  }
  return out;
}

template <typename T>
bool Is(const std::optional<T>& want, const T& have) {
  return !want.has_value() || *want == have;
}

using AssignmentKey =
    std::tuple<std::string, std::string, std::string, std::string, std::string, bool, bool>;
inline AssignmentKey KeyOf(const RoleAssignment& a) {
  return {a.role_id, a.user_id, a.group_id, a.project_id, a.domain_id, a.system, a.inherited};
}

class FakeStore final : public FakeIdentityStore {
 public:
  FakeStore();
  void FailNext(absl::Status status) override;

  // ---- domains ----
  absl::Status CreateDomain(const Domain& d) override;
  absl::StatusOr<Domain> GetDomain(const std::string& id) override;
  absl::StatusOr<Domain> GetDomainByName(const std::string& name) override;
  absl::StatusOr<std::vector<Domain>> ListDomains(const ListFilter& f) override;
  absl::Status UpdateDomain(const Domain& d, const Revocations& r) override;
  absl::Status DeleteDomain(const std::string& id, const Revocations& r) override;

  // ---- projects ----
  absl::Status CreateProject(const Project& p) override;
  absl::StatusOr<Project> GetProject(const std::string& id) override;
  absl::StatusOr<Project> GetProjectByName(const std::string& domain_id,
                                           const std::string& name) override;
  absl::StatusOr<std::vector<Project>> ListProjects(const ListFilter& f) override;
  absl::Status UpdateProject(const Project& p, const Revocations& r) override;
  absl::Status DeleteProject(const std::string& id, const Revocations& r) override;

  // ---- users ----
  absl::Status CreateUser(const UserRecord& u) override;
  absl::StatusOr<UserRecord> GetUser(const std::string& id) override;
  absl::StatusOr<UserRecord> GetUserByName(const std::string& domain_id,
                                           const std::string& name) override;
  absl::StatusOr<std::vector<User>> ListUsers(const ListFilter& f) override;
  absl::Status UpdateUser(const UserRecord& u, const Revocations& r) override;
  absl::Status DeleteUser(const std::string& id, const Revocations& r) override;
  absl::Status RecordAuthResult(const std::string& user_id, int failed_count,
                                std::optional<absl::Time> last_failed_at) override;

  // ---- groups ----
  absl::Status CreateGroup(const Group& g) override;
  absl::StatusOr<Group> GetGroup(const std::string& id) override;
  absl::StatusOr<Group> GetGroupByName(const std::string& domain_id,
                                       const std::string& name) override;
  absl::StatusOr<std::vector<Group>> ListGroups(const ListFilter& f) override;
  absl::Status UpdateGroup(const Group& g) override;
  absl::Status DeleteGroup(const std::string& id, const Revocations& r) override;
  absl::Status AddUserToGroup(const std::string& user_id, const std::string& group_id) override;
  absl::Status RemoveUserFromGroup(const std::string& user_id, const std::string& group_id,
                                   const Revocations& r) override;
  absl::StatusOr<std::vector<User>> ListGroupUsers(const std::string& group_id) override;
  absl::StatusOr<std::vector<Group>> ListUserGroups(const std::string& user_id) override;

  // ---- roles ----
  absl::Status CreateRole(const Role& r) override;
  absl::StatusOr<Role> GetRole(const std::string& id) override;
  absl::StatusOr<Role> GetRoleByName(const std::string& domain_id,
                                     const std::string& name) override;
  absl::StatusOr<std::vector<Role>> ListRoles(const ListFilter& f) override;
  absl::Status UpdateRole(const Role& r) override;
  absl::Status DeleteRole(const std::string& id, const Revocations& r) override;
  absl::Status CreateImpliedRole(const ImpliedRole& rule) override;
  absl::Status DeleteImpliedRole(const ImpliedRole& rule) override;
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles() override;

  // ---- assignments ----
  absl::Status CreateAssignment(const RoleAssignment& a) override;
  absl::Status DeleteAssignment(const RoleAssignment& a, const Revocations& r) override;
  absl::StatusOr<std::vector<RoleAssignment>> ListAssignments(const AssignmentFilter& f) override;

  // ---- catalog ----
  absl::Status CreateRegion(const Region& r) override;
  absl::StatusOr<Region> GetRegion(const std::string& id) override;
  absl::StatusOr<std::vector<Region>> ListRegions(const ListFilter& f) override;
  absl::Status UpdateRegion(const Region& r) override;
  absl::Status DeleteRegion(const std::string& id) override;

  absl::Status CreateService(const Service& s) override;
  absl::StatusOr<Service> GetService(const std::string& id) override;
  absl::StatusOr<std::vector<Service>> ListServices(const ListFilter& f) override;
  absl::Status UpdateService(const Service& s) override;
  absl::Status DeleteService(const std::string& id) override;

  absl::Status CreateEndpoint(const Endpoint& e) override;
  absl::StatusOr<Endpoint> GetEndpoint(const std::string& id) override;
  absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const ListFilter& f) override;
  absl::Status UpdateEndpoint(const Endpoint& e) override;
  absl::Status DeleteEndpoint(const std::string& id) override;

  // ---- application credentials ----
  absl::Status CreateApplicationCredential(const ApplicationCredentialRecord& c) override;
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

  // ---- credentials (fake_identity_store_credentials.cc) ----
  absl::Status CreateCredential(const CredentialRecord& c) override;
  absl::StatusOr<CredentialRecord> GetCredential(const std::string& id) override;
  absl::StatusOr<std::vector<CredentialRecord>> ListCredentials(const ListFilter& f) override;
  absl::Status UpdateCredential(const CredentialRecord& c) override;
  absl::Status DeleteCredential(const std::string& id) override;

  // ---- stored documents (fake_identity_store_credentials.cc) ----
  absl::Status CreateDocument(const StoredDocument& d) override;
  absl::StatusOr<StoredDocument> GetDocument(const std::string& kind,
                                             const std::string& id) override;
  absl::StatusOr<std::vector<StoredDocument>> ListDocuments(const std::string& kind) override;
  absl::Status UpdateDocument(const StoredDocument& d) override;
  absl::Status DeleteDocument(const std::string& kind, const std::string& id) override;

  // ---- revocation events ----
  absl::Status AddRevocationEvents(const Revocations& r) override;
  absl::StatusOr<std::vector<StoredRevocationEvent>> ListRevocationEvents(
      absl::Time since) override;
  absl::Status PurgeRevocationEvents(absl::Time before) override;

 private:
  static Project Normalized(Project p);
  absl::Status UserNameFree(const User& u);
  absl::Status GroupNameFree(const Group& g);
  absl::Status RoleNameFree(const Role& r);
  void EraseAssignmentsIf(const std::function<bool(const RoleAssignment&)>& pred);
  void EraseCredentialsIf(const std::function<bool(const ApplicationCredentialRecord&)>& pred);
  // Deletes a project and, first, its descendants (only DeleteDomain gets here with any).
  void EraseProject(const std::string& id);
  void EraseUserRefs(const std::string& id);
  void EraseGroupRefs(const std::string& id);
  void EraseRoleRefs(const std::string& id);
  absl::Status EndpointRefs(const Endpoint& e);
  void AddEvents(const Revocations& r);

  absl::Mutex mu_;
  absl::Status fail_next_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Domain> domains_;
  std::map<std::string, Project> projects_;
  std::map<std::string, UserRecord> users_;
  std::map<std::string, Group> groups_;
  std::set<std::pair<std::string, std::string>> members_;  // (user, group)
  std::map<std::string, Role> roles_;
  std::set<std::pair<std::string, std::string>> implied_;  // (prior, implied)
  std::map<AssignmentKey, RoleAssignment> assignments_;
  std::map<std::string, Region> regions_;
  std::map<std::string, Service> services_;
  std::map<std::string, Endpoint> endpoints_;
  std::map<std::string, ApplicationCredentialRecord> creds_;
  // credential id -> (audit id -> expiry) of the tokens issued from it
  std::map<std::string, std::map<std::string, absl::Time>> cred_tokens_;
  std::map<std::string, CredentialRecord> credentials_;                      // /v3/credentials
  std::map<std::pair<std::string, std::string>, StoredDocument> documents_;  // (kind, id)
  std::vector<StoredRevocationEvent> events_;
};

}  // namespace gureum::identity::fake_internal

// The prelude of every store call: the lock, then an injected failure (FailNext) if any.
#define GUREUM_FAKE_STORE_PRELUDE  \
  absl::MutexLock l(&mu_);         \
  if (!fail_next_.ok()) {          \
    absl::Status s = fail_next_;   \
    fail_next_ = absl::OkStatus(); \
    return s;                      \
  }
