#include "compute/api/usage_manager.h"

#include <algorithm>
#include <map>

#include "absl/time/civil_time.h"
#include "common/status/macros.h"

namespace gureum::compute {

UsageManager::UsageManager(ComputeStore& store, const ComputePolicy& policy, const Clock& clock)
    : store_(store), policy_(policy), clock_(clock) {}

absl::StatusOr<std::vector<TenantUsage>> UsageManager::Compute(const std::string& project,
                                                               std::optional<absl::Time> start_at,
                                                               std::optional<absl::Time> end_at) {
  const absl::Time now = clock_.Now();
  const absl::Time start = start_at.value_or(now), end = end_at.value_or(now);
  if (end < start) {
    return absl::InvalidArgumentError(
        "Invalid start time. The start time cannot occur after "
        "the end time.");
  }
  InstanceFilter f;
  f.project_id = project;
  f.all_projects = project.empty();
  f.limit = 100000;
  GUREUM_ASSIGN_OR_RETURN(std::vector<Instance> servers, store_.ListInstances(f));
  std::map<std::string, TenantUsage> by_project;
  for (Instance& i : servers) {
    const absl::Time started = i.launched_at.value_or(i.created_at);
    const absl::Time ended = i.terminated_at.value_or(end);
    if (started >= end || ended <= start) continue;  // not in the period
    const absl::Time from = std::max(start, started), to = std::min(end, ended);
    ServerUsage u;
    u.hours = absl::ToDoubleHours(to - from);
    u.uptime_s = static_cast<int64_t>(absl::ToDoubleSeconds(now - started));
    TenantUsage& t = by_project[i.project_id];
    t.project_id = i.project_id;
    t.start = start;
    t.end = end;
    t.total_hours += u.hours;
    t.total_vcpus_usage += u.hours * i.flavor.vcpus;
    t.total_memory_mb_usage += u.hours * static_cast<double>(i.flavor.ram_mb);
    t.total_local_gb_usage +=
        u.hours * static_cast<double>(i.flavor.disk_gb + i.flavor.ephemeral_gb);
    u.server = std::move(i);
    t.servers.push_back(std::move(u));
  }
  std::vector<TenantUsage> out;
  for (auto& [p, t] : by_project) out.push_back(std::move(t));
  return out;
}

absl::StatusOr<std::vector<TenantUsage>> UsageManager::ListUsage(const RequestContext& ctx,
                                                                 std::optional<absl::Time> start,
                                                                 std::optional<absl::Time> end) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-simple-tenant-usage:list"));
  return Compute("", start, end);
}

absl::StatusOr<TenantUsage> UsageManager::GetUsage(const RequestContext& ctx,
                                                   const std::string& project,
                                                   std::optional<absl::Time> start,
                                                   std::optional<absl::Time> end) {
  GUREUM_RETURN_IF_ERROR(
      policy_.Enforce(ctx, "os_compute_api:os-simple-tenant-usage:show", project));
  GUREUM_ASSIGN_OR_RETURN(std::vector<TenantUsage> usage, Compute(project, start, end));
  if (usage.empty()) {
    TenantUsage none;
    none.project_id = project;
    none.start = start.value_or(clock_.Now());
    none.end = end.value_or(none.start);
    return none;
  }
  return usage.front();
}

absl::StatusOr<UsageAudit> UsageManager::GetAudit(const RequestContext& ctx,
                                                  std::optional<absl::Time> before) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-instance-usage-audit-log"));
  // Nova's last completed audit period: the month before the one `before` falls in.
  const absl::CivilMonth month =
      absl::ToCivilMonth(before.value_or(clock_.Now()), absl::UTCTimeZone());
  UsageAudit audit{.period_beginning = absl::FromCivil(month - 1, absl::UTCTimeZone()),
                   .period_ending = absl::FromCivil(month, absl::UTCTimeZone())};
  GUREUM_ASSIGN_OR_RETURN(auto services, store_.ListServices());
  for (const ServiceRecord& s : services) {
    if (s.binary == "gureum-compute-agent") audit.hosts_not_run.push_back(s.host);
  }
  return audit;
}

}  // namespace gureum::compute
