// Internal to the PostgreSQL store: the class shared by pg_*_store.cc and its helpers.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/db/pool.h"
#include "common/db/row.h"
#include "common/db/tx.h"
#include "compute/api/compute_store.h"

namespace gureum::compute::internal {

std::string Text(const db::Row& row, const std::string& column);  // NULL -> ""
std::optional<std::string> NullIfEmpty(const std::string& s);
std::string MapToJson(const StringMap& m);
StringMap MapFromJson(const std::string& text);
nlohmann::json FlavorToJson(const FlavorRecord& f);
FlavorRecord FlavorFromJson(const nlohmann::json& j);
// Maps a unique violation to AlreadyExists with `message`; other errors pass.
absl::Status Duplicate(absl::Status s, const std::string& message);
// Takes the transaction-scoped advisory lock named `key` (quota checks).
absl::Status LockKey(db::Tx& tx, const std::string& key);

class PgComputeStore final : public ComputeStore {
 public:
  explicit PgComputeStore(db::ConnectionPool& pool) : pool_(pool) {}

  absl::Status CreateFlavor(const FlavorRecord& f) override;
  absl::StatusOr<FlavorRecord> GetFlavor(const std::string& id) override;
  absl::StatusOr<std::vector<FlavorRecord>> ListFlavors(const FlavorFilter& filter) override;
  absl::Status DeleteFlavor(const std::string& id) override;
  absl::Status UpdateFlavorDescription(const std::string& id, const std::string& d) override;
  absl::Status SetExtraSpecs(const std::string& id, const StringMap& specs) override;
  absl::Status DeleteExtraSpec(const std::string& id, const std::string& key) override;
  absl::Status AddFlavorAccess(const std::string& id, const std::string& project) override;
  absl::Status RemoveFlavorAccess(const std::string& id, const std::string& project) override;
  absl::StatusOr<std::vector<std::string>> ListFlavorAccess(const std::string& id) override;

  absl::Status CreateKeypair(const Keypair& k, int64_t limit) override;
  absl::StatusOr<Keypair> GetKeypair(const std::string& user, const std::string& name) override;
  absl::StatusOr<std::vector<Keypair>> ListKeypairs(const std::string& user) override;
  absl::Status DeleteKeypair(const std::string& user, const std::string& name) override;

  absl::Status CreateInstances(const std::vector<Instance>& instances, const QuotaRequest& quota,
                               const std::string& request_id) override;
  absl::StatusOr<Instance> GetInstance(const std::string& uuid) override;
  absl::StatusOr<std::vector<Instance>> ListInstances(const InstanceFilter& f) override;
  absl::StatusOr<std::vector<Instance>> ListInstancesOnHost(const std::string& host) override;
  absl::StatusOr<Instance> MutateInstance(const std::string& uuid,
                                          const InstanceMutation& mutate) override;
  absl::Status DeleteInstance(const std::string& uuid) override;
  absl::Status AddFault(const InstanceFault& fault) override;
  absl::StatusOr<std::vector<InstanceFault>> ListFaults(const std::string& uuid,
                                                        int limit) override;
  absl::StatusOr<int64_t> StartAction(const InstanceActionRecord& action) override;
  absl::Status AddActionEvent(const std::string& uuid, const ActionEvent& event) override;
  absl::StatusOr<std::vector<InstanceActionRecord>> ListActions(const std::string& uuid) override;
  absl::StatusOr<InstanceActionRecord> GetAction(const std::string& uuid,
                                                 const std::string& request_id) override;

  absl::Status CreateServerGroup(const ServerGroup& g, int64_t limit) override;
  absl::StatusOr<ServerGroup> GetServerGroup(const std::string& uuid) override;
  absl::StatusOr<std::vector<ServerGroup>> ListServerGroups(const std::string& project) override;
  absl::Status DeleteServerGroup(const std::string& uuid) override;

  absl::StatusOr<QuotaLimits> GetQuotaLimits(const std::string& project,
                                             const QuotaLimits& defaults) override;
  absl::StatusOr<std::map<std::string, int64_t>> GetQuotaClass(const std::string& name) override;
  absl::Status SetQuotaClassLimit(const std::string& name, const std::string& resource,
                                  int64_t limit) override;
  absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                             int64_t limit) override;
  absl::Status DeleteQuotas(const std::string& project) override;
  absl::StatusOr<QuotaUsage> GetQuotaUsage(const std::string& project,
                                           const std::string& user) override;

  absl::StatusOr<ServiceRecord> RecordHeartbeat(const ServiceRecord& hb) override;
  absl::StatusOr<std::vector<ServiceRecord>> ListServices() override;
  absl::StatusOr<ServiceRecord> GetService(const std::string& uuid_or_id) override;
  absl::StatusOr<ServiceRecord> UpdateService(const std::string& uuid, std::optional<bool> enabled,
                                              std::optional<std::string> disabled_reason,
                                              std::optional<bool> forced_down) override;
  absl::Status DeleteService(const std::string& uuid) override;

  absl::StatusOr<Aggregate> CreateAggregate(const Aggregate& a) override;
  absl::StatusOr<Aggregate> GetAggregate(int id) override;
  absl::StatusOr<std::vector<Aggregate>> ListAggregates() override;
  absl::StatusOr<Aggregate> UpdateAggregate(int id, std::optional<std::string> name,
                                            std::optional<std::string> zone) override;
  absl::Status DeleteAggregate(int id) override;
  absl::Status AddAggregateHost(int id, const std::string& host) override;
  absl::Status RemoveAggregateHost(int id, const std::string& host) override;
  absl::Status SetAggregateMetadata(
      int id, const std::map<std::string, std::optional<std::string>>& changes) override;

  absl::Status CreateMigration(const MigrationRecord& m) override;
  absl::Status SetMigrationStatus(const std::string& uuid, const std::string& status) override;
  absl::StatusOr<std::vector<MigrationRecord>> ListMigrations(
      const std::string& instance_uuid) override;

  absl::Status CreateVolumeAttachment(const VolumeAttachment& a) override;
  absl::StatusOr<VolumeAttachment> GetVolumeAttachment(const std::string& instance_uuid,
                                                       const std::string& volume_id) override;
  absl::StatusOr<std::vector<VolumeAttachment>> ListVolumeAttachments(
      const std::string& instance_uuid) override;
  absl::StatusOr<VolumeAttachment> UpdateVolumeAttachment(const std::string& attachment_id,
                                                          const std::vector<std::string>& expected,
                                                          const std::string& status,
                                                          const std::string& device) override;
  absl::Status DeleteVolumeAttachment(const std::string& attachment_id) override;
  absl::StatusOr<VolumeAttachment> SetVolumeAttachmentId(const std::string& instance_uuid,
                                                         const std::string& volume_id,
                                                         const std::string& attachment_id) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace gureum::compute::internal
