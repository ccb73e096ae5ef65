#include "common/policy/policy_config.h"

#include <spdlog/spdlog.h>

namespace gureum::policy {

void AddPolicyOptions(config::Schema& schema) {
  schema.Bool("policy", "legacy_admin", false,
              "OpenStack's legacy meaning of admin: the admin role on any project administers "
              "the whole cloud (every project's servers, networks, images). Off: only a "
              "system-scoped admin or an admin on the admin project does.");
}

EnforcerOptions EnforcerOptionsFromConfig(const config::Config& config) {
  EnforcerOptions options;
  options.legacy_admin = config.GetBool("policy", "legacy_admin");
  return options;
}

absl::StatusOr<std::unique_ptr<Enforcer>> EnforcerFromConfig(const std::vector<Rule>& defaults,
                                                             const config::Config& config,
                                                             const std::string& section) {
  EnforcerOptions options = EnforcerOptionsFromConfig(config);
  if (options.legacy_admin) {
    spdlog::warn("[policy] legacy_admin = true: the admin role on any project is a cloud admin");
  }
  return Enforcer::Create(defaults, config.GetString(section, "policy_file"), options);
}

}  // namespace gureum::policy
