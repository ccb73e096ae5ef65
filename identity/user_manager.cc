#include "identity/user_manager.h"

#include <nlohmann/json.hpp>

#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

absl::Status CheckPasswordText(const std::string& password) {
  if (password.empty()) return InvalidFieldError("password", "must not be empty");
  if (password.size() > 4096) return InvalidFieldError("password", "too long");
  return absl::OkStatus();
}

// `current` (a JSON object's text or "") with the members of `update` set over it; a null
// member removes one.
absl::StatusOr<std::string> MergeExtra(const std::string& current, const std::string& update) {
  using nlohmann::json;
  json merged = current.empty() ? json::object() : json::parse(current, nullptr, false);
  json more = json::parse(update, nullptr, false);
  if (!merged.is_object() || !more.is_object()) {
    return InvalidFieldError("user", "extra attributes must be an object");
  }
  for (const auto& [key, value] : more.items()) {
    if (value.is_null()) {
      merged.erase(key);
    } else {
      merged[key] = value;
    }
  }
  std::string out = merged.empty() ? "" : merged.dump();
  GUREUM_RETURN_IF_ERROR(ValidateText("user", out));
  return out;
}

}  // namespace

UserManager::UserManager(const ManagerDeps& deps)
    : store_(deps.store),
      ids_(deps.ids),
      clock_(deps.clock),
      options_(deps.options),
      hasher_(deps.hasher),
      validation_cache_(deps.validation_cache),
      revocations_(deps.revocations),
      access_(deps.access) {}

absl::StatusOr<User> UserManager::AuthorizedUser(const Caller& caller, const std::string& rule,
                                                 const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(UserRecord r, store_.GetUser(id));
  GUREUM_RETURN_IF_ERROR(access_.Enforce(rule, caller, UserTarget(r.user)));
  return r.user;
}

absl::StatusOr<Group> UserManager::AuthorizedGroup(const Caller& caller, const std::string& rule,
                                                   const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Group g, store_.GetGroup(id));
  GUREUM_RETURN_IF_ERROR(access_.Enforce(rule, caller, GroupTarget(g)));
  return g;
}

absl::Status UserManager::AuthorizeMembership(const Caller& caller, const std::string& rule,
                                              const std::string& user_id,
                                              const std::string& group_id) {
  GUREUM_ASSIGN_OR_RETURN(Group g, store_.GetGroup(group_id));
  GUREUM_ASSIGN_OR_RETURN(UserRecord u, store_.GetUser(user_id));
  return access_.Enforce(
      rule, caller,
      {{"target.domain_id", g.domain_id}, {"target.actor_domain_id", u.user.domain_id}});
}

absl::StatusOr<User> UserManager::CreateUser(const Caller& caller, User user,
                                             const std::optional<std::string>& password) {
  if (user.domain_id.empty()) user.domain_id = kDefaultDomainId;
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:create_user", caller, DomainTarget(user.domain_id)));
  GUREUM_RETURN_IF_ERROR(CheckName(user.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(user.description));
  GUREUM_ASSIGN_OR_RETURN(user.extra, MergeExtra("", user.extra.empty() ? "{}" : user.extra));
  absl::StatusOr<Domain> domain = store_.GetDomain(user.domain_id);
  if (absl::IsNotFound(domain.status())) return NotFoundError("domain", user.domain_id);
  GUREUM_RETURN_IF_ERROR(domain.status());
  if (!user.default_project_id.empty()) {
    absl::StatusOr<Project> p = store_.GetProject(user.default_project_id);
    if (absl::IsNotFound(p.status())) {
      return InvalidFieldError("default_project_id", "unknown project");
    }
    GUREUM_RETURN_IF_ERROR(p.status());
  }
  UserRecord record;
  if (password.has_value()) {
    GUREUM_RETURN_IF_ERROR(CheckPasswordText(*password));
    GUREUM_ASSIGN_OR_RETURN(record.password_hash, hasher_.Hash(*password));
  }
  if (user.id.empty()) user.id = ids_.NewUuid();
  user.password_expires_at.reset();
  record.user = user;
  GUREUM_RETURN_IF_ERROR(store_.CreateUser(record));
  return user;
}

absl::StatusOr<User> UserManager::GetUser(const Caller& caller, const std::string& id) {
  return AuthorizedUser(caller, "identity:get_user", id);
}

absl::StatusOr<User> UserManager::FindUser(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(UserRecord r, store_.GetUser(id));
  return r.user;
}

absl::StatusOr<std::vector<User>> UserManager::ListUsers(const Caller& caller,
                                                         const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:list_users", caller, DomainTarget(filter.domain_id.value_or(""))));
  return store_.ListUsers(filter);
}

absl::StatusOr<User> UserManager::UpdateUser(const Caller& caller, const std::string& id,
                                             const UserUpdate& update) {
  GUREUM_ASSIGN_OR_RETURN(User current, AuthorizedUser(caller, "identity:update_user", id));
  if (update.domain_id && *update.domain_id != current.domain_id) {
    return InvalidFieldError("domain_id", "cannot change the domain of a user");
  }
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(UserRecord r, store_.GetUser(id));
  User& u = r.user;
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckName(*update.name));
    u.name = *update.name;
  }
  if (update.description) GUREUM_RETURN_IF_ERROR(CheckDescription(*update.description));
  if (update.description) u.description = *update.description;
  if (update.email) u.email = *update.email;
  if (update.options) u.options = *update.options;
  if (update.extra) {
    GUREUM_ASSIGN_OR_RETURN(u.extra, MergeExtra(u.extra, *update.extra));
  }
  if (update.default_project_id && !update.default_project_id->empty()) {
    absl::StatusOr<Project> p = store_.GetProject(*update.default_project_id);
    if (absl::IsNotFound(p.status())) {
      return InvalidFieldError("default_project_id", "unknown project");
    }
    GUREUM_RETURN_IF_ERROR(p.status());
  }
  if (update.default_project_id) u.default_project_id = *update.default_project_id;
  bool revoke = false;
  if (update.enabled.has_value() && !*update.enabled && u.enabled) revoke = true;
  if (update.enabled) u.enabled = *update.enabled;
  if (update.password) {
    GUREUM_RETURN_IF_ERROR(CheckPasswordText(*update.password));
    GUREUM_ASSIGN_OR_RETURN(r.password_hash, hasher_.Hash(*update.password));
    revoke = true;
  }
  Revocations events;
  if (revoke) events.push_back(revocations_.UserEvent(id));
  GUREUM_RETURN_IF_ERROR(store_.UpdateUser(r, events));
  if (update.password || (update.enabled && *update.enabled)) {
    // A reset or re-enable also clears a lockout, as an administrator would expect.
    GUREUM_RETURN_IF_ERROR(store_.RecordAuthResult(id, 0, std::nullopt));
  }
  revocations_.Announce(events);
  return u;
}

absl::Status UserManager::DeleteUser(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(AuthorizedUser(caller, "identity:delete_user", id).status());
  InvalidateOnExit invalidate(validation_cache_);
  Revocations events{revocations_.UserEvent(id)};
  GUREUM_RETURN_IF_ERROR(store_.DeleteUser(id, events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

absl::Status UserManager::ChangePassword(const Caller& caller, const std::string& user_id,
                                         const std::string& original, const std::string& password) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:change_password", caller, {{"target.user_id", user_id}}));
  GUREUM_RETURN_IF_ERROR(CheckPasswordText(password));
  UserRef ref;
  ref.id = user_id;
  GUREUM_ASSIGN_OR_RETURN(UserRecord r, CheckPassword(ref, original));
  GUREUM_ASSIGN_OR_RETURN(r.password_hash, hasher_.Hash(password));
  Revocations events{revocations_.UserEvent(user_id)};
  GUREUM_RETURN_IF_ERROR(store_.UpdateUser(r, events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

// ---- passwords ----

absl::StatusOr<UserRecord> UserManager::ResolveUser(const UserRef& ref) {
  if (!ref.id.empty()) return store_.GetUser(ref.id);
  if (ref.name.empty()) return InvalidFieldError("user", "an id or a name is required");
  std::string domain_id = ref.domain_id;
  if (domain_id.empty()) {
    if (ref.domain_name.empty()) return InvalidFieldError("user.domain", "required with a name");
    GUREUM_ASSIGN_OR_RETURN(Domain d, store_.GetDomainByName(ref.domain_name));
    domain_id = d.id;
  }
  return store_.GetUserByName(domain_id, ref.name);
}

absl::StatusOr<UserRecord> UserManager::CheckPassword(const UserRef& ref,
                                                      const std::string& password) {
  absl::StatusOr<UserRecord> found = ResolveUser(ref);
  if (!found.ok()) {
    // Spend the time a real check takes, so timing does not reveal unknown users.
    hasher_.VerifyDummy(password);
    return AsAuthFailure(found.status(), "unknown user");
  }
  UserRecord& r = *found;
  const int max_failures = options_.lockout_failure_attempts;
  const bool lockout = max_failures > 0 && !r.user.options.ignore_lockout_failure_attempts;
  absl::Time now = clock_.Now();
  int failures = r.failed_auth_count;
  if (lockout && failures >= max_failures) {
    if (r.last_failed_auth_at && now < *r.last_failed_auth_at + options_.lockout_duration) {
      hasher_.VerifyDummy(password);
      return AuthFailure("account locked", r.user.id);
    }
    failures = 0;  // the lockout has expired: start counting again
  }
  if (!hasher_.Verify(r.password_hash, password)) {
    if (lockout) GUREUM_RETURN_IF_ERROR(store_.RecordAuthResult(r.user.id, failures + 1, now));
    return AuthFailure("wrong password", r.user.id);
  }
  if (r.failed_auth_count != 0) {
    GUREUM_RETURN_IF_ERROR(store_.RecordAuthResult(r.user.id, 0, std::nullopt));
    r.failed_auth_count = 0;
    r.last_failed_auth_at.reset();
  }
  return r;
}

// ---- groups ----

absl::StatusOr<Group> UserManager::CreateGroup(const Caller& caller, Group group) {
  if (group.domain_id.empty()) group.domain_id = kDefaultDomainId;
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_group", caller, GroupTarget(group)));
  GUREUM_RETURN_IF_ERROR(CheckName(group.name));
  GUREUM_RETURN_IF_ERROR(CheckDescription(group.description));
  if (group.domain_id.empty()) group.domain_id = kDefaultDomainId;
  if (group.id.empty()) group.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateGroup(group));
  return group;
}

absl::StatusOr<Group> UserManager::GetGroup(const Caller& caller, const std::string& id) {
  return AuthorizedGroup(caller, "identity:get_group", id);
}

absl::StatusOr<std::vector<Group>> UserManager::ListGroups(const Caller& caller,
                                                           const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(
      access_.Enforce("identity:list_groups", caller, DomainTarget(filter.domain_id.value_or(""))));
  return store_.ListGroups(filter);
}

absl::StatusOr<Group> UserManager::UpdateGroup(const Caller& caller, const std::string& id,
                                               const GroupUpdate& update) {
  GUREUM_ASSIGN_OR_RETURN(Group g, AuthorizedGroup(caller, "identity:update_group", id));
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckName(*update.name));
    g.name = *update.name;
  }
  if (update.description) GUREUM_RETURN_IF_ERROR(CheckDescription(*update.description));
  if (update.description) g.description = *update.description;
  GUREUM_RETURN_IF_ERROR(store_.UpdateGroup(g));
  return g;
}

absl::Status UserManager::DeleteGroup(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(AuthorizedGroup(caller, "identity:delete_group", id).status());
  // Members lose whatever the group granted: revoke each member's tokens.
  GUREUM_ASSIGN_OR_RETURN(std::vector<User> members, store_.ListGroupUsers(id));
  Revocations events;
  for (const User& u : members) events.push_back(revocations_.UserEvent(u.id));
  GUREUM_RETURN_IF_ERROR(store_.DeleteGroup(id, events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

absl::Status UserManager::AddUserToGroup(const Caller& caller, const std::string& user_id,
                                         const std::string& group_id) {
  GUREUM_RETURN_IF_ERROR(
      AuthorizeMembership(caller, "identity:add_user_to_group", user_id, group_id));
  return store_.AddUserToGroup(user_id, group_id);
}

absl::Status UserManager::RemoveUserFromGroup(const Caller& caller, const std::string& user_id,
                                              const std::string& group_id) {
  GUREUM_RETURN_IF_ERROR(
      AuthorizeMembership(caller, "identity:remove_user_from_group", user_id, group_id));
  GUREUM_RETURN_IF_ERROR(store_.GetUser(user_id).status());
  GUREUM_RETURN_IF_ERROR(store_.GetGroup(group_id).status());
  Revocations events{revocations_.UserEvent(user_id)};
  GUREUM_RETURN_IF_ERROR(store_.RemoveUserFromGroup(user_id, group_id, events));
  revocations_.Announce(events);
  return absl::OkStatus();
}

absl::StatusOr<bool> UserManager::IsUserInGroup(const Caller& caller, const std::string& user_id,
                                                const std::string& group_id) {
  GUREUM_RETURN_IF_ERROR(
      AuthorizeMembership(caller, "identity:check_user_in_group", user_id, group_id));
  GUREUM_RETURN_IF_ERROR(store_.GetGroup(group_id).status());
  GUREUM_ASSIGN_OR_RETURN(std::vector<Group> groups, store_.ListUserGroups(user_id));
  for (const Group& g : groups) {
    if (g.id == group_id) return true;
  }
  return false;
}

absl::StatusOr<std::vector<User>> UserManager::ListGroupUsers(const Caller& caller,
                                                              const std::string& group_id) {
  GUREUM_RETURN_IF_ERROR(
      AuthorizedGroup(caller, "identity:list_users_in_group", group_id).status());
  return store_.ListGroupUsers(group_id);
}

absl::StatusOr<std::vector<Group>> UserManager::ListUserGroups(const Caller& caller,
                                                               const std::string& user_id) {
  GUREUM_RETURN_IF_ERROR(AuthorizedUser(caller, "identity:list_groups_for_user", user_id).status());
  return store_.ListUserGroups(user_id);
}

}  // namespace gureum::identity
