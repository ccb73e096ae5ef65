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

// The limits of a quota_set / quota_class_set body (integers, or strings of them).
absl::StatusOr<QuotaLimits> QuotaBody(const http::Request& req, const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(json q, Entity(req, key));
  QuotaLimits limits;
  for (const auto& [name, value] : q.items()) {
    if (name == "id" || name == "tenant_id" || name == "class_name") continue;
    http::JsonReader r(q, key, /*open=*/true);
    int64_t v = 0;
    r.Int(name.c_str(), &v, INT64_MIN, INT64_MAX, /*allow_string=*/true);
    GUREUM_RETURN_IF_ERROR(r.Finish());
    limits[name] = v;
  }
  return limits;
}

absl::Status UpdateQuotas(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, QuotaBody(call.req, "quota_set"));
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
  // This API schedules: it is the cinder-scheduler of the services list, up while it answers.
  const BlockStorageOptions& o = call.managers.deps().options;
  if ((!binary || *binary == "cinder-scheduler") && (!host || *host == o.host)) {
    list.push_back({{"binary", "cinder-scheduler"},
                    {"host", o.host},
                    {"zone", o.default_availability_zone},
                    {"status", "enabled"},
                    {"state", "up"},
                    {"updated_at", Time(call.managers.deps().clock.Now())},
                    {"disabled_reason", nullptr}});
  }
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
  if (action == "freeze" || action == "thaw" || action == "failover_host" || action == "failover") {
    return absl::InvalidArgumentError(absl::StrCat("Invalid input received: ", action,
                                                   " is for replicated backends; this cloud's "
                                                   "backends do not replicate."));
  }
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
  if (!binary.empty() && binary != "cinder-volume") {
    return absl::NotFoundError(absl::StrCat("Service binary ", binary,
                                            " could not be found (cinder-volume: the volume "
                                            "agents)."));
  }
  const bool disable = action != "enable";
  GUREUM_RETURN_IF_ERROR(
      call.managers.backends().SetServiceDisabled(call.rc, host, disable, reason));
  if (binary.empty()) binary = "cinder-volume";
  // Cinder's answers: enable and disable-log-reason carry disabled_reason, disable not.
  json out = {{"host", host},
              {"binary", binary},
              {"service", binary},
              {"disabled", disable},
              {"status", disable ? "disabled" : "enabled"}};
  if (action == "enable") out["disabled_reason"] = nullptr;
  if (action == "disable-log-reason") out["disabled_reason"] = reason;
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
  GUREUM_ASSIGN_OR_RETURN(std::optional<bool> detail, http::QueryBool(call.req, "detail"));
  json list = json::array();
  for (const Backend& b : backends) {
    if (!detail.value_or(false)) {
      list.push_back({{"name", b.key + "#" + b.backend}});
      continue;
    }
    list.push_back({{"name", b.key + "#" + b.backend},
                    {"capabilities",
                     {{"volume_backend_name", b.backend},
                      {"driver_version", "1.0"},
                      {"vendor_name", "Open Source"},
                      {"QoS_support", false},
                      {"storage_protocol", "nbd"},
                      {"total_capacity_gb", b.total_gb},
                      {"free_capacity_gb", b.free_gb},
                      {"allocated_capacity_gb", b.allocated_gb},
                      {"max_over_subscription_ratio",
                       call.managers.deps().options.max_over_subscription_ratio},
                      {"thin_provisioning_support", true},
                      {"reserved_percentage", 0},
                      {"pool_name", b.backend},
                      {"timestamp", Time(b.updated_at)},
                      {"updated", Time(b.updated_at)}}}});
  }
  call.res.Json(200, {{"pools", list}});
  return absl::OkStatus();
}

// The parts of Cinder's API this service serves, as Cinder names its extensions.
absl::Status Extensions(Call& call) {
  struct Served {
    const char* alias;
    const char* name;
    const char* description;
  };
  static const std::vector<Served> kServed = {
      {"os-admin-actions", "AdminActions", "Enable admin actions (reset status, force delete)."},
      {"os-availability-zone", "AvailabilityZones", "Describe Availability Zones."},
      {"os-extended-snapshot-attributes", "ExtendedSnapshotAttributes",
       "Extended snapshot attributes."},
      {"os-hosts", "Hosts", "Admin-only host administration."},
      {"os-quota-class-sets", "QuotaClasses", "Quota classes management support."},
      {"os-quota-sets", "Quotas", "Quota management support."},
      {"os-services", "Services", "Services support."},
      {"os-types-extra-specs", "TypesExtraSpecs", "Type extra specs support."},
      {"os-types-manage", "TypesManage", "Types manage support."},
      {"os-vol-host-attr", "VolumeHostAttribute", "Expose host as an attribute of a volume."},
      {"os-vol-mig-status-attr", "VolumeMigStatusAttribute",
       "Expose migration_status as an attribute of a volume."},
      {"os-vol-tenant-attr", "VolumeTenantAttribute",
       "Expose the internal project_id as an attribute of a volume."},
      {"os-volume-actions", "VolumeActions", "Enable volume actions."},
      {"os-volume-type-access", "VolumeTypeAccess", "Volume type access support."},
      {"scheduler-stats", "Scheduler_stats", "Scheduler stats support."}};
  json list = json::array();
  for (const Served& e : kServed) {
    const std::string alias = e.alias;
    list.push_back({{"alias", alias},
                    {"name", e.name},
                    {"description", e.description},
                    {"namespace", absl::StrCat("https://docs.openstack.org/volume/ext/", alias)},
                    {"updated", "2022-08-31T00:00:00+00:00"},
                    {"links", json::array()}});
  }
  call.res.Json(200, {{"extensions", list}});
  return absl::OkStatus();
}

absl::Status Hosts(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends,
                          call.managers.backends().ListServices(call.rc));
  const BlockStorageOptions& o = call.managers.deps().options;
  json list = json::array({{{"host_name", o.host},
                            {"service", "cinder-scheduler"},
                            {"zone", o.default_availability_zone},
                            {"service-status", "available"},
                            {"service-state", "enabled"},
                            {"last-update", Time(call.managers.deps().clock.Now())}}});
  for (const Backend& b : backends) {
    list.push_back(
        {{"host_name", b.key},
         {"service", "cinder-volume"},
         {"zone", b.availability_zone},
         {"service-status", call.managers.backends().IsUp(b) ? "available" : "unavailable"},
         {"service-state", b.disabled ? "disabled" : "enabled"},
         {"last-update", Time(b.updated_at)}});
  }
  call.res.Json(200, {{"hosts", list}});
  return absl::OkStatus();
}

// One host's resources: the total of the caller's project (as Cinder's os-hosts shows it).
absl::Status ShowHost(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends,
                          call.managers.backends().ListServices(call.rc));
  for (const Backend& b : backends) {
    if (b.key != call.Param("host") && b.host != call.Param("host")) continue;
    GUREUM_ASSIGN_OR_RETURN(QuotaReport r, call.managers.quotas().Limits(call.rc));
    json total = {{"host", b.key},
                  {"project", "(total)"},
                  {"volume_count", absl::StrCat(Get(r.in_use, "volumes"))},
                  {"total_volume_gb", absl::StrCat(b.allocated_gb)},
                  {"snapshot_count", absl::StrCat(Get(r.in_use, "snapshots"))},
                  {"total_snapshot_gb", "0"}};
    call.res.Json(200, {{"host", json::array({{{"resource", total}}})}});
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("Host ", call.Param("host"), " could not be found."));
}

// GET /capabilities/{host}: what a backend offers ("host@backend", or a pool's name
// "host@backend#pool"), as Cinder's capabilities API shows it.
absl::Status Capabilities(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers.policy().Enforce(call.rc, "volume_extension:capabilities"));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Backend> backends,
                          call.managers.backends().ListServices(call.rc));
  const std::string wanted = call.Param("host").substr(0, call.Param("host").find('#'));
  for (const Backend& b : backends) {
    if (b.key != wanted) continue;
    call.res.Json(200, {{"namespace", "OS::Storage::Capabilities::" + b.key},
                        {"vendor_name", "Open Source"},
                        {"volume_backend_name", b.backend},
                        {"pool_name", b.backend},
                        {"driver_version", "1.0"},
                        {"storage_protocol", "nbd"},
                        {"display_name", nullptr},
                        {"description", nullptr},
                        {"visibility", nullptr},
                        {"replication_targets", json::array()},
                        {"properties", json::object()}});
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("Host ", wanted, " could not be found."));
}

}  // namespace

void RegisterQuotaRoutes(Routes& routes) {
  routes.Add("GET", "/os-quota-class-sets/{class}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(c.managers.policy().Enforce(c.rc, "volume_extension:quotas:show"));
    GUREUM_ASSIGN_OR_RETURN(QuotaLimits defaults, c.managers.quotas().Defaults());
    json q = defaults;
    q["id"] = c.Param("class");
    c.res.Json(200, {{"quota_class_set", q}});
    return absl::OkStatus();
  });
  routes.Add("PUT", "/os-quota-class-sets/{class}", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, QuotaBody(c.req, "quota_class_set"));
    GUREUM_ASSIGN_OR_RETURN(QuotaLimits all,
                            c.managers.quotas().UpdateDefaults(c.rc, c.Param("class"), limits));
    c.res.Json(200, {{"quota_class_set", all}});
    return absl::OkStatus();
  });
  routes.Add("GET", "/os-quota-sets/{target}", ShowQuotas);
  routes.Add("PUT", "/os-quota-sets/{target}", UpdateQuotas);
  routes.Add("DELETE", "/os-quota-sets/{target}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(c.managers.quotas().Delete(c.rc, c.Param("target")));
    c.res.Empty(200);
    return absl::OkStatus();
  });
  routes.Add("GET", "/os-quota-sets/{target}/defaults", [](Call& c) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(QuotaLimits defaults, c.managers.quotas().Defaults());
    json q = defaults;
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
  routes.Add("GET", "/extensions", Extensions);
  routes.Add("GET", "/capabilities/{host}", Capabilities);
  routes.Add("GET", "/os-hosts", Hosts);
  routes.Add("GET", "/os-hosts/{host}", ShowHost);
}

}  // namespace gureum::block_storage
