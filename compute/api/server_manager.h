// Servers of compute-api: create (validation, flavor and image fit, keypair, zone, server
// group, networks and security groups checked against gureum-network, the quota between
// min_count and max_count, then one insert and a batch of BUILD casts to the scheduler),
// show, list, update, metadata, delete (at once without a live host, else through the
// host), console output and the instance-action records. Another project's server is
// NotFound, never PermissionDenied; admins see every project's.
//
// Errors: NotFound (404), InvalidArgument (400), PermissionDenied (403; quota: 403 via
// WithHttpStatus), FailedPrecondition (409: locked servers, ports in use, several networks).
// Thread-safe; blocking (SQL, AMQP, gRPC): never call on a gRPC callback thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "compute/api/block_device_manager.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/flavor_manager.h"
#include "compute/api/host_manager.h"
#include "compute/api/instance_notifier.h"
#include "compute/api/server_casts.h"
#include "compute/api/server_group_manager.h"
#include "compute/api/volume_attachment_manager.h"
#include "compute/clients/network_client.h"
#include "compute/clients/placement_client.h"

namespace gureum::compute {

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
  std::string access_ip_v4, access_ip_v6;  // "" none
  std::string admin_pass;                  // for the guest's config drive; "" none
  std::optional<bool> auto_disk_config;    // OS-DCF:diskConfig; none: the image's
  int min_count = 1;
  int max_count = 1;
  // block_device_mapping_v2: a volume root disk (boot from volume); `image_ref` may then
  // be empty.
  std::vector<BlockDeviceMapping> block_devices;
};

struct CreateServerResult {
  std::vector<Instance> instances;
  std::string reservation_id;
};

struct ServerUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> access_ip_v4, access_ip_v6;
  std::optional<bool> auto_disk_config;  // OS-DCF:diskConfig
};

// Every collaborator must outlive the manager.
struct ServerManagerDeps {
  ComputeStore& store;
  ServerCasts& casts;
  ImageClient& images;         // with the user's own token
  PlacementClient& placement;  // allocations of servers deleted before reaching a host
  // gureum-network ([compute] network_grpc); may be null: no network service, so a server
  // with `networks` is refused (400) and others get no interface.
  NetworkClient* networks;
  const ComputePolicy& policy;
  FlavorManager& flavors;      // the flavors the caller may use
  ServerGroupManager& groups;  // the group a create names
  HostManager& hosts;          // whether a server's host is up (delete)
  IdGenerator& ids;
  const Clock& clock;  // soft delete's deleted_at and the reclaim
  // Releases the volumes of a server deleted here without its host (local delete); may be
  // null: none.
  VolumeAttachmentManager* volumes = nullptr;
  // Boot from volume; may be null: a create with block_device_mapping_v2 is then 400.
  BlockDeviceManager* block_devices = nullptr;
  // Announces creates, changes and deletes; may be null: none.
  const InstanceNotifier* events = nullptr;
};

class ServerManager {
 public:
  ServerManager(const ServerManagerDeps& deps, ComputeOptions options);

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
  // Deletes the server, or soft deletes it with options.reclaim_instance_interval
  // (server_soft_delete.cc); a soft-deleted server's DELETE changes nothing.
  absl::Status DeleteServer(const RequestContext& ctx, const std::string& id);
  // os-deferred-delete: a soft-deleted server back (409 in another state), and a delete
  // that does not wait (any state; the only way to delete a soft-deleted server early).
  absl::Status RestoreServer(const RequestContext& ctx, const std::string& id);
  absl::Status ForceDeleteServer(const RequestContext& ctx, const std::string& id);
  // Deletes every soft-deleted server whose interval has passed (the periodic reclaim);
  // how many it deleted.
  absl::StatusOr<int> ReclaimSoftDeleted();
  // The server's diagnostics (admins; server_diagnostics.cc): asks its host's agent for
  // the domain's statistics (a DIAGNOSTICS cast) and waits, at most
  // options.diagnostics_timeout, for them to come back through the conductor. 409 when
  // the server has no host or its domain does not run, DeadlineExceeded when the agent
  // does not answer in time.
  absl::StatusOr<std::map<std::string, int64_t>> GetDiagnostics(const RequestContext& ctx,
                                                                const std::string& id);
  // Sets (value) or removes (nullopt) metadata keys; `replace` drops every other key.
  absl::StatusOr<Instance> UpdateServerMetadata(
      const RequestContext& ctx, const std::string& id,
      const std::map<std::string, std::optional<std::string>>& changes, bool replace);
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

 private:
  // What a create looks up and checks before anything is written.
  struct CreatePlan {
    QuotaLimits limits;
    FlavorRecord flavor;
    ImageInfo image;
    std::string key_data;
    std::string zone;
    std::string forced_host;  // "zone:host" (admin)
    std::vector<RequestedNetwork> networks;
    std::optional<BootVolumePlan> boot_volume;  // the root disk is a volume
    bool auto_disk_config = false;
  };
  absl::StatusOr<CreatePlan> PlanCreate(const RequestContext& ctx, const CreateServerRequest& req);
  absl::Status ResolveFlavorAndImage(const RequestContext& ctx, const CreateServerRequest& req,
                                     CreatePlan& plan);
  absl::Status ResolvePlacement(const RequestContext& ctx, const CreateServerRequest& req,
                                CreatePlan& plan);
  Instance NewInstance(const RequestContext& ctx, const CreateServerRequest& req,
                       const CreatePlan& plan, int64_t n, int64_t count,
                       const std::string& reservation_id);
  // The root volumes of `instances` (boot from volume), made or reserved at block storage;
  // on failure what was done is undone.
  absl::StatusOr<std::vector<VolumeAttachment>> PrepareBootVolumes(
      const RequestContext& ctx, const CreatePlan& plan, const std::vector<Instance>& instances);
  // One batch of BUILD requests; if it cannot go, each server is put in ERROR with a fault.
  void CastBuilds(const RequestContext& ctx, const std::string& forced_host,
                  std::vector<Instance>& instances);
  // The networks a create asks for, checked against gureum-network.
  absl::StatusOr<std::vector<RequestedNetwork>> ResolveNetworks(const RequestContext& ctx,
                                                                const CreateServerRequest& req);
  // The security groups a create names (by name or id), checked against the caller's
  // project's groups in gureum-network; nothing without one.
  absl::Status CheckSecurityGroups(const RequestContext& ctx,
                                   const std::vector<std::string>& groups);
  // The delete itself: local without a live host, else through the host.
  absl::Status HardDelete(const RequestContext& ctx, const Instance& current);
  // Powers the server off through its host (task soft-deleting; the conductor makes the
  // stopped report SOFT_DELETED), or at once without a live host.
  absl::Status SoftDelete(const RequestContext& ctx, const Instance& current);

  ComputeStore& store_;
  ServerCasts& casts_;
  ImageClient& images_;
  PlacementClient& placement_;
  NetworkClient* const networks_;  // may be null
  const ComputePolicy& policy_;
  FlavorManager& flavors_;
  ServerGroupManager& groups_;
  HostManager& hosts_;
  IdGenerator& ids_;
  const Clock& clock_;
  VolumeAttachmentManager* volumes_;
  BlockDeviceManager* block_devices_;  // may be null
  const InstanceNotifier events_;      // a copy: it only holds a pointer
  const ComputeOptions options_;
};

}  // namespace gureum::compute
