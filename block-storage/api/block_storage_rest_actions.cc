// POST /v3/{project_id}/volumes/{id}/action: os-extend, os-reset_status, os-force_delete,
// os-set_bootable, os-update_readonly_flag, os-volume_upload_image. Each body holds exactly
// one action.
#include "absl/strings/str_cat.h"
#include "block-storage/api/block_storage_rest_internal.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

absl::StatusOr<json> ActionArgs(const json& body, const char* name) {
  const json& args = body[name];
  if (args.is_null()) return json::object();
  if (!args.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: ", name, " takes an object."));
  }
  return args;
}

absl::Status Extend(Call& c, const json& args) {
  int64_t size = 0;
  http::JsonReader r(args, "os-extend", /*open=*/true);
  r.Int("new_size", &size, INT64_MIN, INT64_MAX, /*allow_string=*/true);
  if (!args.contains("new_size")) r.Fail("new_size", "it is required");
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_RETURN_IF_ERROR(
      c.managers.volumes().Extend(c.rc, c.Param("id"), size, c.AtLeast(42)).status());
  c.res.Empty(202);
  return absl::OkStatus();
}

absl::Status ResetStatus(Call& c, const json& args) {
  std::string status;
  http::JsonReader r(args, "os-reset_status", /*open=*/true);
  r.String("status", &status, {.max_length = 255});
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (status.empty()) {
    return absl::InvalidArgumentError("Invalid input received: Must specify 'status'.");
  }
  GUREUM_RETURN_IF_ERROR(c.managers.volumes().ResetStatus(c.rc, c.Param("id"), status));
  c.res.Empty(202);
  return absl::OkStatus();
}

absl::Status Flag(Call& c, const json& args, const char* action, const char* field) {
  bool value = false;
  http::JsonReader r(args, action, /*open=*/true);
  r.Bool(field, &value, /*allow_string=*/true);
  if (!args.contains(field)) r.Fail(field, "it is required");
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (std::string(field) == "bootable") {
    GUREUM_RETURN_IF_ERROR(c.managers.volumes().SetBootable(c.rc, c.Param("id"), value));
    c.res.Empty(200);
  } else {
    GUREUM_RETURN_IF_ERROR(c.managers.volumes().SetReadOnly(c.rc, c.Param("id"), value));
    c.res.Empty(202);
  }
  return absl::OkStatus();
}

// os-volume_upload_image: Cinder's 202 body, with protected and visibility from 3.1.
absl::Status UploadImage(Call& c, const json& args) {
  ImageUpload upload;
  http::JsonReader r(args, "os-volume_upload_image", /*open=*/true);
  r.String("image_name", &upload.image_name,
           {.required = true, .allow_empty = false, .max_length = 255});
  r.String("disk_format", &upload.disk_format, {.allow_empty = false, .max_length = 255});
  r.String("container_format", &upload.container_format, {.allow_empty = false, .max_length = 255});
  r.Bool("force", &upload.force, /*allow_string=*/true);
  if (c.AtLeast(1)) {
    r.String("visibility", &upload.visibility, {.allow_empty = false, .max_length = 255});
    r.Bool("protected", &upload.is_protected, /*allow_string=*/true);
  }
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(UploadStarted started,
                          c.managers.volumes().UploadToImage(c.rc, c.Param("id"), upload));
  const Volume& v = started.volume;
  json out = {{"id", v.id},
              {"updated_at", Time(v.updated_at)},
              {"status", v.status},
              {"display_description", v.description.empty() ? json() : json(v.description)},
              {"size", v.size_gb},
              {"volume_type", TypeJson(started.type)},
              {"image_id", started.image.id},
              {"container_format", started.image.container_format},
              {"disk_format", started.image.disk_format},
              {"image_name", started.image.name}};
  if (c.AtLeast(1)) {
    out["protected"] = upload.is_protected;
    out["visibility"] = upload.visibility;
  }
  c.res.Json(202, {{"os-volume_upload_image", out}});
  return absl::OkStatus();
}

// os-attach {instance_uuid, mountpoint, mode?}, os-detach / os-force_detach
// {attachment_id?, connector?}, os-begin_detaching, os-roll_detaching: 202.
absl::Status LegacyAttachAction(Call& c, const std::string& name, const json& args) {
  AttachmentManager& am = c.managers.attachments();
  const std::string& id = c.Param("id");
  if (name == "os-attach") {
    std::string instance_uuid, mountpoint, mode = "rw";
    http::JsonReader r(args, name, /*open=*/true);
    r.String("instance_uuid", &instance_uuid, {.required = true, .max_length = 36});
    r.String("mountpoint", &mountpoint, {.required = true, .max_length = 255});
    r.String("mode", &mode, {.allow_empty = false, .max_length = 2});
    GUREUM_RETURN_IF_ERROR(r.Finish());
    GUREUM_RETURN_IF_ERROR(am.LegacyAttach(c.rc, id, instance_uuid, mountpoint, mode).status());
  } else if (name == "os-detach" || name == "os-force_detach") {
    std::string attachment_id;
    http::JsonReader r(args, name, /*open=*/true);
    r.String("attachment_id", &attachment_id, {.nullable = true, .max_length = 36});
    GUREUM_RETURN_IF_ERROR(r.Finish());
    GUREUM_RETURN_IF_ERROR(am.LegacyDetach(c.rc, id, attachment_id, name == "os-force_detach"));
  } else {
    GUREUM_RETURN_IF_ERROR(am.LegacyDetaching(c.rc, id, name == "os-begin_detaching"));
  }
  c.res.Empty(202);
  return absl::OkStatus();
}

bool IsLegacyAttachAction(const std::string& name) {
  return name == "os-attach" || name == "os-detach" || name == "os-force_detach" ||
         name == "os-begin_detaching" || name == "os-roll_detaching";
}

absl::Status HandleVolumeAction(Call& c) {
  GUREUM_ASSIGN_OR_RETURN(json body, c.req.JsonBody());
  if (!body.is_object() || body.size() != 1) {
    return absl::InvalidArgumentError("Malformed request body: one action is expected.");
  }
  const std::string name = body.begin().key();
  GUREUM_ASSIGN_OR_RETURN(json args, ActionArgs(body, name.c_str()));
  if (name == "os-extend") return Extend(c, args);
  if (IsLegacyAttachAction(name)) return LegacyAttachAction(c, name, args);
  if (name == "os-retype") {
    std::string new_type, policy = "never";
    http::JsonReader r(args, name, /*open=*/true);
    r.String("new_type", &new_type, {.required = true, .allow_empty = false, .max_length = 255});
    r.String("migration_policy", &policy, {.nullable = true, .max_length = 16});
    GUREUM_RETURN_IF_ERROR(r.Finish());
    if (policy.empty()) policy = "never";
    GUREUM_RETURN_IF_ERROR(
        c.managers.volumes().Retype(c.rc, c.Param("id"), new_type, policy).status());
    c.res.Empty(202);
    return absl::OkStatus();
  }
  if (name == "os-reset_status") return ResetStatus(c, args);
  if (name == "os-set_bootable") return Flag(c, args, "os-set_bootable", "bootable");
  if (name == "os-update_readonly_flag") {
    return Flag(c, args, "os-update_readonly_flag", "readonly");
  }
  // Every other action names a volume the caller must see first (404 before 400).
  GUREUM_RETURN_IF_ERROR(c.managers.volumes().Get(c.rc, c.Param("id")).status());
  if (name == "os-set_image_metadata" || name == "os-show_image_metadata") {
    Metadata all;
    if (name == "os-set_image_metadata") {
      GUREUM_ASSIGN_OR_RETURN(Metadata m, StringMap(args.value("metadata", json()), "metadata"));
      GUREUM_ASSIGN_OR_RETURN(all, c.managers.volumes().SetImageMetadata(c.rc, c.Param("id"), m));
    } else {
      GUREUM_ASSIGN_OR_RETURN(Volume v, c.managers.volumes().Get(c.rc, c.Param("id")));
      all = v.image_metadata;
    }
    c.res.Json(200, {{"metadata", all}});
    return absl::OkStatus();
  }
  if (name == "os-unset_image_metadata") {
    std::string key;
    http::JsonReader r(args, name, /*open=*/true);
    r.String("key", &key, {.required = true, .allow_empty = false, .max_length = 255});
    GUREUM_RETURN_IF_ERROR(r.Finish());
    GUREUM_RETURN_IF_ERROR(c.managers.volumes().UnsetImageMetadata(c.rc, c.Param("id"), key));
    c.res.Empty(200);
    return absl::OkStatus();
  }
  if (name == "os-reserve" || name == "os-unreserve") {
    VolumeManager& vm = c.managers.volumes();
    GUREUM_RETURN_IF_ERROR(name == "os-reserve" ? vm.LegacyReserve(c.rc, c.Param("id"))
                                                : vm.LegacyUnreserve(c.rc, c.Param("id")));
    c.res.Empty(202);
    return absl::OkStatus();
  }
  if (name == "os-volume_upload_image") return UploadImage(c, args);
  if (name == "os-force_delete") {
    GUREUM_RETURN_IF_ERROR(c.managers.volumes().Delete(c.rc, c.Param("id"), true));
    c.res.Empty(202);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid input received: the volume action '", name,
                   "' is not supported by this cloud (supported: os-extend, os-reset_status, "
                   "os-force_delete, os-set_bootable, os-update_readonly_flag, "
                   "os-volume_upload_image, os-attach, os-detach, os-force_detach, "
                   "os-begin_detaching, os-roll_detaching, os-reserve, os-unreserve, os-retype)."));
}

}  // namespace

void RegisterVolumeActionRoutes(Routes& routes) {
  routes.Add("POST", "/volumes/{id}/action", HandleVolumeAction);
}

}  // namespace gureum::block_storage
