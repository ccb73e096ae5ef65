#include "block-storage/api/snapshot_manager.h"

#include "absl/strings/str_cat.h"
#include "block-storage/api/metadata.h"
#include "block-storage/api/volume_states.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

namespace ss = snapshot_status;

absl::Status SnapshotNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Snapshot ", id, " could not be found."));
}

void Notify(const ManagerDeps& deps, const std::string& event, const Snapshot& s) {
  if (deps.notifier == nullptr) return;
  deps.notifier->Info(event, {{"snapshot_id", s.id},
                              {"volume_id", s.volume_id},
                              {"tenant_id", s.project_id},
                              {"display_name", s.name},
                              {"status", s.status},
                              {"volume_size", s.size_gb}});
}

absl::Status CheckFields(const std::string& name, const std::string& description,
                         const Metadata& metadata) {
  if (name.size() > 255 || description.size() > 255) {
    return absl::InvalidArgumentError(
        "Invalid input received: name and description have at most 255 characters.");
  }
  return CheckMetadata(metadata);
}

}  // namespace

absl::StatusOr<Snapshot> SnapshotManager::Visible(const RequestContext& ctx, const std::string& id,
                                                  const std::string& rule) {
  absl::StatusOr<Snapshot> snap = deps_.store.GetSnapshot(id);
  if (absl::IsNotFound(snap.status())) return SnapshotNotFound(id);
  GUREUM_RETURN_IF_ERROR(snap.status());
  if (snap->project_id != ctx.caller.project_id && !deps_.policy.IsAdmin(ctx)) {
    return SnapshotNotFound(id);
  }
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, rule, snap->project_id));
  return snap;
}

absl::StatusOr<Snapshot> SnapshotManager::Create(const RequestContext& ctx,
                                                 const SnapshotCreate& create) {
  GUREUM_RETURN_IF_ERROR(CheckFields(create.name, create.description, create.metadata));
  if (create.volume_id.empty()) {  // Cinder: 404, as for a volume that does not exist
    return absl::NotFoundError("Volume could not be found: the snapshot names no volume_id.");
  }
  GUREUM_ASSIGN_OR_RETURN(Volume volume,
                          volumes_.Visible(ctx, create.volume_id, "volume:create_snapshot"));
  const VolumeAction action = create.force ? VolumeAction::kSnapshotForce : VolumeAction::kSnapshot;
  Snapshot snap;
  snap.id = deps_.ids.NewUuid();
  snap.project_id = volume.project_id;
  snap.user_id = ctx.caller.user_id;
  snap.volume_id = volume.id;
  snap.name = create.name;
  snap.description = create.description;
  snap.status = ss::kCreating;
  snap.size_gb = volume.size_gb;
  snap.metadata = create.metadata;
  snap.created_at = snap.updated_at = deps_.clock.Now();
  GUREUM_ASSIGN_OR_RETURN(QuotaLimits limits, quotas_.Effective(volume.project_id));
  absl::Status created = deps_.store.CreateSnapshot(snap, AllowedFrom(action), limits);
  if (absl::IsFailedPrecondition(created)) {
    return Refused(action, std::string(created.message()));
  }
  GUREUM_RETURN_IF_ERROR(QuotaExceeded(created, limits, snap.size_gb));
  Notify(deps_, "snapshot.create.start", snap);
  absl::StatusOr<std::string> task =
      deps_.casts.CreateSnapshot(snap, volume, volume.status == volume_status::kInUse);
  if (!task.ok()) {
    SnapshotChange failed{.from = {ss::kCreating},
                          .status = ss::kError,
                          .error = "The volume agent could not be reached."};
    GUREUM_ASSIGN_OR_RETURN(snap, deps_.store.ChangeSnapshot(snap.id, failed, deps_.clock.Now()));
  }
  return snap;
}

absl::StatusOr<Snapshot> SnapshotManager::Get(const RequestContext& ctx, const std::string& id) {
  return Visible(ctx, id, "volume:get_snapshot");
}

absl::StatusOr<std::vector<Snapshot>> SnapshotManager::List(const RequestContext& ctx,
                                                            SnapshotQuery query,
                                                            bool all_projects) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume:get_all_snapshots"));
  if (!all_projects || !deps_.policy.IsAdmin(ctx)) query.project_id = ctx.caller.project_id;
  return deps_.store.ListSnapshots(query);
}

absl::StatusOr<Snapshot> SnapshotManager::Update(const RequestContext& ctx, const std::string& id,
                                                 const SnapshotUpdate& update) {
  GUREUM_RETURN_IF_ERROR(Visible(ctx, id, "volume:update_snapshot").status());
  GUREUM_RETURN_IF_ERROR(
      CheckFields(update.name.value_or(""), update.description.value_or(""), {}));
  SnapshotChange change{.name = update.name, .description = update.description};
  return deps_.store.ChangeSnapshot(id, change, deps_.clock.Now());
}

absl::StatusOr<Metadata> SnapshotManager::SetMetadata(const RequestContext& ctx,
                                                      const std::string& id,
                                                      const Metadata& metadata, bool replace) {
  GUREUM_ASSIGN_OR_RETURN(Snapshot snap, Visible(ctx, id, "volume:update_snapshot"));
  GUREUM_RETURN_IF_ERROR(CheckFields("", "", metadata));
  SnapshotChange change{.metadata = MergeMetadata(snap.metadata, metadata, replace)};
  GUREUM_ASSIGN_OR_RETURN(snap, deps_.store.ChangeSnapshot(id, change, deps_.clock.Now()));
  return snap.metadata;
}

absl::Status SnapshotManager::DeleteMetadata(const RequestContext& ctx, const std::string& id,
                                             const std::string& key) {
  GUREUM_ASSIGN_OR_RETURN(Snapshot snap, Visible(ctx, id, "volume:update_snapshot"));
  if (snap.metadata.erase(key) == 0) {
    return absl::NotFoundError(
        absl::StrCat("Snapshot ", id, " has no metadata with key ", key, "."));
  }
  SnapshotChange change{.metadata = snap.metadata};
  return deps_.store.ChangeSnapshot(id, change, deps_.clock.Now()).status();
}

absl::Status SnapshotManager::Delete(const RequestContext& ctx, const std::string& id, bool force) {
  GUREUM_ASSIGN_OR_RETURN(Snapshot snap, Visible(ctx, id, "volume:delete_snapshot"));
  if (force) {
    GUREUM_RETURN_IF_ERROR(
        deps_.policy.Enforce(ctx, "volume_extension:snapshot_admin_actions:force_delete"));
  }
  SnapshotChange change{.status = ss::kDeleting};
  if (!force) change.from = {ss::kAvailable, ss::kError, ss::kErrorDeleting};
  absl::StatusOr<Snapshot> deleting = deps_.store.ChangeSnapshot(id, change, deps_.clock.Now());
  if (absl::IsFailedPrecondition(deleting.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid snapshot: Snapshot status must be available or error or error_deleting to "
        "delete it, but current status is: ",
        deleting.status().message(), "."));
  }
  GUREUM_RETURN_IF_ERROR(deleting.status());
  Notify(deps_, "snapshot.delete.start", *deleting);
  absl::StatusOr<Volume> volume = deps_.store.GetVolume(snap.volume_id);
  if (!volume.ok() || volume->backend_key.empty()) {  // nothing on any backend any more
    return deps_.store.DeleteSnapshot(id);
  }
  if (!deps_.casts.DeleteSnapshot(*deleting, *volume).ok()) {
    SnapshotChange failed{.from = {ss::kDeleting}, .status = ss::kErrorDeleting};
    (void)deps_.store.ChangeSnapshot(id, failed, deps_.clock.Now());
    return absl::UnavailableError("The volume agent could not be reached; delete it again.");
  }
  return absl::OkStatus();
}

absl::Status SnapshotManager::ResetStatus(const RequestContext& ctx, const std::string& id,
                                          const std::string& status) {
  GUREUM_RETURN_IF_ERROR(
      Visible(ctx, id, "volume_extension:snapshot_admin_actions:reset_status").status());
  if (!IsSnapshotStatus(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: '", status, "' is not a snapshot status."));
  }
  SnapshotChange change{.status = status};
  return deps_.store.ChangeSnapshot(id, change, deps_.clock.Now()).status();
}

}  // namespace gureum::block_storage
