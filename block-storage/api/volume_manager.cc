#include "block-storage/api/volume_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "block-storage/api/metadata.h"
#include "block-storage/api/volume_states.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

namespace vs = volume_status;
namespace ss = snapshot_status;

absl::Status CheckText(const std::string& what, const std::string& value) {
  if (value.size() > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: ", what, " has more than 255 characters."));
  }
  return absl::OkStatus();
}

absl::Status VolumeNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Volume ", id, " could not be found."));
}

int64_t CeilGb(int64_t bytes) { return (bytes + (1LL << 30) - 1) >> 30; }

bool MultiattachType(const VolumeType& type) {
  auto it = type.extra_specs.find("multiattach");
  return it != type.extra_specs.end() && (it->second == "<is> True" || it->second == "True");
}

}  // namespace

void NotifyVolume(const ManagerDeps& deps, const std::string& event, const Volume& volume) {
  if (deps.notifier == nullptr) return;
  deps.notifier->Info(event, {{"volume_id", volume.id},
                              {"tenant_id", volume.project_id},
                              {"user_id", volume.user_id},
                              {"display_name", volume.name},
                              {"status", volume.status},
                              {"size", volume.size_gb},
                              {"availability_zone", volume.availability_zone}});
}

absl::Status VolumeManager::Guarded(const absl::Status& status, VolumeAction action) {
  if (absl::IsFailedPrecondition(status)) {
    const std::string current(status.message());
    if (current == "attached") {
      return absl::InvalidArgumentError(
          "Invalid volume: Volume must not be attached; detach it first.");
    }
    if (current == "snapshots") {
      return absl::InvalidArgumentError(
          "Invalid volume: Volume still has dependent snapshots; delete them first.");
    }
    return Refused(action, current);
  }
  return status;
}

absl::StatusOr<Volume> VolumeManager::Visible(const RequestContext& ctx, const std::string& id,
                                              const std::string& rule) {
  absl::StatusOr<Volume> volume = deps_.store.GetVolume(id);
  if (absl::IsNotFound(volume.status())) return VolumeNotFound(id);
  GUREUM_RETURN_IF_ERROR(volume.status());
  if (volume->project_id != ctx.caller.project_id && !deps_.policy.IsAdmin(ctx) &&
      !deps_.policy.IsService(ctx)) {
    return VolumeNotFound(id);
  }
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, rule, volume->project_id));
  return volume;
}

absl::StatusOr<Volume> VolumeManager::Get(const RequestContext& ctx, const std::string& id) {
  return Visible(ctx, id, "volume:get");
}

absl::StatusOr<std::vector<Volume>> VolumeManager::List(const RequestContext& ctx,
                                                        VolumeQuery query, bool all_projects) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume:get_all"));
  if (!all_projects || !deps_.policy.IsAdmin(ctx)) query.project_id = ctx.caller.project_id;
  return deps_.store.ListVolumes(query);
}

absl::StatusOr<VolumeManager::Summary> VolumeManager::Summarize(const RequestContext& ctx,
                                                                bool all_projects) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Volume> volumes, List(ctx, VolumeQuery{}, all_projects));
  Summary out;
  for (const Volume& v : volumes) {
    ++out.count;
    out.total_gb += v.size_gb;
    for (const auto& [key, value] : v.metadata) out.metadata[key].insert(value);
  }
  return out;
}

absl::StatusOr<VolumeType> VolumeManager::TypeOf(const RequestContext& ctx,
                                                 const std::string& requested) {
  if (requested.empty()) return types_.Default();
  return types_.Get(ctx, requested);
}

absl::Status VolumeManager::CheckImage(const RequestContext& ctx, const VolumeCreate& create,
                                       Volume& volume, VolumeOrigin& origin) {
  if (deps_.images == nullptr) {
    return absl::UnavailableError("The image service is not configured for block storage.");
  }
  absl::StatusOr<compute::ImageInfo> image = deps_.images->GetImage(ctx.token, create.image_id);
  if (absl::IsNotFound(image.status()) || absl::IsPermissionDenied(image.status())) {
    return absl::NotFoundError(absl::StrCat("Image ", create.image_id, " could not be found."));
  }
  if (absl::IsDeadlineExceeded(image.status()) || absl::IsUnavailable(image.status())) {
    return absl::UnavailableError(
        "The image service cannot be reached to check the image; try again later.");
  }
  GUREUM_RETURN_IF_ERROR(image.status());
  if (image->status != "active") {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid image: Image ", image->id, " is not active (", image->status, ")."));
  }
  const int64_t needed =
      std::max({CeilGb(image->size), CeilGb(image->virtual_size), image->min_disk_gb, int64_t{1}});
  if (!volume.size_gb) volume.size_gb = needed;
  if (volume.size_gb < needed) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: Size of specified image ", needed,
                     " is larger than volume size ", volume.size_gb, "."));
  }
  origin.image_id = image->id;
  origin.image_disk_format = image->disk_format;
  volume.image_id = image->id;
  volume.image_metadata = image->properties;
  volume.image_metadata["image_id"] = image->id;
  volume.image_metadata["image_name"] = image->name;
  volume.image_metadata["disk_format"] = image->disk_format;
  volume.image_metadata["container_format"] = image->container_format;
  volume.image_metadata["min_disk"] = absl::StrCat(image->min_disk_gb);
  volume.image_metadata["min_ram"] = absl::StrCat(image->min_ram_mb);
  volume.image_metadata["size"] = absl::StrCat(image->size);
  volume.image_metadata["checksum"] = image->checksum;
  return absl::OkStatus();
}

absl::Status VolumeManager::CheckSources(const RequestContext& ctx, VolumeCreate& create,
                                         Volume& volume, VolumeOrigin& origin) {
  const int given =
      !create.snapshot_id.empty() + !create.source_volume_id.empty() + !create.image_id.empty();
  if (given > 1) {
    return absl::InvalidArgumentError(
        "Invalid input received: Only one of snapshot_id, source_volid and imageRef may be "
        "given.");
  }
  if (!create.snapshot_id.empty()) {
    absl::StatusOr<Snapshot> snap = deps_.store.GetSnapshot(create.snapshot_id);
    if (absl::IsNotFound(snap.status()) ||
        (snap.ok() && snap->project_id != ctx.caller.project_id && !deps_.policy.IsAdmin(ctx))) {
      return absl::NotFoundError(
          absl::StrCat("Snapshot ", create.snapshot_id, " could not be found."));
    }
    GUREUM_RETURN_IF_ERROR(snap.status());
    if (snap->status != snapshot_status::kAvailable) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid snapshot: Originating snapshot status must be available, not ",
                       snap->status, "."));
    }
    GUREUM_ASSIGN_OR_RETURN(Volume source, deps_.store.GetVolume(snap->volume_id));
    if (!volume.size_gb) volume.size_gb = snap->size_gb;
    if (volume.size_gb < snap->size_gb) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid input received: Volume size '", volume.size_gb,
                       "'GB cannot be smaller than the snapshot size ", snap->size_gb, "GB."));
    }
    origin.snapshot_id = snap->id;
    volume.snapshot_id = snap->id;
    volume.backend_key = source.backend_key;
    volume.bootable = source.bootable;
    volume.image_metadata = source.image_metadata;
    return absl::OkStatus();
  }
  if (!create.source_volume_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(Volume source, Visible(ctx, create.source_volume_id, "volume:get"));
    if (source.status != vs::kAvailable && source.status != vs::kInUse) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid volume: Source volume status must be available or in-use, not ",
                       source.status, "."));
    }
    if (!volume.size_gb) volume.size_gb = source.size_gb;
    if (volume.size_gb < source.size_gb) {
      return absl::InvalidArgumentError(absl::StrCat("Invalid input received: Clones of a ",
                                                     source.size_gb,
                                                     "GB volume must be at least as large."));
    }
    origin.source_volume_id = source.id;
    volume.source_volume_id = source.id;
    volume.backend_key = source.backend_key;
    volume.bootable = source.bootable;
    volume.image_metadata = source.image_metadata;
    return absl::OkStatus();
  }
  if (!create.image_id.empty()) return CheckImage(ctx, create, volume, origin);
  return absl::OkStatus();
}

// Longer than 80 lines would be: checks, then the record, then scheduling; kept short by
// CheckSources and Schedule.
absl::StatusOr<Volume> VolumeManager::Create(const RequestContext& ctx, const VolumeCreate& in) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume:create"));
  GUREUM_RETURN_IF_ERROR(CheckText("name", in.name));
  GUREUM_RETURN_IF_ERROR(CheckText("description", in.description));
  GUREUM_RETURN_IF_ERROR(CheckMetadata(in.metadata));
  VolumeCreate create = in;
  if (create.size_gb && *create.size_gb <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid input received: Volume size '",
                                                   *create.size_gb,
                                                   "' must be an integer and greater than 0."));
  }
  GUREUM_ASSIGN_OR_RETURN(VolumeType type, TypeOf(ctx, create.volume_type));
  const absl::Time now = deps_.clock.Now();
  Volume volume;
  volume.id = deps_.ids.NewUuid();
  volume.project_id = ctx.caller.project_id;
  volume.user_id = ctx.caller.user_id;
  volume.name = create.name;
  volume.description = create.description;
  volume.status = vs::kCreating;
  volume.size_gb = create.size_gb.value_or(0);
  volume.volume_type_id = type.id;
  volume.availability_zone = create.availability_zone.empty()
                                 ? deps_.options.default_availability_zone
                                 : create.availability_zone;
  volume.multiattach = create.multiattach || MultiattachType(type);
  volume.metadata = create.metadata;
  volume.created_at = volume.updated_at = now;
  VolumeOrigin origin;
  GUREUM_RETURN_IF_ERROR(CheckSources(ctx, create, volume, origin));
  if (volume.size_gb <= 0) {
    return absl::InvalidArgumentError(
        "Invalid input received: Volume size must be an integer and greater than 0.");
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, quotas_.Effective(volume.project_id));
  auto per_volume = limits.find("per_volume_gigabytes");
  if (per_volume != limits.end() && per_volume->second >= 0 &&
      volume.size_gb > per_volume->second) {
    return absl::ResourceExhaustedError(
        absl::StrCat("VolumeSizeExceedsLimit: Requested volume size ", volume.size_gb,
                     "G is larger than maximum allowed limit ", per_volume->second, "G."));
  }
  const std::string source_backend = volume.backend_key;
  volume.backend_key.clear();
  GUREUM_RETURN_IF_ERROR(
      QuotaExceeded(deps_.store.CreateVolume(volume, limits), limits, volume.size_gb));
  NotifyVolume(deps_, "volume.create.start", volume);
  Schedule(volume, type, origin, source_backend);
  return volume;
}

void VolumeManager::Schedule(Volume& volume, const VolumeType& type, const VolumeOrigin& origin,
                             const std::string& source_backend) {
  absl::StatusOr<std::string> key = source_backend;
  if (source_backend.empty()) {
    key = backends_.Place(volume, type);
  } else if (absl::Status on = backends_.PlaceOn(volume, source_backend); !on.ok()) {
    key = on;
  }
  if (!key.ok()) return Fail(volume, std::string(key.status().message()));
  volume.backend_key = *key;
  absl::StatusOr<std::string> task = deps_.casts.Create(volume, origin);
  if (!task.ok()) {
    return Fail(volume, absl::StrCat("The volume agent of ", HostOfBackend(*key),
                                     " could not be reached: ", task.status().message()));
  }
}

void VolumeManager::Fail(Volume& volume, const std::string& reason) {
  spdlog::warn("volume {} (project {}) failed to create: {}", volume.id, volume.project_id, reason);
  VolumeChange change{.from = {vs::kCreating}, .status = vs::kError, .error = reason};
  absl::StatusOr<Volume> failed = deps_.store.ChangeVolume(volume.id, change, deps_.clock.Now());
  if (failed.ok()) {
    volume = *failed;
  } else {
    spdlog::warn("volume {}: could not record the error '{}': {}", volume.id, reason,
                 failed.status().ToString());
  }
  NotifyVolume(deps_, "volume.create.error", volume);
}

absl::StatusOr<Volume> VolumeManager::Update(const RequestContext& ctx, const std::string& id,
                                             const VolumeUpdate& update) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:update"));
  VolumeChange change;
  if (update.name) {
    GUREUM_RETURN_IF_ERROR(CheckText("name", *update.name));
    change.name = update.name;
  }
  if (update.description) {
    GUREUM_RETURN_IF_ERROR(CheckText("description", *update.description));
    change.description = update.description;
  }
  if (update.metadata) {
    GUREUM_RETURN_IF_ERROR(CheckMetadata(*update.metadata));
    change.metadata = update.metadata;
  }
  GUREUM_ASSIGN_OR_RETURN(volume, deps_.store.ChangeVolume(id, change, deps_.clock.Now()));
  NotifyVolume(deps_, "volume.update", volume);
  return volume;
}

absl::StatusOr<Metadata> VolumeManager::SetMetadata(const RequestContext& ctx,
                                                    const std::string& id, const Metadata& metadata,
                                                    bool replace) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:update_volume_metadata"));
  GUREUM_RETURN_IF_ERROR(CheckMetadata(metadata));
  VolumeChange change{.metadata = MergeMetadata(volume.metadata, metadata, replace)};
  GUREUM_ASSIGN_OR_RETURN(volume, deps_.store.ChangeVolume(id, change, deps_.clock.Now()));
  return volume.metadata;
}

absl::Status VolumeManager::DeleteMetadata(const RequestContext& ctx, const std::string& id,
                                           const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:update_volume_metadata"));
  if (volume.metadata.erase(key) == 0) {
    return absl::NotFoundError(absl::StrCat("Volume ", id, " has no metadata with key ", key, "."));
  }
  VolumeChange change{.metadata = volume.metadata};
  return deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status();
}

absl::StatusOr<Metadata> VolumeManager::SetImageMetadata(const RequestContext& ctx,
                                                         const std::string& id,
                                                         const Metadata& metadata) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:update_volume_metadata"));
  GUREUM_RETURN_IF_ERROR(CheckMetadata(metadata));
  VolumeChange change{.image_metadata = MergeMetadata(volume.image_metadata, metadata, false)};
  GUREUM_ASSIGN_OR_RETURN(volume, deps_.store.ChangeVolume(id, change, deps_.clock.Now()));
  return volume.image_metadata;
}

absl::Status VolumeManager::UnsetImageMetadata(const RequestContext& ctx, const std::string& id,
                                               const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:update_volume_metadata"));
  if (volume.image_metadata.erase(key) == 0) {
    return absl::NotFoundError(
        absl::StrCat("Volume ", id, " has no image metadata with key ", key, "."));
  }
  VolumeChange change{.image_metadata = volume.image_metadata};
  return deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status();
}

absl::Status VolumeManager::CheckSnapshotsDeletable(const Volume& volume) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Snapshot> snapshots,
                          deps_.store.ListSnapshots({.volume_id = volume.id}));
  for (const Snapshot& s : snapshots) {
    if (s.status != ss::kAvailable && s.status != ss::kError) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid volume: Snapshot ", s.id, " of volume ", volume.id, " is ",
                       s.status, "; a cascade delete needs them available or in error."));
    }
  }
  return absl::OkStatus();
}

absl::Status VolumeManager::MarkSnapshotsDeleting(const std::string& volume_id) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Snapshot> snapshots,
                          deps_.store.ListSnapshots({.volume_id = volume_id}));
  for (const Snapshot& s : snapshots) {
    SnapshotChange c{.from = {ss::kAvailable, ss::kError}, .status = ss::kDeleting};
    absl::Status changed = deps_.store.ChangeSnapshot(s.id, c, deps_.clock.Now()).status();
    // One its owner deleted meanwhile is going anyway.
    if (!changed.ok() && !absl::IsFailedPrecondition(changed) && !absl::IsNotFound(changed)) {
      return changed;
    }
  }
  return absl::OkStatus();
}

void DeleteSnapshotRows(const ManagerDeps& deps, const std::string& volume_id) {
  absl::StatusOr<std::vector<Snapshot>> snapshots =
      deps.store.ListSnapshots({.volume_id = volume_id});
  if (!snapshots.ok()) {
    spdlog::warn("volume {} deleted; listing its snapshots: {}", volume_id,
                 snapshots.status().ToString());
    return;
  }
  for (const Snapshot& s : *snapshots) {
    absl::Status gone = deps.store.DeleteSnapshot(s.id);
    if (!gone.ok() && !absl::IsNotFound(gone)) {
      spdlog::warn("volume {} deleted; its snapshot {}: {}", volume_id, s.id, gone.ToString());
    }
  }
}

absl::Status VolumeManager::Delete(const RequestContext& ctx, const std::string& id, bool force,
                                   bool cascade) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:delete"));
  if (force) {
    GUREUM_RETURN_IF_ERROR(
        deps_.policy.Enforce(ctx, "volume_extension:volume_admin_actions:force_delete"));
  }
  const VolumeAction action = force ? VolumeAction::kForceDelete : VolumeAction::kDelete;
  const std::vector<std::string>& allowed = AllowedFrom(action);
  if (cascade && std::find(allowed.begin(), allowed.end(), volume.status) == allowed.end()) {
    return Refused(action, volume.status);
  }
  if (cascade) GUREUM_RETURN_IF_ERROR(CheckSnapshotsDeletable(volume));
  VolumeChange change{.from = allowed,
                      .status = vs::kDeleting,
                      .error = "",
                      .require_no_attachments = true,
                      .require_no_snapshots = !cascade};
  absl::StatusOr<Volume> deleting = deps_.store.ChangeVolume(id, change, deps_.clock.Now());
  GUREUM_RETURN_IF_ERROR(Guarded(deleting.status(), action));
  // No snapshot can be made of a deleting volume: these are all it has.
  if (cascade) GUREUM_RETURN_IF_ERROR(MarkSnapshotsDeleting(id));
  NotifyVolume(deps_, "volume.delete.start", *deleting);
  if (deleting->backend_key.empty()) {  // never placed: nothing on any backend
    DeleteSnapshotRows(deps_, id);
    GUREUM_RETURN_IF_ERROR(deps_.store.DeleteVolume(id));
    NotifyVolume(deps_, "volume.delete.end", *deleting);
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> task = deps_.casts.Delete(*deleting);
  if (!task.ok()) {
    VolumeChange failed{.from = {vs::kDeleting},
                        .status = vs::kErrorDeleting,
                        .error = "The volume agent could not be reached; delete it again."};
    (void)deps_.store.ChangeVolume(id, failed, deps_.clock.Now());
    return absl::UnavailableError(
        "The volume agent could not be reached; the volume is error_deleting, delete it again.");
  }
  return absl::OkStatus();
}

absl::StatusOr<Volume> VolumeManager::Extend(const RequestContext& ctx, const std::string& id,
                                             int64_t new_size_gb, bool attached_allowed) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume, Visible(ctx, id, "volume:extend"));
  if (volume.status == vs::kInUse) {
    GUREUM_RETURN_IF_ERROR(
        deps_.policy.Enforce(ctx, "volume:extend_attached_volume", volume.project_id));
  }
  if (new_size_gb <= volume.size_gb) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid input received: New size for extend must be greater than current size. "
        "(current: ",
        volume.size_gb, ", extended: ", new_size_gb, ")."));
  }
  const VolumeAction action = attached_allowed ? VolumeAction::kExtendInUse : VolumeAction::kExtend;
  const std::vector<std::string>& allowed = AllowedFrom(action);
  if (std::find(allowed.begin(), allowed.end(), volume.status) == allowed.end()) {
    return Refused(action, volume.status);
  }
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, quotas_.Effective(volume.project_id));
  auto per_volume = limits.find("per_volume_gigabytes");
  if (per_volume != limits.end() && per_volume->second >= 0 && new_size_gb > per_volume->second) {
    return absl::ResourceExhaustedError(
        absl::StrCat("VolumeSizeExceedsLimit: Requested volume size ", new_size_gb,
                     "G is larger than maximum allowed limit ", per_volume->second, "G."));
  }
  const int64_t old_size = volume.size_gb;
  VolumeChange change{.from = {volume.status},
                      .status = vs::kExtending,
                      .previous_status = volume.status,
                      .size_gb = new_size_gb,
                      .quota = limits};
  absl::StatusOr<Volume> extending = deps_.store.ChangeVolume(id, change, deps_.clock.Now());
  GUREUM_RETURN_IF_ERROR(
      QuotaExceeded(Guarded(extending.status(), action), limits, new_size_gb - old_size));
  NotifyVolume(deps_, "volume.resize.start", *extending);
  if (absl::StatusOr<std::string> task = deps_.casts.Extend(*extending, new_size_gb); !task.ok()) {
    VolumeChange back{.from = {vs::kExtending}, .status = volume.status, .size_gb = old_size};
    (void)deps_.store.ChangeVolume(id, back, deps_.clock.Now());
    return absl::UnavailableError("The volume agent could not be reached; try again.");
  }
  return *extending;
}

absl::Status VolumeManager::SetBootable(const RequestContext& ctx, const std::string& id,
                                        bool bootable) {
  GUREUM_RETURN_IF_ERROR(Visible(ctx, id, "volume:set_bootable").status());
  VolumeChange change{.bootable = bootable};
  return deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status();
}

absl::Status VolumeManager::SetReadOnly(const RequestContext& ctx, const std::string& id,
                                        bool read_only) {
  GUREUM_RETURN_IF_ERROR(Visible(ctx, id, "volume:update_readonly_flag").status());
  VolumeChange change{.from = AllowedFrom(VolumeAction::kSetReadOnly), .read_only = read_only};
  return Guarded(deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status(),
                 VolumeAction::kSetReadOnly);
}

absl::Status VolumeManager::LegacyReserve(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Visible(ctx, id, "volume:attachment_create").status());
  VolumeChange change{.from = {vs::kAvailable}, .status = vs::kAttaching};
  return Guarded(deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status(),
                 VolumeAction::kReserve);
}

absl::Status VolumeManager::LegacyUnreserve(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Visible(ctx, id, "volume:attachment_delete").status());
  VolumeChange change{
      .from = {vs::kAttaching}, .status = vs::kAvailable, .require_no_attachments = true};
  absl::Status s = deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status();
  if (absl::IsFailedPrecondition(s)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid volume: only a volume reserved by os-reserve (attaching, no attachment) can be "
        "unreserved; this one is ",
        s.message(), "."));
  }
  return s;
}

absl::Status VolumeManager::ResetStatus(const RequestContext& ctx, const std::string& id,
                                        const std::string& status) {
  GUREUM_RETURN_IF_ERROR(
      Visible(ctx, id, "volume_extension:volume_admin_actions:reset_status").status());
  if (!IsVolumeStatus(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: '", status, "' is not a volume status."));
  }
  VolumeChange change{.status = status, .error = ""};
  return deps_.store.ChangeVolume(id, change, deps_.clock.Now()).status();
}

}  // namespace gureum::block_storage
