// The policy questions gureum-network's managers ask of a caller (network_policy.h's rules,
// or an operator's override): is it a cloud admin, a service (compute and network agents),
// may it read, write, or set admin-only attributes; which project a create acts for and a
// list is narrowed to. Policy is enforced in the managers and nowhere else.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/policy/enforcer.h"

namespace gureum::network {

class NetworkAccess {
 public:
  // `enforcer` null: the default rules (NetworkPolicyDefaults). Otherwise it must outlive this.
  explicit NetworkAccess(const policy::Enforcer* enforcer);

  // Whether `c` administers the whole cloud (policy context_is_admin, common/policy's
  // cloud_admin): sees and changes every project's resources and their admin-only fields.
  // The admin role on some project is not enough.
  bool IsAdmin(const Caller& c) const;
  // network:service: compute and network agents, acting on any project's ports.
  bool IsService(const Caller& c) const;
  // network:admin_attributes: provider:*, shared, router:external, quotas.
  bool MaySetAdminAttributes(const Caller& c) const;
  absl::Status CheckRead(const Caller& c) const;   // 403 without a role on the project
  absl::Status CheckWrite(const Caller& c) const;  // 403 without member (or more)
  bool Owns(const Caller& c, const std::string& project) const {
    return IsAdmin(c) || (!c.project_id.empty() && c.project_id == project);
  }
  // The project a create acts for: the caller's, or (admin/service) the one given.
  absl::StatusOr<std::string> TargetProject(const Caller& c, const std::string& given) const;
  // The project a list is scoped to in the store, where "" means every project: "" for an
  // admin only. A caller without a project (a domain-scoped token) gets a project id that no
  // resource has, so it sees only what everyone sees (shared and external networks), never
  // every project's resources.
  std::string ListProject(const Caller& c) const;

 private:
  std::unique_ptr<policy::Enforcer> default_enforcer_;  // when none is given
  const policy::Enforcer* enforcer_;
};

}  // namespace gureum::network
