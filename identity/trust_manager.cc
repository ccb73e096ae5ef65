#include "identity/trust_manager.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

using nlohmann::json;

constexpr char kTrust[] = "trust";

StoredDocument ToDocument(const Trust& t) {
  json roles = json::array();
  for (const RoleRef& r : t.roles) roles.push_back({{"id", r.id}, {"name", r.name}});
  json body = {{"trustor_user_id", t.trustor_user_id},
               {"trustee_user_id", t.trustee_user_id},
               {"project_id", t.project_id},
               {"impersonation", t.impersonation},
               {"expires_at_unix_us",
                t.expires_at ? json(absl::ToUnixMicros(*t.expires_at)) : json(nullptr)},
               {"roles", roles}};
  return {kTrust, t.id, body.dump()};
}

Trust FromDocument(const StoredDocument& d) {
  json j = json::parse(d.body, nullptr, false);
  Trust t;
  t.id = d.id;
  if (!j.is_object()) return t;
  t.trustor_user_id = j.value("trustor_user_id", "");
  t.trustee_user_id = j.value("trustee_user_id", "");
  t.project_id = j.value("project_id", "");
  t.impersonation = j.value("impersonation", false);
  if (j.contains("expires_at_unix_us") && j["expires_at_unix_us"].is_number()) {
    t.expires_at = absl::FromUnixMicros(j["expires_at_unix_us"].get<int64_t>());
  }
  if (j.contains("roles") && j["roles"].is_array()) {
    for (const json& r : j["roles"]) t.roles.push_back({r.value("id", ""), r.value("name", "")});
  }
  return t;
}

policy::Target TrustTarget(const Trust& t) {
  return {{"target.trust.trustor_user_id", t.trustor_user_id},
          {"target.trust.trustee_user_id", t.trustee_user_id}};
}

}  // namespace

TrustManager::TrustManager(const ManagerDeps& deps)
    : store_(deps.store), ids_(deps.ids), clock_(deps.clock), access_(deps.access) {}

bool TrustManager::Live(const Trust& t) {
  if (t.expires_at && *t.expires_at <= clock_.Now()) return false;
  return store_.GetUser(t.trustor_user_id).ok() && store_.GetUser(t.trustee_user_id).ok() &&
         store_.GetProject(t.project_id).ok();
}

absl::StatusOr<Trust> TrustManager::Find(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(StoredDocument d, store_.GetDocument(kTrust, id));
  Trust t = FromDocument(d);
  if (!Live(t)) return NotFoundError("trust", id);
  return t;
}

absl::Status TrustManager::CheckTrustorRoles(const Caller& caller, Trust& trust) {
  if (trust.roles.empty()) return InvalidFieldError("roles", "must name at least one role");
  AssignmentFilter f;
  f.user_id = trust.trustor_user_id;
  f.project_id = trust.project_id;
  f.inherited = false;
  GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> grants, store_.ListAssignments(f));
  for (RoleRef& want : trust.roles) {
    absl::StatusOr<Role> role =
        !want.id.empty() ? store_.GetRole(want.id) : store_.GetRoleByName("", want.name);
    if (absl::IsNotFound(role.status())) return NotFoundError("role", want.id + want.name);
    GUREUM_RETURN_IF_ERROR(role.status());
    bool held = std::any_of(grants.begin(), grants.end(),
                            [&](const RoleAssignment& a) { return a.role_id == role->id; }) ||
                (caller.project_id == trust.project_id && caller.HasRole(role->name));
    if (!held) {
      return absl::PermissionDeniedError("The trustor does not hold role " + role->name +
                                         " on the project.");
    }
    want = {role->id, role->name};
  }
  return absl::OkStatus();
}

absl::StatusOr<Trust> TrustManager::CreateTrust(const Caller& caller, Trust t) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_trust", caller,
                                         {{"target.trust.trustor_user_id", t.trustor_user_id}}));
  if (t.expires_at && *t.expires_at <= clock_.Now()) {
    return InvalidFieldError("expires_at", "must be in the future");
  }
  GUREUM_RETURN_IF_ERROR(store_.GetUser(t.trustee_user_id).status());
  if (t.project_id.empty()) return InvalidFieldError("project_id", "must not be empty");
  GUREUM_RETURN_IF_ERROR(store_.GetProject(t.project_id).status());
  GUREUM_RETURN_IF_ERROR(CheckTrustorRoles(caller, t));
  t.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateDocument(ToDocument(t)));
  return t;
}

absl::StatusOr<Trust> TrustManager::GetTrust(const Caller& caller, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Trust t, Find(id));
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_trust", caller, TrustTarget(t)));
  return t;
}

absl::StatusOr<std::vector<Trust>> TrustManager::ListTrusts(const Caller& caller,
                                                            const TrustFilter& filter) {
  const bool reader = access_.Enforce("identity:list_trusts", caller).ok();
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, store_.ListDocuments(kTrust));
  std::vector<Trust> out;
  for (const StoredDocument& d : docs) {
    Trust t = FromDocument(d);
    if ((filter.trustor_user_id && t.trustor_user_id != *filter.trustor_user_id) ||
        (filter.trustee_user_id && t.trustee_user_id != *filter.trustee_user_id)) {
      continue;
    }
    // Who is no cloud reader sees the trusts they are part of.
    if (!reader && t.trustor_user_id != caller.user_id && t.trustee_user_id != caller.user_id) {
      continue;
    }
    if (Live(t)) out.push_back(std::move(t));
  }
  return out;
}

absl::Status TrustManager::DeleteTrust(const Caller& caller, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Trust t, Find(id));
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_trust", caller, TrustTarget(t)));
  return store_.DeleteDocument(kTrust, id);
}

}  // namespace gureum::identity
