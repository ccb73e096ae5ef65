#include "compute/api/volume_attachment_manager.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/instance_states.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

absl::Status NotConfigured() {
  return WithHttpStatus(absl::UnavailableError("block storage is not configured"), 503);
}

// Block storage's answers to a reservation, as Nova words them: 404 and 400 keep their
// message; the rest passes.
absl::Status FromBlockStorage(absl::Status s) {
  if (absl::IsNotFound(s)) return absl::NotFoundError(s.message());
  if (absl::IsInvalidArgument(s) || absl::IsFailedPrecondition(s)) {
    return absl::InvalidArgumentError(s.message());
  }
  return s;
}

// The device a new attachment will most likely get, for the attach's answer (Nova reserves
// it on the host before it answers): the wished one, else the first virtio disk after the
// root that no attachment of the server holds. The agent takes it when it is free there,
// and its report corrects it otherwise.
std::string LikelyDevice(const std::vector<VolumeAttachment>& rows, const std::string& wished) {
  if (!wished.empty()) return wished;
  for (char c = 'b'; c <= 'z'; ++c) {
    std::string dev = absl::StrCat("/dev/vd", std::string(1, c));
    bool taken = false;
    for (const VolumeAttachment& a : rows) taken = taken || a.device == dev;
    if (!taken) return dev;
  }
  return "";
}

}  // namespace

absl::StatusOr<std::vector<VolumeAttachment>> VolumeAttachmentManager::List(
    const RequestContext& ctx, const std::string& server_id) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(deps_.store, deps_.policy, ctx, server_id));
  GUREUM_RETURN_IF_ERROR(
      deps_.policy.Enforce(ctx, "os_compute_api:os-volumes-attachments:index", i.project_id));
  return deps_.store.ListVolumeAttachments(i.uuid);
}

absl::StatusOr<VolumeAttachment> VolumeAttachmentManager::Get(const RequestContext& ctx,
                                                              const std::string& server_id,
                                                              const std::string& volume_id) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(deps_.store, deps_.policy, ctx, server_id));
  GUREUM_RETURN_IF_ERROR(
      deps_.policy.Enforce(ctx, "os_compute_api:os-volumes-attachments:show", i.project_id));
  return deps_.store.GetVolumeAttachment(i.uuid, volume_id);
}

absl::StatusOr<Instance> VolumeAttachmentManager::ServerForChange(const RequestContext& ctx,
                                                                  const std::string& id,
                                                                  const std::string& rule,
                                                                  const std::string& what) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(deps_.store, deps_.policy, ctx, id));
  GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(ctx, rule, i.project_id));
  // Nova's check_instance_state(vm_state=[ACTIVE, STOPPED], task_state=[None]).
  if (i.vm_state != vm::kActive && i.vm_state != vm::kStopped) {
    return absl::FailedPreconditionError(absl::StrCat("Cannot '", what, "' instance ", i.uuid,
                                                      " while it is in vm_state ", i.vm_state));
  }
  if (!i.task_state.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("Cannot '", what, "' instance ", i.uuid,
                                                      " while it is in task_state ", i.task_state));
  }
  return i;
}

absl::Status VolumeAttachmentManager::Cast(const RequestContext& ctx, const Instance& i,
                                           const VolumeAttachment& a, bool attach,
                                           const std::string& device) {
  v1::Cast cast;
  if (attach) {
    v1::AttachVolume* m = cast.mutable_attach_volume();
    m->set_instance_uuid(i.uuid);
    m->set_volume_id(a.volume_id);
    m->set_attachment_id(a.attachment_id);
    m->set_task_id(ctx.request_id);
    m->set_device(device);
  } else {
    v1::DetachVolume* m = cast.mutable_detach_volume();
    m->set_instance_uuid(i.uuid);
    m->set_volume_id(a.volume_id);
    m->set_attachment_id(a.attachment_id);
    m->set_task_id(ctx.request_id);
  }
  return deps_.casts.CastToHost(ctx, i.host, cast);
}

absl::StatusOr<VolumeAttachment> VolumeAttachmentManager::Attach(const RequestContext& ctx,
                                                                 const std::string& server_id,
                                                                 const std::string& volume_id,
                                                                 const std::string& device) {
  GUREUM_ASSIGN_OR_RETURN(
      Instance i, ServerForChange(ctx, server_id, "os_compute_api:os-volumes-attachments:create",
                                  "attach_volume"));
  if (deps_.block_storage == nullptr) return NotConfigured();
  if (deps_.store.GetVolumeAttachment(i.uuid, volume_id).ok()) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: volume ", volume_id,
                                                   " is already attached to instance ", i.uuid));
  }
  absl::StatusOr<Attachment> reserved =
      deps_.block_storage->CreateAttachment(ctx.token, volume_id, i.uuid, nullptr);
  if (!reserved.ok()) return FromBlockStorage(reserved.status());
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeAttachment> rows,
                          deps_.store.ListVolumeAttachments(i.uuid));
  const std::string likely = LikelyDevice(rows, device);
  VolumeAttachment row{.instance_uuid = i.uuid,
                       .volume_id = volume_id,
                       .attachment_id = reserved->id,
                       .device = likely,
                       .status = "attaching"};
  absl::Status s = deps_.store.CreateVolumeAttachment(row);
  if (s.ok()) {
    s = Cast(ctx, i, row, /*attach=*/true, likely);
    if (!s.ok()) (void)deps_.store.DeleteVolumeAttachment(row.attachment_id);
  }
  if (!s.ok()) {
    // Nothing stays reserved for an attach that did not start.
    absl::Status undo = deps_.block_storage->DeleteAttachment(ctx.token, reserved->id);
    if (!undo.ok()) spdlog::warn("releasing attachment {}: {}", reserved->id, undo.ToString());
    if (absl::IsAlreadyExists(s)) return absl::InvalidArgumentError(s.message());
    return s;
  }
  return deps_.store.GetVolumeAttachment(i.uuid, volume_id);
}

absl::Status VolumeAttachmentManager::Detach(const RequestContext& ctx,
                                             const std::string& server_id,
                                             const std::string& volume_id) {
  GUREUM_ASSIGN_OR_RETURN(
      Instance i, ServerForChange(ctx, server_id, "os_compute_api:os-volumes-attachments:delete",
                                  "detach_volume"));
  if (deps_.block_storage == nullptr) return NotConfigured();
  GUREUM_ASSIGN_OR_RETURN(VolumeAttachment a, deps_.store.GetVolumeAttachment(i.uuid, volume_id));
  if (a.boot_index == 0) {
    return absl::InvalidArgumentError("Cannot detach a root device volume");  // Nova's
  }
  if (a.status == "detaching") return absl::OkStatus();  // asked already
  absl::StatusOr<VolumeAttachment> marked =
      deps_.store.UpdateVolumeAttachment(a.attachment_id, {"attached"}, "detaching", "");
  if (absl::IsFailedPrecondition(marked.status())) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: volume ", volume_id,
                                                   " is still attaching to instance ", i.uuid));
  }
  GUREUM_RETURN_IF_ERROR(marked.status());
  absl::Status s = Cast(ctx, i, *marked, /*attach=*/false, "");
  if (!s.ok()) (void)deps_.store.UpdateVolumeAttachment(a.attachment_id, {}, "attached", "");
  return s;
}

absl::Status VolumeAttachmentManager::ApplyReport(const v1::VolumeAttachmentUpdate& r) {
  absl::Status s;
  const bool attach = r.op() == "attach";
  if (r.status() == "error") {
    spdlog::warn("volume {} {} on instance {} failed: {}", r.volume_id(), r.op(), r.instance_uuid(),
                 r.error());
  }
  if (attach && r.status() == "attached") {
    // A volume made for the server at create gets the attachment its agent reserved.
    absl::StatusOr<VolumeAttachment> row =
        deps_.store.GetVolumeAttachment(r.instance_uuid(), r.volume_id());
    if (row.ok() && row->attachment_id.empty() && !r.attachment_id().empty()) {
      GUREUM_RETURN_IF_ERROR(
          deps_.store.SetVolumeAttachmentId(r.instance_uuid(), r.volume_id(), r.attachment_id())
              .status());
    }
    s = deps_.store.UpdateVolumeAttachment(r.attachment_id(), {"attaching"}, "attached", r.device())
            .status();
  } else if (attach) {
    // The agent deleted the attachment at block storage, unless it could not (a host
    // without block storage): deleted here too, so the volume is never left reserved.
    if (deps_.block_storage_as_service != nullptr) {
      absl::Status d =
          deps_.block_storage_as_service->DeleteAttachment(kAsService, r.attachment_id());
      if (!d.ok() && !absl::IsNotFound(d)) return d;  // retried with the report
    }
    s = deps_.store.DeleteVolumeAttachment(r.attachment_id());
  } else if (r.status() == "detached") {
    s = deps_.store.DeleteVolumeAttachment(r.attachment_id());
  } else {  // the guest kept the disk: still attached
    s = deps_.store.UpdateVolumeAttachment(r.attachment_id(), {"detaching"}, "attached", "")
            .status();
  }
  // A repeated report, or one about a row gone with its server: nothing to do.
  if (absl::IsNotFound(s) || absl::IsFailedPrecondition(s)) return absl::OkStatus();
  return s;
}

void VolumeAttachmentManager::ReleaseAll(const std::string& instance_uuid) {
  absl::StatusOr<std::vector<VolumeAttachment>> rows =
      deps_.store.ListVolumeAttachments(instance_uuid);
  if (!rows.ok()) {
    spdlog::warn("volumes of deleted instance {}: {}", instance_uuid, rows.status().ToString());
    return;
  }
  if (rows->empty()) return;
  if (deps_.block_storage_as_service == nullptr) {
    spdlog::warn("instance {} had {} volumes, but block storage is not configured", instance_uuid,
                 rows->size());
    return;
  }
  for (const VolumeAttachment& a : *rows) {
    absl::Status s =
        a.attachment_id.empty()
            ? absl::OkStatus()  // made at create, never reserved by its agent
            : deps_.block_storage_as_service->DeleteAttachment(kAsService, a.attachment_id);
    if (!s.ok() && !absl::IsNotFound(s)) {
      spdlog::warn("deleting attachment {} of volume {} (instance {} deleted): {}", a.attachment_id,
                   a.volume_id, instance_uuid, s.ToString());
      continue;  // still attached: it cannot be deleted either
    }
    if (!a.delete_on_termination) continue;
    // Once its attachment is gone (boot from volume, delete_on_termination).
    s = deps_.block_storage_as_service->DeleteVolume(kAsService, a.volume_id);
    if (!s.ok() && !absl::IsNotFound(s)) {
      spdlog::warn("deleting volume {} of deleted instance {}: {}", a.volume_id, instance_uuid,
                   s.ToString());
    }
  }
}

}  // namespace gureum::compute
