// The in-memory IdentityStore. One mutex over std::maps keyed by id (so listings come out
// sorted by id, as PostgreSQL's ORDER BY id); cascades done by hand to mirror the
// foreign keys of migrations/0001_initial.sql.
#include "identity/fake_identity_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

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

using AssignmentKey = std::tuple<std::string, std::string, std::string, std::string,
                                 std::string, bool, bool>;
AssignmentKey KeyOf(const RoleAssignment& a) {
  return {a.role_id, a.user_id, a.group_id, a.project_id, a.domain_id, a.system, a.inherited};
}

class FakeStore final : public FakeIdentityStore {
 public:
  FakeStore() { domains_[kDefaultDomainId] = Domain{kDefaultDomainId, kDefaultDomainName,
                                                    "The default domain", true}; }

  void FailNext(absl::Status status) override {
    absl::MutexLock l(&mu_);
    fail_next_ = std::move(status);
  }

#define FAKE_PRELUDE           \
  absl::MutexLock l(&mu_);     \
  if (!fail_next_.ok()) {      \
    absl::Status s = fail_next_; \
    fail_next_ = absl::OkStatus(); \
    return s;                  \
  }

  // ---- domains ----
  absl::Status CreateDomain(const Domain& d) override {
    FAKE_PRELUDE;
    if (domains_.count(d.id)) return absl::AlreadyExistsError("Duplicate entry: domain " + d.id + ".");
    for (auto& [id, x] : domains_) if (x.name == d.name) return DuplicateError("domain", d.name);
    domains_[d.id] = d;
    return absl::OkStatus();
  }
  absl::StatusOr<Domain> GetDomain(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = domains_.find(id);
    if (it == domains_.end()) return NotFoundError("domain", id);
    return it->second;
  }
  absl::StatusOr<Domain> GetDomainByName(const std::string& name) override {
    FAKE_PRELUDE;
    for (auto& [id, x] : domains_) if (x.name == name) return x;
    return NotFoundError("domain", name);
  }
  absl::StatusOr<std::vector<Domain>> ListDomains(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Domain>(domains_, f.page, [&](const Domain& d) {
      return Is(f.name, d.name) && Is(f.enabled, d.enabled);
    });
  }
  absl::Status UpdateDomain(const Domain& d, const Revocations& r) override {
    FAKE_PRELUDE;
    auto it = domains_.find(d.id);
    if (it == domains_.end()) return NotFoundError("domain", d.id);
    for (auto& [id, x] : domains_) {
      if (id != d.id && x.name == d.name) return DuplicateError("domain", d.name);
    }
    it->second = d;
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::Status DeleteDomain(const std::string& id, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!domains_.count(id)) return NotFoundError("domain", id);
    // Children first, so that project parents go away after their children.
    std::vector<std::string> doomed;
    for (auto& [pid, p] : projects_) if (p.domain_id == id) doomed.push_back(pid);
    for (auto& pid : doomed) EraseProject(pid);
    for (auto it = users_.begin(); it != users_.end();) {
      it = it->second.user.domain_id == id ? (EraseUserRefs(it->first), users_.erase(it))
                                           : std::next(it);
    }
    for (auto it = groups_.begin(); it != groups_.end();) {
      it = it->second.domain_id == id ? (EraseGroupRefs(it->first), groups_.erase(it))
                                      : std::next(it);
    }
    for (auto it = roles_.begin(); it != roles_.end();) {
      it = it->second.domain_id == id ? (EraseRoleRefs(it->first), roles_.erase(it))
                                      : std::next(it);
    }
    EraseAssignmentsIf([&](const RoleAssignment& a) { return a.domain_id == id; });
    domains_.erase(id);
    AddEvents(r);
    return absl::OkStatus();
  }

  // ---- projects ----
  absl::Status CreateProject(const Project& p) override {
    FAKE_PRELUDE;
    if (!domains_.count(p.domain_id)) return NotFoundError("domain", p.domain_id);
    if (!p.parent_id.empty() && !projects_.count(p.parent_id)) {
      return NotFoundError("project", p.parent_id);
    }
    if (projects_.count(p.id)) return absl::AlreadyExistsError("Duplicate entry: project " + p.id + ".");
    for (auto& [id, x] : projects_) {
      if (x.domain_id == p.domain_id && x.name == p.name) {
        return DuplicateError("project", p.name, "domain '" + p.domain_id + "'");
      }
    }
    projects_[p.id] = Normalized(p);
    return absl::OkStatus();
  }
  absl::StatusOr<Project> GetProject(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = projects_.find(id);
    if (it == projects_.end()) return NotFoundError("project", id);
    return it->second;
  }
  absl::StatusOr<Project> GetProjectByName(const std::string& domain_id,
                                           const std::string& name) override {
    FAKE_PRELUDE;
    for (auto& [id, x] : projects_) if (x.domain_id == domain_id && x.name == name) return x;
    return NotFoundError("project", name);
  }
  absl::StatusOr<std::vector<Project>> ListProjects(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Project>(projects_, f.page, [&](const Project& p) {
      return Is(f.name, p.name) && Is(f.domain_id, p.domain_id) && Is(f.enabled, p.enabled) &&
             Is(f.parent_id, p.parent_id);
    });
  }
  absl::Status UpdateProject(const Project& p, const Revocations& r) override {
    FAKE_PRELUDE;
    auto it = projects_.find(p.id);
    if (it == projects_.end()) return NotFoundError("project", p.id);
    for (auto& [id, x] : projects_) {
      if (id != p.id && x.domain_id == p.domain_id && x.name == p.name) {
        return DuplicateError("project", p.name, "domain '" + p.domain_id + "'");
      }
    }
    it->second = Normalized(p);
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::Status DeleteProject(const std::string& id, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!projects_.count(id)) return NotFoundError("project", id);
    for (auto& [pid, p] : projects_) {
      if (p.parent_id == id) {
        return absl::FailedPreconditionError("Project " + id + " has sub-projects; delete them first.");
      }
    }
    EraseProject(id);
    AddEvents(r);
    return absl::OkStatus();
  }

  // ---- users ----
  absl::Status CreateUser(const UserRecord& u) override {
    FAKE_PRELUDE;
    if (!domains_.count(u.user.domain_id)) return NotFoundError("domain", u.user.domain_id);
    if (users_.count(u.user.id)) return absl::AlreadyExistsError("Duplicate entry: user " + u.user.id + ".");
    if (auto s = UserNameFree(u.user); !s.ok()) return s;
    users_[u.user.id] = u;
    return absl::OkStatus();
  }
  absl::StatusOr<UserRecord> GetUser(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = users_.find(id);
    if (it == users_.end()) return NotFoundError("user", id);
    return it->second;
  }
  absl::StatusOr<UserRecord> GetUserByName(const std::string& domain_id,
                                           const std::string& name) override {
    FAKE_PRELUDE;
    for (auto& [id, x] : users_) {
      if (x.user.domain_id == domain_id && x.user.name == name) return x;
    }
    return NotFoundError("user", name);
  }
  absl::StatusOr<std::vector<User>> ListUsers(const ListFilter& f) override {
    FAKE_PRELUDE;
    std::vector<User> out;
    for (const UserRecord& r : Paged<UserRecord>(users_, f.page, [&](const UserRecord& r) {
           return Is(f.name, r.user.name) && Is(f.domain_id, r.user.domain_id) &&
                  Is(f.enabled, r.user.enabled);
         })) {
      out.push_back(r.user);
    }
    return out;
  }
  absl::Status UpdateUser(const UserRecord& u, const Revocations& r) override {
    FAKE_PRELUDE;
    auto it = users_.find(u.user.id);
    if (it == users_.end()) return NotFoundError("user", u.user.id);
    if (auto s = UserNameFree(u.user); !s.ok()) return s;
    int count = it->second.failed_auth_count;
    auto last = it->second.last_failed_auth_at;
    it->second = u;
    it->second.failed_auth_count = count;
    it->second.last_failed_auth_at = last;
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::Status DeleteUser(const std::string& id, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!users_.count(id)) return NotFoundError("user", id);
    EraseUserRefs(id);
    users_.erase(id);
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::Status RecordAuthResult(const std::string& user_id, int failed_count,
                                std::optional<absl::Time> last_failed_at) override {
    FAKE_PRELUDE;
    auto it = users_.find(user_id);
    if (it == users_.end()) return NotFoundError("user", user_id);
    it->second.failed_auth_count = failed_count;
    it->second.last_failed_auth_at = last_failed_at;
    return absl::OkStatus();
  }

  // ---- groups ----
  absl::Status CreateGroup(const Group& g) override {
    FAKE_PRELUDE;
    if (!domains_.count(g.domain_id)) return NotFoundError("domain", g.domain_id);
    if (groups_.count(g.id)) return absl::AlreadyExistsError("Duplicate entry: group " + g.id + ".");
    if (auto s = GroupNameFree(g); !s.ok()) return s;
    groups_[g.id] = g;
    return absl::OkStatus();
  }
  absl::StatusOr<Group> GetGroup(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = groups_.find(id);
    if (it == groups_.end()) return NotFoundError("group", id);
    return it->second;
  }
  absl::StatusOr<Group> GetGroupByName(const std::string& domain_id,
                                       const std::string& name) override {
    FAKE_PRELUDE;
    for (auto& [id, x] : groups_) if (x.domain_id == domain_id && x.name == name) return x;
    return NotFoundError("group", name);
  }
  absl::StatusOr<std::vector<Group>> ListGroups(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Group>(groups_, f.page, [&](const Group& g) {
      return Is(f.name, g.name) && Is(f.domain_id, g.domain_id);
    });
  }
  absl::Status UpdateGroup(const Group& g) override {
    FAKE_PRELUDE;
    auto it = groups_.find(g.id);
    if (it == groups_.end()) return NotFoundError("group", g.id);
    if (auto s = GroupNameFree(g); !s.ok()) return s;
    it->second = g;
    return absl::OkStatus();
  }
  absl::Status DeleteGroup(const std::string& id, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!groups_.count(id)) return NotFoundError("group", id);
    EraseGroupRefs(id);
    groups_.erase(id);
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::Status AddUserToGroup(const std::string& user_id, const std::string& group_id) override {
    FAKE_PRELUDE;
    if (!users_.count(user_id)) return NotFoundError("user", user_id);
    if (!groups_.count(group_id)) return NotFoundError("group", group_id);
    members_.insert({user_id, group_id});
    return absl::OkStatus();
  }
  absl::Status RemoveUserFromGroup(const std::string& user_id, const std::string& group_id,
                                   const Revocations& r) override {
    FAKE_PRELUDE;
    if (!members_.erase({user_id, group_id})) {
      return absl::NotFoundError("User " + user_id + " is not a member of group " + group_id + ".");
    }
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<User>> ListGroupUsers(const std::string& group_id) override {
    FAKE_PRELUDE;
    if (!groups_.count(group_id)) return NotFoundError("group", group_id);
    std::vector<User> out;
    for (auto& [uid, gid] : members_) if (gid == group_id) out.push_back(users_[uid].user);
    std::sort(out.begin(), out.end(), [](const User& a, const User& b) { return a.id < b.id; });
    return out;
  }
  absl::StatusOr<std::vector<Group>> ListUserGroups(const std::string& user_id) override {
    FAKE_PRELUDE;
    if (!users_.count(user_id)) return NotFoundError("user", user_id);
    std::vector<Group> out;
    for (auto& [uid, gid] : members_) if (uid == user_id) out.push_back(groups_[gid]);
    return out;  // members_ is ordered by (user, group): sorted by group id
  }

  // ---- roles ----
  absl::Status CreateRole(const Role& r) override {
    FAKE_PRELUDE;
    if (!r.domain_id.empty() && !domains_.count(r.domain_id)) return NotFoundError("domain", r.domain_id);
    if (roles_.count(r.id)) return absl::AlreadyExistsError("Duplicate entry: role " + r.id + ".");
    if (auto s = RoleNameFree(r); !s.ok()) return s;
    roles_[r.id] = r;
    return absl::OkStatus();
  }
  absl::StatusOr<Role> GetRole(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = roles_.find(id);
    if (it == roles_.end()) return NotFoundError("role", id);
    return it->second;
  }
  absl::StatusOr<Role> GetRoleByName(const std::string& domain_id,
                                     const std::string& name) override {
    FAKE_PRELUDE;
    for (auto& [id, x] : roles_) if (x.domain_id == domain_id && x.name == name) return x;
    return NotFoundError("role", name);
  }
  absl::StatusOr<std::vector<Role>> ListRoles(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Role>(roles_, f.page, [&](const Role& r) {
      return Is(f.name, r.name) && Is(f.domain_id, r.domain_id);
    });
  }
  absl::Status UpdateRole(const Role& r) override {
    FAKE_PRELUDE;
    auto it = roles_.find(r.id);
    if (it == roles_.end()) return NotFoundError("role", r.id);
    if (auto s = RoleNameFree(r); !s.ok()) return s;
    it->second = r;
    return absl::OkStatus();
  }
  absl::Status DeleteRole(const std::string& id, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!roles_.count(id)) return NotFoundError("role", id);
    EraseRoleRefs(id);
    roles_.erase(id);
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::Status CreateImpliedRole(const ImpliedRole& rule) override {
    FAKE_PRELUDE;
    if (!roles_.count(rule.prior_role_id)) return NotFoundError("role", rule.prior_role_id);
    if (!roles_.count(rule.implied_role_id)) return NotFoundError("role", rule.implied_role_id);
    if (!implied_.insert({rule.prior_role_id, rule.implied_role_id}).second) {
      return absl::AlreadyExistsError("Duplicate entry: implied role " + rule.prior_role_id +
                                      " -> " + rule.implied_role_id + ".");
    }
    return absl::OkStatus();
  }
  absl::Status DeleteImpliedRole(const ImpliedRole& rule) override {
    FAKE_PRELUDE;
    if (!implied_.erase({rule.prior_role_id, rule.implied_role_id})) {
      return NotFoundError("implied role", rule.prior_role_id + " -> " + rule.implied_role_id);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles() override {
    FAKE_PRELUDE;
    std::vector<ImpliedRole> out;
    for (auto& [p, i] : implied_) out.push_back({p, i});
    return out;
  }

  // ---- assignments ----
  absl::Status CreateAssignment(const RoleAssignment& a) override {
    FAKE_PRELUDE;
    if (!roles_.count(a.role_id)) return NotFoundError("role", a.role_id);
    if (!a.user_id.empty() && !users_.count(a.user_id)) return NotFoundError("user", a.user_id);
    if (!a.group_id.empty() && !groups_.count(a.group_id)) return NotFoundError("group", a.group_id);
    if (!a.project_id.empty() && !projects_.count(a.project_id)) {
      return NotFoundError("project", a.project_id);
    }
    if (!a.domain_id.empty() && !domains_.count(a.domain_id)) return NotFoundError("domain", a.domain_id);
    assignments_[KeyOf(a)] = a;
    return absl::OkStatus();
  }
  absl::Status DeleteAssignment(const RoleAssignment& a, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!assignments_.erase(KeyOf(a))) return NotFoundError("role assignment", a.role_id);
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<RoleAssignment>> ListAssignments(const AssignmentFilter& f) override {
    FAKE_PRELUDE;
    std::vector<RoleAssignment> out;
    for (auto& [k, a] : assignments_) {
      if (Is(f.user_id, a.user_id) && Is(f.group_id, a.group_id) && Is(f.role_id, a.role_id) &&
          Is(f.project_id, a.project_id) && Is(f.domain_id, a.domain_id) &&
          Is(f.system, a.system) && Is(f.inherited, a.inherited)) {
        out.push_back(a);
      }
    }
    return out;
  }

  // ---- catalog ----
  absl::Status CreateRegion(const Region& r) override {
    FAKE_PRELUDE;
    if (regions_.count(r.id)) return absl::AlreadyExistsError("Duplicate entry: region " + r.id + ".");
    if (!r.parent_region_id.empty() && !regions_.count(r.parent_region_id)) {
      return NotFoundError("region", r.parent_region_id);
    }
    regions_[r.id] = r;
    return absl::OkStatus();
  }
  absl::StatusOr<Region> GetRegion(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = regions_.find(id);
    if (it == regions_.end()) return NotFoundError("region", id);
    return it->second;
  }
  absl::StatusOr<std::vector<Region>> ListRegions(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Region>(regions_, f.page, [&](const Region& r) {
      return Is(f.parent_id, r.parent_region_id);
    });
  }
  absl::Status UpdateRegion(const Region& r) override {
    FAKE_PRELUDE;
    auto it = regions_.find(r.id);
    if (it == regions_.end()) return NotFoundError("region", r.id);
    if (!r.parent_region_id.empty() && !regions_.count(r.parent_region_id)) {
      return NotFoundError("region", r.parent_region_id);
    }
    it->second = r;
    return absl::OkStatus();
  }
  absl::Status DeleteRegion(const std::string& id) override {
    FAKE_PRELUDE;
    if (!regions_.count(id)) return NotFoundError("region", id);
    for (auto& [eid, e] : endpoints_) {
      if (e.region_id == id) return absl::FailedPreconditionError("Region " + id + " has endpoints.");
    }
    for (auto& [rid, r] : regions_) {
      if (r.parent_region_id == id) {
        return absl::FailedPreconditionError("Region " + id + " has child regions.");
      }
    }
    regions_.erase(id);
    return absl::OkStatus();
  }

  absl::Status CreateService(const Service& s) override {
    FAKE_PRELUDE;
    if (services_.count(s.id)) return absl::AlreadyExistsError("Duplicate entry: service " + s.id + ".");
    services_[s.id] = s;
    return absl::OkStatus();
  }
  absl::StatusOr<Service> GetService(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = services_.find(id);
    if (it == services_.end()) return NotFoundError("service", id);
    return it->second;
  }
  absl::StatusOr<std::vector<Service>> ListServices(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Service>(services_, f.page, [&](const Service& s) {
      return Is(f.name, s.name) && Is(f.type, s.type) && Is(f.enabled, s.enabled);
    });
  }
  absl::Status UpdateService(const Service& s) override {
    FAKE_PRELUDE;
    auto it = services_.find(s.id);
    if (it == services_.end()) return NotFoundError("service", s.id);
    it->second = s;
    return absl::OkStatus();
  }
  absl::Status DeleteService(const std::string& id) override {
    FAKE_PRELUDE;
    if (!services_.erase(id)) return NotFoundError("service", id);
    for (auto it = endpoints_.begin(); it != endpoints_.end();) {
      it = it->second.service_id == id ? endpoints_.erase(it) : std::next(it);
    }
    return absl::OkStatus();
  }

  absl::Status CreateEndpoint(const Endpoint& e) override {
    FAKE_PRELUDE;
    if (auto s = EndpointRefs(e); !s.ok()) return s;
    if (endpoints_.count(e.id)) return absl::AlreadyExistsError("Duplicate entry: endpoint " + e.id + ".");
    endpoints_[e.id] = e;
    return absl::OkStatus();
  }
  absl::StatusOr<Endpoint> GetEndpoint(const std::string& id) override {
    FAKE_PRELUDE;
    auto it = endpoints_.find(id);
    if (it == endpoints_.end()) return NotFoundError("endpoint", id);
    return it->second;
  }
  absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const ListFilter& f) override {
    FAKE_PRELUDE;
    return Paged<Endpoint>(endpoints_, f.page, [&](const Endpoint& e) {
      return Is(f.service_id, e.service_id) && Is(f.interface, e.interface) &&
             Is(f.region_id, e.region_id) && Is(f.enabled, e.enabled);
    });
  }
  absl::Status UpdateEndpoint(const Endpoint& e) override {
    FAKE_PRELUDE;
    auto it = endpoints_.find(e.id);
    if (it == endpoints_.end()) return NotFoundError("endpoint", e.id);
    if (auto s = EndpointRefs(e); !s.ok()) return s;
    it->second = e;
    return absl::OkStatus();
  }
  absl::Status DeleteEndpoint(const std::string& id) override {
    FAKE_PRELUDE;
    if (!endpoints_.erase(id)) return NotFoundError("endpoint", id);
    return absl::OkStatus();
  }

  // ---- application credentials ----
  absl::Status CreateApplicationCredential(const ApplicationCredentialRecord& c) override {
    FAKE_PRELUDE;
    const ApplicationCredential& a = c.credential;
    if (!users_.count(a.user_id)) return NotFoundError("user", a.user_id);
    if (!projects_.count(a.project_id)) return NotFoundError("project", a.project_id);
    for (const RoleRef& r : a.roles) if (!roles_.count(r.id)) return NotFoundError("role", r.id);
    for (auto& [id, x] : creds_) {
      if (x.credential.user_id == a.user_id && x.credential.name == a.name) {
        return DuplicateError("application credential", a.name, "user '" + a.user_id + "'");
      }
    }
    ApplicationCredentialRecord copy = c;
    for (RoleRef& r : copy.credential.roles) r.name = roles_[r.id].name;
    std::sort(copy.credential.roles.begin(), copy.credential.roles.end(),
              [](const RoleRef& x, const RoleRef& y) { return x.id < y.id; });
    creds_[a.id] = copy;
    return absl::OkStatus();
  }
  absl::StatusOr<ApplicationCredentialRecord> GetApplicationCredential(
      const std::string& id) override {
    FAKE_PRELUDE;
    auto it = creds_.find(id);
    if (it == creds_.end()) return NotFoundError("application credential", id);
    return it->second;
  }
  absl::StatusOr<ApplicationCredentialRecord> GetApplicationCredentialByName(
      const std::string& user_id, const std::string& name) override {
    FAKE_PRELUDE;
    for (auto& [id, x] : creds_) {
      if (x.credential.user_id == user_id && x.credential.name == name) return x;
    }
    return NotFoundError("application credential", name);
  }
  absl::StatusOr<std::vector<ApplicationCredential>> ListApplicationCredentials(
      const std::string& user_id) override {
    FAKE_PRELUDE;
    std::vector<ApplicationCredential> out;
    for (auto& [id, x] : creds_) if (x.credential.user_id == user_id) out.push_back(x.credential);
    return out;
  }
  absl::Status DeleteApplicationCredential(const std::string& id, const Revocations& r) override {
    FAKE_PRELUDE;
    if (!creds_.erase(id)) return NotFoundError("application credential", id);
    AddEvents(r);
    return absl::OkStatus();
  }

  // ---- revocation events ----
  absl::Status AddRevocationEvents(const Revocations& r) override {
    FAKE_PRELUDE;
    AddEvents(r);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<StoredRevocationEvent>> ListRevocationEvents(
      absl::Time since) override {
    FAKE_PRELUDE;
    std::vector<StoredRevocationEvent> out;
    for (auto& e : events_) if (e.revoked_at >= since) out.push_back(e);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.revoked_at < b.revoked_at;
    });
    return out;
  }
  absl::Status PurgeRevocationEvents(absl::Time before) override {
    FAKE_PRELUDE;
    events_.erase(std::remove_if(events_.begin(), events_.end(),
                                 [&](const auto& e) { return e.revoked_at < before; }),
                  events_.end());
    return absl::OkStatus();
  }
#undef FAKE_PRELUDE

 private:
  static Project Normalized(Project p) {
    std::sort(p.tags.begin(), p.tags.end());
    p.tags.erase(std::unique(p.tags.begin(), p.tags.end()), p.tags.end());
    return p;
  }
  absl::Status UserNameFree(const User& u) {
    for (auto& [id, x] : users_) {
      if (id != u.id && x.user.domain_id == u.domain_id && x.user.name == u.name) {
        return DuplicateError("user", u.name, "domain '" + u.domain_id + "'");
      }
    }
    return absl::OkStatus();
  }
  absl::Status GroupNameFree(const Group& g) {
    for (auto& [id, x] : groups_) {
      if (id != g.id && x.domain_id == g.domain_id && x.name == g.name) {
        return DuplicateError("group", g.name, "domain '" + g.domain_id + "'");
      }
    }
    return absl::OkStatus();
  }
  absl::Status RoleNameFree(const Role& r) {
    for (auto& [id, x] : roles_) {
      if (id != r.id && x.domain_id == r.domain_id && x.name == r.name) {
        return DuplicateError("role", r.name,
                              r.domain_id.empty() ? "" : "domain '" + r.domain_id + "'");
      }
    }
    return absl::OkStatus();
  }
  void EraseAssignmentsIf(const std::function<bool(const RoleAssignment&)>& pred) {
    for (auto it = assignments_.begin(); it != assignments_.end();) {
      it = pred(it->second) ? assignments_.erase(it) : std::next(it);
    }
  }
  void EraseCredentialsIf(const std::function<bool(const ApplicationCredentialRecord&)>& pred) {
    for (auto it = creds_.begin(); it != creds_.end();) {
      it = pred(it->second) ? creds_.erase(it) : std::next(it);
    }
  }
  // Deletes a project and, first, its descendants (only DeleteDomain gets here with any).
  void EraseProject(const std::string& id) {
    std::vector<std::string> children;
    for (auto& [pid, p] : projects_) if (p.parent_id == id) children.push_back(pid);
    for (auto& c : children) EraseProject(c);
    EraseAssignmentsIf([&](const RoleAssignment& a) { return a.project_id == id; });
    EraseCredentialsIf([&](const ApplicationCredentialRecord& c) {
      return c.credential.project_id == id;
    });
    projects_.erase(id);
  }
  void EraseUserRefs(const std::string& id) {
    for (auto it = members_.begin(); it != members_.end();) {
      it = it->first == id ? members_.erase(it) : std::next(it);
    }
    EraseAssignmentsIf([&](const RoleAssignment& a) { return a.user_id == id; });
    EraseCredentialsIf([&](const ApplicationCredentialRecord& c) {
      return c.credential.user_id == id;
    });
  }
  void EraseGroupRefs(const std::string& id) {
    for (auto it = members_.begin(); it != members_.end();) {
      it = it->second == id ? members_.erase(it) : std::next(it);
    }
    EraseAssignmentsIf([&](const RoleAssignment& a) { return a.group_id == id; });
  }
  void EraseRoleRefs(const std::string& id) {
    EraseAssignmentsIf([&](const RoleAssignment& a) { return a.role_id == id; });
    for (auto it = implied_.begin(); it != implied_.end();) {
      it = (it->first == id || it->second == id) ? implied_.erase(it) : std::next(it);
    }
    for (auto& [cid, c] : creds_) {
      auto& roles = c.credential.roles;
      roles.erase(std::remove_if(roles.begin(), roles.end(),
                                 [&](const RoleRef& r) { return r.id == id; }),
                  roles.end());
    }
  }
  absl::Status EndpointRefs(const Endpoint& e) {
    if (!services_.count(e.service_id)) return NotFoundError("service", e.service_id);
    if (!e.region_id.empty() && !regions_.count(e.region_id)) return NotFoundError("region", e.region_id);
    return absl::OkStatus();
  }
  void AddEvents(const Revocations& r) { events_.insert(events_.end(), r.begin(), r.end()); }

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
  std::vector<StoredRevocationEvent> events_;
};

}  // namespace

std::unique_ptr<FakeIdentityStore> NewFakeIdentityStore() { return std::make_unique<FakeStore>(); }

}  // namespace gureum::identity
