// Policy enforcement for every service: default rules in code, each overridable by the
// operator in /etc/gureum/policy.yaml (oslo.policy's YAML form: `"rule_name": "check"`).
// Rules are parsed and cross-checked once at start-up, so a typo in the file stops the
// service with a message naming the rule, rather than silently denying (or allowing).
//
//   policy::Enforcer::Create({{"identity:create_project", "rule:cloud_admin"},
//                             {"cloud_admin", "role:admin and system_scope:all"}},
//                            "/etc/gureum/policy.yaml");
//   GUREUM_RETURN_IF_ERROR(enforcer->Enforce("identity:create_project", caller, target));
//
// One meaning of admin across the cloud: BaseRules() defines `cloud_admin` (the admin
// role, system-scoped or on the admin project) and every service's admin rules refer to
// it, so a project admin is never a cloud admin by accident. EnforcerOptions::legacy_admin
// brings back OpenStack's legacy meaning (the admin role on any project), see README.md.
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
#include "common/status/macros.h"

namespace gureum::policy {

struct Rule {
  std::string name;
  std::string check;
  std::string description;
};

// The name of the rule that says who administers the whole cloud (BaseRules()).
inline constexpr char kCloudAdminRule[] = "cloud_admin";
// Its default, and its legacy form.
inline constexpr char kCloudAdminCheck[] =
    "role:admin and (system_scope:all or is_admin_project:True)";
inline constexpr char kLegacyCloudAdminCheck[] = "role:admin";

struct EnforcerOptions {
  // OpenStack's legacy meaning of admin: the admin role on any project is a cloud admin
  // (Tempest's dynamically created admins need it). Replaces the default of cloud_admin
  // with kLegacyCloudAdminCheck; a cloud_admin in the policy file still wins.
  bool legacy_admin = false;
};

class Enforcer {
 public:
  // `policy_file` may be empty or absent (defaults only). Overrides for rules not in the
  // defaults are accepted (operators add helper rules), but every rule:NAME must resolve
  // and no rule may refer to itself, directly or not.
  static absl::StatusOr<std::unique_ptr<Enforcer>> Create(const std::vector<Rule>& defaults,
                                                          const std::string& policy_file = "",
                                                          EnforcerOptions options = {});
  // The same, with the YAML given as text (tests).
  static absl::StatusOr<std::unique_ptr<Enforcer>> CreateFromYaml(const std::vector<Rule>& defaults,
                                                                  const std::string& yaml,
                                                                  EnforcerOptions options = {});

  // True if `rule` allows `caller` to act on `target`. An unknown rule denies.
  bool Allowed(const std::string& rule, const Caller& caller, const Target& target = {}) const;

  // OK, or PermissionDenied naming the rule (the message OpenStack services give).
  absl::Status Enforce(const std::string& rule, const Caller& caller,
                       const Target& target = {}) const;

 private:
  Enforcer() = default;
  static absl::StatusOr<std::unique_ptr<Enforcer>> Build(
      const std::vector<Rule>& defaults,
      const std::vector<std::pair<std::string, std::string>>& overrides, const std::string& origin,
      const EnforcerOptions& options);
  bool Evaluate(const std::string& rule, const Caller& caller, const Target& target,
                int depth) const;

  absl::flat_hash_map<std::string, std::shared_ptr<const Check>> rules_;
};

// Rules every service shares, as Keystone's and Nova's defaults spell them:
//   cloud_admin     the admin role, system-scoped or on the admin project (the token's
//                   is_admin_project): sees and changes every project's resources
//   project_admin   the admin role on the target's project (%(target.project_id)s) only
//   admin_required  the same as cloud_admin (the name older policies use)
//   system_admin, system_reader, project_member, project_reader, owner, admin_or_owner
std::vector<Rule> BaseRules();

}  // namespace gureum::policy
