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
  return info;
}

std::unique_ptr<ImageClient> NewGrpcImageClient(const GrpcClientOptions& options) {
  return std::make_unique<GrpcImageClient>(options);
}

}  // namespace gureum::compute
