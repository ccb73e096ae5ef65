// Volumes: create (empty, from an image, a snapshot or another volume), show, list,
// update, delete, extend, the flags (bootable, read-only), metadata and the admin actions,
// with Cinder's policy and status machine (volume_states.h). A create or change the volume
// agent carries out is recorded first (status creating, extending, deleting), then cast to
// the agent of the volume's backend; ReportHandler applies the agent's answer.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "block-storage/api/backend_manager.h"
#include "block-storage/api/manager_deps.h"
#include "block-storage/api/quota_manager.h"
#include "block-storage/api/type_manager.h"
#include "block-storage/api/volume_states.h"

namespace gureum::block_storage {

struct VolumeCreate {
  std::string name;
  std::string description;
  std::optional<int64_t> size_gb;  // required unless a source gives it
  std::string volume_type;         // name or id; "" the default type
  std::string availability_zone;
  std::string snapshot_id;
  std::string source_volume_id;
  std::string image_id;
  bool multiattach = false;
  Metadata metadata;
};

struct VolumeUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<Metadata> metadata;  // replaces
};

// os-volume_upload_image: the image to make from a volume, in Cinder's parameters.
struct ImageUpload {
  std::string image_name;
  std::string disk_format = "raw";  // raw | qcow2
  std::string container_format = "bare";
  bool force = false;                  // an in-use volume too
  std::string visibility = "private";  // 3.1
  bool is_protected = false;           // 3.1
};

// What an upload started: the volume (uploading), its type and the queued image.
struct UploadStarted {
  Volume volume;
  VolumeType type;
  compute::ImageInfo image;
};

class VolumeManager {
 public:
  VolumeManager(const ManagerDeps& deps, BackendManager& backends, TypeManager& types,
                QuotaManager& quotas)
      : deps_(deps), backends_(backends), types_(types), quotas_(quotas) {}

  absl::StatusOr<Volume> Create(const RequestContext& ctx, const VolumeCreate& create);
  // NotFound (Cinder's words) for a volume of another project, unless admin.
  absl::StatusOr<Volume> Get(const RequestContext& ctx, const std::string& id);
  // Cinder's volume summary (3.12): how many volumes the caller's project has (every
  // project's for an admin with all_projects), their total size, and (3.36) each metadata
  // key with the values it has.
  struct Summary {
    int64_t count = 0;
    int64_t total_gb = 0;
    std::map<std::string, std::set<std::string>> metadata;
  };
  absl::StatusOr<Summary> Summarize(const RequestContext& ctx, bool all_projects);
  absl::StatusOr<std::vector<Volume>> List(const RequestContext& ctx, VolumeQuery query,
                                           bool all_projects);
  absl::StatusOr<Volume> Update(const RequestContext& ctx, const std::string& id,
                                const VolumeUpdate& update);
  // Merges (or with `replace`, replaces) the metadata; returns all of it.
  absl::StatusOr<Metadata> SetMetadata(const RequestContext& ctx, const std::string& id,
                                       const Metadata& metadata, bool replace);
  absl::Status DeleteMetadata(const RequestContext& ctx, const std::string& id,
                              const std::string& key);
  // volume_image_metadata (os-set_image_metadata / os-unset_image_metadata): merged; an
  // absent key is 404.
  absl::StatusOr<Metadata> SetImageMetadata(const RequestContext& ctx, const std::string& id,
                                            const Metadata& metadata);
  absl::Status UnsetImageMetadata(const RequestContext& ctx, const std::string& id,
                                  const std::string& key);
  // `force`: os-force_delete (admin), any status but attached.
  // `cascade` (Cinder's ?cascade=true): the volume's snapshots go with it; each must be
  // available or error (400 otherwise), and they are deleting from then on.
  absl::Status Delete(const RequestContext& ctx, const std::string& id, bool force,
                      bool cascade = false);
  // `attached_allowed`: microversion 3.42 and later extend an in-use volume.
  // Cinder's os-retype without migration (volume_manager_retype.cc): available or in-use,
  // a new type the caller may use whose volume_backend_name (if any) is the volume's
  // backend; 400 when a migration would be needed, 404 for an unknown type, 413 over the
  // new type's quotas.
  absl::StatusOr<Volume> Retype(const RequestContext& ctx, const std::string& id,
                                const std::string& new_type, const std::string& migration_policy);
  absl::StatusOr<Volume> Extend(const RequestContext& ctx, const std::string& id,
                                int64_t new_size_gb, bool attached_allowed);
  absl::Status SetBootable(const RequestContext& ctx, const std::string& id, bool bootable);
  absl::Status SetReadOnly(const RequestContext& ctx, const std::string& id, bool read_only);
  // The pre-3.27 steps os-reserve (available -> attaching) and os-unreserve (attaching ->
  // available): the status alone; compute attaches through AttachmentManager.
  absl::Status LegacyReserve(const RequestContext& ctx, const std::string& id);
  absl::Status LegacyUnreserve(const RequestContext& ctx, const std::string& id);
  // os-volume_upload_image (volume_manager_upload.cc): the volume goes to uploading, the
  // image is created with the caller's token (owned by the caller's project, carrying the
  // volume's image properties as Cinder does), and the upload is cast to the volume's
  // agent, whose report puts the volume back to its previous status.
  absl::StatusOr<UploadStarted> UploadToImage(const RequestContext& ctx, const std::string& id,
                                              const ImageUpload& upload);
  // Admin: os-reset_status.
  absl::Status ResetStatus(const RequestContext& ctx, const std::string& id,
                           const std::string& status);

  // The volume if the caller may see it (policy `rule` checked on its project).
  absl::StatusOr<Volume> Visible(const RequestContext& ctx, const std::string& id,
                                 const std::string& rule);

 private:
  // For a cascade delete: 400 unless each of the volume's snapshots is available or in
  // error; then (the volume deleting) they are marked deleting.
  absl::Status CheckSnapshotsDeletable(const Volume& volume);
  absl::Status MarkSnapshotsDeleting(const std::string& volume_id);
  absl::StatusOr<VolumeType> TypeOf(const RequestContext& ctx, const std::string& requested);
  absl::Status CheckSources(const RequestContext& ctx, VolumeCreate& create, Volume& volume,
                            VolumeOrigin& origin);
  absl::Status CheckImage(const RequestContext& ctx, const VolumeCreate& create, Volume& volume,
                          VolumeOrigin& origin);
  // Places the stored volume and casts its create; on failure the volume goes to error
  // with the reason (the create itself still answers 202, as Cinder's does).
  void Schedule(Volume& volume, const VolumeType& type, const VolumeOrigin& origin,
                const std::string& source_backend);
  void Fail(Volume& volume, const std::string& reason);
  absl::Status Guarded(const absl::Status& status, VolumeAction action);
  // Puts a volume an upload could not start for back to `previous`.
  void UploadNotStarted(const Volume& volume, const std::string& previous);

  const ManagerDeps& deps_;
  BackendManager& backends_;
  TypeManager& types_;
  QuotaManager& quotas_;
};

}  // namespace gureum::block_storage
