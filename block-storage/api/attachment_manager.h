// Attachments (Cinder's attachment API, microversions 3.27 and 3.44): compute reserves a
// volume for an instance, gives the connector of its host (the volume agent then exports
// the volume to that host and the call returns the connection info), completes the attach
// once the guest has the disk (the volume becomes in-use), and deletes the attachment on
// detach (the export ends; the last one makes the volume available again).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "block-storage/api/manager_deps.h"
#include "block-storage/api/volume_manager.h"

namespace gureum::block_storage {

struct Connector {
  std::string host;
  std::string ip;
};

class AttachmentManager {
 public:
  AttachmentManager(const ManagerDeps& deps, VolumeManager& volumes)
      : deps_(deps), volumes_(volumes) {}

  // Reserves the volume (400 if its status does not allow it, or it is attached and not
  // multiattach); with a connector, also exports it (see Update).
  absl::StatusOr<Attachment> Create(const RequestContext& ctx, const std::string& volume_id,
                                    const std::string& instance_uuid, const Connector* connector,
                                    const std::string& mode);
  // Gives the connector: casts the export and waits (options.export_timeout) for the
  // agent's connection info. DeadlineExceeded / the agent's error otherwise (the
  // attachment is then error_attaching and may be deleted).
  absl::StatusOr<Attachment> Update(const RequestContext& ctx, const std::string& id,
                                    const Connector& connector);
  absl::Status Complete(const RequestContext& ctx, const std::string& id,
                        const std::string& mountpoint);
  absl::Status Delete(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<Attachment> Get(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<Attachment>> List(const RequestContext& ctx,
                                               const std::string& volume_id,
                                               const std::string& instance_uuid, bool all_projects);

  // The actions of the attach flow before 3.27 (attachment_manager_legacy.cc):
  // os-attach records an attachment (no export) and makes the volume in-use; os-detach
  // removes one (the only one when `attachment_id` is empty); `force` (admins,
  // os-force_detach) from any status, leaving the volume available. os-begin_detaching and
  // os-roll_detaching move in-use <-> detaching.
  absl::StatusOr<Attachment> LegacyAttach(const RequestContext& ctx, const std::string& volume_id,
                                          const std::string& instance_uuid,
                                          const std::string& mountpoint, const std::string& mode);
  absl::Status LegacyDetach(const RequestContext& ctx, const std::string& volume_id,
                            const std::string& attachment_id, bool force);
  absl::Status LegacyDetaching(const RequestContext& ctx, const std::string& volume_id, bool begin);

 private:
  absl::StatusOr<Attachment> Visible(const RequestContext& ctx, const std::string& id,
                                     const std::string& rule);
  absl::StatusOr<Attachment> AwaitExport(const std::string& id);
  const ManagerDeps& deps_;
  VolumeManager& volumes_;
};

}  // namespace gureum::block_storage
