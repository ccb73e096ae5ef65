#include <grpcpp/grpcpp.h>

#include "common/auth/service_token.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/agent/image_source.h"

#include "image.grpc.pb.h"

namespace gureum::compute_agent {
namespace {

namespace image_pb = ::gureum::image::v1;

class GrpcImageSource final : public ImageSource {
 public:
  GrpcImageSource(const std::string& target, auth::ServiceToken* token)
      : stub_(image_pb::Images::NewStub(grpcx::MakeChannel(target))), token_(token) {}

  absl::StatusOr<ImageInfo> GetImage(const std::string& id) override {
    image_pb::GetImageRequest req;
    req.set_id(id);
    image_pb::Image image;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(
        token_, absl::Seconds(30),
        [&](grpc::ClientContext& ctx) { return stub_->GetImage(&ctx, req, &image); }));
    ImageInfo info;
    info.id = image.id();
    info.status = image.status();
    info.disk_format = image.disk_format();
    info.size = image.size();
    info.checksum = image.checksum();
    if (image.os_hash_algo() == "sha512") info.sha512 = image.os_hash_value();
    info.properties.insert(image.properties().begin(), image.properties().end());
    return info;
  }

  absl::Status Download(const std::string& id,
                        const std::function<absl::Status(const std::string&)>& sink) override {
    grpc::ClientContext ctx;
    // Large images take a while; the deadline is generous but not infinite.
    GUREUM_RETURN_IF_ERROR(Prepare(ctx, absl::Hours(2)));
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
    if (!s.ok()) return FromGrpcStatus(s);
    return absl::OkStatus();
  }

 private:
  absl::Status Prepare(grpc::ClientContext& ctx, absl::Duration timeout) {
    grpcx::CallOptions options;
    options.timeout = timeout;
    if (token_ != nullptr) {
      auto token = token_->Get();
      if (!token.ok()) return token.status();
      options.token = *token;
    }
    grpcx::PrepareContext(ctx, options);
    return absl::OkStatus();
  }

  std::unique_ptr<image_pb::Images::Stub> stub_;
  auth::ServiceToken* token_;
};

}  // namespace

std::unique_ptr<ImageSource> NewGrpcImageSource(const std::string& target,
                                                auth::ServiceToken* token) {
  return std::make_unique<GrpcImageSource>(target, token);
}

}  // namespace gureum::compute_agent
