// Services (up/down from heartbeats), host states for the scheduler, hypervisors,
// aggregates and availability zones.
#include "compute/api/host_manager.h"

#include <spdlog/spdlog.h>

#include "common/status/macros.h"

namespace gureum::compute {

HostManager::HostManager(ComputeStore& store, PlacementClient& placement,
                         const ComputePolicy& policy, const Clock& clock, IdGenerator& ids,
                         ComputeOptions options)
    : store_(store),
      placement_(placement),
      policy_(policy),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)) {}

bool HostManager::IsUp(const ServiceRecord& s) const {
  if (s.forced_down || !s.last_seen_at) return false;
  return clock_.Now() - *s.last_seen_at <= options_.service_down_time;
}

absl::StatusOr<bool> HostManager::IsHostUp(const std::string& host) {
  GUREUM_ASSIGN_OR_RETURN(auto services, store_.ListServices());
  for (const ServiceRecord& s : services) {
    if (s.host == host && IsUp(s)) return true;
  }
  return false;
}

absl::StatusOr<std::vector<HostState>> HostManager::ListHostStates() {
  GUREUM_ASSIGN_OR_RETURN(auto services, store_.ListServices());
  GUREUM_ASSIGN_OR_RETURN(auto aggregates, store_.ListAggregates());
  std::vector<HostState> out;
  for (ServiceRecord& s : services) {
    HostState h;
    h.up = IsUp(s);
    h.availability_zone = s.binary == "gureum-compute-agent"
                              ? options_.default_availability_zone
                              : options_.internal_service_availability_zone;
    for (const Aggregate& a : aggregates) {
      if (std::find(a.hosts.begin(), a.hosts.end(), s.host) == a.hosts.end()) continue;
      h.aggregates.push_back(a);
      if (!a.availability_zone.empty() && s.binary == "gureum-compute-agent") {
        h.availability_zone = a.availability_zone;
      }
    }
    h.service = std::move(s);
    out.push_back(std::move(h));
  }
  return out;
}

absl::StatusOr<std::vector<HostState>> HostManager::ListHostStatesForScheduler(
    const RequestContext& ctx) {
  if (!policy_.IsAdmin(ctx) && !ctx.caller.HasRole("service")) {
    return absl::PermissionDeniedError("ListHostStates needs the admin or service role");
  }
  return ListHostStates();
}

absl::StatusOr<std::vector<HostState>> HostManager::ListServices(const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-services"));
  return ListHostStates();
}

absl::StatusOr<HostState> HostManager::UpdateService(const RequestContext& ctx,
                                                     const std::string& id,
                                                     std::optional<bool> enabled,
                                                     std::optional<std::string> reason,
                                                     std::optional<bool> forced_down) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-services"));
  if (reason && reason->size() > 255) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute disabled_reason: "
        "at most 255 characters");
  }
  GUREUM_ASSIGN_OR_RETURN(ServiceRecord s, store_.GetService(id));
  GUREUM_RETURN_IF_ERROR(store_.UpdateService(s.uuid, enabled, reason, forced_down).status());
  GUREUM_ASSIGN_OR_RETURN(auto states, ListHostStates());
  for (HostState& h : states) {
    if (h.service.uuid == s.uuid) return h;
  }
  return absl::NotFoundError("Service " + id + " could not be found.");
}

absl::Status HostManager::DeleteService(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-services"));
  GUREUM_ASSIGN_OR_RETURN(ServiceRecord s, store_.GetService(id));
  GUREUM_ASSIGN_OR_RETURN(auto on_host, store_.ListInstancesOnHost(s.host));
  if (!on_host.empty()) {
    return absl::FailedPreconditionError(
        "Unable to delete compute service that is hosting "
        "instances. Migrate or delete the instances first.");
  }
  return store_.DeleteService(s.uuid);
}

absl::StatusOr<std::vector<HypervisorStats>> HostManager::ListHypervisors(
    const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-hypervisors"));
  GUREUM_ASSIGN_OR_RETURN(auto states, ListHostStates());
  absl::StatusOr<std::vector<ProviderUsage>> providers = placement_.ListProviders();
  if (!providers.ok()) {
    spdlog::warn("placement unavailable for hypervisor usage: {}", providers.status().ToString());
  }
  std::vector<HypervisorStats> out;
  for (HostState& h : states) {
    if (h.service.binary != "gureum-compute-agent") continue;
    HypervisorStats hv;
    if (providers.ok()) {
      for (const ProviderUsage& p : *providers) {
        if (p.name == h.service.host ||
            (!h.service.node_uuid.empty() && p.uuid == h.service.node_uuid)) {
          hv.provider = p;
        }
      }
    }
    hv.host = std::move(h);
    out.push_back(std::move(hv));
  }
  return out;
}

absl::StatusOr<std::vector<Instance>> HostManager::ListHostInstances(const RequestContext& ctx,
                                                                     const std::string& host) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-hypervisors"));
  return store_.ListInstancesOnHost(host);
}

absl::StatusOr<Aggregate> HostManager::CreateAggregate(const RequestContext& ctx,
                                                       const std::string& name,
                                                       const std::string& zone) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  if (name.empty() || name.size() > 255) {
    return absl::InvalidArgumentError(
        "Invalid input for field/attribute name: must be 1 to 255 characters");
  }
  Aggregate a;
  a.uuid = ids_.NewUuid();
  a.name = name;
  a.availability_zone = zone;
  if (!zone.empty()) a.metadata["availability_zone"] = zone;
  return store_.CreateAggregate(a);
}

absl::StatusOr<Aggregate> HostManager::GetAggregate(const RequestContext& ctx, int id) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  return store_.GetAggregate(id);
}

absl::StatusOr<std::vector<Aggregate>> HostManager::ListAggregates(const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  return store_.ListAggregates();
}

absl::StatusOr<Aggregate> HostManager::UpdateAggregate(const RequestContext& ctx, int id,
                                                       std::optional<std::string> name,
                                                       std::optional<std::string> zone) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  GUREUM_RETURN_IF_ERROR(store_.UpdateAggregate(id, name, zone).status());
  if (zone) {
    std::map<std::string, std::optional<std::string>> m;
    m["availability_zone"] = zone->empty() ? std::nullopt : std::optional<std::string>(*zone);
    GUREUM_RETURN_IF_ERROR(store_.SetAggregateMetadata(id, m));
  }
  return store_.GetAggregate(id);
}

absl::Status HostManager::DeleteAggregate(const RequestContext& ctx, int id) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  return store_.DeleteAggregate(id);
}

absl::StatusOr<Aggregate> HostManager::AddAggregateHost(const RequestContext& ctx, int id,
                                                        const std::string& host) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  GUREUM_ASSIGN_OR_RETURN(auto services, store_.ListServices());
  bool known = false;
  for (const ServiceRecord& s : services) known = known || s.host == host;
  if (!known) return absl::NotFoundError("Compute host " + host + " could not be found.");
  GUREUM_RETURN_IF_ERROR(store_.AddAggregateHost(id, host));
  return store_.GetAggregate(id);
}

absl::StatusOr<Aggregate> HostManager::RemoveAggregateHost(const RequestContext& ctx, int id,
                                                           const std::string& host) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  GUREUM_RETURN_IF_ERROR(store_.RemoveAggregateHost(id, host));
  return store_.GetAggregate(id);
}

absl::StatusOr<Aggregate> HostManager::SetAggregateMetadata(
    const RequestContext& ctx, int id,
    const std::map<std::string, std::optional<std::string>>& changes) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-aggregates"));
  GUREUM_RETURN_IF_ERROR(store_.SetAggregateMetadata(id, changes));
  if (auto it = changes.find("availability_zone"); it != changes.end()) {
    GUREUM_RETURN_IF_ERROR(
        store_.UpdateAggregate(id, std::nullopt, it->second.value_or("")).status());
  }
  return store_.GetAggregate(id);
}

absl::StatusOr<std::vector<HostManager::Zone>> HostManager::ListAvailabilityZones(
    const RequestContext& ctx, bool detail) {
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-availability-zone:list"));
  if (detail) {
    GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-availability-zone:detail"));
  }
  GUREUM_ASSIGN_OR_RETURN(auto states, ListHostStates());
  std::vector<Zone> zones;
  auto zone = [&](const std::string& name) -> Zone& {
    for (Zone& z : zones) {
      if (z.name == name) return z;
    }
    zones.push_back({name, false, {}});
    return zones.back();
  };
  zone(options_.default_availability_zone);
  for (HostState& h : states) {
    Zone& z = zone(h.availability_zone);
    z.available = z.available || (h.up && h.service.enabled);
    z.hosts.push_back(std::move(h));
  }
  return zones;
}

}  // namespace gureum::compute
