// /v2.1/os-hosts (Nova's, deprecated at 2.43: served to 2.42) and the hypervisor routes
// of microversions before 2.53: os-hypervisors/{id}/uptime, {hostname}/search and
// {hostname}/servers. Admin only (the host manager's os-services and os-hypervisors
// policies).
#include "absl/strings/match.h"
#include "common/http/json_reader.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

absl::Status HostNotFound(const std::string& host) {
  return absl::NotFoundError("Compute host " + host + " could not be found.");
}

// Nova's service name of a binary ("gureum-compute-agent" is "compute").
std::string ServiceName(const std::string& binary) {
  return binary == "gureum-compute-agent" ? "compute" : binary;
}

// The compute service of `host`, NotFound if there is none.
absl::StatusOr<HostState> ComputeHost(Call& call, const std::string& host) {
  GUREUM_ASSIGN_OR_RETURN(auto services, call.managers().hosts().ListServices(call.rc));
  for (HostState& h : services) {
    if (h.service.host == host && h.service.binary == "gureum-compute-agent") return h;
  }
  return HostNotFound(host);
}

// GET /v2.1/os-hosts[?zone=]
absl::Status ListHosts(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto services, call.managers().hosts().ListServices(call.rc));
  const std::string zone = call.req.Query("zone").value_or("");
  json list = json::array();
  for (const HostState& h : services) {
    if (!zone.empty() && h.availability_zone != zone) continue;
    list.push_back({{"host_name", h.service.host},
                    {"service", ServiceName(h.service.binary)},
                    {"zone", h.availability_zone}});
  }
  call.res.Json(200, {{"hosts", list}});
  return absl::OkStatus();
}

json Resource(const std::string& host, const std::string& project, int64_t cpu, int64_t memory,
              int64_t disk) {
  return {{"resource",
           {{"host", host},
            {"project", project},
            {"cpu", cpu},
            {"memory_mb", memory},
            {"disk_gb", disk}}}};
}

// GET /v2.1/os-hosts/{host}: (total), (used_now), (used_max) and each project's use.
absl::Status ShowHost(Call& call) {
  const std::string& host = call.Param("host");
  GUREUM_RETURN_IF_ERROR(ComputeHost(call, host).status());
  GUREUM_ASSIGN_OR_RETURN(auto hvs, call.managers().hosts().ListHypervisors(call.rc));
  GUREUM_ASSIGN_OR_RETURN(auto servers, call.managers().hosts().ListHostInstances(call.rc, host));
  int64_t cpu = 0, ram = 0, disk = 0;
  for (const HypervisorStats& hv : hvs) {
    if (hv.host.service.host != host || !hv.provider) continue;
    auto total = [&](const char* rc) {
      auto it = hv.provider->inventories.find(rc);
      return it == hv.provider->inventories.end() ? int64_t{0} : it->second.total;
    };
    cpu = total("VCPU");
    ram = total("MEMORY_MB");
    disk = total("DISK_GB");
  }
  struct Use {
    int64_t cpu = 0, ram = 0, disk = 0;
  };
  Use all;
  std::map<std::string, Use> projects;
  for (const Instance& i : servers) {
    for (Use* u : {&all, &projects[i.project_id]}) {
      u->cpu += i.flavor.vcpus;
      u->ram += i.flavor.ram_mb;
      u->disk += i.flavor.disk_gb + i.flavor.ephemeral_gb;
    }
  }
  json list = json::array({Resource(host, "(total)", cpu, ram, disk),
                           Resource(host, "(used_now)", all.cpu, all.ram, all.disk),
                           Resource(host, "(used_max)", all.cpu, all.ram, all.disk)});
  for (const auto& [project, u] : projects) {
    list.push_back(Resource(host, project, u.cpu, u.ram, u.disk));
  }
  call.res.Json(200, {{"host", list}});
  return absl::OkStatus();
}

// PUT /v2.1/os-hosts/{host} {"status": "enable"|"disable", "maintenance_mode": ...}
absl::Status UpdateHost(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
  GUREUM_RETURN_IF_ERROR(CheckKnownFields(body, "", {"status", "maintenance_mode"}));
  std::string status, maintenance;
  http::JsonReader r(body, "", /*open=*/false);
  r.String("status", &status);
  r.String("maintenance_mode", &maintenance);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  for (const std::string* v : {&status, &maintenance}) {
    if (!v->empty() && *v != "enable" && *v != "disable") {
      return absl::InvalidArgumentError("Invalid input for field/attribute: '" + *v +
                                        "' is not one of ['enable', 'disable']");
    }
  }
  if (status.empty() && maintenance.empty()) {
    return absl::InvalidArgumentError("'status' or 'maintenance_mode' needed for host update");
  }
  GUREUM_ASSIGN_OR_RETURN(HostState h, ComputeHost(call, call.Param("host")));
  if (!maintenance.empty()) {  // libvirt's host maintenance is not implemented in Nova either
    return WithHttpStatus(absl::UnimplementedError("Virt driver does not implement host "
                                                   "maintenance mode."),
                          501);
  }
  GUREUM_ASSIGN_OR_RETURN(HostState updated, call.managers().hosts().UpdateService(
                                                 call.rc, std::to_string(h.service.id),
                                                 status == "enable", std::nullopt, std::nullopt));
  call.res.Json(200, {{"host", updated.service.host},
                      {"status", updated.service.enabled ? "enabled" : "disabled"}});
  return absl::OkStatus();
}

// GET /v2.1/os-hosts/{host}/startup|shutdown|reboot: host power is not Gureum's to manage
// (Nova's libvirt driver does not either): 501 for a host that exists.
absl::Status HostPowerAction(Call& call) {
  GUREUM_RETURN_IF_ERROR(ComputeHost(call, call.Param("host")).status());
  return WithHttpStatus(
      absl::UnimplementedError("Virt driver does not implement host power management."), 501);
}

json HypervisorBrief(const HostState& h) {
  return {{"id", h.service.id},
          {"hypervisor_hostname", h.service.host},
          {"state", h.up ? "up" : "down"},
          {"status", h.service.enabled ? "enabled" : "disabled"}};
}

// The hypervisors whose host name contains `pattern`; NotFound when none does.
absl::StatusOr<std::vector<HypervisorStats>> Matching(Call& call, const std::string& pattern) {
  GUREUM_ASSIGN_OR_RETURN(auto hvs, call.managers().hosts().ListHypervisors(call.rc));
  std::vector<HypervisorStats> out;
  for (HypervisorStats& hv : hvs) {
    if (absl::StrContains(hv.host.service.host, pattern)) out.push_back(std::move(hv));
  }
  if (out.empty()) {
    return absl::NotFoundError("No hypervisor matching '" + pattern + "' could be found.");
  }
  return out;
}

// GET /v2.1/os-hypervisors/{id}/search and /servers
absl::Status SearchHypervisors(Call& call, bool with_servers) {
  GUREUM_ASSIGN_OR_RETURN(auto hvs, Matching(call, call.Param("id")));
  json list = json::array();
  for (const HypervisorStats& hv : hvs) {
    json j = HypervisorBrief(hv.host);
    if (with_servers) {
      GUREUM_ASSIGN_OR_RETURN(
          auto servers, call.managers().hosts().ListHostInstances(call.rc, hv.host.service.host));
      json s = json::array();
      for (const Instance& i : servers) s.push_back({{"uuid", i.uuid}, {"name", i.name}});
      if (!s.empty()) j["servers"] = s;
    }
    list.push_back(j);
  }
  call.res.Json(200, {{"hypervisors", list}});
  return absl::OkStatus();
}

// GET /v2.1/os-hypervisors/{id}/uptime: the agents do not report their host's uptime, so
// a hypervisor that exists is 501, as Nova answers for a driver without it.
absl::Status HypervisorUptime(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto hvs, call.managers().hosts().ListHypervisors(call.rc));
  for (const HypervisorStats& hv : hvs) {
    if (std::to_string(hv.host.service.id) == call.Param("id")) {
      return WithHttpStatus(
          absl::UnimplementedError("Virt driver does not implement uptime function."), 501);
    }
  }
  return absl::NotFoundError("Hypervisor " + call.Param("id") + " could not be found.");
}

}  // namespace

void RegisterOsHostRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-hosts", ListHosts);
  routes.Add("GET", "/v2.1/os-hosts/{host}", ShowHost);
  routes.Add("PUT", "/v2.1/os-hosts/{host}", UpdateHost);
  for (const char* action : {"startup", "shutdown", "reboot"}) {
    routes.Add("GET", std::string("/v2.1/os-hosts/{host}/") + action, HostPowerAction);
  }
  routes.Add("GET", "/v2.1/os-hypervisors/{id}/uptime", HypervisorUptime);
  routes.Add("GET", "/v2.1/os-hypervisors/{id}/search",
             [](Call& call) { return SearchHypervisors(call, false); });
  routes.Add("GET", "/v2.1/os-hypervisors/{id}/servers",
             [](Call& call) { return SearchHypervisors(call, true); });
}

}  // namespace gureum::compute
