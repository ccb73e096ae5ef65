// Security groups and their rules, and the default group each project gets on first use
// (Neutron's four rules: egress anywhere, ingress from the group, IPv4 and IPv6). A rule
// change is cast to the hosts with ports in the group or in groups naming it as remote.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class SecurityGroupManager {
 public:
  SecurityGroupManager(const ManagerDeps& deps, ManagerCore& core);

  absl::StatusOr<v1::SecurityGroup> CreateSecurityGroup(const Caller& c,
                                                        const v1::SecurityGroup& in);
  absl::StatusOr<v1::SecurityGroup> GetSecurityGroup(const Caller& c, const std::string& id);
  absl::StatusOr<std::vector<v1::SecurityGroup>> ListSecurityGroups(const Caller& c,
                                                                    const Filters& f);
  absl::StatusOr<v1::SecurityGroup> UpdateSecurityGroup(const Caller& c,
                                                        const v1::SecurityGroup& in,
                                                        const Fields& given);
  absl::Status DeleteSecurityGroup(const Caller& c, const std::string& id);
  absl::StatusOr<v1::SecurityGroupRule> CreateSecurityGroupRule(const Caller& c,
                                                                const v1::SecurityGroupRule& in,
                                                                const Fields& given);
  absl::StatusOr<v1::SecurityGroupRule> GetSecurityGroupRule(const Caller& c,
                                                             const std::string& id);
  absl::StatusOr<std::vector<v1::SecurityGroupRule>> ListSecurityGroupRules(const Caller& c,
                                                                            const Filters& f);
  absl::Status DeleteSecurityGroupRule(const Caller& c, const std::string& id);

  // In `tx`: the id of the project's default group, made if it has none yet.
  absl::StatusOr<std::string> EnsureDefaultGroup(NetworkTx& tx, const std::string& project);

 private:
  NetworkStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
  ManagerCore& core_;
};

}  // namespace gureum::network
