// gureum-network's default policy rules (overridable in [network] policy_file, oslo.policy
// YAML), evaluated by common/policy's Enforcer. The manager asks four questions of them:
// is the caller an admin (sees and changes every project's resources), a service (compute
// and network agents: ports of any project, agent calls), may it read at all (a role on
// the project: reader, member, admin or service), may it write at all, and may it set
// admin-only attributes (provider:*, shared, router:external, quotas).
#pragma once

#include <vector>

#include "common/policy/enforcer.h"

namespace gureum::network {

inline constexpr char kRuleAdmin[] = "context_is_admin";
inline constexpr char kRuleService[] = "network:service";
inline constexpr char kRuleWrite[] = "network:write";
inline constexpr char kRuleRead[] = "network:read";
inline constexpr char kRuleAdminAttributes[] = "network:admin_attributes";

std::vector<policy::Rule> NetworkPolicyDefaults();

}  // namespace gureum::network
