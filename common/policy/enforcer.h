// Policy enforcement for every service: default rules in code, each overridable by the
// operator in /etc/gureum/policy.yaml (oslo.policy's YAML form: `"rule_name": "check"`).
// Rules are parsed and cross-checked once at start-up, so a typo in the file stops the
// service with a message naming the rule, rather than silently denying (or allowing).
//
//   policy::Enforcer::Create({{"identity:create_project", "rule:admin_required"},
//                             {"admin_required", "role:admin"}}, "/etc/gureum/policy.yaml");
//   GUREUM_RETURN_IF_ERROR(enforcer->Enforce("identity:create_project", caller, target));
//
// Immutable after Create: thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/policy/check.h"

namespace gureum::policy {

struct Rule {
  std::string name;
  std::string check;
  std::string description;
};

class Enforcer {
 public:
  // `policy_file` may be empty or absent (defaults only). Overrides for rules not in the
  // defaults are accepted (operators add helper rules), but every rule:NAME must resolve
  // and no rule may refer to itself, directly or not.
  static absl::StatusOr<std::unique_ptr<Enforcer>> Create(const std::vector<Rule>& defaults,
                                                          const std::string& policy_file = "");
  // The same, with the YAML given as text (tests).
  static absl::StatusOr<std::unique_ptr<Enforcer>> CreateFromYaml(
      const std::vector<Rule>& defaults, const std::string& yaml);

  // True if `rule` allows `caller` to act on `target`. An unknown rule denies.
  bool Allowed(const std::string& rule, const Caller& caller, const Target& target = {}) const;

  // OK, or PermissionDenied naming the rule (the message OpenStack services give).
  absl::Status Enforce(const std::string& rule, const Caller& caller,
                       const Target& target = {}) const;

 private:
  Enforcer() = default;
  static absl::StatusOr<std::unique_ptr<Enforcer>> Build(
      const std::vector<Rule>& defaults,
      const std::vector<std::pair<std::string, std::string>>& overrides, const std::string& origin);
  bool Evaluate(const std::string& rule, const Caller& caller, const Target& target,
                int depth) const;

  absl::flat_hash_map<std::string, std::shared_ptr<const Check>> rules_;
};

// Rules every service shares, as Keystone's and Nova's defaults spell them.
std::vector<Rule> BaseRules();

}  // namespace gureum::policy
