#include "image/image_service.h"

#include <algorithm>

#include "absl/time/time.h"
#include "common/status/macros.h"

namespace gureum::image {
namespace {

constexpr size_t kChunk = 1 << 20;

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

bool Has(const v1::UpdateImageRequest& r, const char* field) {
  return std::find(r.set_fields().begin(), r.set_fields().end(), field) != r.set_fields().end();
}

}  // namespace

void ToProto(const Image& i, v1::Image* o) {
  o->set_id(i.id);
  o->set_name(i.name);
  o->set_status(i.status);
  o->set_disk_format(i.disk_format);
  o->set_container_format(i.container_format);
  o->set_size(i.size.value_or(0));
  o->set_virtual_size(i.virtual_size.value_or(0));
  o->set_checksum(i.checksum);
  o->set_os_hash_algo(i.os_hash_algo);
  o->set_os_hash_value(i.os_hash_value);
  o->set_min_disk(i.min_disk);
  o->set_min_ram(i.min_ram);
  o->set_visibility(i.visibility);
  o->set_protected_(i.is_protected);
  o->set_os_hidden(i.os_hidden);
  o->set_owner(i.owner);
  for (const std::string& t : i.tags) o->add_tags(t);
  for (const auto& [k, v] : i.properties) (*o->mutable_properties())[k] = v;
  o->set_created_at(Iso(i.created_at));
  o->set_updated_at(Iso(i.updated_at));
  o->set_has_data(i.size.has_value());
}

void ToProto(const Member& m, v1::Member* o) {
  o->set_image_id(m.image_id);
  o->set_member_id(m.member_id);
  o->set_status(m.status);
  o->set_created_at(Iso(m.created_at));
  o->set_updated_at(Iso(m.updated_at));
}

// Runs `fn(caller) -> absl::Status` inside the ServerCall prologue/epilogue.
#define IMAGE_CALL(name, body)             \
  grpcx::ServerCall call(ctx, env_, name); \
  if (!call.ok()) return call.Finish();    \
  const Caller& caller = call.caller();    \
  return call.Finish([&]() -> absl::Status { body }())

grpc::Status ImageService::CreateImage(Ctx* ctx, const v1::CreateImageRequest* r, v1::Image* out) {
  IMAGE_CALL("CreateImage", {
    ImageCreate c;
    c.id = r->id();
    c.name = r->name();
    c.disk_format = r->disk_format();
    c.container_format = r->container_format();
    c.min_disk = r->min_disk();
    c.min_ram = r->min_ram();
    c.visibility = r->visibility();
    c.is_protected = r->protected_();
    c.tags.assign(r->tags().begin(), r->tags().end());
    c.properties.insert(r->properties().begin(), r->properties().end());
    GUREUM_ASSIGN_OR_RETURN(Image image, manager_.CreateImage(caller, c));
    ToProto(image, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::GetImage(Ctx* ctx, const v1::GetImageRequest* r, v1::Image* out) {
  IMAGE_CALL("GetImage", {
    GUREUM_ASSIGN_OR_RETURN(Image image, manager_.GetImage(caller, r->id()));
    ToProto(image, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::ListImages(Ctx* ctx, const v1::ListImagesRequest* r,
                                      v1::ListImagesResponse* out) {
  IMAGE_CALL("ListImages", {
    ImageQuery q;
    if (!r->name().empty()) q.name = r->name();
    if (!r->status().empty()) q.status = r->status();
    if (!r->visibility().empty()) q.visibility = r->visibility();
    if (!r->owner().empty()) q.owner = r->owner();
    q.tags.assign(r->tags().begin(), r->tags().end());
    q.marker = r->marker();
    q.limit = r->limit() <= 0 ? 1000 : r->limit();
    GUREUM_ASSIGN_OR_RETURN(std::vector<Image> images, manager_.ListImages(caller, q));
    for (const Image& i : images) ToProto(i, out->add_images());
    if (!images.empty() && static_cast<int>(images.size()) >= std::min(q.limit, 1000)) {
      out->set_next_marker(images.back().id);
    }
    return absl::OkStatus();
  });
}

grpc::Status ImageService::UpdateImage(Ctx* ctx, const v1::UpdateImageRequest* r, v1::Image* out) {
  IMAGE_CALL("UpdateImage", {
    ImageUpdate u;
    if (Has(*r, "name")) u.name = r->name();
    if (Has(*r, "disk_format")) u.disk_format = r->disk_format();
    if (Has(*r, "container_format")) u.container_format = r->container_format();
    if (Has(*r, "min_disk")) u.min_disk = r->min_disk();
    if (Has(*r, "min_ram")) u.min_ram = r->min_ram();
    if (Has(*r, "visibility")) u.visibility = r->visibility();
    if (Has(*r, "protected")) u.is_protected = r->protected_();
    if (Has(*r, "os_hidden")) u.os_hidden = r->os_hidden();
    if (Has(*r, "tags")) u.tags = std::vector<std::string>(r->tags().begin(), r->tags().end());
    u.set_properties.insert(r->set_properties().begin(), r->set_properties().end());
    u.remove_properties.assign(r->remove_properties().begin(), r->remove_properties().end());
    GUREUM_ASSIGN_OR_RETURN(Image image, manager_.UpdateImage(caller, r->id(), u));
    ToProto(image, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::DeleteImage(Ctx* ctx, const v1::DeleteImageRequest* r, v1::Empty*) {
  IMAGE_CALL("DeleteImage", { return manager_.DeleteImage(caller, r->id()); });
}

grpc::Status ImageService::UploadImage(Ctx* ctx, grpc::ServerReader<v1::UploadImageRequest>* reader,
                                       v1::Image* out) {
  IMAGE_CALL("UploadImage", {
    v1::UploadImageRequest msg;
    if (!reader->Read(&msg)) return absl::InvalidArgumentError("The upload stream was empty.");
    if (msg.id().empty()) {
      return absl::InvalidArgumentError("The first upload message must name the image (id).");
    }
    GUREUM_ASSIGN_OR_RETURN(std::unique_ptr<Upload> upload, manager_.BeginUpload(caller, msg.id()));
    do {
      if (!msg.data().empty()) {
        GUREUM_RETURN_IF_ERROR(upload->Write(msg.data().data(), msg.data().size()));
      }
    } while (reader->Read(&msg));
    if (ctx->IsCancelled()) {
      upload->Abort(absl::CancelledError("the client cancelled the upload"));
      return absl::CancelledError("The upload was cancelled; the image is killed.");
    }
    GUREUM_ASSIGN_OR_RETURN(Image image, upload->Finish());
    ToProto(image, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::DownloadImage(Ctx* ctx, const v1::DownloadImageRequest* r,
                                         grpc::ServerWriter<v1::ImageChunk>* writer) {
  IMAGE_CALL("DownloadImage", {
    GUREUM_ASSIGN_OR_RETURN(Download download, manager_.OpenDownload(caller, r->id()));
    if (download.reader == nullptr) {
      return absl::FailedPreconditionError("Image " + r->id() + " has no data (status " +
                                           download.image.status + ").");
    }
    v1::ImageChunk chunk;
    std::string* buf = chunk.mutable_data();
    for (;;) {
      buf->resize(kChunk);
      GUREUM_ASSIGN_OR_RETURN(size_t n, download.reader->Read(buf->data(), kChunk));
      if (n == 0) return absl::OkStatus();
      buf->resize(n);
      if (!writer->Write(chunk)) return absl::CancelledError("The client went away.");
    }
  });
}

grpc::Status ImageService::DeactivateImage(Ctx* ctx, const v1::ImageActionRequest* r,
                                           v1::Image* out) {
  IMAGE_CALL("DeactivateImage", {
    GUREUM_ASSIGN_OR_RETURN(Image image, manager_.SetDeactivated(caller, r->id(), true));
    ToProto(image, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::ReactivateImage(Ctx* ctx, const v1::ImageActionRequest* r,
                                           v1::Image* out) {
  IMAGE_CALL("ReactivateImage", {
    GUREUM_ASSIGN_OR_RETURN(Image image, manager_.SetDeactivated(caller, r->id(), false));
    ToProto(image, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::AddMember(Ctx* ctx, const v1::MemberRequest* r, v1::Member* out) {
  IMAGE_CALL("AddMember", {
    GUREUM_ASSIGN_OR_RETURN(Member m, manager_.AddMember(caller, r->image_id(), r->member_id()));
    ToProto(m, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::UpdateMember(Ctx* ctx, const v1::UpdateMemberRequest* r,
                                        v1::Member* out) {
  IMAGE_CALL("UpdateMember", {
    GUREUM_ASSIGN_OR_RETURN(
        Member m, manager_.UpdateMember(caller, r->image_id(), r->member_id(), r->status()));
    ToProto(m, out);
    return absl::OkStatus();
  });
}

grpc::Status ImageService::RemoveMember(Ctx* ctx, const v1::MemberRequest* r, v1::Empty*) {
  IMAGE_CALL("RemoveMember",
             { return manager_.RemoveMember(caller, r->image_id(), r->member_id()); });
}

grpc::Status ImageService::ListMembers(Ctx* ctx, const v1::ListMembersRequest* r,
                                       v1::ListMembersResponse* out) {
  IMAGE_CALL("ListMembers", {
    GUREUM_ASSIGN_OR_RETURN(std::vector<Member> members,
                            manager_.ListMembers(caller, r->image_id()));
    for (const Member& m : members) ToProto(m, out->add_members());
    return absl::OkStatus();
  });
}

grpc::Status ImageService::AddTag(Ctx* ctx, const v1::TagRequest* r, v1::Empty*) {
  IMAGE_CALL("AddTag", { return manager_.AddTag(caller, r->image_id(), r->tag()); });
}

grpc::Status ImageService::RemoveTag(Ctx* ctx, const v1::TagRequest* r, v1::Empty*) {
  IMAGE_CALL("RemoveTag", { return manager_.RemoveTag(caller, r->image_id(), r->tag()); });
}

grpc::Status ImageService::GetUsage(Ctx* ctx, const v1::GetUsageRequest*, v1::QuotaUsage* out) {
  IMAGE_CALL("GetUsage", {
    GUREUM_ASSIGN_OR_RETURN(Usage usage, manager_.GetUsage(caller));
    out->set_image_count(usage.image_count);
    out->set_total_bytes(usage.total_bytes);
    out->set_image_count_limit(manager_.options().image_count_quota);
    out->set_total_bytes_limit(manager_.options().image_size_total_quota);
    return absl::OkStatus();
  });
}

}  // namespace gureum::image
