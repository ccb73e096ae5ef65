// Volumes attached to servers (Nova's os-volume_attachments), through gureum-block-storage's
// attachment API and the server's compute agent:
//
//  - Attach: the caller's server, active or stopped with no task (409 otherwise, Nova's
//    words); the volume reserved at block storage with the caller's own token
//    (CreateAttachment without a connector: its 404 and 400 come back as Nova's, with
//    block storage's message); a row in compute's store (status attaching); the
//    attach_volume cast to the server's host. The agent exports, plugs, completes and
//    reports (conductor → ApplyReport): attached with the device, or the row goes (and
//    the attachment at block storage, as the service user, if the agent left it).
//  - Detach: the row must be attached (400 while attaching); detaching; the detach_volume
//    cast; the agent's report removes the row (or sets it back to attached).
//  - A deleted server's attachments are deleted at block storage (ReleaseAll, called by
//    the conductor before the instance's rows go), so its volumes become available again;
//    those given at create with delete_on_termination are deleted then (boot from volume,
//    block_device_manager.h). A root volume cannot be detached (400, as Nova).
//
// Errors: NotFound (404), InvalidArgument (400), FailedPrecondition (409), PermissionDenied
// (403), Unavailable 503 "block storage is not configured" without [compute]
// block_storage_grpc. Thread-safe; blocking (SQL, AMQP, gRPC).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/server_casts.h"
#include "compute/clients/block_storage_client.h"

#include "compute_casts.pb.h"

namespace gureum::compute {

// Every collaborator must outlive the manager.
struct VolumeAttachmentManagerDeps {
  ComputeStore& store;
  ServerCasts& casts;
  const ComputePolicy& policy;
  // Block storage with the caller's own token (made without a service token, so a call
  // can never carry more than the user's rights); null when [compute] block_storage_grpc
  // is not set.
  BlockStorageClient* block_storage = nullptr;
  // Block storage as compute's service user, for the attachments of deleted servers; null
  // as above.
  BlockStorageClient* block_storage_as_service = nullptr;
};

class VolumeAttachmentManager {
 public:
  explicit VolumeAttachmentManager(const VolumeAttachmentManagerDeps& deps) : deps_(deps) {}

  absl::StatusOr<std::vector<VolumeAttachment>> List(const RequestContext& ctx,
                                                     const std::string& server_id);
  // NotFound "Volume <id> is not attached to instance <uuid>." (Nova's 404).
  absl::StatusOr<VolumeAttachment> Get(const RequestContext& ctx, const std::string& server_id,
                                       const std::string& volume_id);
  // `device` is the caller's wish (/dev/vdc, or ""), passed on to the agent.
  absl::StatusOr<VolumeAttachment> Attach(const RequestContext& ctx, const std::string& server_id,
                                          const std::string& volume_id, const std::string& device);
  absl::Status Detach(const RequestContext& ctx, const std::string& server_id,
                      const std::string& volume_id);

  // The attachments of a server the caller was already allowed to see (its REST view).
  absl::StatusOr<std::vector<VolumeAttachment>> ForServerView(const std::string& instance_uuid) {
    return deps_.store.ListVolumeAttachments(instance_uuid);
  }

  // The agent's report (conductor). Stale or repeated reports change nothing.
  absl::Status ApplyReport(const v1::VolumeAttachmentUpdate& report);
  // The server `instance_uuid` is being deleted: each of its volumes' attachments goes at
  // block storage (as the service user), then the volumes marked delete_on_termination. Failures
  // are logged, never returned: a delete does not wait for block storage.
  void ReleaseAll(const std::string& instance_uuid);

 private:
  absl::StatusOr<Instance> ServerForChange(const RequestContext& ctx, const std::string& id,
                                           const std::string& rule, const std::string& what);
  absl::Status Cast(const RequestContext& ctx, const Instance& i, const VolumeAttachment& a,
                    bool attach, const std::string& device);

  VolumeAttachmentManagerDeps deps_;
};

}  // namespace gureum::compute
