// GrpcComputeClient: ComputeClient over gureum.compute.v1.Compute's ExternalEvents.
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "block-storage/api/compute_client.h"
#include "common/grpc/client.h"
#include "common/status/macros.h"

#include "compute.grpc.pb.h"

namespace gureum::block_storage {
namespace {

namespace c_pb = ::gureum::compute::v1;

class GrpcComputeClient final : public ComputeClient {
 public:
  explicit GrpcComputeClient(GrpcComputeClientOptions options)
      : options_(std::move(options)),
        stub_(c_pb::Compute::NewStub(grpcx::MakeChannel(options_.target))) {}

  absl::Status VolumeExtended(const std::string& server_uuid,
                              const std::string& volume_id) override {
    c_pb::ExternalEventsRequest req;
    c_pb::ExternalEvent* e = req.add_events();
    e->set_name("volume-extended");
    e->set_server_uuid(server_uuid);
    e->set_tag(volume_id);
    c_pb::ExternalEventsResponse resp;
    GUREUM_RETURN_IF_ERROR(auth::CallAsService(
        options_.service_token, options_.timeout,
        [&](grpc::ClientContext& ctx) { return stub_->ExternalEvents(&ctx, req, &resp); }));
    if (resp.events_size() == 1 && resp.events(0).code() != 200) {
      return absl::NotFoundError(absl::StrCat("compute answered ", resp.events(0).code(),
                                              " for volume-extended of ", volume_id, " on ",
                                              server_uuid));
    }
    return absl::OkStatus();
  }

 private:
  const GrpcComputeClientOptions options_;
  std::unique_ptr<c_pb::Compute::Stub> stub_;
};

}  // namespace

std::unique_ptr<ComputeClient> NewGrpcComputeClient(GrpcComputeClientOptions options) {
  return std::make_unique<GrpcComputeClient>(std::move(options));
}

}  // namespace gureum::block_storage
