// QuotaManager: Neutron's quotas, per project and resource (quota_manager.h).
#include "network/server/quota_manager.h"

#include "common/status/macros.h"
#include "network/server/manager_internal.h"

namespace gureum::network {

QuotaManager::QuotaManager(const ManagerDeps& deps)
    : store_(deps.store), options_(deps.options), access_(deps.access) {}

absl::StatusOr<std::map<std::string, QuotaDetail>> QuotaManager::GetQuotas(
    const Caller& c, const std::string& project) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  if (!access_.IsAdmin(c) && project != c.project_id) {
    return Forbidden("Only an admin may see another project's quotas.");
  }
  std::map<std::string, QuotaDetail> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    for (const auto& [res, limit] : options_.quotas.limits) out[res].limit = limit;
    GUREUM_ASSIGN_OR_RETURN(auto own, tx.ListQuotaLimits(project));
    for (const auto& [res, limit] : own) out[res].limit = limit;
    for (auto& [res, d] : out) {
      GUREUM_ASSIGN_OR_RETURN(d.used, tx.CountOwned(project, res));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, QuotaDetail>> QuotaManager::UpdateQuotas(
    const Caller& c, const std::string& project, const std::map<std::string, int64_t>& limits) {
  if (!access_.MaySetAdminAttributes(c)) return Forbidden("Only an admin may change quotas.");
  for (const auto& [res, limit] : limits) {
    if (!options_.quotas.limits.count(res))
      return InvalidInput("unknown quota resource '" + res + "'.");
    if (limit < -1) return InvalidInput("quota of '" + res + "' must be -1 or more.");
  }
  GUREUM_RETURN_IF_ERROR(store_.Transact([&](NetworkTx& tx) -> absl::Status {
    for (const auto& [res, limit] : limits)
      GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit(project, res, limit));
    return absl::OkStatus();
  }));
  return GetQuotas(c, project);
}

absl::StatusOr<std::map<std::string, std::map<std::string, QuotaDetail>>> QuotaManager::ListQuotas(
    const Caller& c) {
  if (!access_.IsAdmin(c)) return Forbidden("Listing quotas needs the admin role.");
  std::vector<std::string> projects;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(projects, tx.QuotaProjects());
    return absl::OkStatus();
  }));
  std::map<std::string, std::map<std::string, QuotaDetail>> out;
  for (const std::string& p : projects) {
    GUREUM_ASSIGN_OR_RETURN(out[p], GetQuotas(c, p));
  }
  return out;
}

absl::Status QuotaManager::ResetQuotas(const Caller& c, const std::string& project) {
  if (!access_.MaySetAdminAttributes(c)) return Forbidden("Only an admin may change quotas.");
  return store_.Transact(
      [&](NetworkTx& tx) -> absl::Status { return tx.DeleteQuotaLimits(project); });
}

}  // namespace gureum::network
