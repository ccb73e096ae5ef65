// Roles and role implications of gureum-identity (admin -> member -> reader and custom
// rules), and the transitive expansion every effective-role computation uses.
//
// Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "identity/manager_deps.h"
#include "identity/model.h"

namespace gureum::identity {

struct RoleUpdate {  // PATCH: unset fields stay as they are
  std::optional<std::string> name, description;
};

class RoleManager {
 public:
  explicit RoleManager(const ManagerDeps& deps);

  absl::StatusOr<Role> CreateRole(Role role);
  absl::StatusOr<Role> GetRole(const std::string& id);
  absl::StatusOr<std::vector<Role>> ListRoles(const ListFilter& filter);
  absl::StatusOr<Role> UpdateRole(const std::string& id, const RoleUpdate& update);
  // Everyone holding the role loses it: revokes their tokens as each grant's removal would.
  absl::Status DeleteRole(const std::string& id);
  // FailedPrecondition if the rule would make a cycle (or prior == implied).
  absl::StatusOr<ImpliedRole> CreateImpliedRole(const std::string& prior_id,
                                                const std::string& implied_id);
  absl::Status DeleteImpliedRole(const std::string& prior_id, const std::string& implied_id);
  // NotFound when the rule does not exist.
  absl::StatusOr<ImpliedRole> GetImpliedRole(const std::string& prior_id,
                                             const std::string& implied_id);
  absl::StatusOr<std::vector<ImpliedRole>> ListImpliedRoles();

  // `role_ids` and every role they imply, transitively (sorted, no duplicates).
  absl::StatusOr<std::vector<std::string>> ExpandImplied(std::vector<std::string> role_ids);
  // Ids with names; roles deleted meanwhile are left out.
  absl::StatusOr<std::vector<RoleRef>> RoleRefs(const std::vector<std::string>& role_ids);

 private:
  IdentityStore& store_;
  IdGenerator& ids_;
  RevocationLog& revocations_;
};

}  // namespace gureum::identity
