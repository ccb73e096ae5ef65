// /v2.1/os-simple-tenant-usage (+/{tenant}) and /v2.1/os-instance_usage_audit_log
// (+/{before}) over UsageManager.
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"
#include "compute/api/usage_manager.h"

namespace gureum::compute {
namespace {

// A time as Nova takes it in these queries ("2026-01-01T12:00:00[.ffffff]", or with a
// space); InvalidArgument naming `field` otherwise.
absl::StatusOr<absl::Time> ParseQueryTime(const std::string& text, const std::string& field) {
  absl::Time t;
  std::string err;
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%dT%H:%M:%E*SZ",
                             "%Y-%m-%dT%H:%M:%E*S%Ez"}) {
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &t, &err)) return t;
  }
  return absl::InvalidArgumentError("Invalid " + field + " time. The " + field +
                                    " time must be an ISO 8601 time: " + text);
}

// The period of a usage request: start and end, each nullopt when not given.
absl::StatusOr<std::pair<std::optional<absl::Time>, std::optional<absl::Time>>> Period(
    const Call& call) {
  std::optional<absl::Time> start, end;
  if (auto v = call.req.Query("start")) {
    GUREUM_ASSIGN_OR_RETURN(start, ParseQueryTime(*v, "start"));
  }
  if (auto v = call.req.Query("end")) {
    GUREUM_ASSIGN_OR_RETURN(end, ParseQueryTime(*v, "end"));
  }
  return std::make_pair(start, end);
}

json UsageJson(const TenantUsage& t, bool detailed) {
  json j = {{"tenant_id", t.project_id},
            {"total_hours", t.total_hours},
            {"total_vcpus_usage", t.total_vcpus_usage},
            {"total_memory_mb_usage", t.total_memory_mb_usage},
            {"total_local_gb_usage", t.total_local_gb_usage},
            {"start", IsoMicros(t.start)},
            {"stop", IsoMicros(t.end)}};
  if (!detailed) return j;
  json servers = json::array();
  for (const ServerUsage& u : t.servers) {
    const Instance& i = u.server;
    servers.push_back({{"instance_id", i.uuid},
                       {"name", i.name},
                       {"hours", u.hours},
                       {"memory_mb", i.flavor.ram_mb},
                       {"local_gb", i.flavor.disk_gb + i.flavor.ephemeral_gb},
                       {"vcpus", i.flavor.vcpus},
                       {"tenant_id", i.project_id},
                       {"flavor", i.flavor.name},
                       {"started_at", IsoMicros(i.launched_at.value_or(i.created_at))},
                       {"ended_at", TimeOrNull(i.terminated_at, true)},
                       {"state", i.vm_state},
                       {"uptime", u.uptime_s}});
  }
  j["server_usages"] = servers;
  return j;
}

absl::Status ListUsage(Call& call) {
  // "/os-simple-tenant-usage/" is a show with an empty tenant: Nova's 404.
  if (absl::EndsWith(call.req.path, "/")) return absl::NotFoundError("Tenant usage not found.");
  GUREUM_ASSIGN_OR_RETURN(auto period, Period(call));
  const bool detailed = call.req.Query("detailed").value_or("0") == "1";
  GUREUM_ASSIGN_OR_RETURN(auto usage,
                          call.managers().usage().ListUsage(call.rc, period.first, period.second));
  json list = json::array();
  for (const TenantUsage& t : usage) {
    list.push_back(UsageJson(t, detailed));
  }
  call.res.Json(200, {{"tenant_usages", list}});
  return absl::OkStatus();
}

absl::Status ShowUsage(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto period, Period(call));
  GUREUM_ASSIGN_OR_RETURN(
      TenantUsage usage,
      call.managers().usage().GetUsage(call.rc, call.Param("tenant"), period.first, period.second));
  call.res.Json(200, {{"tenant_usage", UsageJson(usage, true)}});
  return absl::OkStatus();
}

json AuditJson(const UsageAudit& a) {
  const auto n = static_cast<int64_t>(a.hosts_not_run.size());
  return {{"hosts_not_run", a.hosts_not_run},
          {"log", json::object()},
          {"num_hosts", n},
          {"num_hosts_done", 0},
          {"num_hosts_not_run", n},
          {"num_hosts_running", 0},
          {"overall_status", absl::StrCat("0 of ", n, " hosts done. 0 errors.")},
          {"period_beginning", IsoMicros(a.period_beginning)},
          {"period_ending", IsoMicros(a.period_ending)},
          {"total_errors", 0},
          {"total_instances", 0}};
}

absl::Status ShowAudit(Call& call, bool with_time) {
  std::optional<absl::Time> before;
  if (with_time) {
    GUREUM_ASSIGN_OR_RETURN(before, ParseQueryTime(call.Param("before"), "before"));
  }
  GUREUM_ASSIGN_OR_RETURN(UsageAudit audit, call.managers().usage().GetAudit(call.rc, before));
  // Nova's keys: the list answers "..._logs", the one before a time "..._log".
  call.res.Json(200, {{with_time ? "instance_usage_audit_log" : "instance_usage_audit_logs",
                       AuditJson(audit)}});
  return absl::OkStatus();
}

}  // namespace

void RegisterUsageRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-simple-tenant-usage", ListUsage);
  routes.Add("GET", "/v2.1/os-simple-tenant-usage/{tenant}", ShowUsage);
  routes.Add("GET", "/v2.1/os-instance_usage_audit_log",
             [](Call& call) { return ShowAudit(call, false); });
  routes.Add("GET", "/v2.1/os-instance_usage_audit_log/{before}",
             [](Call& call) { return ShowAudit(call, true); });
}

}  // namespace gureum::compute
