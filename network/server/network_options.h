// What gureum-network's managers are configured with ([network] and [quotas] of the
// configuration, main.cc), and the set of fields a create or update names.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/policy/enforcer.h"

namespace gureum::network {

// The field names a create or update gave (Neutron's defaults and PUT semantics depend on
// presence, which proto3 scalars cannot express).
using Fields = std::set<std::string>;

// Neutron's default quotas; -1 is unlimited.
struct QuotaDefaults {
  std::map<std::string, int64_t> limits = {{"network", 100},
                                           {"subnet", 100},
                                           {"port", 500},
                                           {"router", 10},
                                           {"floatingip", 50},
                                           {"security_group", 10},
                                           {"security_group_rule", 100}};
};

struct NetworkOptions {
  // Policy (network_policy.h); null: the default rules.
  const policy::Enforcer* enforcer = nullptr;
  int vni_min = 1;
  int vni_max = 10000;
  absl::Duration agent_down_time = absl::Seconds(75);
  QuotaDefaults quotas;
};

// Parses "1:10000" (Neutron's vni_ranges; the first range is used).
absl::Status ParseVniRange(const std::string& text, int* lo, int* hi);

}  // namespace gureum::network
