#include "network/server/network_policy.h"

namespace gureum::network {

std::vector<policy::Rule> NetworkPolicyDefaults() {
  std::vector<policy::Rule> rules = policy::BaseRules();
  rules.push_back(
      {kRuleAdmin, "rule:cloud_admin",
       "Sees and changes every project's networking resources (common/policy's cloud admin)"});
  rules.push_back(
      {kRuleService, "rule:context_is_admin or role:service",
       "Compute and network agents: ports of any project, AllocatePort/BindPort/ReleasePorts, "
       "ReportAgent/GetHostState/UpdatePortStatus"});
  rules.push_back({kRuleWrite, "rule:context_is_admin or role:member or role:service",
                   "Create, update and delete networking resources (readers only read)"});
  rules.push_back(
      {kRuleRead, "rule:network:write or role:reader",
       "See the project's networking resources: a token with no role on the project sees nothing"});
  rules.push_back({kRuleAdminAttributes, "rule:context_is_admin",
                   "Set provider:*, shared, router:external, binding:host_id and quotas"});
  return rules;
}

}  // namespace gureum::network
