// In-memory BlockStorageStore for unit tests, held to the PostgreSQL store's contract by
// tests/store_contract_test.cc: the same results, errors and messages (the shared words and
// quota arithmetic are block_storage_store_rules.h), and InvalidArgument where the schema's
// CHECK constraints refuse a row (unknown status, size under 1 GB). One mutex makes each call
// atomic. FailNext(status) makes the next call fail with `status`.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "block-storage/api/block_storage_store.h"

namespace gureum::block_storage {

class FakeBlockStorageStore final : public BlockStorageStore {
 public:
  void FailNext(absl::Status status);

  absl::Status CreateVolume(const Volume& volume, const QuotaLimits& quota) override;
  absl::StatusOr<Volume> GetVolume(const std::string& id) override;
  absl::StatusOr<std::vector<Volume>> ListVolumes(const VolumeQuery& query) override;
  absl::StatusOr<Volume> ChangeVolume(const std::string& id, const VolumeChange& change,
                                      absl::Time now) override;
  absl::Status DeleteVolume(const std::string& id) override;
  absl::StatusOr<std::vector<Volume>> ListStaleVolumes(const std::vector<std::string>& statuses,
                                                       absl::Time before) override;

  absl::Status CreateSnapshot(const Snapshot& snapshot, const std::vector<std::string>& volume_from,
                              const QuotaLimits& quota) override;
  absl::StatusOr<Snapshot> GetSnapshot(const std::string& id) override;
  absl::StatusOr<std::vector<Snapshot>> ListSnapshots(const SnapshotQuery& query) override;
  absl::StatusOr<Snapshot> ChangeSnapshot(const std::string& id, const SnapshotChange& change,
                                          absl::Time now) override;
  absl::Status DeleteSnapshot(const std::string& id) override;
  absl::StatusOr<std::vector<Snapshot>> ListStaleSnapshots(const std::vector<std::string>& statuses,
                                                           absl::Time before) override;

  absl::Status CreateAttachment(const Attachment& attachment, const VolumeChange& volume_change,
                                absl::Time now) override;
  absl::StatusOr<Attachment> GetAttachment(const std::string& id) override;
  absl::StatusOr<std::vector<Attachment>> ListAttachments(
      const std::string& project_id, const std::string& volume_id,
      const std::string& instance_uuid) override;
  absl::StatusOr<Attachment> ChangeAttachment(const std::string& id, const AttachmentChange& change,
                                              absl::Time now) override;
  absl::StatusOr<Volume> DeleteAttachment(const std::string& id, absl::Time now) override;

  absl::Status CreateType(const VolumeType& type) override;
  absl::StatusOr<VolumeType> GetType(const std::string& id) override;
  absl::StatusOr<VolumeType> GetTypeByName(const std::string& name) override;
  absl::StatusOr<std::vector<VolumeType>> ListTypes(const std::string& project_id) override;
  absl::Status UpdateType(const VolumeType& type) override;
  absl::Status DeleteType(const std::string& id) override;
  absl::Status AddTypeAccess(const std::string& type_id, const std::string& project_id) override;
  absl::Status RemoveTypeAccess(const std::string& type_id, const std::string& project_id) override;
  absl::StatusOr<std::vector<std::string>> ListTypeAccess(const std::string& type_id) override;

  absl::Status ReportBackend(const Backend& backend) override;
  absl::StatusOr<std::vector<Backend>> ListBackends() override;
  absl::Status SetBackendDisabled(const std::string& key, bool disabled,
                                  const std::string& reason) override;
  absl::Status ClaimBackend(const std::string& volume_id, const std::string& key,
                            int64_t capacity_gb, absl::Time now) override;

  absl::StatusOr<QuotaLimits> GetQuotas(const std::string& project_id) override;
  absl::Status SetQuotas(const std::string& project_id, const QuotaLimits& limits) override;
  absl::Status DeleteQuotas(const std::string& project_id) override;
  absl::StatusOr<QuotaUsage> GetUsage(const std::string& project_id) override;

 private:
  // A snapshot with what it keeps of its volume when taken (as the snapshots table does).
  struct StoredSnapshot {
    Snapshot snapshot;
    std::string volume_type_id;
    std::string backend_key;
  };

  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  QuotaUsage UsageLocked(const std::string& project_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string TypeNameLocked(const std::string& type_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasAttachmentsLocked(const std::string& volume_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int64_t AllocatedLocked(const std::string& key, const std::string& except_volume)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // ChangeVolume under the lock; `volume` is the stored one, changed only on success.
  absl::StatusOr<Volume> ChangeVolumeLocked(Volume& volume, const VolumeChange& change,
                                            absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  absl::Status fail_next_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Volume> volumes_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, StoredSnapshot> snapshots_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Attachment> attachments_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, VolumeType> types_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, std::string>> type_access_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Backend> backends_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, QuotaLimits> quotas_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::block_storage
