#include "identity/app_credential_manager.h"

#include <sodium.h>

#include <algorithm>

#include "common/auth/authenticator.h"
#include "common/auth/keys.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {

AppCredentialManager::AppCredentialManager(const ManagerDeps& deps)
    : store_(deps.store),
      ids_(deps.ids),
      clock_(deps.clock),
      hasher_(deps.hasher),
      validation_cache_(deps.validation_cache),
      revocations_(deps.revocations),
      access_(deps.access) {}

absl::StatusOr<CreatedApplicationCredential> AppCredentialManager::CreateApplicationCredential(
    const auth::TokenClaims& caller, const ApplicationCredentialCreate& request) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_application_credential",
                                         auth::CallerFromClaims(caller),
                                         {{"target.user_id", request.user_id}}));
  if (caller.user_id != request.user_id) {
    return absl::PermissionDeniedError(
        "Application credentials can only be created by their user.");
  }
  if (!caller.application_credential_id.empty()) {
    // Otherwise a leaked credential could mint fresh ones that outlive its deletion.
    return absl::PermissionDeniedError(
        "A token from an application credential cannot create application credentials.");
  }
  if (caller.project_id.empty()) {
    return absl::PermissionDeniedError(
        "Creating an application credential needs a project-scoped token.");
  }
  GUREUM_RETURN_IF_ERROR(CheckName(request.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(request.description));
  if (request.expires_at && *request.expires_at <= clock_.Now()) {
    return InvalidFieldError("expires_at", "must be in the future");
  }
  ApplicationCredentialRecord rec;
  ApplicationCredential& c = rec.credential;
  c.id = ids_.NewUuid();
  c.name = request.name;
  c.user_id = request.user_id;
  c.project_id = caller.project_id;
  c.description = request.description;
  c.expires_at = request.expires_at;
  c.unrestricted = request.unrestricted;
  if (request.roles.empty()) {
    for (size_t i = 0; i < caller.role_ids.size(); ++i) {
      c.roles.push_back({caller.role_ids[i], i < caller.roles.size() ? caller.roles[i] : ""});
    }
  }
  for (const RoleRef& want : request.roles) {
    absl::StatusOr<Role> role =
        !want.id.empty() ? store_.GetRole(want.id) : store_.GetRoleByName("", want.name);
    if (absl::IsNotFound(role.status())) return InvalidFieldError("roles", "unknown role");
    GUREUM_RETURN_IF_ERROR(role.status());
    GUREUM_ASSIGN_OR_RETURN(bool has, UserHasRole(caller, role->id));
    if (!has) {
      return absl::PermissionDeniedError(
          "Cannot create an application credential with a role the user does not have: " +
          role->name + ".");
    }
    c.roles.push_back({role->id, role->name});
  }
  std::string secret = request.secret;
  if (secret.empty()) {
    unsigned char raw[48];
    randombytes_buf(raw, sizeof(raw));
    secret = auth::EncodeKey(std::string(reinterpret_cast<char*>(raw), sizeof(raw)));
    sodium_memzero(raw, sizeof(raw));
  }
  GUREUM_ASSIGN_OR_RETURN(rec.secret_hash, hasher_.Hash(secret));
  GUREUM_RETURN_IF_ERROR(store_.CreateApplicationCredential(rec));
  GUREUM_ASSIGN_OR_RETURN(ApplicationCredentialRecord stored,
                          store_.GetApplicationCredential(c.id));
  return CreatedApplicationCredential{stored.credential, secret};
}

absl::StatusOr<bool> AppCredentialManager::UserHasRole(const auth::TokenClaims& caller,
                                                       const std::string& role_id) {
  if (std::find(caller.role_ids.begin(), caller.role_ids.end(), role_id) != caller.role_ids.end()) {
    return true;
  }
  // Granted directly since the token was issued (Keystone reads the assignments, not the
  // token).
  AssignmentFilter f;
  f.user_id = caller.user_id;
  f.project_id = caller.project_id;
  f.role_id = role_id;
  f.inherited = false;
  GUREUM_ASSIGN_OR_RETURN(std::vector<RoleAssignment> grants, store_.ListAssignments(f));
  return !grants.empty();
}

absl::StatusOr<ApplicationCredential> AppCredentialManager::GetApplicationCredential(
    const Caller& caller, const std::string& user_id, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_application_credential", caller,
                                         {{"target.user_id", user_id}}));
  return Find(user_id, id);
}

absl::StatusOr<ApplicationCredential> AppCredentialManager::Find(const std::string& user_id,
                                                                 const std::string& id) {
  absl::StatusOr<ApplicationCredentialRecord> r = store_.GetApplicationCredential(id);
  if (!r.ok()) return r.status();
  // Another user's credential is "not found", not "forbidden": ids are not secrets,
  // but there is no reason to confirm them.
  if (r->credential.user_id != user_id) return NotFoundError("application credential", id);
  return r->credential;
}

absl::StatusOr<std::vector<ApplicationCredential>> AppCredentialManager::ListApplicationCredentials(
    const Caller& caller, const std::string& user_id, const std::optional<std::string>& name) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_application_credentials", caller,
                                         {{"target.user_id", user_id}}));
  GUREUM_RETURN_IF_ERROR(store_.GetUser(user_id).status());
  GUREUM_ASSIGN_OR_RETURN(std::vector<ApplicationCredential> all,
                          store_.ListApplicationCredentials(user_id));
  if (!name) return all;
  std::vector<ApplicationCredential> out;
  for (auto& c : all) {
    if (c.name == *name) out.push_back(std::move(c));
  }
  return out;
}

absl::Status AppCredentialManager::DeleteApplicationCredential(const Caller& caller,
                                                               const std::string& user_id,
                                                               const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_application_credential", caller,
                                         {{"target.user_id", user_id}}));
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(ApplicationCredential c, Find(user_id, id));
  // Exactly the tokens made from it (their audit ids, recorded at issue): the user's other
  // tokens on that project live on, as in Keystone.
  GUREUM_ASSIGN_OR_RETURN(Revocations events,
                          store_.DeleteApplicationCredential(c.id, clock_.Now()));
  revocations_.Announce(events);
  return absl::OkStatus();
}

}  // namespace gureum::identity
