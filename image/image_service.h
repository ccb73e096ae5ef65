// gureum-image's gRPC API (proto/image.proto, package gureum.image.v1, port 19292): a
// thin adapter over ImageManager, on gRPC's synchronous API (uploads and downloads are
// long blocking streams; the handlers do file and SQL I/O). Every method needs a token
// (x-auth-token metadata); the same policy as the REST API applies.
//
// UploadImage is a client stream: the first message names the image; data follows in
// any piece size (the CLI sends 1 MiB). A stream the client cancels leaves the image
// `killed` with nothing stored. DownloadImage streams 1 MiB chunks; compute agents
// compare size and os_hash_value with GetImage.
#pragma once

#include "common/grpc/server_call.h"
#include "image/image_manager.h"

#include "image.grpc.pb.h"

namespace gureum::image {

class ImageService final : public gureum::image::v1::Images::Service {
 public:
  // `manager` and `env` must outlive the service.
  ImageService(ImageManager& manager, const grpcx::CallEnv& env) : manager_(manager), env_(env) {}

  using Ctx = grpc::ServerContext;
  grpc::Status CreateImage(Ctx*, const v1::CreateImageRequest*, v1::Image*) override;
  grpc::Status GetImage(Ctx*, const v1::GetImageRequest*, v1::Image*) override;
  grpc::Status ListImages(Ctx*, const v1::ListImagesRequest*, v1::ListImagesResponse*) override;
  grpc::Status UpdateImage(Ctx*, const v1::UpdateImageRequest*, v1::Image*) override;
  grpc::Status DeleteImage(Ctx*, const v1::DeleteImageRequest*, v1::Empty*) override;
  grpc::Status UploadImage(Ctx*, grpc::ServerReader<v1::UploadImageRequest>*, v1::Image*) override;
  grpc::Status DownloadImage(Ctx*, const v1::DownloadImageRequest*,
                             grpc::ServerWriter<v1::ImageChunk>*) override;
  grpc::Status DeactivateImage(Ctx*, const v1::ImageActionRequest*, v1::Image*) override;
  grpc::Status ReactivateImage(Ctx*, const v1::ImageActionRequest*, v1::Image*) override;
  grpc::Status AddMember(Ctx*, const v1::MemberRequest*, v1::Member*) override;
  grpc::Status UpdateMember(Ctx*, const v1::UpdateMemberRequest*, v1::Member*) override;
  grpc::Status RemoveMember(Ctx*, const v1::MemberRequest*, v1::Empty*) override;
  grpc::Status ListMembers(Ctx*, const v1::ListMembersRequest*, v1::ListMembersResponse*) override;
  grpc::Status AddTag(Ctx*, const v1::TagRequest*, v1::Empty*) override;
  grpc::Status RemoveTag(Ctx*, const v1::TagRequest*, v1::Empty*) override;
  grpc::Status GetUsage(Ctx*, const v1::GetUsageRequest*, v1::QuotaUsage*) override;

 private:
  ImageManager& manager_;
  const grpcx::CallEnv& env_;
};

void ToProto(const Image& image, v1::Image* out);
void ToProto(const Member& member, v1::Member* out);

}  // namespace gureum::image
