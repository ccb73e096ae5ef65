// gureum-block-storage's gRPC API (proto/block_storage.proto, package
// gureum.block_storage.v1, port 18776): a thin adapter over the manager classes, for compute
// (attachments with a connector, the connection info back) and the gureum CLI. Every
// method needs a token (x-auth-token metadata); the same policy as the REST API applies.
// Synchronous API: the handlers do SQL and wait for exports.
#pragma once

#include "block-storage/api/block_storage_managers.h"
#include "common/grpc/server_call.h"

#include "block_storage.grpc.pb.h"

namespace gureum::block_storage {

class BlockStorageService final : public v1::BlockStorage::Service {
 public:
  // `managers` and `env` must outlive the service.
  BlockStorageService(BlockStorageManagers& managers, const grpcx::CallEnv& env)
      : managers_(managers), env_(env) {}

  using Ctx = grpc::ServerContext;
  grpc::Status GetVolume(Ctx*, const v1::GetVolumeRequest*, v1::Volume*) override;
  grpc::Status ListVolumes(Ctx*, const v1::ListVolumesRequest*, v1::ListVolumesResponse*) override;
  grpc::Status CreateVolume(Ctx*, const v1::CreateVolumeRequest*, v1::Volume*) override;
  grpc::Status DeleteVolume(Ctx*, const v1::DeleteVolumeRequest*,
                            v1::DeleteVolumeResponse*) override;
  grpc::Status CreateAttachment(Ctx*, const v1::CreateAttachmentRequest*, v1::Attachment*) override;
  grpc::Status UpdateAttachment(Ctx*, const v1::UpdateAttachmentRequest*, v1::Attachment*) override;
  grpc::Status CompleteAttachment(Ctx*, const v1::CompleteAttachmentRequest*,
                                  v1::CompleteAttachmentResponse*) override;
  grpc::Status DeleteAttachment(Ctx*, const v1::DeleteAttachmentRequest*,
                                v1::DeleteAttachmentResponse*) override;

 private:
  BlockStorageManagers& managers_;
  const grpcx::CallEnv& env_;
};

void ToProto(const Volume& volume, const std::vector<Attachment>& attachments, bool admin,
             v1::Volume* out);
void ToProto(const Attachment& attachment, v1::Attachment* out);

}  // namespace gureum::block_storage
