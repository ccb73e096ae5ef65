// Users, groups and group membership of gureum-identity, passwords (hashing, the user's
// own change, checking with lockout) and the revocations these changes cause.
//
// The methods taking a caller check the identity policy (identity:<verb>_user / _group,
// membership rules; targets as identity_access.h): lookups by id answer NotFound before
// PermissionDenied, as Keystone does. Errors in Keystone's words (identity_errors.h). Thread-safe;
// every method calls the store; CreateUser, UpdateUser with a password, ChangePassword and
// CheckPassword also spend ~50-100 ms in argon2id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "identity/manager_deps.h"
#include "identity/model.h"

namespace gureum::identity {

// ---- partial updates (PATCH): unset fields stay as they are ----
struct UserUpdate {
  std::optional<std::string> name, description, email, default_project_id;
  std::optional<bool> enabled;
  std::optional<UserOptions> options;
  std::optional<std::string> password;  // an administrator's reset: revokes the user's tokens
  // Must be the user's domain when set (InvalidArgument otherwise).
  std::optional<std::string> domain_id;
  // A JSON object merged into the user's extra attributes (a null value removes one).
  std::optional<std::string> extra;
};
struct GroupUpdate {
  std::optional<std::string> name, description;
};

// A user named by id, or by name plus its domain (by id or by name).
struct UserRef {
  std::string id;
  std::string name;
  std::string domain_id;
  std::string domain_name;
};

class UserManager {
 public:
  explicit UserManager(const ManagerDeps& deps);

  // ---- users ----
  // InvalidArgument "name"/"domain_id"/"default_project_id"; the password is hashed.
  absl::StatusOr<User> CreateUser(const Caller& caller, User user,
                                  const std::optional<std::string>& password);
  absl::StatusOr<User> GetUser(const Caller& caller, const std::string& id);
  // Checked against filter.domain_id (a domain reader lists their domain's users).
  absl::StatusOr<std::vector<User>> ListUsers(const Caller& caller, const ListFilter& filter);
  // Disabling or a password reset revokes the user's tokens.
  absl::StatusOr<User> UpdateUser(const Caller& caller, const std::string& id,
                                  const UserUpdate& update);
  absl::Status DeleteUser(const Caller& caller, const std::string& id);
  // The user's own change (POST /v3/users/{id}/password): Unauthenticated when
  // `original` is wrong (counts towards lockout). Revokes the user's tokens.
  absl::Status ChangePassword(const Caller& caller, const std::string& user_id,
                              const std::string& original, const std::string& password);
  // Unchecked: for the adapters' checks not moved yet (a user's projects).
  absl::StatusOr<User> FindUser(const std::string& id);

  // ---- passwords, for authentication ----
  // The user `ref` names, with its password hash; NotFound/InvalidArgument otherwise.
  absl::StatusOr<UserRecord> ResolveUser(const UserRef& ref);
  // Checks the password with lockout; every failure is Unauthenticated(kAuthRequired).
  absl::StatusOr<UserRecord> CheckPassword(const UserRef& ref, const std::string& password);

  // ---- groups ----
  absl::StatusOr<Group> CreateGroup(const Caller& caller, Group group);
  absl::StatusOr<Group> GetGroup(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<Group>> ListGroups(const Caller& caller, const ListFilter& filter);
  absl::StatusOr<Group> UpdateGroup(const Caller& caller, const std::string& id,
                                    const GroupUpdate& update);
  absl::Status DeleteGroup(const Caller& caller, const std::string& id);
  // Membership: the group's domain admin, for a user of the same domain.
  absl::Status AddUserToGroup(const Caller& caller, const std::string& user_id,
                              const std::string& group_id);
  // NotFound if not a member. Revokes the user's tokens.
  absl::Status RemoveUserFromGroup(const Caller& caller, const std::string& user_id,
                                   const std::string& group_id);
  // NotFound for an unknown group/user; otherwise whether the user is a member.
  absl::StatusOr<bool> IsUserInGroup(const Caller& caller, const std::string& user_id,
                                     const std::string& group_id);
  absl::StatusOr<std::vector<User>> ListGroupUsers(const Caller& caller,
                                                   const std::string& group_id);
  absl::StatusOr<std::vector<Group>> ListUserGroups(const Caller& caller,
                                                    const std::string& user_id);

 private:
  // The user/group `id` if `rule` allows `caller` on it (NotFound first).
  absl::StatusOr<User> AuthorizedUser(const Caller& caller, const std::string& rule,
                                      const std::string& id);
  absl::StatusOr<Group> AuthorizedGroup(const Caller& caller, const std::string& rule,
                                        const std::string& id);
  absl::Status AuthorizeMembership(const Caller& caller, const std::string& rule,
                                   const std::string& user_id, const std::string& group_id);
  IdentityStore& store_;
  IdGenerator& ids_;
  const Clock& clock_;
  const IdentityOptions& options_;
  const PasswordHasher& hasher_;
  ValidationCache& validation_cache_;
  RevocationLog& revocations_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
