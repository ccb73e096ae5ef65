#include "block-storage/api/quota_manager.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

constexpr const char* kPerType[] = {"volumes_", "gigabytes_", "snapshots_"};
// The store keeps the default class's limits under this key, which no project id (a UUID)
// can be.
constexpr char kDefaultClassKey[] = "class:default";

}  // namespace

absl::StatusOr<QuotaLimits> QuotaManager::Defaults() {
  QuotaLimits limits = deps_.options.default_quotas;
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits set, deps_.store.GetQuotas(kDefaultClassKey));
  for (const auto& [name, value] : set) limits[name] = value;
  return limits;
}

absl::StatusOr<QuotaLimits> QuotaManager::UpdateDefaults(const RequestContext& ctx,
                                                         const std::string& class_name,
                                                         const QuotaLimits& limits) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:quota_classes:update"));
  if (class_name != "default") {
    return absl::NotFoundError(
        absl::StrCat("Quota class ", class_name, " could not be found (only \"default\")."));
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits current, Defaults());
  for (const auto& [name, value] : limits) {
    if (current.find(name) == current.end() && !absl::StartsWith(name, "volumes_") &&
        !absl::StartsWith(name, "gigabytes_") && !absl::StartsWith(name, "snapshots_")) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid input received: Bad key(s) in quota class set: ", name));
    }
    if (value < -1) {
      return absl::InvalidArgumentError(absl::StrCat("Invalid input received: Quota limit ", value,
                                                     " for ", name, " must be -1 or more."));
    }
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits set, deps_.store.GetQuotas(kDefaultClassKey));
  for (const auto& [name, value] : limits) set[name] = value;
  GUREUM_RETURN_IF_ERROR(deps_.store.SetQuotas(kDefaultClassKey, set));
  return Defaults();
}

absl::StatusOr<QuotaLimits> QuotaManager::Effective(const std::string& project_id) {
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, Defaults());
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeType> types, deps_.store.ListTypes(""));
  for (const VolumeType& t : types) {
    for (const char* prefix : kPerType) limits[absl::StrCat(prefix, t.name)] = -1;
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits own, deps_.store.GetQuotas(project_id));
  for (const auto& [name, value] : own) limits[name] = value;
  return limits;
}

absl::StatusOr<QuotaReport> QuotaManager::Show(const RequestContext& ctx,
                                               const std::string& project_id) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:quotas:show", project_id));
  QuotaReport report;
  GUREUM_ASSIGN_OR_RETURN(report.limits, Effective(project_id));
  GUREUM_ASSIGN_OR_RETURN(report.in_use, deps_.store.GetUsage(project_id));
  return report;
}

absl::StatusOr<QuotaLimits> QuotaManager::Update(const RequestContext& ctx,
                                                 const std::string& project_id,
                                                 const QuotaLimits& limits) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:quotas:update", project_id));
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits current, Effective(project_id));
  GUREUM_ASSIGN_OR_RETURN(QuotaUsage usage, deps_.store.GetUsage(project_id));
  for (const auto& [name, value] : limits) {
    if (current.find(name) == current.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid input received: Bad key(s) in quota set: ", name));
    }
    if (value < -1) {
      return absl::InvalidArgumentError(absl::StrCat("Invalid input received: Quota limit ", value,
                                                     " for ", name, " must be -1 or more."));
    }
    auto used = usage.find(name);
    if (value >= 0 && used != usage.end() && used->second > value) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid input received: Quota limit ", value, " for ", name,
                       " must be equal or greater than existing resources (", used->second, ")."));
    }
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits own, deps_.store.GetQuotas(project_id));
  for (const auto& [name, value] : limits) own[name] = value;
  GUREUM_RETURN_IF_ERROR(deps_.store.SetQuotas(project_id, own));
  return Effective(project_id);
}

absl::Status QuotaManager::Delete(const RequestContext& ctx, const std::string& project_id) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume_extension:quotas:delete", project_id));
  return deps_.store.DeleteQuotas(project_id);
}

absl::StatusOr<QuotaReport> QuotaManager::Limits(const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume:get_limits"));
  QuotaReport report;
  GUREUM_ASSIGN_OR_RETURN(report.limits, Effective(ctx.caller.project_id));
  GUREUM_ASSIGN_OR_RETURN(report.in_use, deps_.store.GetUsage(ctx.caller.project_id));
  return report;
}

}  // namespace gureum::block_storage

namespace gureum::block_storage {

absl::Status QuotaExceeded(const absl::Status& status, const QuotaLimits& limits,
                           int64_t requested_gb) {
  if (!absl::IsResourceExhausted(status)) return status;
  const std::string name(status.message());
  auto limit = limits.find(name);
  const int64_t value = limit == limits.end() ? 0 : limit->second;
  if (absl::StartsWith(name, "gigabytes")) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed ", name,
        " quota. Requested ", requested_gb, "G, quota is ", value, "G."));
  }
  const char* what = absl::StartsWith(name, "snapshots") ? "snapshots" : "volumes";
  return absl::ResourceExhaustedError(absl::StrCat("Maximum number of ", what, " allowed (", value,
                                                   ") exceeded for quota '", name, "'."));
}

}  // namespace gureum::block_storage
