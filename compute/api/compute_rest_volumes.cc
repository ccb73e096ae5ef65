// Nova REST: os-volume_attachments (list, show, attach, detach), over
// VolumeAttachmentManager.
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {

json VolumeAttachmentJson(const Call& call, const VolumeAttachment& a) {
  json j = {{"serverId", a.instance_uuid},
            {"volumeId", a.volume_id},
            {"device", a.device.empty() ? json(nullptr) : json(a.device)}};
  if (!call.version.AtLeast(89)) j["id"] = a.volume_id;
  if (call.version.AtLeast(70)) j["tag"] = nullptr;
  if (call.version.AtLeast(79)) j["delete_on_termination"] = a.delete_on_termination;
  if (call.version.AtLeast(89)) j["attachment_id"] = a.attachment_id;
  return j;
}

namespace {

// GET /v2.1/servers/{id}/os-volume_attachments
absl::Status ListVolumeAttachments(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeAttachment> all,
                          call.managers().volumes().List(call.rc, call.Param("id")));
  json list = json::array();
  for (const VolumeAttachment& a : all) list.push_back(VolumeAttachmentJson(call, a));
  call.res.Json(200, {{"volumeAttachments", list}});
  return absl::OkStatus();
}

// GET /v2.1/servers/{id}/os-volume_attachments/{volume}
absl::Status ShowVolumeAttachment(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(VolumeAttachment a, call.managers().volumes().Get(
                                                  call.rc, call.Param("id"), call.Param("volume")));
  call.res.Json(200, {{"volumeAttachment", VolumeAttachmentJson(call, a)}});
  return absl::OkStatus();
}

// POST /v2.1/servers/{id}/os-volume_attachments
absl::Status AttachVolume(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "volumeAttachment"));
  std::string volume_id, device;
  http::JsonReader r(body, "volumeAttachment", /*open=*/true);
  r.String("volumeId", &volume_id, {.required = true, .allow_empty = false, .max_length = 255});
  r.String("device", &device, {.nullable = true, .max_length = 255});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(VolumeAttachment a, call.managers().volumes().Attach(
                                                  call.rc, call.Param("id"), volume_id, device));
  call.res.Json(200, {{"volumeAttachment", VolumeAttachmentJson(call, a)}});
  return absl::OkStatus();
}

// DELETE /v2.1/servers/{id}/os-volume_attachments/{volume}
absl::Status DetachVolume(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.managers().volumes().Detach(call.rc, call.Param("id"), call.Param("volume")));
  call.res.Empty(202);
  return absl::OkStatus();
}

}  // namespace

void RegisterVolumeAttachmentRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/servers/{id}/os-volume_attachments", ListVolumeAttachments);
  routes.Add("POST", "/v2.1/servers/{id}/os-volume_attachments", AttachVolume);
  routes.Add("GET", "/v2.1/servers/{id}/os-volume_attachments/{volume}", ShowVolumeAttachment);
  routes.Add("DELETE", "/v2.1/servers/{id}/os-volume_attachments/{volume}", DetachVolume);
}

}  // namespace gureum::compute
