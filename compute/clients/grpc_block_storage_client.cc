// GrpcBlockStorageClient: BlockStorageClient over gureum.block_storage.v1.BlockStorage.
#include <grpcpp/grpcpp.h>

#include "common/grpc/client.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/clients/block_storage_client.h"
#include "compute/clients/grpc_call.h"

#include "block_storage.grpc.pb.h"

namespace gureum::compute {
namespace {

namespace bs_pb = ::gureum::block_storage::v1;

ConnectionInfo ConnectionFromProto(const bs_pb::ConnectionInfo& c) {
  return ConnectionInfo{.protocol = c.protocol(),
                        .host = c.host(),
                        .port = c.port(),
                        .export_name = c.export_name(),
                        .path = c.path(),
                        .format = c.format(),
                        .read_only = c.read_only()};
}

Attachment AttachmentFromProto(const bs_pb::Attachment& a) {
  return Attachment{.id = a.id(),
                    .volume_id = a.volume_id(),
                    .instance_uuid = a.instance_uuid(),
                    .status = a.status(),
                    .mountpoint = a.mountpoint(),
                    .attach_mode = a.attach_mode(),
                    .connection_info = ConnectionFromProto(a.connection_info()),
                    .host = a.host()};
}

VolumeInfo VolumeFromProto(const bs_pb::Volume& v) {
  VolumeInfo info{.id = v.id(),
                  .name = v.name(),
                  .status = v.status(),
                  .size_gb = v.size_gb(),
                  .project_id = v.project_id(),
                  .multiattach = v.multiattach(),
                  .read_only = v.read_only(),
                  .bootable = v.bootable(),
                  .image_id = v.image_id(),
                  .image_metadata = {v.image_metadata().begin(), v.image_metadata().end()}};
  for (const bs_pb::Attachment& a : v.attachments()) {
    info.attachments.push_back(AttachmentFromProto(a));
  }
  return info;
}

void ConnectorToProto(const VolumeConnector& c, bs_pb::Connector* out) {
  out->set_host(c.host);
  out->set_ip(c.ip);
}

class GrpcBlockStorageClient final : public BlockStorageClient {
 public:
  explicit GrpcBlockStorageClient(GrpcClientOptions options)
      : options_(std::move(options)),
        stub_(bs_pb::BlockStorage::NewStub(grpcx::MakeChannel(options_.target))) {}

  absl::StatusOr<VolumeInfo> GetVolume(const std::string& token,
                                       const std::string& volume_id) override {
    bs_pb::GetVolumeRequest req;
    req.set_volume_id(volume_id);
    bs_pb::Volume volume;
    GUREUM_RETURN_IF_ERROR(Call(token, options_.timeout, [&](grpc::ClientContext& ctx) {
      return stub_->GetVolume(&ctx, req, &volume);
    }));
    return VolumeFromProto(volume);
  }

  absl::StatusOr<VolumeInfo> CreateVolume(const std::string& token,
                                          const NewVolume& volume) override {
    bs_pb::CreateVolumeRequest req;
    req.set_name(volume.name);
    req.set_size_gb(volume.size_gb);
    req.set_image_id(volume.image_id);
    bs_pb::Volume out;
    GUREUM_RETURN_IF_ERROR(Call(token, options_.timeout, [&](grpc::ClientContext& ctx) {
      return stub_->CreateVolume(&ctx, req, &out);
    }));
    return VolumeFromProto(out);
  }

  absl::Status DeleteVolume(const std::string& token, const std::string& volume_id) override {
    bs_pb::DeleteVolumeRequest req;
    req.set_volume_id(volume_id);
    bs_pb::DeleteVolumeResponse out;
    return Call(token, options_.timeout,
                [&](grpc::ClientContext& ctx) { return stub_->DeleteVolume(&ctx, req, &out); });
  }

  absl::StatusOr<Attachment> CreateAttachment(const std::string& token,
                                              const std::string& volume_id,
                                              const std::string& instance_uuid,
                                              const VolumeConnector* connector) override {
    bs_pb::CreateAttachmentRequest req;
    req.set_volume_id(volume_id);
    req.set_instance_uuid(instance_uuid);
    if (connector != nullptr) ConnectorToProto(*connector, req.mutable_connector());
    bs_pb::Attachment out;
    GUREUM_RETURN_IF_ERROR(Call(token, ExportTimeout(), [&](grpc::ClientContext& ctx) {
      return stub_->CreateAttachment(&ctx, req, &out);
    }));
    return AttachmentFromProto(out);
  }

  absl::StatusOr<Attachment> UpdateAttachment(const std::string& token,
                                              const std::string& attachment_id,
                                              const VolumeConnector& connector) override {
    bs_pb::UpdateAttachmentRequest req;
    req.set_attachment_id(attachment_id);
    ConnectorToProto(connector, req.mutable_connector());
    bs_pb::Attachment out;
    GUREUM_RETURN_IF_ERROR(Call(token, ExportTimeout(), [&](grpc::ClientContext& ctx) {
      return stub_->UpdateAttachment(&ctx, req, &out);
    }));
    return AttachmentFromProto(out);
  }

  absl::Status CompleteAttachment(const std::string& token, const std::string& attachment_id,
                                  const std::string& mountpoint) override {
    bs_pb::CompleteAttachmentRequest req;
    req.set_attachment_id(attachment_id);
    req.set_mountpoint(mountpoint);
    bs_pb::CompleteAttachmentResponse out;
    return Call(token, options_.timeout, [&](grpc::ClientContext& ctx) {
      return stub_->CompleteAttachment(&ctx, req, &out);
    });
  }

  absl::Status DeleteAttachment(const std::string& token,
                                const std::string& attachment_id) override {
    bs_pb::DeleteAttachmentRequest req;
    req.set_attachment_id(attachment_id);
    bs_pb::DeleteAttachmentResponse out;
    return Call(token, options_.timeout,
                [&](grpc::ClientContext& ctx) { return stub_->DeleteAttachment(&ctx, req, &out); });
  }

 private:
  absl::Status Call(const std::string& token, absl::Duration timeout,
                    const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
    return CallAs(options_, token, timeout, attempt);
  }
  // An export waits for the volume agent (block storage's export_timeout, 60 s by default):
  // the call's deadline leaves it that time and some.
  absl::Duration ExportTimeout() const { return std::max(options_.timeout, absl::Seconds(90)); }

  const GrpcClientOptions options_;
  std::unique_ptr<bs_pb::BlockStorage::Stub> stub_;
};

}  // namespace

std::unique_ptr<BlockStorageClient> NewGrpcBlockStorageClient(const GrpcClientOptions& options) {
  return std::make_unique<GrpcBlockStorageClient>(options);
}

}  // namespace gureum::compute
