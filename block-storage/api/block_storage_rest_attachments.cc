// /v3/{project_id}/attachments (microversion 3.27; os-complete 3.44): reserve, export to a
// connector, complete, delete, list, show.
#include "absl/strings/str_cat.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

absl::Status NeedVersion(const Call& call, int minor) {
  if (call.AtLeast(minor)) return absl::OkStatus();
  return WithHttpStatus(
      absl::NotFoundError(absl::StrCat("The attachment API needs microversion 3.", minor,
                                       " or later (OpenStack-API-Version: volume 3.", minor, ").")),
      404);
}

absl::StatusOr<std::optional<Connector>> ReadConnector(const json& body) {
  if (!body.contains("connector") || body["connector"].is_null()) return std::nullopt;
  Connector c;
  http::JsonReader r(body["connector"], "connector", /*open=*/true);
  r.String("host", &c.host, {.max_length = 255});
  r.String("ip", &c.ip, {.max_length = 64});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  return c;
}

absl::Status CreateAttachment(Call& call) {
  GUREUM_RETURN_IF_ERROR(NeedVersion(call, 27));
  GUREUM_ASSIGN_OR_RETURN(json a, Entity(call.req, "attachment"));
  std::string volume_id, instance, mode = "rw";
  http::JsonReader r(a, "attachment", /*open=*/true);
  r.String("volume_uuid", &volume_id, {.required = true, .allow_empty = false});
  r.String("instance_uuid", &instance, {.nullable = true});
  r.String("mode", &mode, {.allow_empty = false});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(std::optional<Connector> connector, ReadConnector(a));
  GUREUM_ASSIGN_OR_RETURN(
      Attachment att, call.managers.attachments().Create(call.rc, volume_id, instance,
                                                         connector ? &*connector : nullptr, mode));
  call.res.Json(200, {{"attachment", AttachmentJson(att, true)}});
  return absl::OkStatus();
}

absl::Status UpdateAttachment(Call& call) {
  GUREUM_RETURN_IF_ERROR(NeedVersion(call, 27));
  GUREUM_ASSIGN_OR_RETURN(json a, Entity(call.req, "attachment"));
  GUREUM_ASSIGN_OR_RETURN(std::optional<Connector> connector, ReadConnector(a));
  if (!connector) {
    return absl::InvalidArgumentError("Invalid input received: connector is required.");
  }
  GUREUM_ASSIGN_OR_RETURN(
      Attachment att, call.managers.attachments().Update(call.rc, call.Param("id"), *connector));
  call.res.Json(200, {{"attachment", AttachmentJson(att, true)}});
  return absl::OkStatus();
}

absl::Status ListAttachments(Call& call, bool detail) {
  GUREUM_RETURN_IF_ERROR(NeedVersion(call, 27));
  bool all = false;
  if (auto v = call.req.Query("all_tenants")) {
    all = true;
    if (!v->empty()) {
      GUREUM_ASSIGN_OR_RETURN(all, http::ParseBool(*v, "all_tenants"));
    }
  }
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<Attachment> atts,
      call.managers.attachments().List(call.rc, call.req.Query("volume_id").value_or(""),
                                       call.req.Query("instance_id").value_or(""), all));
  json list = json::array();
  for (const Attachment& a : atts) {
    json j = AttachmentJson(a, false);
    if (!detail)
      j = {{"id", a.id},
           {"status", a.status},
           {"instance", j["instance"]},
           {"volume_id", a.volume_id}};
    list.push_back(j);
  }
  call.res.Json(200, {{"attachments", list}});
  return absl::OkStatus();
}

}  // namespace

void RegisterAttachmentRoutes(Routes& routes) {
  routes.Add("POST", "/attachments", CreateAttachment);
  routes.Add("GET", "/attachments", [](Call& c) { return ListAttachments(c, false); });
  routes.Add("GET", "/attachments/detail", [](Call& c) { return ListAttachments(c, true); });
  routes.Add("GET", "/attachments/{id}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(NeedVersion(c, 27));
    GUREUM_ASSIGN_OR_RETURN(Attachment a, c.managers.attachments().Get(c.rc, c.Param("id")));
    c.res.Json(200, {{"attachment", AttachmentJson(a, true)}});
    return absl::OkStatus();
  });
  routes.Add("PUT", "/attachments/{id}", UpdateAttachment);
  routes.Add("POST", "/attachments/{id}/action", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(NeedVersion(c, 44));
    GUREUM_ASSIGN_OR_RETURN(json body, c.req.JsonBody());
    if (!body.is_object() || !body.contains("os-complete")) {
      return absl::InvalidArgumentError(
          "Invalid input received: the attachment action is os-complete.");
    }
    GUREUM_RETURN_IF_ERROR(c.managers.attachments().Complete(c.rc, c.Param("id"), ""));
    c.res.Empty(204);
    return absl::OkStatus();
  });
  routes.Add("DELETE", "/attachments/{id}", [](Call& c) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(NeedVersion(c, 27));
    GUREUM_RETURN_IF_ERROR(c.managers.attachments().Delete(c.rc, c.Param("id")));
    c.res.Json(200, {{"attachments", json::array()}});
    return absl::OkStatus();
  });
}

}  // namespace gureum::block_storage
