// GrpcImageClient: block storage's ImageClient over gureum.image.v1.Images.
#include <grpcpp/grpcpp.h>

#include "block-storage/clients/image_client.h"
#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/clients/image_info_proto.h"

#include "image.grpc.pb.h"

namespace gureum::block_storage {
namespace {

namespace image_pb = ::gureum::image::v1;

class GrpcImageClient final : public ImageClient {
 public:
  explicit GrpcImageClient(compute::GrpcClientOptions options)
      : options_(std::move(options)),
        stub_(image_pb::Images::NewStub(grpcx::MakeChannel(options_.target))) {}

  absl::StatusOr<compute::ImageInfo> CreateImage(const std::string& token,
                                                 const NewImage& image) override {
    if (token.empty()) return absl::UnauthenticatedError("an image is created with a token");
    image_pb::CreateImageRequest req;
    req.set_name(image.name);
    req.set_disk_format(image.disk_format);
    req.set_container_format(image.container_format);
    req.set_visibility(image.visibility);
    req.set_protected_(image.is_protected);
    req.set_min_disk(static_cast<int32_t>(image.min_disk_gb));
    req.mutable_properties()->insert(image.properties.begin(), image.properties.end());
    image_pb::Image out;
    GUREUM_RETURN_IF_ERROR(
        FromGrpcStatus(grpcx::CallUnary(*stub_, &image_pb::Images::Stub::CreateImage, req, &out,
                                        {.token = token, .timeout = options_.timeout})));
    return compute::ImageInfoFromProto(out);
  }

  absl::Status DeleteImage(const std::string& token, const std::string& id) override {
    image_pb::DeleteImageRequest req;
    req.set_id(id);
    image_pb::Empty out;
    return FromGrpcStatus(grpcx::CallUnary(*stub_, &image_pb::Images::Stub::DeleteImage, req, &out,
                                           {.token = token, .timeout = options_.timeout}));
  }

  absl::StatusOr<compute::ImageInfo> Upload(const std::string& id,
                                            const ChunkReader& next) override {
    grpc::ClientContext ctx;
    // A large volume takes a while. An image service that cannot be reached fails the
    // upload at once (Unavailable: the agent's consumer retries, then reports) rather than
    // holding the volume in `uploading` until it is back.
    grpcx::CallOptions call{.timeout = absl::Hours(2), .wait_for_ready = false};
    if (options_.service_token != nullptr) {
      GUREUM_ASSIGN_OR_RETURN(call.token, options_.service_token->Get());
    }
    grpcx::PrepareContext(ctx, call);
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
    return compute::ImageInfoFromProto(out);
  }

 private:
  const compute::GrpcClientOptions options_;
  std::unique_ptr<image_pb::Images::Stub> stub_;
};

}  // namespace

std::unique_ptr<ImageClient> NewGrpcImageClient(const compute::GrpcClientOptions& options) {
  return std::make_unique<GrpcImageClient>(options);
}

}  // namespace gureum::block_storage
