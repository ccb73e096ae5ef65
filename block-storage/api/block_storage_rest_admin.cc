// Quotas (os-quota-sets, +defaults, ?usage=true), limits, os-services (+disable/enable),
// os-availability-zone and scheduler-stats/get_pools.
#include "absl/strings/str_cat.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

json QuotaSetJson(const std::string& project, const QuotaReport& report, bool usage) {
  json q = {{"id", project}};
  for (const auto& [name, limit] : report.limits) {
    if (!usage) {
      q[name] = limit;
      continue;
    }
    auto used = report.in_use.find(name);
    q[name] = {{"limit", limit},
               {"in_use", used == report.in_use.end() ? 0 : used->second},
               {"reserved", 0},
               {"allocated", 0}};
  }
  return q;
}

absl::Status ShowQuotas(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<bool> usage, http::QueryBool(call.req, "usage"));
  GUREUM_ASSIGN_OR_RETURN(QuotaReport report,
                          call.managers.quotas().Show(call.rc, call.Param("target")));
  call.res.Json(200,
                {{"quota_set", QuotaSetJson(call.Param("target"), report, usage.value_or(false))}});
  return absl::OkStatus();
}

absl::Status UpdateQuotas(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json q, Entity(call.req, "quota_set"));
  QuotaLimits limits;
  for (const auto& [name, value] : q.items()) {
    if (name == "id" || name == "tenant_id") continue;
    http::JsonReader r(q, "quota_set", /*open=*/true);
    int64_t v = 0;
    r.Int(name.c_str(), &v, INT64_MIN, INT64_MAX, /*allow_string=*/true);
    GUREUM_RETURN_IF_ERROR(r.Finish());
    limits[name] = v;
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits all,
                          call.managers.quotas().Update(call.rc, call.Param("target"), limits));
  call.res.Json(200, {{"quota_set", all}});
  return absl::OkStatus();
}

int64_t Get(const std::map<std::string, int64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

absl::Status Limits(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(QuotaReport r, call.managers.quotas().Limits(call.rc));
  json absolute = {{"maxTotalVolumes", Get(r.limits, "volumes")},
                   {"maxTotalSnapshots", Get(r.limits, "snapshots")},
                   {"maxTotalVolumeGigabytes", Get(r.limits, "gigabytes")},
                   {"maxTotalBackups", Get(r.limits, "backups")},
                   {"maxTotalBackupGigabytes", Get(r.limits, "backup_gigabytes")},
                   {"totalVolumesUsed", Get(r.in_use, "volumes")},
                   {"totalSnapshotsUsed", Get(r.in_use, "snapshots")},
                   {"totalGigabytesUsed", Get(r.in_use, "gigabytes")},
                   {"totalBackupsUsed", 0},
                   {"totalBackupGigabytesUsed", 0}};
  call.res.Json(200, {{"limits", {{"rate", json::array()}, {"absolute", absolute}}}});
  return absl::OkStatus();
}

absl::Status Services(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends,
                          call.managers.backends().ListServices(call.rc));
  const auto binary = call.req.Query("binary");
  const auto host = call.req.Query("host");
  json list = json::array();
  for (const Backend& b : backends) {
    if (binary && *binary != "cinder-volume") continue;
    if (host && *host != b.host && *host != b.key) continue;
    list.push_back(
        {{"binary", "cinder-volume"},
         {"host", b.key},
         {"zone", b.availability_zone},
         {"status", b.disabled ? "disabled" : "enabled"},
         {"state", call.managers.backends().IsUp(b) ? "up" : "down"},
         {"updated_at", Time(b.updated_at)},
         {"disabled_reason", b.disabled_reason.empty() ? json() : json(b.disabled_reason)},
         {"replication_status", "disabled"},
         {"frozen", false},
         {"active_backend_id", nullptr}});
  }
  call.res.Json(200, {{"services", list}});
  return absl::OkStatus();
}

absl::Status UpdateService(Call& call) {
  const std::string action = call.Param("action");
  if (action != "disable" && action != "enable" && action != "disable-log-reason") {
    return absl::NotFoundError(absl::StrCat("Unknown service action ", action, "."));
  }
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  std::string host, binary, reason;
  http::JsonReader r(body, "service", /*open=*/true);
  r.String("host", &host, {.required = true, .allow_empty = false, .max_length = 255});
  r.String("binary", &binary, {.max_length = 255});
  r.String("disabled_reason", &reason, {.max_length = 255});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  const bool disable = action != "enable";
  GUREUM_RETURN_IF_ERROR(
      call.managers.backends().SetServiceDisabled(call.rc, host, disable, reason));
  json out = {{"host", host},
              {"binary", binary.empty() ? "cinder-volume" : binary},
              {"status", disable ? "disabled" : "enabled"}};
  if (disable) out["disabled_reason"] = reason;
  call.res.Json(200, out);
  return absl::OkStatus();
}

absl::Status Zones(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto zones, call.managers.backends().AvailabilityZones(call.rc));
  json list = json::array();
  for (const auto& [name, up] : zones) {
    list.push_back({{"zoneName", name}, {"zoneState", {{"available", up}}}});
  }
  call.res.Json(200, {{"availabilityZoneInfo", list}});
  return absl::OkStatus();
}

absl::Status Pools(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.managers.policy().Enforce(call.rc, "volume_extension:capacity_pools"));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends,
                          call.managers.backends().ListServices(call.rc));
  json list = json::array();
  for (const Backend& b : backends) {
    list.push_back({{"name", b.key + "#" + b.backend},
                    {"capabilities",
                     {{"volume_backend_name", b.backend},
                      {"driver_version", "1.0"},
                      {"storage_protocol", "nbd"},
                      {"total_capacity_gb", b.total_gb},
                      {"free_capacity_gb", b.free_gb},
                      {"allocated_capacity_gb", b.allocated_gb},
                      {"max_over_subscription_ratio",
                       call.managers.deps().options.max_over_subscription_ratio},
                      {"thin_provisioning_support", true},
                      {"reserved_percentage", 0},
                      {"pool_name", b.backend},
                      {"timestamp", Time(b.updated_at)}}}});
  }
  call.res.Json(200, {{"pools", list}});
  return absl::OkStatus();
}

}  // namespace

void RegisterQuotaRoutes(Routes& routes) {
  routes.Add("GET", "/os-quota-sets/{target}", ShowQuotas);
  routes.Add("PUT", "/os-quota-sets/{target}", UpdateQuotas);
  routes.Add("DELETE", "/os-quota-sets/{target}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(c.managers.quotas().Delete(c.rc, c.Param("target")));
    c.res.Empty(200);
    return absl::OkStatus();
  });
  routes.Add("GET", "/os-quota-sets/{target}/defaults", [](Call& c) -> absl::Status {
    json q = c.managers.quotas().Defaults();
    q["id"] = c.Param("target");
    c.res.Json(200, {{"quota_set", q}});
    return absl::OkStatus();
  });
  routes.Add("GET", "/limits", Limits);
}

void RegisterServiceRoutes(Routes& routes) {
  routes.Add("GET", "/os-services", Services);
  routes.Add("PUT", "/os-services/{action}", UpdateService);
  routes.Add("GET", "/os-availability-zone", Zones);
  routes.Add("GET", "/scheduler-stats/get_pools", Pools);
}

}  // namespace gureum::block_storage
