// The in-memory IdentityStore (fake_identity_store_internal.h): roles, assignments, the
// catalog, application credentials and revocation events.
#include "identity/fake_identity_store_internal.h"

namespace gureum::identity::fake_internal {

// ---- roles ----
absl::Status FakeStore::CreateRole(const Role& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!r.domain_id.empty() && !domains_.count(r.domain_id))
    return NotFoundError("domain", r.domain_id);
  if (roles_.count(r.id)) return absl::AlreadyExistsError("Duplicate entry: role " + r.id + ".");
  if (auto s = RoleNameFree(r); !s.ok()) return s;
  roles_[r.id] = r;
  return absl::OkStatus();
}

absl::StatusOr<Role> FakeStore::GetRole(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = roles_.find(id);
  if (it == roles_.end()) return NotFoundError("role", id);
  return it->second;
}

absl::StatusOr<Role> FakeStore::GetRoleByName(const std::string& domain_id,
                                              const std::string& name) {
  GUREUM_FAKE_STORE_PRELUDE;
  for (auto& [id, x] : roles_)
    if (x.domain_id == domain_id && x.name == name) return x;
  return NotFoundError("role", name);
}

absl::StatusOr<std::vector<Role>> FakeStore::ListRoles(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Role>(roles_, f.page, [&](const Role& r) {
    return Is(f.name, r.name) && Is(f.domain_id, r.domain_id);
  });
}

absl::Status FakeStore::UpdateRole(const Role& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = roles_.find(r.id);
  if (it == roles_.end()) return NotFoundError("role", r.id);
  if (auto s = RoleNameFree(r); !s.ok()) return s;
  it->second = r;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteRole(const std::string& id, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!roles_.count(id)) return NotFoundError("role", id);
  EraseRoleRefs(id);
  roles_.erase(id);
  AddEvents(r);
  return absl::OkStatus();
}

absl::Status FakeStore::CreateImpliedRole(const ImpliedRole& rule) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!roles_.count(rule.prior_role_id)) return NotFoundError("role", rule.prior_role_id);
  if (!roles_.count(rule.implied_role_id)) return NotFoundError("role", rule.implied_role_id);
  if (!implied_.insert({rule.prior_role_id, rule.implied_role_id}).second) {
    return absl::AlreadyExistsError("Duplicate entry: implied role " + rule.prior_role_id + " -> " +
                                    rule.implied_role_id + ".");
  }
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteImpliedRole(const ImpliedRole& rule) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!implied_.erase({rule.prior_role_id, rule.implied_role_id})) {
    return NotFoundError("implied role", rule.prior_role_id + " -> " + rule.implied_role_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ImpliedRole>> FakeStore::ListImpliedRoles() {
  GUREUM_FAKE_STORE_PRELUDE;
  std::vector<ImpliedRole> out;
  for (auto& [p, i] : implied_) out.push_back({p, i});
  return out;
}

// ---- assignments ----
absl::Status FakeStore::CreateAssignment(const RoleAssignment& a) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!roles_.count(a.role_id)) return NotFoundError("role", a.role_id);
  if (!a.user_id.empty() && !users_.count(a.user_id)) return NotFoundError("user", a.user_id);
  if (!a.group_id.empty() && !groups_.count(a.group_id)) return NotFoundError("group", a.group_id);
  if (!a.project_id.empty() && !projects_.count(a.project_id)) {
    return NotFoundError("project", a.project_id);
  }
  if (!a.domain_id.empty() && !domains_.count(a.domain_id))
    return NotFoundError("domain", a.domain_id);
  assignments_[KeyOf(a)] = a;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteAssignment(const RoleAssignment& a, const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!assignments_.erase(KeyOf(a))) return NotFoundError("role assignment", a.role_id);
  AddEvents(r);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RoleAssignment>> FakeStore::ListAssignments(const AssignmentFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  std::vector<RoleAssignment> out;
  for (auto& [k, a] : assignments_) {
    if (Is(f.user_id, a.user_id) && Is(f.group_id, a.group_id) && Is(f.role_id, a.role_id) &&
        Is(f.project_id, a.project_id) && Is(f.domain_id, a.domain_id) && Is(f.system, a.system) &&
        Is(f.inherited, a.inherited)) {
      out.push_back(a);
    }
  }
  return out;
}

// ---- catalog ----
absl::Status FakeStore::CreateRegion(const Region& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (regions_.count(r.id))
    return absl::AlreadyExistsError("Duplicate entry: region " + r.id + ".");
  if (!r.parent_region_id.empty() && !regions_.count(r.parent_region_id)) {
    return NotFoundError("region", r.parent_region_id);
  }
  regions_[r.id] = r;
  return absl::OkStatus();
}

absl::StatusOr<Region> FakeStore::GetRegion(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = regions_.find(id);
  if (it == regions_.end()) return NotFoundError("region", id);
  return it->second;
}

absl::StatusOr<std::vector<Region>> FakeStore::ListRegions(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Region>(regions_, f.page,
                       [&](const Region& r) { return Is(f.parent_id, r.parent_region_id); });
}

absl::Status FakeStore::UpdateRegion(const Region& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = regions_.find(r.id);
  if (it == regions_.end()) return NotFoundError("region", r.id);
  if (!r.parent_region_id.empty() && !regions_.count(r.parent_region_id)) {
    return NotFoundError("region", r.parent_region_id);
  }
  it->second = r;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteRegion(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
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

absl::Status FakeStore::CreateService(const Service& s) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (services_.count(s.id))
    return absl::AlreadyExistsError("Duplicate entry: service " + s.id + ".");
  services_[s.id] = s;
  return absl::OkStatus();
}

absl::StatusOr<Service> FakeStore::GetService(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = services_.find(id);
  if (it == services_.end()) return NotFoundError("service", id);
  return it->second;
}

absl::StatusOr<std::vector<Service>> FakeStore::ListServices(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Service>(services_, f.page, [&](const Service& s) {
    return Is(f.name, s.name) && Is(f.type, s.type) && Is(f.enabled, s.enabled);
  });
}

absl::Status FakeStore::UpdateService(const Service& s) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = services_.find(s.id);
  if (it == services_.end()) return NotFoundError("service", s.id);
  it->second = s;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteService(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!services_.erase(id)) return NotFoundError("service", id);
  for (auto it = endpoints_.begin(); it != endpoints_.end();) {
    it = it->second.service_id == id ? endpoints_.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::Status FakeStore::CreateEndpoint(const Endpoint& e) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (auto s = EndpointRefs(e); !s.ok()) return s;
  if (endpoints_.count(e.id))
    return absl::AlreadyExistsError("Duplicate entry: endpoint " + e.id + ".");
  endpoints_[e.id] = e;
  return absl::OkStatus();
}

absl::StatusOr<Endpoint> FakeStore::GetEndpoint(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = endpoints_.find(id);
  if (it == endpoints_.end()) return NotFoundError("endpoint", id);
  return it->second;
}

absl::StatusOr<std::vector<Endpoint>> FakeStore::ListEndpoints(const ListFilter& f) {
  GUREUM_FAKE_STORE_PRELUDE;
  return Paged<Endpoint>(endpoints_, f.page, [&](const Endpoint& e) {
    return Is(f.service_id, e.service_id) && Is(f.interface, e.interface) &&
           Is(f.region_id, e.region_id) && Is(f.enabled, e.enabled);
  });
}

absl::Status FakeStore::UpdateEndpoint(const Endpoint& e) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = endpoints_.find(e.id);
  if (it == endpoints_.end()) return NotFoundError("endpoint", e.id);
  if (auto s = EndpointRefs(e); !s.ok()) return s;
  it->second = e;
  return absl::OkStatus();
}

absl::Status FakeStore::DeleteEndpoint(const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!endpoints_.erase(id)) return NotFoundError("endpoint", id);
  return absl::OkStatus();
}

// ---- application credentials ----
absl::Status FakeStore::CreateApplicationCredential(const ApplicationCredentialRecord& c) {
  GUREUM_FAKE_STORE_PRELUDE;
  const ApplicationCredential& a = c.credential;
  if (!users_.count(a.user_id)) return NotFoundError("user", a.user_id);
  if (!projects_.count(a.project_id)) return NotFoundError("project", a.project_id);
  for (const RoleRef& r : a.roles)
    if (!roles_.count(r.id)) return NotFoundError("role", r.id);
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

absl::StatusOr<ApplicationCredentialRecord> FakeStore::GetApplicationCredential(
    const std::string& id) {
  GUREUM_FAKE_STORE_PRELUDE;
  auto it = creds_.find(id);
  if (it == creds_.end()) return NotFoundError("application credential", id);
  return it->second;
}

absl::StatusOr<ApplicationCredentialRecord> FakeStore::GetApplicationCredentialByName(
    const std::string& user_id, const std::string& name) {
  GUREUM_FAKE_STORE_PRELUDE;
  for (auto& [id, x] : creds_) {
    if (x.credential.user_id == user_id && x.credential.name == name) return x;
  }
  return NotFoundError("application credential", name);
}

absl::StatusOr<std::vector<ApplicationCredential>> FakeStore::ListApplicationCredentials(
    const std::string& user_id) {
  GUREUM_FAKE_STORE_PRELUDE;
  std::vector<ApplicationCredential> out;
  for (auto& [id, x] : creds_)
    if (x.credential.user_id == user_id) out.push_back(x.credential);
  return out;
}

absl::Status FakeStore::RecordApplicationCredentialToken(const std::string& credential_id,
                                                         const std::string& audit_id,
                                                         absl::Time expires_at, absl::Time now) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!creds_.count(credential_id)) return NotFoundError("application credential", credential_id);
  auto& tokens = cred_tokens_[credential_id];
  for (auto it = tokens.begin(); it != tokens.end();) {
    it = it->second <= now ? tokens.erase(it) : std::next(it);
  }
  tokens[audit_id] = expires_at;
  return absl::OkStatus();
}

absl::StatusOr<Revocations> FakeStore::DeleteApplicationCredential(const std::string& id,
                                                                   absl::Time now) {
  GUREUM_FAKE_STORE_PRELUDE;
  if (!creds_.erase(id)) return NotFoundError("application credential", id);
  Revocations events;
  for (const auto& [audit_id, expires_at] : cred_tokens_[id]) {
    if (expires_at > now) events.push_back(StoredRevocationEvent{audit_id, "", "", now, now});
  }
  cred_tokens_.erase(id);
  AddEvents(events);
  return events;
}

// ---- revocation events ----
absl::Status FakeStore::AddRevocationEvents(const Revocations& r) {
  GUREUM_FAKE_STORE_PRELUDE;
  AddEvents(r);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredRevocationEvent>> FakeStore::ListRevocationEvents(
    absl::Time since) {
  GUREUM_FAKE_STORE_PRELUDE;
  std::vector<StoredRevocationEvent> out;
  for (auto& e : events_)
    if (e.revoked_at >= since) out.push_back(e);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.revoked_at < b.revoked_at; });
  return out;
}

absl::Status FakeStore::PurgeRevocationEvents(absl::Time before) {
  GUREUM_FAKE_STORE_PRELUDE;
  events_.erase(std::remove_if(events_.begin(), events_.end(),
                               [&](const auto& e) { return e.revoked_at < before; }),
                events_.end());
  return absl::OkStatus();
}

}  // namespace gureum::identity::fake_internal
