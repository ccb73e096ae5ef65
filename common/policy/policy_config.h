// How every service reads its policy from the configuration, so that no main() decides
// differently: [<service>] policy_file (the service's oslo.policy YAML overrides) and the
// shared [policy] legacy_admin (enforcer.h: EnforcerOptions).
//
//   service::Start(...) registers [policy] (AddPolicyOptions); then in main():
//   auto enforcer = policy::EnforcerFromConfig(ComputePolicyDefaults(), *cfg, "compute");
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config/config.h"
#include "common/config/schema.h"
#include "common/policy/enforcer.h"

namespace gureum::policy {

// Registers [policy] legacy_admin (false).
void AddPolicyOptions(config::Schema& schema);

// The options [policy] asks for. `config`'s schema must have had AddPolicyOptions.
EnforcerOptions EnforcerOptionsFromConfig(const config::Config& config);

// Enforcer::Create with `defaults`, the file named by [`section`] policy_file and the
// [policy] options. The schema must declare both.
absl::StatusOr<std::unique_ptr<Enforcer>> EnforcerFromConfig(const std::vector<Rule>& defaults,
                                                             const config::Config& config,
                                                             const std::string& section);

}  // namespace gureum::policy
