// An in-memory ComputeStore for unit tests of the manager and the adapters. It follows the
// ComputeStore contract (tests/store_contract_test.cc runs the same cases on it and on
// PostgreSQL): the same error codes and messages, the quota checks atomic with the insert,
// MutateInstance saving only what the PostgreSQL store saves, the same orders in listings.
// One mutex over the whole state plays the part of the transactions and advisory locks: a
// MutateInstance callback runs under it, so it must not call the store (none does).
// Timestamps come from the injected clock (PostgreSQL's now()).
//
// Fault injection: FailNext(status) makes the next call fail and change nothing.
// Differences kept on purpose: the name filter of ListInstances is std::regex (ECMAScript)
// where PostgreSQL uses its own regex flavour; strings sort by bytes, not by collation.
// Thread-safe. Test-only (library compute_api_fake_store).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

class FakeComputeStore final : public ComputeStore {
 public:
  // `clock` must outlive the store.
  explicit FakeComputeStore(const Clock& clock) : clock_(clock) {}

  // The next store call returns `status` and changes nothing.
  void FailNext(absl::Status status);

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
  absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                             int64_t limit) override;
  absl::Status DeleteQuotas(const std::string& project) override;
  absl::StatusOr<std::map<std::string, int64_t>> GetQuotaClass(const std::string& name) override;
  absl::Status SetQuotaClassLimit(const std::string& name, const std::string& resource,
                                  int64_t limit) override;
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
  struct StoredFault {
    int64_t id = 0;
    InstanceFault fault;
  };
  struct StoredMigration {
    int64_t seq = 0;
    MigrationRecord migration;
  };

  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  QuotaUsage UsageLocked(const std::string& project) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<std::string> MembersLocked(const std::string& group) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<Aggregate*> AggregateLocked(int id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int64_t StartActionLocked(InstanceActionRecord a) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  mutable absl::Mutex mu_;
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, FlavorRecord> flavors_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, std::string>> flavor_access_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Keypair> keypairs_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Instance> instances_ ABSL_GUARDED_BY(mu_);
  std::vector<StoredFault> faults_ ABSL_GUARDED_BY(mu_);
  std::map<int64_t, InstanceActionRecord> actions_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ServerGroup> groups_ ABSL_GUARDED_BY(mu_);  // members_ holds members
  std::set<std::pair<std::string, std::string>> members_ ABSL_GUARDED_BY(mu_);  // group, uuid
  std::map<std::pair<std::string, std::string>, int64_t> quotas_ ABSL_GUARDED_BY(mu_);
  // (class, resource) -> limit
  std::map<std::pair<std::string, std::string>, int64_t> quota_classes_ ABSL_GUARDED_BY(mu_);
  std::map<int, ServiceRecord> services_ ABSL_GUARDED_BY(mu_);
  std::map<int, Aggregate> aggregates_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, StoredMigration> migrations_ ABSL_GUARDED_BY(mu_);
  // (instance, volume) -> row; rows go with their instance.
  std::map<std::pair<std::string, std::string>, VolumeAttachment> volume_attachments_
      ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;  // faults, actions, migrations (serial order)
  int next_service_id_ ABSL_GUARDED_BY(mu_) = 1;
  int next_aggregate_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace gureum::compute
