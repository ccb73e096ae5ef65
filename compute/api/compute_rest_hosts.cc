// /v2.1/os-services, os-hypervisors, os-availability-zone and os-aggregates (admin).
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

bool SameBinary(const std::string& ours, const std::string& asked) {
  return asked.empty() || ours == asked ||
         (asked == "nova-compute" && ours == "gureum-compute-agent");
}

// The pre-2.53 forms: PUT /os-services/{enable,disable,disable-log-reason,force-down}
// with {"host", "binary"}.
absl::Status LegacyServiceUpdate(Call& call, const std::string& verb) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  std::optional<std::string> host, binary;
  std::optional<bool> forced;
  std::optional<std::string> reason;
  http::JsonReader r(body, "body", /*open=*/true);
  r.OptionalString("host", &host, kNullable);
  r.OptionalString("binary", &binary, kNullable);
  // Each form reads its own field only.
  if (verb == "disable-log-reason") r.OptionalString("disabled_reason", &reason, kNullable);
  if (verb == "force-down") OptionalBool(r, body, "forced_down", &forced);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (!host || !binary)
    return absl::InvalidArgumentError("Invalid input: 'host' and 'binary' are required properties");
  GUREUM_ASSIGN_OR_RETURN(auto states, call.managers().hosts().ListHostStates());
  std::string id;
  for (const HostState& h : states) {
    if (h.service.host == *host && SameBinary(h.service.binary, *binary)) id = h.service.uuid;
  }
  if (id.empty())
    return absl::NotFoundError("Service " + *binary + " on host " + *host + " not found.");
  std::optional<bool> enabled;
  json out = {{"host", *host}, {"binary", *binary}};
  if (verb == "enable") {
    enabled = true;
    out["status"] = "enabled";
  } else if (verb == "disable" || verb == "disable-log-reason") {
    enabled = false;
    out["status"] = "disabled";
    if (verb == "disable-log-reason") {
      if (!reason) return absl::InvalidArgumentError("Missing disabled reason field");
      out["disabled_reason"] = *reason;
    }
  } else if (verb == "force-down") {
    if (!call.version.AtLeast(11)) return absl::NotFoundError("force-down needs microversion 2.11");
    if (!forced)
      return absl::InvalidArgumentError("Invalid input: 'forced_down' is a required property");
    out["forced_down"] = *forced;
  }
  GUREUM_RETURN_IF_ERROR(
      call.managers().hosts().UpdateService(call.rc, id, enabled, reason, forced).status());
  call.res.Json(200, {{"service", out}});
  return absl::OkStatus();
}

json HypervisorJson(const HypervisorStats& hv, bool detail) {
  const ServiceRecord& s = hv.host.service;
  json j = {{"id", s.id},
            {"hypervisor_hostname", s.host},
            {"state", hv.host.up ? "up" : "down"},
            {"status", s.enabled ? "enabled" : "disabled"}};
  if (!detail) return j;
  auto inv = [&](const char* rc) -> ProviderInventory {
    if (!hv.provider) return {};
    auto it = hv.provider->inventories.find(rc);
    return it == hv.provider->inventories.end() ? ProviderInventory{} : it->second;
  };
  auto used = [&](const char* rc) -> int64_t {
    if (!hv.provider) return 0;
    auto it = hv.provider->usages.find(rc);
    return it == hv.provider->usages.end() ? 0 : it->second;
  };
  const int64_t ram = inv("MEMORY_MB").total, disk = inv("DISK_GB").total;
  j.update({{"vcpus", inv("VCPU").total},
            {"vcpus_used", used("VCPU")},
            {"memory_mb", ram},
            {"memory_mb_used", used("MEMORY_MB")},
            {"local_gb", disk},
            {"local_gb_used", used("DISK_GB")},
            {"free_ram_mb", ram - used("MEMORY_MB")},
            {"free_disk_gb", disk - used("DISK_GB")},
            {"disk_available_least", disk - used("DISK_GB")},
            {"running_vms", s.running_vms},
            {"current_workload", 0},
            {"hypervisor_type", s.hypervisor_type.empty() ? "QEMU" : s.hypervisor_type},
            {"hypervisor_version", 1000000},
            {"host_ip", s.host_ip},
            {"cpu_info", "{}"},
            {"service",
             {{"host", s.host},
              {"id", s.id},
              {"disabled_reason",
               s.disabled_reason.empty() ? json(nullptr) : json(s.disabled_reason)}}}});
  return j;
}

absl::StatusOr<int> AggregateId(const Call& call) {
  absl::StatusOr<int64_t> id = http::ParseInteger(call.Param("id"), "id", INT32_MIN, INT32_MAX);
  if (!id.ok())
    return absl::NotFoundError("Aggregate " + call.Param("id") + " could not be found.");
  return static_cast<int>(*id);
}

absl::Status ListHypervisors(Call& call, bool detail) {
  GUREUM_ASSIGN_OR_RETURN(auto hvs, call.managers().hosts().ListHypervisors(call.rc));
  json list = json::array();
  for (const HypervisorStats& hv : hvs) list.push_back(HypervisorJson(hv, detail));
  call.res.Json(200, {{"hypervisors", list}});
  return absl::OkStatus();
}

// GET /v2.1/os-services
absl::Status ListServices(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto states, call.managers().hosts().ListServices(call.rc));
  const std::string host = call.req.Query("host").value_or("");
  const std::string binary = call.req.Query("binary").value_or("");
  json list = json::array();
  for (const HostState& h : states) {
    if ((!host.empty() && h.service.host != host) || !SameBinary(h.service.binary, binary))
      continue;
    list.push_back(ServiceJson(call, h));
  }
  call.res.Json(200, {{"services", list}});
  return absl::OkStatus();
}

// PUT /v2.1/os-services/{id}
absl::Status UpdateService(Call& call) {
  const std::string& id = call.Param("id");
  if (id == "enable" || id == "disable" || id == "disable-log-reason" || id == "force-down") {
    return LegacyServiceUpdate(call, id);
  }
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  std::optional<std::string> status, reason;
  std::optional<bool> forced;
  http::JsonReader r(body, "body", /*open=*/true);
  r.OptionalString("status", &status, kNullable);
  r.OptionalString("disabled_reason", &reason, kNullable);
  OptionalBool(r, body, "forced_down", &forced);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  std::optional<bool> enabled;
  if (status) {
    if (*status != "enabled" && *status != "disabled") {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute status: enabled or disabled");
    }
    enabled = *status == "enabled";
  }
  GUREUM_ASSIGN_OR_RETURN(
      HostState h, call.managers().hosts().UpdateService(call.rc, id, enabled, reason, forced));
  call.res.Json(200, {{"service", ServiceJson(call, h)}});
  return absl::OkStatus();
}

// DELETE /v2.1/os-services/{id}
absl::Status DeleteService(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.managers().hosts().DeleteService(call.rc, call.Param("id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// GET /v2.1/os-hypervisors/statistics
absl::Status HypervisorStatistics(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto hvs, call.managers().hosts().ListHypervisors(call.rc));
  json total = {{"count", 0}};
  for (const char* k :
       {"vcpus", "vcpus_used", "memory_mb", "memory_mb_used", "local_gb", "local_gb_used",
        "free_ram_mb", "free_disk_gb", "running_vms", "current_workload", "disk_available_least"}) {
    total[k] = 0;
  }
  for (const HypervisorStats& hv : hvs) {
    json j = HypervisorJson(hv, true);
    total["count"] = total["count"].get<int64_t>() + 1;
    for (auto& [k, v] : total.items()) {
      if (k != "count") v = v.get<int64_t>() + j[k].get<int64_t>();
    }
  }
  call.res.Json(200, {{"hypervisor_statistics", total}});
  return absl::OkStatus();
}

// GET /v2.1/os-hypervisors/{id}
absl::Status ShowHypervisor(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto hvs, call.managers().hosts().ListHypervisors(call.rc));
  for (const HypervisorStats& hv : hvs) {
    if (std::to_string(hv.host.service.id) == call.Param("id") ||
        hv.host.service.host == call.Param("id")) {
      call.res.Json(200, {{"hypervisor", HypervisorJson(hv, true)}});
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("Hypervisor " + call.Param("id") + " could not be found.");
}

// GET /v2.1/os-aggregates
absl::Status ListAggregates(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto aggregates, call.managers().hosts().ListAggregates(call.rc));
  json list = json::array();
  for (const Aggregate& a : aggregates) list.push_back(AggregateJson(call, a));
  call.res.Json(200, {{"aggregates", list}});
  return absl::OkStatus();
}

// POST /v2.1/os-aggregates
absl::Status CreateAggregate(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json a, BodyEntity(call.req, "aggregate"));
  std::optional<std::string> name, zone;
  http::JsonReader r(a, "aggregate", /*open=*/true);
  r.OptionalString("name", &name, kNullable);
  r.OptionalString("availability_zone", &zone, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Aggregate created, call.managers().hosts().CreateAggregate(
                                                 call.rc, name.value_or(""), zone.value_or("")));
  call.res.Json(200, {{"aggregate", AggregateJson(call, created, /*created=*/true)}});
  return absl::OkStatus();
}

// GET /v2.1/os-aggregates/{id}
absl::Status ShowAggregate(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(int id, AggregateId(call));
  GUREUM_ASSIGN_OR_RETURN(Aggregate a, call.managers().hosts().GetAggregate(call.rc, id));
  call.res.Json(200, {{"aggregate", AggregateJson(call, a)}});
  return absl::OkStatus();
}

// PUT /v2.1/os-aggregates/{id}
absl::Status UpdateAggregate(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(int id, AggregateId(call));
  GUREUM_ASSIGN_OR_RETURN(json a, BodyEntity(call.req, "aggregate"));
  std::optional<std::string> name, zone;
  http::JsonReader r(a, "aggregate", /*open=*/true);
  r.OptionalString("name", &name, kNullable);
  r.OptionalString("availability_zone", &zone, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Aggregate updated,
                          call.managers().hosts().UpdateAggregate(call.rc, id, name, zone));
  call.res.Json(200, {{"aggregate", AggregateJson(call, updated)}});
  return absl::OkStatus();
}

// DELETE /v2.1/os-aggregates/{id}
absl::Status DeleteAggregate(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(int id, AggregateId(call));
  GUREUM_RETURN_IF_ERROR(call.managers().hosts().DeleteAggregate(call.rc, id));
  call.res.Empty(200);
  return absl::OkStatus();
}

// POST /v2.1/os-aggregates/{id}/action
absl::Status AggregateAction(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(int id, AggregateId(call));
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  absl::StatusOr<Aggregate> result =
      absl::InvalidArgumentError("Invalid request body: no known aggregate action");
  if (body.contains("add_host") || body.contains("remove_host")) {
    const bool add = body.contains("add_host");
    GUREUM_ASSIGN_OR_RETURN(json arg, BodyEntity(call.req, add ? "add_host" : "remove_host"));
    std::optional<std::string> host;
    http::JsonReader r(arg, add ? "add_host" : "remove_host", /*open=*/true);
    r.OptionalString("host", &host, kNullable);
    GUREUM_RETURN_IF_ERROR(r.Finish());
    if (!host) return absl::InvalidArgumentError("Invalid input: 'host' is a required property");
    result = add ? call.managers().hosts().AddAggregateHost(call.rc, id, *host)
                 : call.managers().hosts().RemoveAggregateHost(call.rc, id, *host);
  } else if (body.contains("set_metadata")) {
    GUREUM_ASSIGN_OR_RETURN(json arg, BodyEntity(call.req, "set_metadata"));
    if (!arg.contains("metadata") || !arg["metadata"].is_object()) {
      return absl::InvalidArgumentError("Invalid input: 'metadata' is a required property");
    }
    const json& meta = arg["metadata"];
    std::map<std::string, std::optional<std::string>> changes;
    http::JsonReader r(meta, "metadata", /*open=*/true);  // null removes the key
    for (const auto& [k, v] : meta.items()) r.OptionalString(k.c_str(), &changes[k], kNullable);
    GUREUM_RETURN_IF_ERROR(r.Finish());
    result = call.managers().hosts().SetAggregateMetadata(call.rc, id, changes);
  }
  if (!result.ok()) return result.status();
  call.res.Json(200, {{"aggregate", AggregateJson(call, *result)}});
  return absl::OkStatus();
}

// GET /v2.1/os-availability-zone and .../detail (admin): zones with their hosts.
absl::Status ListZones(Call& call, bool detail) {
  GUREUM_ASSIGN_OR_RETURN(auto zones,
                          call.managers().hosts().ListAvailabilityZones(call.rc, detail));
  json list = json::array();
  for (const HostManager::Zone& z : zones) {
    const bool internal = z.name == call.managers().options().internal_service_availability_zone;
    if (!detail && internal) continue;
    json hosts = nullptr;
    if (detail) {
      hosts = json::object();
      for (const HostState& h : z.hosts) {
        hosts[h.service.host][h.service.binary] = {
            {"available", h.up},
            {"active", h.service.enabled},
            {"updated_at", TimeOrNull(h.service.last_seen_at, true)}};
      }
    }
    list.push_back({{"zoneName", z.name},
                    {"zoneState", {{"available", z.available || internal}}},
                    {"hosts", hosts}});
  }
  call.res.Json(200, {{"availabilityZoneInfo", list}});
  return absl::OkStatus();
}

}  // namespace

void RegisterHostRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-services", ListServices);
  routes.Add("PUT", "/v2.1/os-services/{id}", UpdateService);
  routes.Add("DELETE", "/v2.1/os-services/{id}", DeleteService);

  routes.Add("GET", "/v2.1/os-hypervisors",
             [](Call& call) { return ListHypervisors(call, false); });
  routes.Add("GET", "/v2.1/os-hypervisors/detail",
             [](Call& call) { return ListHypervisors(call, true); });
  routes.Add("GET", "/v2.1/os-hypervisors/statistics", HypervisorStatistics);
  routes.Add("GET", "/v2.1/os-hypervisors/{id}", ShowHypervisor);

  routes.Add("GET", "/v2.1/os-availability-zone",
             [](Call& call) { return ListZones(call, false); });
  routes.Add("GET", "/v2.1/os-availability-zone/detail",
             [](Call& call) { return ListZones(call, true); });

  routes.Add("GET", "/v2.1/os-aggregates", ListAggregates);
  routes.Add("POST", "/v2.1/os-aggregates", CreateAggregate);
  routes.Add("GET", "/v2.1/os-aggregates/{id}", ShowAggregate);
  routes.Add("PUT", "/v2.1/os-aggregates/{id}", UpdateAggregate);
  routes.Add("DELETE", "/v2.1/os-aggregates/{id}", DeleteAggregate);
  routes.Add("POST", "/v2.1/os-aggregates/{id}/action", AggregateAction);
}

}  // namespace gureum::compute
