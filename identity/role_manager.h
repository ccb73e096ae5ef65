// Roles and role implications of gureum-identity (admin -> member -> reader and custom
// rules), and the transitive expansion every effective-role computation uses.
//
// The methods taking a caller check the identity policy first (identity:<verb>_role,
// _implied_role; PermissionDenied before anything else); the others serve other
// managers and responses, unchecked. Errors in Keystone's words (identity_errors.h).
// Thread-safe; every method calls the store.
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

struct RoleUpdate {  // PATCH: unset fields stay as they are
  std::optional<std::string> name, description;
};

class RoleManager {
 public:
  explicit RoleManager(const ManagerDeps& deps);

  absl::StatusOr<Role> CreateRole(const Caller& caller, Role role);
  absl::StatusOr<Role> GetRole(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<Role>> ListRoles(const Caller& caller, const ListFilter& filter);
  absl::StatusOr<Role> UpdateRole(const Caller& caller, const std::string& id,
                                  const RoleUpdate& update);
  // Everyone holding the role loses it: revokes their tokens as each grant's removal would.
  absl::Status DeleteRole(const Caller& caller, const std::string& id);
  // FailedPrecondition if the rule would make a cycle (or prior == implied).
  absl::StatusOr<ImpliedRole> CreateImpliedRole(const Caller& caller, const std::string& prior_id,
                                                const std::string& implied_id);
  absl::Status DeleteImpliedRole(const Caller& caller, const std::string& prior_id,
                                 const std::string& implied_id);
  // NotFound when the rule does not exist.
  absl::StatusOr<ImpliedRole> GetImpliedRole(const Caller& caller, const std::string& prior_id,
                                             const std::string& implied_id);
  // Every rule (GET /v3/role_inferences: identity:list_role_inference_rules).
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles(const Caller& caller);
  // The rules whose prior role is `prior_id` (GET /v3/roles/{id}/implies:
  // identity:list_implied_roles); NotFound for an unknown role.
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedBy(const Caller& caller,
                                                         const std::string& prior_id);

  // ---- unchecked: for other managers, and for naming roles in answers ----
  // Every role.
  absl::StatusOr<std::vector<Role>> AllRoles();

  // `role_ids` and every role they imply, transitively (sorted, no duplicates).
  absl::StatusOr<std::vector<std::string>> ExpandImplied(std::vector<std::string> role_ids);
  // Ids with names; roles deleted meanwhile are left out.
  absl::StatusOr<std::vector<RoleRef>> RoleRefs(const std::vector<std::string>& role_ids);

 private:
  IdentityStore& store_;
  IdGenerator& ids_;
  RevocationLog& revocations_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
