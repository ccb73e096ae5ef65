// The in-memory IdentityStore (fake_identity_store_internal.h): domains, projects, users,
// groups, and the helpers that cascade deletes.
#include "identity/fake_identity_store.h"

#include "identity/fake_identity_store_internal.h"

namespace gureum::identity {
namespace fake_internal {

FakeStore::FakeStore() {
  domains_[kDefaultDomainId] =
      Domain{kDefaultDomainId, kDefaultDomainName, "The default domain", true};
}

void FakeStore::FailNext(absl::Status status) {
  absl::MutexLock l(&mu_);
  fail_next_ = std::move(status);
}

// ---- domains ----
absl::Status FakeStore::CreateDomain(const Domain& d) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (domains_.count(d.id))
    return absl::AlreadyExistsError("Duplicate entry: domain " + d.id + ".");
  for (auto& [id, x] : domains_)
    if (x.name == d.name) return DuplicateError("domain", d.name);
  domains_[d.id] = d;
  return absl::OkStatus();
}

absl::StatusOr<Domain> FakeStore::GetDomain(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = domains_.find(id);
  if (it == domains_.end()) return NotFoundError("domain", id);
  return it->second;
}

absl::StatusOr<Domain> FakeStore::GetDomainByName(const std::string& name) {
  GUREUM_FAKE_STORE_PRELUDE;
  for (auto& [id, x] : domains_)
    if (x.name == name) return x;
  return NotFoundError("domain", name);
}

absl::StatusOr<std::vector<Domain>> FakeStore::ListDomains(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Domain>(domains_, f.page, [&](const Domain& d) {
    return Is(f.name, d.name) && Is(f.enabled, d.enabled);
  });
}

absl::Status FakeStore::UpdateDomain(const Domain& d, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = domains_.find(d.id);
  if (it == domains_.end()) return NotFoundError("domain", d.id);
  for (auto& [id, x] : domains_) {
    if (id != d.id && x.name == d.name) return DuplicateError("domain", d.name);
  }
  it->second = d;
  AddEvents(r);
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteDomain(const std::string& id, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!domains_.count(id)) return NotFoundError("domain", id);
  // Children first, so that project parents go away after their children.
  std::vector<std::string> doomed;
  for (auto& [pid, p] : projects_)
    if (p.domain_id == id) doomed.push_back(pid);
  for (auto& pid : doomed) EraseProject(pid);
  for (auto it = users_.begin(); it != users_.end();) {
    it = it->second.user.domain_id == id ? (EraseUserRefs(it->first), users_.erase(it))
                                         : std::next(it);
  }
  for (auto it = groups_.begin(); it != groups_.end();) {
    it =
        it->second.domain_id == id ? (EraseGroupRefs(it->first), groups_.erase(it)) : std::next(it);
  }
  for (auto it = roles_.begin(); it != roles_.end();) {
    it = it->second.domain_id == id ? (EraseRoleRefs(it->first), roles_.erase(it)) : std::next(it);
  }
  EraseAssignmentsIf([&](const RoleAssignment& a) { return a.domain_id == id; });
  documents_.erase({"domain_config", id});
  domains_.erase(id);
  AddEvents(r);
  return absl::OkStatus();
}

// ---- projects ----
absl::Status FakeStore::CreateProject(const Project& p) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!domains_.count(p.domain_id)) return NotFoundError("domain", p.domain_id);
  if (!p.parent_id.empty() && !projects_.count(p.parent_id)) {
    return NotFoundError("project", p.parent_id);
  }
  if (projects_.count(p.id))
    return absl::AlreadyExistsError("Duplicate entry: project " + p.id + ".");
  for (auto& [id, x] : projects_) {
    if (x.domain_id == p.domain_id && x.name == p.name) {
      return DuplicateError("project", p.name, "domain '" + p.domain_id + "'");
    }
  }
  projects_[p.id] = Normalized(p);
  return absl::OkStatus();
}

absl::StatusOr<Project> FakeStore::GetProject(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = projects_.find(id);
  if (it == projects_.end()) return NotFoundError("project", id);
  return it->second;
}

absl::StatusOr<Project> FakeStore::GetProjectByName(const std::string& domain_id,
                                                    const std::string& name) {
  GUREUM_FAKE_STORE_PRELUDE;
  for (auto& [id, x] : projects_)
    if (x.domain_id == domain_id && x.name == name) return x;
  return NotFoundError("project", name);
}

absl::StatusOr<std::vector<Project>> FakeStore::ListProjects(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Project>(projects_, f.page, [&](const Project& p) {
    return Is(f.name, p.name) && Is(f.domain_id, p.domain_id) && Is(f.enabled, p.enabled) &&
           Is(f.parent_id, p.parent_id);
  });
}

absl::Status FakeStore::UpdateProject(const Project& p, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
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

absl::Status FakeStore::DeleteProject(const std::string& id, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!projects_.count(id)) return NotFoundError("project", id);
  for (auto& [pid, p] : projects_) {
    if (p.parent_id == id) {
      return absl::FailedPreconditionError("Project " + id +
                                           " has sub-projects; delete them first.");
    }
  }
  EraseProject(id);
  AddEvents(r);
  return absl::OkStatus();
}

// ---- users ----
absl::Status FakeStore::CreateUser(const UserRecord& u) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!domains_.count(u.user.domain_id)) return NotFoundError("domain", u.user.domain_id);
  if (users_.count(u.user.id))
    return absl::AlreadyExistsError("Duplicate entry: user " + u.user.id + ".");
  if (auto s = UserNameFree(u.user); !s.ok()) return s;
  users_[u.user.id] = u;
  return absl::OkStatus();
}

absl::StatusOr<UserRecord> FakeStore::GetUser(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = users_.find(id);
  if (it == users_.end()) return NotFoundError("user", id);
  return it->second;
}

absl::StatusOr<UserRecord> FakeStore::GetUserByName(const std::string& domain_id,
                                                    const std::string& name) {
  GUREUM_FAKE_STORE_PRELUDE;
  for (auto& [id, x] : users_) {
    if (x.user.domain_id == domain_id && x.user.name == name) return x;
  }
  return NotFoundError("user", name);
}

absl::StatusOr<std::vector<User>> FakeStore::ListUsers(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  std::vector<User> out;
  for (const UserRecord& r : Paged<UserRecord>(users_, f.page, [&](const UserRecord& r) {
         return Is(f.name, r.user.name) && Is(f.domain_id, r.user.domain_id) &&
                Is(f.enabled, r.user.enabled);
       })) {
    out.push_back(r.user);
  }
  return out;
}

absl::Status FakeStore::UpdateUser(const UserRecord& u, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
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

absl::Status FakeStore::DeleteUser(const std::string& id, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!users_.count(id)) return NotFoundError("user", id);
  EraseUserRefs(id);
  users_.erase(id);
  AddEvents(r);
  return absl::OkStatus();
}

absl::Status FakeStore::RecordAuthResult(const std::string& user_id, int failed_count,
                                         std::optional<absl::Time> last_failed_at) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = users_.find(user_id);
  if (it == users_.end()) return NotFoundError("user", user_id);
  it->second.failed_auth_count = failed_count;
  it->second.last_failed_auth_at = last_failed_at;
  return absl::OkStatus();
}

// ---- groups ----
absl::Status FakeStore::CreateGroup(const Group& g) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!domains_.count(g.domain_id)) return NotFoundError("domain", g.domain_id);
  if (groups_.count(g.id)) return absl::AlreadyExistsError("Duplicate entry: group " + g.id + ".");
  if (auto s = GroupNameFree(g); !s.ok()) return s;
  groups_[g.id] = g;
  return absl::OkStatus();
}

absl::StatusOr<Group> FakeStore::GetGroup(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = groups_.find(id);
  if (it == groups_.end()) return NotFoundError("group", id);
  return it->second;
}

absl::StatusOr<Group> FakeStore::GetGroupByName(const std::string& domain_id,
                                                const std::string& name) {
  GUREUM_FAKE_STORE_PRELUDE;
  for (auto& [id, x] : groups_)
    if (x.domain_id == domain_id && x.name == name) return x;
  return NotFoundError("group", name);
}

absl::StatusOr<std::vector<Group>> FakeStore::ListGroups(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Group>(groups_, f.page, [&](const Group& g) {
    return Is(f.name, g.name) && Is(f.domain_id, g.domain_id);
  });
}

absl::Status FakeStore::UpdateGroup(const Group& g) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = groups_.find(g.id);
  if (it == groups_.end()) return NotFoundError("group", g.id);
  if (auto s = GroupNameFree(g); !s.ok()) return s;
  it->second = g;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteGroup(const std::string& id, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!groups_.count(id)) return NotFoundError("group", id);
  EraseGroupRefs(id);
  groups_.erase(id);
  AddEvents(r);
  return absl::OkStatus();
}

absl::Status FakeStore::AddUserToGroup(const std::string& user_id, const std::string& group_id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!users_.count(user_id)) return NotFoundError("user", user_id);
  if (!groups_.count(group_id)) return NotFoundError("group", group_id);
  members_.insert({user_id, group_id});
  return absl::OkStatus();
}

absl::Status FakeStore::RemoveUserFromGroup(const std::string& user_id, const std::string& group_id,
                                            const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!members_.erase({user_id, group_id})) {
    return absl::NotFoundError("User " + user_id + " is not a member of group " + group_id + ".");
  }
  AddEvents(r);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<User>> FakeStore::ListGroupUsers(const std::string& group_id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!groups_.count(group_id)) return NotFoundError("group", group_id);
  std::vector<User> out;
  for (auto& [uid, gid] : members_)
    if (gid == group_id) out.push_back(users_[uid].user);
  std::sort(out.begin(), out.end(), [](const User& a, const User& b) { return a.id < b.id; });
  return out;
}

absl::StatusOr<std::vector<Group>> FakeStore::ListUserGroups(const std::string& user_id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!users_.count(user_id)) return NotFoundError("user", user_id);
  std::vector<Group> out;
  for (auto& [uid, gid] : members_)
    if (uid == user_id) out.push_back(groups_[gid]);
  return out;  // members_ is ordered by (user, group): sorted by group id
}

// ---- helpers ----
Project FakeStore::Normalized(Project p) {
  std::sort(p.tags.begin(), p.tags.end());
  p.tags.erase(std::unique(p.tags.begin(), p.tags.end()), p.tags.end());
  return p;
}

absl::Status FakeStore::UserNameFree(const User& u) {
  for (auto& [id, x] : users_) {
    if (id != u.id && x.user.domain_id == u.domain_id && x.user.name == u.name) {
      return DuplicateError("user", u.name, "domain '" + u.domain_id + "'");
    }
  }
  return absl::OkStatus();
}

absl::Status FakeStore::GroupNameFree(const Group& g) {
  for (auto& [id, x] : groups_) {
    if (id != g.id && x.domain_id == g.domain_id && x.name == g.name) {
      return DuplicateError("group", g.name, "domain '" + g.domain_id + "'");
    }
  }
  return absl::OkStatus();
}

absl::Status FakeStore::RoleNameFree(const Role& r) {
  for (auto& [id, x] : roles_) {
    if (id != r.id && x.domain_id == r.domain_id && x.name == r.name) {
      return DuplicateError("role", r.name,
                            r.domain_id.empty() ? "" : "domain '" + r.domain_id + "'");
    }
  }
  return absl::OkStatus();
}

void FakeStore::EraseAssignmentsIf(const std::function<bool(const RoleAssignment&)>& pred) {
  for (auto it = assignments_.begin(); it != assignments_.end();) {
    it = pred(it->second) ? assignments_.erase(it) : std::next(it);
  }
}

void FakeStore::EraseCredentialsIf(
    const std::function<bool(const ApplicationCredentialRecord&)>& pred) {
  for (auto it = creds_.begin(); it != creds_.end();) {
    if (pred(it->second)) {
      cred_tokens_.erase(it->first);
      it = creds_.erase(it);
    } else {
      ++it;
    }
  }
}

void FakeStore::EraseProject(const std::string& id) {
  std::vector<std::string> children;
  for (auto& [pid, p] : projects_)
    if (p.parent_id == id) children.push_back(pid);
  for (auto& c : children) EraseProject(c);
  EraseAssignmentsIf([&](const RoleAssignment& a) { return a.project_id == id; });
  EraseCredentialsIf(
      [&](const ApplicationCredentialRecord& c) { return c.credential.project_id == id; });
  for (auto it = credentials_.begin(); it != credentials_.end();) {
    it = it->second.project_id == id ? credentials_.erase(it) : std::next(it);
  }
  projects_.erase(id);
}

void FakeStore::EraseUserRefs(const std::string& id) {
  for (auto it = members_.begin(); it != members_.end();) {
    it = it->first == id ? members_.erase(it) : std::next(it);
  }
  EraseAssignmentsIf([&](const RoleAssignment& a) { return a.user_id == id; });
  EraseCredentialsIf(
      [&](const ApplicationCredentialRecord& c) { return c.credential.user_id == id; });
  for (auto it = credentials_.begin(); it != credentials_.end();) {
    it = it->second.user_id == id ? credentials_.erase(it) : std::next(it);
  }
}

void FakeStore::EraseGroupRefs(const std::string& id) {
  for (auto it = members_.begin(); it != members_.end();) {
    it = it->second == id ? members_.erase(it) : std::next(it);
  }
  EraseAssignmentsIf([&](const RoleAssignment& a) { return a.group_id == id; });
}

void FakeStore::EraseRoleRefs(const std::string& id) {
  EraseAssignmentsIf([&](const RoleAssignment& a) { return a.role_id == id; });
  for (auto it = implied_.begin(); it != implied_.end();) {
    it = (it->first == id || it->second == id) ? implied_.erase(it) : std::next(it);
  }
  for (auto& [cid, c] : creds_) {
    auto& roles = c.credential.roles;
    roles.erase(
        std::remove_if(roles.begin(), roles.end(), [&](const RoleRef& r) { return r.id == id; }),
        roles.end());
  }
}

absl::Status FakeStore::EndpointRefs(const Endpoint& e) {
  if (!services_.count(e.service_id)) return NotFoundError("service", e.service_id);
  if (!e.region_id.empty() && !regions_.count(e.region_id))
    return NotFoundError("region", e.region_id);
  return absl::OkStatus();
}

void FakeStore::AddEvents(const Revocations& r) {
  events_.insert(events_.end(), r.begin(), r.end());
}

}  // namespace fake_internal

std::unique_ptr<FakeIdentityStore> NewFakeIdentityStore() {
  return std::make_unique<fake_internal::FakeStore>();
}

}  // namespace gureum::identity
