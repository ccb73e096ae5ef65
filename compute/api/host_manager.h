// Hosts of compute-api: the services (up when their last heartbeat is within
// service_down_time and they are not forced down), the host states the scheduler asks for,
// hypervisors with their usage from Placement, aggregates and availability zones. Admin
// only (os-services, os-hypervisors, os-aggregates) but the zone list and ListHostStates
// (internal: the scheduler's ComputeHosts). Errors: PermissionDenied, InvalidArgument,
// NotFound, AlreadyExists, FailedPrecondition (a service still hosting servers).
// Thread-safe; blocking (SQL, gRPC to Placement).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/clients/placement_client.h"

namespace gureum::compute {

// A service as the scheduler and the API see it.
struct HostState {
  ServiceRecord service;
  bool up = false;
  std::vector<Aggregate> aggregates;
  std::string availability_zone;  // from aggregates, else the default
};

// A compute host with its resource usage (os-hypervisors); not the agent's Hypervisor.
struct HypervisorStats {
  HostState host;
  std::optional<ProviderUsage> provider;  // nullopt when placement does not know it
};

class HostManager {
 public:
  // Every collaborator must outlive the manager.
  HostManager(ComputeStore& store, PlacementClient& placement, const ComputePolicy& policy,
              const Clock& clock, IdGenerator& ids, ComputeOptions options);

  // Up: heartbeat within service_down_time and not forced down.
  bool IsUp(const ServiceRecord& s) const;
  // Whether the compute service of `host` is up (a server's delete and evacuate ask).
  absl::StatusOr<bool> IsHostUp(const std::string& host);
  absl::StatusOr<std::vector<HostState>> ListHostStates();  // no policy: internal
  // The scheduler's ComputeHosts.ListHostStates: for admins and the service role.
  absl::StatusOr<std::vector<HostState>> ListHostStatesForScheduler(const RequestContext& ctx);
  absl::StatusOr<std::vector<HostState>> ListServices(const RequestContext& ctx);
  absl::StatusOr<HostState> UpdateService(const RequestContext& ctx, const std::string& id,
                                          std::optional<bool> enabled,
                                          std::optional<std::string> reason,
                                          std::optional<bool> forced_down);
  absl::Status DeleteService(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<HypervisorStats>> ListHypervisors(const RequestContext& ctx);
  // The servers on compute host `host` (os-hypervisors/{host}/servers), for admins.
  absl::StatusOr<std::vector<Instance>> ListHostInstances(const RequestContext& ctx,
                                                          const std::string& host);
  absl::StatusOr<Aggregate> CreateAggregate(const RequestContext& ctx, const std::string& name,
                                            const std::string& zone);
  absl::StatusOr<Aggregate> GetAggregate(const RequestContext& ctx, int id);
  absl::StatusOr<std::vector<Aggregate>> ListAggregates(const RequestContext& ctx);
  absl::StatusOr<Aggregate> UpdateAggregate(const RequestContext& ctx, int id,
                                            std::optional<std::string> name,
                                            std::optional<std::string> zone);
  absl::Status DeleteAggregate(const RequestContext& ctx, int id);
  absl::StatusOr<Aggregate> AddAggregateHost(const RequestContext& ctx, int id,
                                             const std::string& host);
  absl::StatusOr<Aggregate> RemoveAggregateHost(const RequestContext& ctx, int id,
                                                const std::string& host);
  absl::StatusOr<Aggregate> SetAggregateMetadata(
      const RequestContext& ctx, int id,
      const std::map<std::string, std::optional<std::string>>& changes);
  // Zone name -> hosts; every zone is "available" when one host is up. `detail` (the
  // hosts of each zone, and the internal zone) is for admins.
  struct Zone {
    std::string name;
    bool available = false;
    std::vector<HostState> hosts;
  };
  absl::StatusOr<std::vector<Zone>> ListAvailabilityZones(const RequestContext& ctx,
                                                          bool detail = false);

 private:
  ComputeStore& store_;
  PlacementClient& placement_;
  const ComputePolicy& policy_;
  const Clock& clock_;
  IdGenerator& ids_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
