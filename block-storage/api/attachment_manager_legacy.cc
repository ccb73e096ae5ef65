// Cinder's volume actions of the attach flow before the attachment API (os-attach,
// os-detach, os-force_detach, os-begin_detaching, os-roll_detaching): bookkeeping only, as
// in Cinder, where the export came from os-initialize_connection. os-detach and
// os-force_detach of an attachment that has an export end it first, as Delete does.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "block-storage/api/attachment_manager.h"
#include "block-storage/api/volume_states.h"
#include "common/base/ids.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

namespace as = attachment_status;
namespace vs = volume_status;

}  // namespace

absl::StatusOr<Attachment> AttachmentManager::LegacyAttach(const RequestContext& ctx,
                                                           const std::string& volume_id,
                                                           const std::string& instance_uuid,
                                                           const std::string& mountpoint,
                                                           const std::string& mode) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume,
                          volumes_.Visible(ctx, volume_id, "volume:attachment_create"));
  if (!IsUuid(instance_uuid)) {
    return absl::InvalidArgumentError("Invalid input received: instance_uuid must be a UUID.");
  }
  if (mountpoint.empty() || mountpoint.size() > 255) {
    return absl::InvalidArgumentError("Invalid input received: a mountpoint is required.");
  }
  if (mode != "rw" && mode != "ro") {
    return absl::InvalidArgumentError("Invalid input received: mode must be rw or ro.");
  }
  // Reserved by os-reserve (attaching) or not; in-use only when multiattach (the store
  // refuses a second attachment otherwise).
  const std::vector<std::string> allowed = {vs::kAvailable, vs::kAttaching, vs::kReserved,
                                            vs::kInUse};
  if (std::find(allowed.begin(), allowed.end(), volume.status) == allowed.end()) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", volume.id,
                                                   " status must be available or "
                                                   "attaching to attach, but current status is: ",
                                                   volume.status, "."));
  }
  Attachment att;
  att.id = deps_.ids.NewUuid();
  att.volume_id = volume.id;
  att.project_id = volume.project_id;
  att.instance_uuid = instance_uuid;
  att.status = as::kAttached;
  att.mode = volume.read_only ? "ro" : mode;
  att.mountpoint = mountpoint;
  att.created_at = att.updated_at = deps_.clock.Now();
  VolumeChange change{.from = {volume.status}, .status = vs::kInUse};
  absl::Status created = deps_.store.CreateAttachment(att, change, deps_.clock.Now());
  if (absl::IsFailedPrecondition(created)) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", volume.id, " is ",
                                                   created.message(),
                                                   " and cannot be attached now."));
  }
  GUREUM_RETURN_IF_ERROR(created);
  NotifyVolume(deps_, "volume.attach.end", volume);
  return att;
}

absl::Status AttachmentManager::LegacyDetach(const RequestContext& ctx,
                                             const std::string& volume_id,
                                             const std::string& attachment_id, bool force) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume,
                          volumes_.Visible(ctx, volume_id, "volume:attachment_delete"));
  if (force) {
    GUREUM_RETURN_IF_ERROR(
        deps_.policy.Enforce(ctx, "volume_extension:volume_admin_actions:force_detach"));
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<Attachment> all,
                          deps_.store.ListAttachments("", volume.id, ""));
  // Detached already (Cinder answers so too): nothing to do.
  if (all.empty() && attachment_id.empty()) return absl::OkStatus();
  if (!force && volume.status != vs::kInUse && volume.status != vs::kDetaching) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", volume.id,
                                                   " status must be in-use or detaching "
                                                   "to detach, but current status is: ",
                                                   volume.status, "."));
  }
  std::string id = attachment_id;
  if (id.empty()) {
    if (all.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid volume: Volume ", volume.id, " has ", all.size(),
                       " attachments; name the one to detach with attachment_id."));
    }
    id = all[0].id;
  }
  auto it = std::find_if(all.begin(), all.end(), [&](const Attachment& a) { return a.id == id; });
  if (it == all.end()) {
    return absl::NotFoundError(absl::StrCat("Volume attachment ", id, " could not be found."));
  }
  if (!it->connector_host.empty()) {
    if (absl::Status s = deps_.casts.Unexport(*it, volume).status(); !s.ok()) {
      return absl::UnavailableError(
          "The volume agent cannot be told to end the export now; nothing changed, try again.");
    }
  }
  GUREUM_ASSIGN_OR_RETURN(volume, deps_.store.DeleteAttachment(id, deps_.clock.Now()));
  if (force && volume.status != vs::kAvailable && volume.status != vs::kInUse) {
    // Cinder's force detach leaves the volume available when its last attachment went.
    VolumeChange c{.status = all.size() == 1 ? vs::kAvailable : vs::kInUse};
    GUREUM_ASSIGN_OR_RETURN(volume, deps_.store.ChangeVolume(volume.id, c, deps_.clock.Now()));
  }
  NotifyVolume(deps_, "volume.detach.end", volume);
  return absl::OkStatus();
}

absl::Status AttachmentManager::LegacyDetaching(const RequestContext& ctx,
                                                const std::string& volume_id, bool begin) {
  GUREUM_RETURN_IF_ERROR(volumes_.Visible(ctx, volume_id, "volume:attachment_update").status());
  VolumeChange change{.from = {begin ? vs::kInUse : vs::kDetaching},
                      .status = begin ? vs::kDetaching : vs::kInUse};
  absl::Status s = deps_.store.ChangeVolume(volume_id, change, deps_.clock.Now()).status();
  if (absl::IsFailedPrecondition(s)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid volume: Volume status must be ", begin ? "in-use" : "detaching", " to ",
        begin ? "begin" : "roll back", " detaching, but current status is: ", s.message(), "."));
  }
  return s;
}

}  // namespace gureum::block_storage
