#include "block-storage/api/attachment_manager.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "block-storage/api/volume_states.h"
#include "common/base/ids.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

namespace as = attachment_status;
namespace vs = volume_status;

absl::Status AttachmentNotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Volume attachment ", id, " could not be found."));
}

absl::Status CheckConnector(const Connector& c) {
  if (c.host.empty() || c.host.size() > 255) {
    return absl::InvalidArgumentError("Invalid input received: connector needs a host.");
  }
  if (c.ip.empty() || c.ip.size() > 64) {
    return absl::InvalidArgumentError("Invalid input received: connector needs an ip.");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Attachment> AttachmentManager::Visible(const RequestContext& ctx,
                                                      const std::string& id,
                                                      const std::string& rule) {
  absl::StatusOr<Attachment> att = deps_.store.GetAttachment(id);
  if (absl::IsNotFound(att.status())) return AttachmentNotFound(id);
  GUREUM_RETURN_IF_ERROR(att.status());
  if (att->project_id != ctx.caller.project_id && !deps_.policy.IsAdmin(ctx) &&
      !deps_.policy.IsService(ctx)) {
    return AttachmentNotFound(id);
  }
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, rule, att->project_id));
  return att;
}

absl::StatusOr<Attachment> AttachmentManager::Create(const RequestContext& ctx,
                                                     const std::string& volume_id,
                                                     const std::string& instance_uuid,
                                                     const Connector* connector,
                                                     const std::string& mode) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume,
                          volumes_.Visible(ctx, volume_id, "volume:attachment_create"));
  if (!instance_uuid.empty() && !IsUuid(instance_uuid)) {
    return absl::InvalidArgumentError("Invalid input received: instance_uuid is not a UUID.");
  }
  if (mode != "rw" && mode != "ro") {
    return absl::InvalidArgumentError("Invalid input received: mode must be rw or ro.");
  }
  if (connector != nullptr) GUREUM_RETURN_IF_ERROR(CheckConnector(*connector));
  const std::vector<std::string>& allowed = AllowedFrom(VolumeAction::kReserve);
  if (std::find(allowed.begin(), allowed.end(), volume.status) == allowed.end()) {
    return Refused(VolumeAction::kReserve, volume.status);
  }
  Attachment att;
  att.id = deps_.ids.NewUuid();
  att.volume_id = volume.id;
  att.project_id = volume.project_id;
  att.instance_uuid = instance_uuid;
  att.status = as::kReserved;
  att.mode = volume.read_only ? "ro" : mode;
  att.created_at = att.updated_at = deps_.clock.Now();
  VolumeChange change{.from = {volume.status},
                      .status = StatusDuring(VolumeAction::kReserve, volume.status)};
  absl::Status created = deps_.store.CreateAttachment(att, change, deps_.clock.Now());
  if (absl::IsFailedPrecondition(created)) {
    if (created.message() == "attached") {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid volume: Volume ", volume.id,
                       " is already attached and is not multiattach; detach it first."));
    }
    return Refused(VolumeAction::kReserve, std::string(created.message()));
  }
  GUREUM_RETURN_IF_ERROR(created);
  NotifyVolume(deps_, "volume.attach.start", volume);
  if (connector == nullptr) return att;
  return Update(ctx, att.id, *connector);
}

absl::StatusOr<Attachment> AttachmentManager::Update(const RequestContext& ctx,
                                                     const std::string& id,
                                                     const Connector& connector) {
  GUREUM_RETURN_IF_ERROR(CheckConnector(connector));
  GUREUM_ASSIGN_OR_RETURN(Attachment att, Visible(ctx, id, "volume:attachment_update"));
  GUREUM_ASSIGN_OR_RETURN(Volume volume, deps_.store.GetVolume(att.volume_id));
  AttachmentChange change{.from = {as::kReserved, as::kErrorAttaching},
                          .status = as::kAttaching,
                          .connector_host = connector.host,
                          .connector_ip = connector.ip,
                          .connection_info = ConnectionInfo{},
                          .error = ""};
  if (volume.status == vs::kReserved) change.volume_status = vs::kAttaching;
  absl::StatusOr<Attachment> attaching =
      deps_.store.ChangeAttachment(id, change, deps_.clock.Now());
  if (absl::IsFailedPrecondition(attaching.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid attachment: attachment ", id, " is ", attaching.status().message(),
                     "; only a reserved attachment takes a connector."));
  }
  GUREUM_RETURN_IF_ERROR(attaching.status());
  if (!deps_.casts.Export(*attaching, volume).ok()) {
    AttachmentChange failed{.from = {as::kAttaching},
                            .status = as::kErrorAttaching,
                            .error = "The volume agent could not be reached."};
    (void)deps_.store.ChangeAttachment(id, failed, deps_.clock.Now());
    return absl::UnavailableError("The volume agent could not be reached; try again.");
  }
  return AwaitExport(id);
}

absl::StatusOr<Attachment> AttachmentManager::AwaitExport(const std::string& id) {
  const absl::Time deadline = deps_.clock.Now() + deps_.options.export_timeout;
  absl::Duration pause = absl::Milliseconds(5);
  while (true) {
    GUREUM_ASSIGN_OR_RETURN(Attachment att, deps_.store.GetAttachment(id));
    if (!att.connection_info.protocol.empty()) return att;
    if (att.status == as::kErrorAttaching) {
      return absl::FailedPreconditionError(
          absl::StrCat("The volume could not be exported: ", att.error));
    }
    if (deps_.clock.Now() >= deadline) break;
    deps_.clock.SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(200));
  }
  AttachmentChange failed{.from = {as::kAttaching},
                          .status = as::kErrorAttaching,
                          .error = "The volume agent did not export the volume in time."};
  (void)deps_.store.ChangeAttachment(id, failed, deps_.clock.Now());
  return absl::DeadlineExceededError(
      absl::StrCat("The volume agent did not export the volume within ",
                   absl::ToInt64Seconds(deps_.options.export_timeout), " s; is it running?"));
}

absl::Status AttachmentManager::Complete(const RequestContext& ctx, const std::string& id,
                                         const std::string& mountpoint) {
  GUREUM_ASSIGN_OR_RETURN(Attachment att, Visible(ctx, id, "volume:attachment_complete"));
  AttachmentChange change{.from = {as::kAttaching, as::kAttached},
                          .status = as::kAttached,
                          .mountpoint = mountpoint,
                          .volume_status = vs::kInUse};
  absl::StatusOr<Attachment> done = deps_.store.ChangeAttachment(id, change, deps_.clock.Now());
  if (absl::IsFailedPrecondition(done.status())) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid attachment: attachment ", id, " is ",
                                                   done.status().message(),
                                                   "; it has no export to complete."));
  }
  GUREUM_RETURN_IF_ERROR(done.status());
  if (absl::StatusOr<Volume> volume = deps_.store.GetVolume(att.volume_id); volume.ok()) {
    NotifyVolume(deps_, "volume.attach.end", *volume);
  }
  return absl::OkStatus();
}

absl::Status AttachmentManager::Delete(const RequestContext& ctx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Attachment att, Visible(ctx, id, "volume:attachment_delete"));
  GUREUM_ASSIGN_OR_RETURN(Volume volume, deps_.store.GetVolume(att.volume_id));
  // The export ends first (Cinder's terminate_connection before the attachment goes): a
  // cast that cannot be sent changes nothing, so no export outlives its attachment. The
  // agent reads its queue whenever it runs (durable), and an unexport of nothing is OK.
  if (!att.connector_host.empty()) {
    if (absl::Status s = deps_.casts.Unexport(att, volume).status(); !s.ok()) {
      return absl::UnavailableError(
          "The volume agent cannot be told to end the export now; nothing changed, try again.");
    }
  }
  GUREUM_ASSIGN_OR_RETURN(volume, deps_.store.DeleteAttachment(id, deps_.clock.Now()));
  NotifyVolume(deps_, "volume.detach.end", volume);
  return absl::OkStatus();
}

absl::StatusOr<Attachment> AttachmentManager::Get(const RequestContext& ctx,
                                                  const std::string& id) {
  return Visible(ctx, id, "volume:attachment_get");
}

absl::StatusOr<std::vector<Attachment>> AttachmentManager::List(const RequestContext& ctx,
                                                                const std::string& volume_id,
                                                                const std::string& instance_uuid,
                                                                bool all_projects) {
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, "volume:attachment_get_all"));
  const bool every = all_projects && deps_.policy.IsAdmin(ctx);
  return deps_.store.ListAttachments(every ? "" : ctx.caller.project_id, volume_id, instance_uuid);
}

}  // namespace gureum::block_storage
