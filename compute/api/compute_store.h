// Persistence of gureum-compute-api (database gureum_compute). Every method is one
// transaction; errors are absl::Status (NotFound, AlreadyExists, Aborted after retries,
// Unavailable). Quota checks that must be atomic with an insert (instances, keypairs,
// server groups) happen inside the store, under a per-project (or per-user) advisory
// lock, so concurrent creates can never pass a limit together.
//
// Implementation: PgComputeStore (pg_*_store.cc). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/api/model.h"

namespace gureum::db {
class ConnectionPool;
}

namespace gureum::compute {

struct FlavorFilter {
  bool all = false;        // admin: public and private alike
  std::string project_id;  // private flavors visible through access
  std::optional<bool> is_public;
  std::optional<int> min_ram;
  std::optional<int> min_disk;
};

struct InstanceFilter {
  std::string project_id;  // "" with all_projects
  bool all_projects = false;
  std::string user_id;
  std::string name_regex;  // PostgreSQL regex, as Nova's name filter
  std::string vm_state;
  std::string not_vm_state;  // "" none: instances in this vm_state are left out
  std::string task_state;
  std::string host;
  std::string image_ref;
  std::string flavor_id;
  std::string reservation_id;
  // Nova's `ip` and `ip6`: regular expressions matched against the server's fixed IPv4 and
  // IPv6 addresses.
  std::string ip_regex, ip6_regex;
  std::optional<absl::Time> changes_since;
  std::vector<std::string> uuids;
  std::string sort_key = "created_at";  // created_at, updated_at, name, uuid, vm_state, ...
  bool sort_desc = true;
  std::string marker;  // uuid
  int limit = 1000;
};

// What the quota check inside a create sees and adds.
struct QuotaRequest {
  QuotaLimits limits;
  int64_t instances = 0;
  int64_t cores = 0;
  int64_t ram = 0;
};

// A transition of one instance: gets the current record (locked), changes it or refuses
// with a status (nothing written then).
using InstanceMutation = std::function<absl::Status(Instance&)>;

class ComputeStore {
 public:
  virtual ~ComputeStore() = default;

  // ---- flavors ----
  virtual absl::Status CreateFlavor(const FlavorRecord& f) = 0;
  virtual absl::StatusOr<FlavorRecord> GetFlavor(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<FlavorRecord>> ListFlavors(const FlavorFilter& filter) = 0;
  virtual absl::Status DeleteFlavor(const std::string& id) = 0;
  virtual absl::Status UpdateFlavorDescription(const std::string& id, const std::string& d) = 0;
  virtual absl::Status SetExtraSpecs(const std::string& id, const StringMap& specs) = 0;
  virtual absl::Status DeleteExtraSpec(const std::string& id, const std::string& key) = 0;
  virtual absl::Status AddFlavorAccess(const std::string& id, const std::string& project) = 0;
  virtual absl::Status RemoveFlavorAccess(const std::string& id, const std::string& project) = 0;
  virtual absl::StatusOr<std::vector<std::string>> ListFlavorAccess(const std::string& id) = 0;

  // ---- keypairs (per user) ----
  // ResourceExhausted "Quota exceeded for key_pairs..." past `limit`.
  virtual absl::Status CreateKeypair(const Keypair& k, int64_t limit) = 0;
  virtual absl::StatusOr<Keypair> GetKeypair(const std::string& user, const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<Keypair>> ListKeypairs(const std::string& user) = 0;
  virtual absl::Status DeleteKeypair(const std::string& user, const std::string& name) = 0;

  // ---- instances ----
  // Inserts all or nothing after the quota check of `quota` against the project's usage
  // (ResourceExhausted naming the first exceeded resource); adds them to `group` (if set)
  // and records a "create" action for each under `request_id`.
  virtual absl::Status CreateInstances(const std::vector<Instance>& instances,
                                       const QuotaRequest& quota,
                                       const std::string& request_id) = 0;
  virtual absl::StatusOr<Instance> GetInstance(const std::string& uuid) = 0;
  virtual absl::StatusOr<std::vector<Instance>> ListInstances(const InstanceFilter& f) = 0;
  virtual absl::StatusOr<std::vector<Instance>> ListInstancesOnHost(const std::string& host) = 0;
  // Applies `mutate` to the locked record and saves it (updated_at = now).
  virtual absl::StatusOr<Instance> MutateInstance(const std::string& uuid,
                                                  const InstanceMutation& mutate) = 0;
  // Removes the instance (its faults and group membership); NotFound if absent.
  virtual absl::Status DeleteInstance(const std::string& uuid) = 0;

  virtual absl::Status AddFault(const InstanceFault& fault) = 0;
  // Newest first.
  virtual absl::StatusOr<std::vector<InstanceFault>> ListFaults(const std::string& uuid,
                                                                int limit) = 0;
  virtual absl::StatusOr<int64_t> StartAction(const InstanceActionRecord& action) = 0;
  // Adds an event to the newest action of the instance; finishes that action when the
  // event finished (ok or failed).
  virtual absl::Status AddActionEvent(const std::string& uuid, const ActionEvent& event) = 0;
  virtual absl::StatusOr<std::vector<InstanceActionRecord>> ListActions(
      const std::string& uuid) = 0;
  virtual absl::StatusOr<InstanceActionRecord> GetAction(const std::string& uuid,
                                                         const std::string& request_id) = 0;

  // ---- server groups ----
  virtual absl::Status CreateServerGroup(const ServerGroup& g, int64_t limit) = 0;
  virtual absl::StatusOr<ServerGroup> GetServerGroup(const std::string& uuid) = 0;
  virtual absl::StatusOr<std::vector<ServerGroup>> ListServerGroups(const std::string& project) = 0;
  virtual absl::Status DeleteServerGroup(const std::string& uuid) = 0;

  // ---- quotas ----
  // The project's limits: its overrides over the quota class "default"'s over `defaults`.
  virtual absl::StatusOr<QuotaLimits> GetQuotaLimits(const std::string& project,
                                                     const QuotaLimits& defaults) = 0;
  virtual absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                                     int64_t limit) = 0;
  virtual absl::Status DeleteQuotas(const std::string& project) = 0;
  virtual absl::StatusOr<QuotaUsage> GetQuotaUsage(const std::string& project,
                                                   const std::string& user) = 0;
  // The limits set in quota class `name` (resource -> limit; any resource name; none set:
  // empty).
  virtual absl::StatusOr<std::map<std::string, int64_t>> GetQuotaClass(const std::string& name) = 0;
  virtual absl::Status SetQuotaClassLimit(const std::string& name, const std::string& resource,
                                          int64_t limit) = 0;

  // ---- services ----
  // Registers (first heartbeat) or refreshes the service of `hb.host`/`hb.binary`:
  // last_seen_at = now, report_count + 1, zone/node/type as reported.
  virtual absl::StatusOr<ServiceRecord> RecordHeartbeat(const ServiceRecord& hb) = 0;
  virtual absl::StatusOr<std::vector<ServiceRecord>> ListServices() = 0;
  virtual absl::StatusOr<ServiceRecord> GetService(const std::string& uuid_or_id) = 0;
  virtual absl::StatusOr<ServiceRecord> UpdateService(const std::string& uuid,
                                                      std::optional<bool> enabled,
                                                      std::optional<std::string> disabled_reason,
                                                      std::optional<bool> forced_down) = 0;
  virtual absl::Status DeleteService(const std::string& uuid) = 0;

  // ---- aggregates ----
  virtual absl::StatusOr<Aggregate> CreateAggregate(const Aggregate& a) = 0;
  virtual absl::StatusOr<Aggregate> GetAggregate(int id) = 0;
  virtual absl::StatusOr<std::vector<Aggregate>> ListAggregates() = 0;
  virtual absl::StatusOr<Aggregate> UpdateAggregate(int id, std::optional<std::string> name,
                                                    std::optional<std::string> zone) = 0;
  virtual absl::Status DeleteAggregate(int id) = 0;
  virtual absl::Status AddAggregateHost(int id, const std::string& host) = 0;
  virtual absl::Status RemoveAggregateHost(int id, const std::string& host) = 0;
  // Sets the given keys; a key mapped to nullopt is removed.
  virtual absl::Status SetAggregateMetadata(
      int id, const std::map<std::string, std::optional<std::string>>& changes) = 0;

  // ---- migrations ----
  virtual absl::Status CreateMigration(const MigrationRecord& m) = 0;
  virtual absl::Status SetMigrationStatus(const std::string& uuid, const std::string& status) = 0;
  // Newest first (created_at, then id); "" for every instance's.
  virtual absl::StatusOr<std::vector<MigrationRecord>> ListMigrations(
      const std::string& instance_uuid) = 0;

  // ---- volume attachments ----
  // AlreadyExists "Volume <id> is already attached to instance <uuid>." when the instance
  // has the volume (in any status); NotFound when the instance does not exist.
  virtual absl::Status CreateVolumeAttachment(const VolumeAttachment& a) = 0;
  // NotFound "Volume <id> is not attached to instance <uuid>.".
  virtual absl::StatusOr<VolumeAttachment> GetVolumeAttachment(const std::string& instance_uuid,
                                                               const std::string& volume_id) = 0;
  // The instance's, oldest first.
  virtual absl::StatusOr<std::vector<VolumeAttachment>> ListVolumeAttachments(
      const std::string& instance_uuid) = 0;
  // Sets the status of the row of `attachment_id` (and its device, when `device` is not
  // empty) if its status is one of `expected` (empty: any); FailedPrecondition otherwise,
  // NotFound when there is no such row (a report that came after the row went).
  virtual absl::StatusOr<VolumeAttachment> UpdateVolumeAttachment(
      const std::string& attachment_id, const std::vector<std::string>& expected,
      const std::string& status, const std::string& device) = 0;
  // NotFound when there is no such row.
  virtual absl::Status DeleteVolumeAttachment(const std::string& attachment_id) = 0;
  // Gives the row of (instance, volume) the attachment the agent reserved for a volume
  // made at create (whose row had none). The same id again is a no-op; FailedPrecondition
  // when the row holds another one, NotFound when there is no such row.
  virtual absl::StatusOr<VolumeAttachment> SetVolumeAttachmentId(
      const std::string& instance_uuid, const std::string& volume_id,
      const std::string& attachment_id) = 0;
};

std::unique_ptr<ComputeStore> NewPgComputeStore(db::ConnectionPool& pool);

}  // namespace gureum::compute
