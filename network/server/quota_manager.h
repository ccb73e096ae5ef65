// Neutron's quotas of gureum-network: the limits of each project (its own, else the
// defaults of [quotas]) and what it uses. The checks at create time are
// ManagerCore::CheckQuota; this is the API (admins set limits, a project reads its own).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "network/server/manager_core.h"

namespace gureum::network {

class QuotaManager {
 public:
  explicit QuotaManager(const ManagerDeps& deps);

  // Neutron's resource names: network, subnet, port, router, floatingip, security_group,
  // security_group_rule.
  absl::StatusOr<std::map<std::string, QuotaDetail>> GetQuotas(const Caller& c,
                                                               const std::string& project);
  absl::StatusOr<std::map<std::string, QuotaDetail>> UpdateQuotas(
      const Caller& c, const std::string& project, const std::map<std::string, int64_t>& limits);
  absl::Status ResetQuotas(const Caller& c, const std::string& project);
  // Neutron's GET /v2.0/quotas: each project with limits of its own (admin only), project id
  // -> its quotas.
  absl::StatusOr<std::map<std::string, std::map<std::string, QuotaDetail>>> ListQuotas(
      const Caller& c);
  std::map<std::string, int64_t> DefaultQuotas() const { return options_.quotas.limits; }

 private:
  NetworkStore& store_;
  const NetworkOptions& options_;
  const NetworkAccess& access_;
};

}  // namespace gureum::network
