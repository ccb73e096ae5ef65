// The logic of gureum-compute-api, shared by the Nova REST API and the gRPC API: policy
// (Nova's default rules, overridable), project scoping (a project never sees another
// project's servers: NotFound), quotas, the instance state machine (instance_states.h)
// and the casts to the scheduler and the compute hosts. The conductor
// (conductor.h) applies what comes back.
//
// Errors: NotFound (404), InvalidArgument (400), PermissionDenied (403; quota: 403 via
// WithHttpStatus), FailedPrecondition (409: state conflicts, locked servers).
// Thread-safe; blocking (SQL, AMQP, gRPC): never call on a gRPC callback thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/amqp/bus.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/policy/enforcer.h"
#include "compute/api/compute_store.h"
#include "compute/api/image_lookup.h"
#include "compute/api/instance_states.h"
#include "compute/api/network_lookup.h"
#include "compute/api/placement_client.h"

namespace gureum::compute {

// Who asks, with the token (image lookups act with the user's own token) and the
// request id (instance actions are keyed by it).
struct RequestContext {
  Caller caller;
  std::string token;
  std::string request_id;
};

struct ComputeOptions {
  QuotaLimits default_quotas;
  absl::Duration service_down_time = absl::Seconds(60);
  // A resize may stay on the instance's host (Nova's allow_resize_to_same_host).
  bool allow_resize_to_same_host = false;
  std::string default_availability_zone = "nova";
  std::string internal_service_availability_zone = "internal";
  int max_list_limit = 1000;
  // Where schedule requests go (tests use their own queue on a shared broker).
  std::string scheduler_queue = "scheduler";
};

struct CreateServerRequest {
  std::string name;
  std::string image_ref;
  std::string flavor_ref;
  std::string key_name;
  std::string user_data;  // base64
  std::map<std::string, std::string> metadata;
  std::string availability_zone;  // "zone", "zone:host" (admin)
  std::string server_group;       // scheduler hint "group"
  // The body's `networks`, in order; when `networks_given` is false (no `networks` key)
  // the project's only network is used, if it has exactly one.
  bool networks_given = false;
  std::vector<RequestedNetwork> networks;
  std::vector<std::string> security_groups;
  std::string description;
  int min_count = 1;
  int max_count = 1;
};

struct CreateServerResult {
  std::vector<Instance> instances;
  std::string reservation_id;
};

struct ServerUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

struct ActionRequest {
  Action action;
  std::string image_ref;            // rebuild
  std::string flavor_ref;           // resize
  std::string host;                 // migrate/evacuate target (admin)
  std::string locked_reason;        // lock
  std::optional<std::string> name;  // rebuild
};

struct HostState {
  ServiceRecord service;
  bool up = false;
  std::vector<Aggregate> aggregates;
  std::string availability_zone;  // from aggregates, else the default
};

struct Hypervisor {
  HostState host;
  std::optional<ProviderUsage> provider;  // nullopt when placement does not know it
};

class ComputeManager {
 public:
  // Every collaborator must outlive the manager.
  ComputeManager(ComputeStore& store, amqp::Bus& bus, ImageLookup& images,
                 PlacementClient& placement, const policy::Enforcer& enforcer, const Clock& clock,
                 IdGenerator& ids, ComputeOptions options);

  const ComputeOptions& options() const { return options_; }
  // gureum-network, when configured ([compute] network_grpc); must outlive the manager.
  // Without it a server with `networks` is refused (400) and others get no NIC.
  void SetNetworks(NetworkLookup* networks) { networks_ = networks; }
  ComputeStore& store() { return store_; }
  // PermissionDenied unless the caller is an admin (role admin).
  absl::Status Enforce(const RequestContext& ctx, const std::string& rule,
                       const std::string& project_id = "", const std::string& user_id = "") const;
  bool IsAdmin(const RequestContext& ctx) const;

  // ---- flavors (compute_manager.cc) ----
  absl::StatusOr<FlavorRecord> CreateFlavor(const RequestContext& ctx, FlavorRecord f);
  absl::StatusOr<FlavorRecord> GetFlavor(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<FlavorRecord>> ListFlavors(const RequestContext& ctx,
                                                        FlavorFilter filter);
  absl::Status DeleteFlavor(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<FlavorRecord> UpdateFlavor(const RequestContext& ctx, const std::string& id,
                                            const std::string& description);
  absl::StatusOr<StringMap> SetExtraSpecs(const RequestContext& ctx, const std::string& id,
                                          const StringMap& specs);
  absl::Status DeleteExtraSpec(const RequestContext& ctx, const std::string& id,
                               const std::string& key);
  absl::StatusOr<std::vector<std::string>> FlavorAccess(const RequestContext& ctx,
                                                        const std::string& id);
  absl::Status AddFlavorAccess(const RequestContext& ctx, const std::string& id,
                               const std::string& project);
  absl::Status RemoveFlavorAccess(const RequestContext& ctx, const std::string& id,
                                  const std::string& project);

  // ---- keypairs ----
  // Imports `public_key`, or generates a pair when it is empty (the private key is in
  // the result once and never stored).
  struct NewKeypair {
    Keypair keypair;
    std::string private_key;
  };
  absl::StatusOr<NewKeypair> CreateKeypair(const RequestContext& ctx, const std::string& name,
                                           const std::string& public_key, const std::string& type,
                                           const std::string& user_id = "");
  absl::StatusOr<Keypair> GetKeypair(const RequestContext& ctx, const std::string& name,
                                     const std::string& user_id = "");
  absl::StatusOr<std::vector<Keypair>> ListKeypairs(const RequestContext& ctx,
                                                    const std::string& user_id = "");
  absl::Status DeleteKeypair(const RequestContext& ctx, const std::string& name,
                             const std::string& user_id = "");

  // ---- server groups ----
  absl::StatusOr<ServerGroup> CreateServerGroup(const RequestContext& ctx, const std::string& name,
                                                const std::string& policy, int max_per_host);
  absl::StatusOr<ServerGroup> GetServerGroup(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<ServerGroup>> ListServerGroups(const RequestContext& ctx,
                                                            bool all_projects);
  absl::Status DeleteServerGroup(const RequestContext& ctx, const std::string& id);

  // ---- quotas ----
  absl::StatusOr<QuotaLimits> GetQuotas(const RequestContext& ctx, const std::string& project);
  absl::StatusOr<QuotaUsage> GetQuotaUsage(const RequestContext& ctx, const std::string& project);
  absl::StatusOr<QuotaLimits> UpdateQuotas(const RequestContext& ctx, const std::string& project,
                                           const std::map<std::string, int64_t>& limits);
  absl::Status ResetQuotas(const RequestContext& ctx, const std::string& project);

  // ---- servers (server_manager.cc) ----
  absl::StatusOr<CreateServerResult> CreateServers(const RequestContext& ctx,
                                                   const CreateServerRequest& req);
  absl::StatusOr<Instance> GetServer(const RequestContext& ctx, const std::string& id);
  // `filter.project_id` is set from the caller unless an admin asked for all projects.
  absl::StatusOr<std::vector<Instance>> ListServers(const RequestContext& ctx,
                                                    InstanceFilter filter);
  // Adds the floating IPs associated with the servers' ports to their addresses (type
  // "floating", as Nova shows them), asking gureum-network with the caller's token. The
  // addresses are for display: when the network service cannot answer, the servers are
  // shown with their fixed addresses only and a warning is logged.
  void AddFloatingIps(const RequestContext& ctx, std::vector<Instance>& servers);
  absl::StatusOr<Instance> UpdateServer(const RequestContext& ctx, const std::string& id,
                                        const ServerUpdate& update);
  absl::Status DeleteServer(const RequestContext& ctx, const std::string& id);
  // Sets (value) or removes (nullopt) metadata keys; `replace` drops every other key.
  absl::StatusOr<Instance> UpdateServerMetadata(
      const RequestContext& ctx, const std::string& id,
      const std::map<std::string, std::optional<std::string>>& changes, bool replace);
  absl::StatusOr<Instance> ServerAction(const RequestContext& ctx, const std::string& id,
                                        const ActionRequest& req);
  // The last `lines` lines (all when <= 0) of the console tail the agent pushed.
  absl::StatusOr<std::string> ConsoleOutput(const RequestContext& ctx, const std::string& id,
                                            int lines);
  absl::StatusOr<std::vector<InstanceFault>> ServerFaults(const RequestContext& ctx,
                                                          const Instance& instance);
  absl::StatusOr<std::vector<InstanceActionRecord>> ListInstanceActions(const RequestContext& ctx,
                                                                        const std::string& id);
  absl::StatusOr<InstanceActionRecord> GetInstanceAction(const RequestContext& ctx,
                                                         const std::string& id,
                                                         const std::string& request_id);

  // ---- services, hosts, aggregates (host_manager.cc) ----
  // Up: heartbeat within service_down_time and not forced down.
  bool IsUp(const ServiceRecord& s) const;
  absl::StatusOr<std::vector<HostState>> ListHostStates();  // no policy: internal (scheduler)
  absl::StatusOr<std::vector<HostState>> ListServices(const RequestContext& ctx);
  absl::StatusOr<HostState> UpdateService(const RequestContext& ctx, const std::string& id,
                                          std::optional<bool> enabled,
                                          std::optional<std::string> reason,
                                          std::optional<bool> forced_down);
  absl::Status DeleteService(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<Hypervisor>> ListHypervisors(const RequestContext& ctx);
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
  // Zone name -> hosts (admin detail); every zone is "available" when one host is up.
  struct Zone {
    std::string name;
    bool available = false;
    std::vector<HostState> hosts;
  };
  absl::StatusOr<std::vector<Zone>> ListAvailabilityZones(const RequestContext& ctx);

 private:
  absl::StatusOr<Instance> GetOwnInstance(const RequestContext& ctx, const std::string& id);
  absl::Status CheckLocked(const RequestContext& ctx, const Instance& i, Action action) const;
  absl::Status Cast(const std::string& queue, const std::string& body,
                    const std::string& request_id);
  // The scheduler's request for `i` (v1::Cast with a ScheduleRequest), as a message.
  amqp::Message ScheduleMessage(const RequestContext& ctx, const Instance& i, int op,
                                const std::string& task_id, const std::string& requested_host,
                                const std::string& migration_id);
  absl::Status CastSchedule(const RequestContext& ctx, const Instance& i, int op,
                            const std::string& task_id, const std::string& requested_host,
                            const std::string& migration_id);
  absl::Status CastAction(const RequestContext& ctx, const Instance& i, int kind,
                          const std::string& task_id, const std::string& migration_id = "");
  absl::Status RecordAction(const RequestContext& ctx, const Instance& i,
                            const std::string& action);
  absl::StatusOr<FlavorRecord> FlavorForCaller(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<Instance> StartMove(const RequestContext& ctx, Instance current,
                                     const ActionRequest& req);
  // The networks a create asks for, checked against gureum-network (server_manager.cc).
  absl::StatusOr<std::vector<RequestedNetwork>> ResolveNetworks(const RequestContext& ctx,
                                                                const CreateServerRequest& req);
  // The security groups a create names (by name or id), checked against the caller's
  // project's groups in gureum-network (server_manager.cc); nothing without one.
  absl::Status CheckSecurityGroups(const RequestContext& ctx,
                                   const std::vector<std::string>& groups);

  ComputeStore& store_;
  amqp::Bus& bus_;
  ImageLookup& images_;
  PlacementClient& placement_;
  const policy::Enforcer& enforcer_;
  const Clock& clock_;
  IdGenerator& ids_;
  ComputeOptions options_;
  NetworkLookup* networks_ = nullptr;
};

// Nova's default policy (os_compute_api:*), in the rules every service shares.
// Nova's FlavorDiskSmallerThanImage (400): the flavor's root disk (if it has a size) must
// hold the image's min_disk, its virtual size (from the image service's inspector: a 1 PiB
// qcow2 is a small file) and its file size.
absl::Status CheckImageFitsFlavor(const ImageInfo& image, const FlavorRecord& flavor);

std::vector<policy::Rule> ComputePolicyDefaults();

}  // namespace gureum::compute
