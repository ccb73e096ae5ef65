#include "block-storage/api/block_storage_service.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

std::string TokenOf(const grpc::ServerContext* ctx) {
  auto it = ctx->client_metadata().find(grpcx::kTokenKey);
  if (it == ctx->client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

}  // namespace

#define BLOCK_STORAGE_CALL(name, ...)                   \
  grpcx::ServerCall call(ctx, env_, name);              \
  if (!call.ok()) return call.Finish();                 \
  const RequestContext rc{call.caller(), TokenOf(ctx)}; \
  return call.Finish([&]() -> absl::Status __VA_ARGS__())

void ToProto(const Attachment& a, v1::Attachment* out) {
  out->set_id(a.id);
  out->set_volume_id(a.volume_id);
  out->set_instance_uuid(a.instance_uuid);
  out->set_status(a.status);
  out->set_mountpoint(a.mountpoint);
  out->set_attach_mode(a.mode);
  out->set_host(a.connector_host);
  const ConnectionInfo& c = a.connection_info;
  if (c.protocol.empty()) return;
  v1::ConnectionInfo* info = out->mutable_connection_info();
  info->set_protocol(c.protocol);
  info->set_host(c.host);
  info->set_port(c.port);
  info->set_export_name(c.export_name);
  info->set_path(c.path);
  info->set_format(c.format);
  info->set_read_only(c.read_only);
}

void ToProto(const Volume& v, const std::vector<Attachment>& attachments, bool admin,
             v1::Volume* out) {
  out->set_id(v.id);
  out->set_name(v.name);
  out->set_description(v.description);
  out->set_status(v.status);
  out->set_size_gb(v.size_gb);
  out->set_project_id(v.project_id);
  out->set_volume_type(v.volume_type_id);
  out->set_availability_zone(v.availability_zone);
  out->set_bootable(v.bootable);
  out->set_multiattach(v.multiattach);
  out->set_read_only(v.read_only);
  if (admin) out->set_host(v.backend_key);
  out->mutable_metadata()->insert(v.metadata.begin(), v.metadata.end());
  out->set_created_at(Rfc3339(v.created_at));
  out->set_source_volume_id(v.source_volume_id);
  out->set_snapshot_id(v.snapshot_id);
  out->set_image_id(v.image_id);
  out->mutable_image_metadata()->insert(v.image_metadata.begin(), v.image_metadata.end());
  for (const Attachment& a : attachments) {
    v1::Attachment* pa = out->add_attachments();
    ToProto(a, pa);
    pa->clear_connection_info();  // only the attachment's own calls return it
  }
}

grpc::Status BlockStorageService::GetVolume(Ctx* ctx, const v1::GetVolumeRequest* r,
                                            v1::Volume* out) {
  BLOCK_STORAGE_CALL("GetVolume", {
    GUREUM_ASSIGN_OR_RETURN(Volume v, managers_.volumes().Get(rc, r->volume_id()));
    GUREUM_ASSIGN_OR_RETURN(auto atts, managers_.attachments().List(rc, v.id, "", true));
    ToProto(v, atts, managers_.policy().IsAdmin(rc), out);
    return absl::OkStatus();
  });
}

grpc::Status BlockStorageService::ListVolumes(Ctx* ctx, const v1::ListVolumesRequest*,
                                              v1::ListVolumesResponse* out) {
  BLOCK_STORAGE_CALL("ListVolumes", {
    GUREUM_ASSIGN_OR_RETURN(std::vector<Volume> volumes,
                            managers_.volumes().List(rc, VolumeQuery{}, false));
    for (const Volume& v : volumes) {
      ToProto(v, {}, managers_.policy().IsAdmin(rc), out->add_volumes());
    }
    return absl::OkStatus();
  });
}

grpc::Status BlockStorageService::CreateVolume(Ctx* ctx, const v1::CreateVolumeRequest* r,
                                               v1::Volume* out) {
  BLOCK_STORAGE_CALL("CreateVolume", {
    VolumeCreate c;
    c.name = r->name();
    c.description = r->description();
    if (r->size_gb() != 0) c.size_gb = r->size_gb();
    c.volume_type = r->volume_type();
    c.availability_zone = r->availability_zone();
    c.image_id = r->image_id();
    c.snapshot_id = r->snapshot_id();
    c.source_volume_id = r->source_volume_id();
    c.metadata.insert(r->metadata().begin(), r->metadata().end());
    GUREUM_ASSIGN_OR_RETURN(Volume v, managers_.volumes().Create(rc, c));
    ToProto(v, {}, managers_.policy().IsAdmin(rc), out);
    return absl::OkStatus();
  });
}

grpc::Status BlockStorageService::DeleteVolume(Ctx* ctx, const v1::DeleteVolumeRequest* r,
                                               v1::DeleteVolumeResponse*) {
  BLOCK_STORAGE_CALL("DeleteVolume",
                     { return managers_.volumes().Delete(rc, r->volume_id(), r->force()); });
}

grpc::Status BlockStorageService::CreateAttachment(Ctx* ctx, const v1::CreateAttachmentRequest* r,
                                                   v1::Attachment* out) {
  BLOCK_STORAGE_CALL("CreateAttachment", {
    Connector connector{r->connector().host(), r->connector().ip()};
    const bool with = r->has_connector() && !connector.host.empty();
    GUREUM_ASSIGN_OR_RETURN(Attachment a,
                            managers_.attachments().Create(rc, r->volume_id(), r->instance_uuid(),
                                                           with ? &connector : nullptr,
                                                           r->mode().empty() ? "rw" : r->mode()));
    ToProto(a, out);
    return absl::OkStatus();
  });
}

grpc::Status BlockStorageService::UpdateAttachment(Ctx* ctx, const v1::UpdateAttachmentRequest* r,
                                                   v1::Attachment* out) {
  BLOCK_STORAGE_CALL("UpdateAttachment", {
    Connector connector{r->connector().host(), r->connector().ip()};
    GUREUM_ASSIGN_OR_RETURN(Attachment a,
                            managers_.attachments().Update(rc, r->attachment_id(), connector));
    ToProto(a, out);
    return absl::OkStatus();
  });
}

grpc::Status BlockStorageService::CompleteAttachment(Ctx* ctx,
                                                     const v1::CompleteAttachmentRequest* r,
                                                     v1::CompleteAttachmentResponse*) {
  BLOCK_STORAGE_CALL("CompleteAttachment", {
    return managers_.attachments().Complete(rc, r->attachment_id(), r->mountpoint());
  });
}

grpc::Status BlockStorageService::DeleteAttachment(Ctx* ctx, const v1::DeleteAttachmentRequest* r,
                                                   v1::DeleteAttachmentResponse*) {
  BLOCK_STORAGE_CALL("DeleteAttachment",
                     { return managers_.attachments().Delete(rc, r->attachment_id()); });
}

}  // namespace gureum::block_storage
