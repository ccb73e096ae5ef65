// NetworkAccess: the policy questions (network_access.h) over common/policy's Enforcer.
#include "network/server/network_access.h"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "network/server/network_errors.h"
#include "network/server/network_policy.h"

namespace gureum::network {

NetworkAccess::NetworkAccess(const policy::Enforcer* enforcer) : enforcer_(enforcer) {
  if (enforcer_ != nullptr) return;
  auto e = policy::Enforcer::Create(NetworkPolicyDefaults());
  if (!e.ok()) {  // the defaults are code: a failure is a bug
    spdlog::critical("network policy defaults: {}", e.status().ToString());
    std::abort();
  }
  default_enforcer_ = *std::move(e);
  enforcer_ = default_enforcer_.get();
}

bool NetworkAccess::IsAdmin(const Caller& c) const { return enforcer_->Allowed(kRuleAdmin, c); }

bool NetworkAccess::IsService(const Caller& c) const { return enforcer_->Allowed(kRuleService, c); }

bool NetworkAccess::MaySetAdminAttributes(const Caller& c) const {
  return enforcer_->Allowed(kRuleAdminAttributes, c);
}

absl::Status NetworkAccess::CheckRead(const Caller& c) const {
  if (enforcer_->Allowed(kRuleRead, c)) return absl::OkStatus();
  return Forbidden("The request you have made requires a role on the project (policy " +
                   std::string(kRuleRead) + ").");
}

absl::Status NetworkAccess::CheckWrite(const Caller& c) const {
  if (enforcer_->Allowed(kRuleWrite, c)) return absl::OkStatus();
  return Forbidden("The request you have made requires the member role (policy " +
                   std::string(kRuleWrite) + ").");
}

std::string NetworkAccess::ListProject(const Caller& c) const {
  if (IsAdmin(c)) return "";
  return c.project_id.empty() ? std::string("(no project)") : c.project_id;
}

absl::StatusOr<std::string> NetworkAccess::TargetProject(const Caller& c,
                                                         const std::string& given) const {
  if (given.empty() || given == c.project_id) {
    if (c.project_id.empty())
      return BadRequest("A project-scoped token or a project_id is required.");
    return c.project_id;
  }
  if (!IsService(c)) {
    return BadRequest(
        "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request "
        "requires admin privileges");
  }
  return given;
}

}  // namespace gureum::network
