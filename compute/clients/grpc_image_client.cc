// GrpcImageClient: ImageClient over gureum.image.v1.Images.
#include <grpcpp/grpcpp.h>

#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/clients/grpc_call.h"
#include "compute/clients/image_client.h"
#include "compute/clients/image_info_proto.h"

#include "image.grpc.pb.h"

namespace gureum::compute {
namespace {

namespace image_pb = ::gureum::image::v1;

class GrpcImageClient final : public ImageClient {
 public:
  explicit GrpcImageClient(GrpcClientOptions options)
      : options_(std::move(options)),
        stub_(image_pb::Images::NewStub(grpcx::MakeChannel(options_.target))) {}

  absl::StatusOr<ImageInfo> GetImage(const std::string& token, const std::string& id) override {
    image_pb::GetImageRequest req;
    req.set_id(id);
    image_pb::Image image;
    GUREUM_RETURN_IF_ERROR(CallAs(options_, token, options_.timeout, [&](grpc::ClientContext& ctx) {
      return stub_->GetImage(&ctx, req, &image);
    }));
    return ImageInfoFromProto(image);
  }

  absl::StatusOr<ImageInfo> CreateImage(const std::string& token, const NewImage& image) override {
    if (token.empty()) return absl::UnauthenticatedError("an image is created with a token");
    image_pb::CreateImageRequest req;
    req.set_name(image.name);
    req.set_disk_format(image.disk_format);
    req.set_container_format(image.container_format);
    req.set_visibility(image.visibility);
    req.set_protected_(image.is_protected);
    req.set_min_disk(static_cast<int32_t>(image.min_disk_gb));
    req.set_min_ram(static_cast<int32_t>(image.min_ram_mb));
    req.mutable_properties()->insert(image.properties.begin(), image.properties.end());
    image_pb::Image out;
    GUREUM_RETURN_IF_ERROR(CallAs(options_, token, options_.timeout, [&](grpc::ClientContext& ctx) {
      return stub_->CreateImage(&ctx, req, &out);
    }));
    return ImageInfoFromProto(out);
  }

  absl::Status DeleteImage(const std::string& token, const std::string& id) override {
    image_pb::DeleteImageRequest req;
    req.set_id(id);
    image_pb::Empty out;
    return CallAs(options_, token, options_.timeout,
                  [&](grpc::ClientContext& ctx) { return stub_->DeleteImage(&ctx, req, &out); });
  }

  absl::StatusOr<std::vector<ImageInfo>> ListImages(const std::string& token,
                                                    const ImageListQuery& query) override {
    image_pb::ListImagesRequest req;
    req.set_name(query.name);
    req.set_status(query.status);
    std::vector<ImageInfo> out;
    // Page by page; a bounded number of pages, in case the service never ends.
    for (int pages = 0; pages < 1000; ++pages) {
      image_pb::ListImagesResponse page;
      GUREUM_RETURN_IF_ERROR(
          CallAs(options_, token, options_.timeout,
                 [&](grpc::ClientContext& ctx) { return stub_->ListImages(&ctx, req, &page); }));
      for (const image_pb::Image& image : page.images()) out.push_back(ImageInfoFromProto(image));
      if (page.next_marker().empty() || page.images().empty()) break;
      req.set_marker(page.next_marker());
    }
    return out;
  }

  absl::StatusOr<ImageInfo> UpdateProperties(const std::string& token, const std::string& id,
                                             const std::map<std::string, std::string>& set,
                                             const std::vector<std::string>& remove) override {
    image_pb::UpdateImageRequest req;
    req.set_id(id);
    req.mutable_set_properties()->insert(set.begin(), set.end());
    for (const std::string& k : remove) req.add_remove_properties(k);
    image_pb::Image out;
    GUREUM_RETURN_IF_ERROR(CallAs(options_, token, options_.timeout, [&](grpc::ClientContext& ctx) {
      return stub_->UpdateImage(&ctx, req, &out);
    }));
    return ImageInfoFromProto(out);
  }

  absl::StatusOr<ImageInfo> Upload(const std::string& id, const ChunkReader& next) override {
    grpc::ClientContext ctx;
    // A large disk takes a while. An image service that cannot be reached fails the upload
    // at once (Unavailable) rather than holding the caller until it is back.
    GUREUM_RETURN_IF_ERROR(PrepareAs(options_, kAsService, absl::Hours(2), ctx));
    ctx.set_wait_for_ready(false);
    image_pb::Image out;
    auto writer = stub_->UploadImage(&ctx, &out);
    image_pb::UploadImageRequest msg;
    msg.set_id(id);
    bool open = writer->Write(msg);  // the image service begins the upload: saving
    msg.clear_id();
    absl::Status failed;
    while (open) {
      absl::StatusOr<std::string> piece = next();
      if (!piece.ok()) {
        failed = piece.status();
        break;
      }
      if (piece->empty()) break;
      msg.set_data(std::move(*piece));
      open = writer->Write(msg);
    }
    if (!failed.ok()) {
      ctx.TryCancel();  // the image service kills the image
      (void)writer->Finish();
      return failed;
    }
    writer->WritesDone();
    GUREUM_RETURN_IF_ERROR(FromGrpcStatus(writer->Finish()));
    return ImageInfoFromProto(out);
  }

  absl::Status Download(const std::string& id,
                        const std::function<absl::Status(const std::string&)>& sink) override {
    grpc::ClientContext ctx;
    // Large images take a while; the deadline is generous but not infinite.
    GUREUM_RETURN_IF_ERROR(PrepareAs(options_, kAsService, absl::Hours(2), ctx));
    image_pb::DownloadImageRequest req;
    req.set_id(id);
    auto reader = stub_->DownloadImage(&ctx, req);
    image_pb::ImageChunk chunk;
    absl::Status sink_status;
    while (reader->Read(&chunk)) {
      sink_status = sink(chunk.data());
      if (!sink_status.ok()) {
        ctx.TryCancel();
        break;
      }
    }
    grpc::Status s = reader->Finish();
    if (!sink_status.ok()) return sink_status;
    return FromGrpcStatus(s);
  }

 private:
  const GrpcClientOptions options_;
  std::unique_ptr<image_pb::Images::Stub> stub_;
};

}  // namespace

ImageInfo ImageInfoFromProto(const image_pb::Image& image) {
  ImageInfo info;
  info.id = image.id();
  info.name = image.name();
  info.status = image.status();
  info.disk_format = image.disk_format();
  info.container_format = image.container_format();
  info.size = image.size();
  info.min_disk_gb = image.min_disk();
  info.min_ram_mb = image.min_ram();
  info.virtual_size = image.virtual_size();
  info.checksum = image.checksum();
  if (image.os_hash_algo() == "sha512") info.sha512 = image.os_hash_value();
  info.properties.insert(image.properties().begin(), image.properties().end());
  info.created_at = image.created_at();
  info.updated_at = image.updated_at();
  return info;
}

std::unique_ptr<ImageClient> NewGrpcImageClient(const GrpcClientOptions& options) {
  return std::make_unique<GrpcImageClient>(options);
}

}  // namespace gureum::compute
