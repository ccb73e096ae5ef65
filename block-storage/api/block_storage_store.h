// Persistence of gureum-block-storage (database gureum_block_storage), with a PostgreSQL
// implementation (pg_block_storage_store.h) and an in-memory fake
// (fake_block_storage_store.h) held to one contract by tests/store_contract_test.cc.
//
// Contract, for every implementation:
// - Unknown ids are NotFound ("Volume <id> could not be found." and the like, Cinder's words).
// - Every change guarded by a status (`from`) is one atomic compare-and-set: when the
//   current status is not in `from` nothing changes and the result is FailedPrecondition
//   whose message is the current status alone (the manager words the error). So two
//   concurrent actions on one volume cannot both win.
// - Quotas are checked in the same transaction as the write they limit (per project,
//   serialised): over a limit nothing is written and the result is ResourceExhausted whose
//   message is the quota's name ("gigabytes", "volumes_lvm", ...). Usage counts volumes
//   (volumes, gigabytes, and per type) and snapshots (snapshots, and their size in
//   gigabytes, as Cinder does) whatever their status.
// - ClaimBackend places a volume on a backend only if the sizes already placed there plus
//   this one fit `capacity_gb` (serialised per backend), so concurrent creates cannot
//   overcommit it.
// Thread-safe. The PostgreSQL implementation blocks on the network.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "block-storage/api/model.h"

namespace gureum::block_storage {

// A guarded change of a volume: only the fields set are written.
struct VolumeChange {
  std::vector<std::string> from;  // allowed current statuses; empty: any
  std::optional<std::string> status;
  std::optional<std::string> previous_status;
  std::optional<int64_t> size_gb;  // growth is checked against `quota`
  // A retype: with `quota`, the new type's per-type quotas are checked for the volume.
  std::optional<std::string> volume_type_id;
  std::optional<std::string> backend_key;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> bootable;
  std::optional<bool> read_only;
  std::optional<Metadata> metadata;
  std::optional<Metadata> image_metadata;
  std::optional<std::string> error;
  std::optional<std::string> task_id;
  // With the guard: FailedPrecondition "attached" / "snapshots" instead of a change.
  bool require_no_attachments = false;
  bool require_no_snapshots = false;
  // Limits for a size increase; unset: not checked.
  std::optional<QuotaLimits> quota;
};

struct SnapshotChange {
  std::vector<std::string> from;
  std::optional<std::string> status;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<Metadata> metadata;
  std::optional<std::string> error;
  std::optional<std::string> task_id;
};

struct AttachmentChange {
  std::vector<std::string> from;
  std::optional<std::string> status;
  std::optional<std::string> mountpoint;
  std::optional<std::string> connector_host;
  std::optional<std::string> connector_ip;
  std::optional<ConnectionInfo> connection_info;
  std::optional<std::string> error;
  std::optional<std::string> task_id;
  // Also set the volume's status in the same transaction (attach complete: in-use).
  std::optional<std::string> volume_status;
};

class BlockStorageStore {
 public:
  virtual ~BlockStorageStore() = default;

  // ---- volumes ----
  // Inserts the volume (the caller chose the id) within `quota`. Duplicate id: AlreadyExists.
  // A volume_type_id ("" is none) that names no type: NotFound, so that DeleteType's
  // "in use" holds against a concurrent create.
  virtual absl::Status CreateVolume(const Volume& volume, const QuotaLimits& quota) = 0;
  virtual absl::StatusOr<Volume> GetVolume(const std::string& id) = 0;
  // Sorted by query.sort_key (ties by id), from after `marker` (NotFound if the marker is
  // not in the listing), at most `limit`.
  virtual absl::StatusOr<std::vector<Volume>> ListVolumes(const VolumeQuery& query) = 0;
  virtual absl::StatusOr<Volume> ChangeVolume(const std::string& id, const VolumeChange& change,
                                              absl::Time now) = 0;
  // Removes the volume row (its attachments must be gone; snapshots keep their rows).
  virtual absl::Status DeleteVolume(const std::string& id) = 0;
  // Volumes in one of `statuses` not updated since `before` (an agent that never answered).
  virtual absl::StatusOr<std::vector<Volume>> ListStaleVolumes(
      const std::vector<std::string>& statuses, absl::Time before) = 0;

  // ---- snapshots ----
  // Inserts the snapshot within `quota` if its volume's status is in `volume_from`
  // (FailedPrecondition with the volume's status otherwise; NotFound for no volume).
  virtual absl::Status CreateSnapshot(const Snapshot& snapshot,
                                      const std::vector<std::string>& volume_from,
                                      const QuotaLimits& quota) = 0;
  virtual absl::StatusOr<Snapshot> GetSnapshot(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Snapshot>> ListSnapshots(const SnapshotQuery& query) = 0;
  virtual absl::StatusOr<Snapshot> ChangeSnapshot(const std::string& id,
                                                  const SnapshotChange& change, absl::Time now) = 0;
  virtual absl::Status DeleteSnapshot(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Snapshot>> ListStaleSnapshots(
      const std::vector<std::string>& statuses, absl::Time before) = 0;

  // ---- attachments ----
  // Inserts the attachment and applies `volume_change` to its volume in one transaction.
  // Unless the volume is multiattach, a volume that already has an attachment is
  // FailedPrecondition "attached".
  virtual absl::Status CreateAttachment(const Attachment& attachment,
                                        const VolumeChange& volume_change, absl::Time now) = 0;
  virtual absl::StatusOr<Attachment> GetAttachment(const std::string& id) = 0;
  // "" project: every project's.
  virtual absl::StatusOr<std::vector<Attachment>> ListAttachments(
      const std::string& project_id, const std::string& volume_id,
      const std::string& instance_uuid) = 0;
  virtual absl::StatusOr<Attachment> ChangeAttachment(const std::string& id,
                                                      const AttachmentChange& change,
                                                      absl::Time now) = 0;
  // Removes the attachment; its volume becomes `available` when this was its last one, and
  // stays as it is otherwise. Returns the volume as it is after.
  virtual absl::StatusOr<Volume> DeleteAttachment(const std::string& id, absl::Time now) = 0;

  // ---- volume types ----
  // Duplicate name or id: AlreadyExists.
  virtual absl::Status CreateType(const VolumeType& type) = 0;
  virtual absl::StatusOr<VolumeType> GetType(const std::string& id) = 0;
  virtual absl::StatusOr<VolumeType> GetTypeByName(const std::string& name) = 0;
  // `project_id` set: the public types and the private ones it was given access to;
  // "": every type.
  virtual absl::StatusOr<std::vector<VolumeType>> ListTypes(const std::string& project_id) = 0;
  // Replaces name, description, is_public and extra_specs.
  virtual absl::Status UpdateType(const VolumeType& type) = 0;
  // FailedPrecondition "in use" while a volume has the type.
  virtual absl::Status DeleteType(const std::string& id) = 0;
  virtual absl::Status AddTypeAccess(const std::string& type_id, const std::string& project_id) = 0;
  virtual absl::Status RemoveTypeAccess(const std::string& type_id,
                                        const std::string& project_id) = 0;
  virtual absl::StatusOr<std::vector<std::string>> ListTypeAccess(const std::string& type_id) = 0;

  // ---- backends ----
  // Inserts or replaces the backend's reported fields (keeps disabled and its reason).
  virtual absl::Status ReportBackend(const Backend& backend) = 0;
  // With allocated_gb computed.
  virtual absl::StatusOr<std::vector<Backend>> ListBackends() = 0;
  virtual absl::Status SetBackendDisabled(const std::string& key, bool disabled,
                                          const std::string& reason) = 0;
  // Sets the volume's backend_key to `key` if the backend's allocated size plus the
  // volume's fits `capacity_gb`; otherwise ResourceExhausted and nothing changes.
  virtual absl::Status ClaimBackend(const std::string& volume_id, const std::string& key,
                                    int64_t capacity_gb, absl::Time now) = 0;

  // ---- quotas ----
  // The project's own limits (names absent use the defaults of the configuration).
  virtual absl::StatusOr<QuotaLimits> GetQuotas(const std::string& project_id) = 0;
  virtual absl::Status SetQuotas(const std::string& project_id, const QuotaLimits& limits) = 0;
  virtual absl::Status DeleteQuotas(const std::string& project_id) = 0;
  virtual absl::StatusOr<QuotaUsage> GetUsage(const std::string& project_id) = 0;
};

}  // namespace gureum::block_storage
