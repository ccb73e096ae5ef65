// The volume agent's logic: a VolumeCast (block_storage.proto) carried out on the named
// backend's driver and the exporter, and its outcome as the AgentReport the API waits for;
// and the capacity reports of every backend.
//
// Every cast is idempotent (the drivers and the exporter are): a replayed cast reports the
// same result again. An error is reported as OUTCOME_ERROR with a message a user can read:
// the driver's own words for refusals (bad id or size, missing source, shrinking, full
// backend), a generic sentence for tool failures, whose details (paths, tool output) go to
// the log only. A transient failure (a service the agent needs is unavailable) is marked
// so the handler retries it before it gives up and reports it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "block-storage/agent/volume_driver.h"
#include "block-storage/agent/volume_exporter.h"
#include "block-storage/clients/image_client.h"
#include "compute/clients/image_client.h"

#include "block_storage.pb.h"

namespace gureum::volume_agent {

namespace pb = ::gureum::block_storage::v1;

// What a cast came to.
struct CastOutcome {
  pb::AgentReport report;
  bool transient = false;  // failed for now; worth trying again
};

// Thread-safe: casts of different volumes run at once, casts of one volume one after the
// other (the drivers and the exporter may assume so).
class VolumeAgentManager {
 public:
  struct Deps {
    std::map<std::string, VolumeDriver*> backends;  // by backend name; each outlives this
    VolumeExporter& exporter;
    // The image service, as the agent's service user; null: creates from images fail.
    compute::ImageClient* images;
    // Images made from volumes, uploaded as the agent's service user; null: uploads fail.
    block_storage::ImageClient* new_images = nullptr;
    // Where an upload's converted copy of a volume is written before it is sent (the state
    // directory's uploads/; must exist). Each copy is removed once its upload ends.
    std::string scratch_dir;
  };
  VolumeAgentManager(std::string host, Deps deps);

  CastOutcome Handle(const pb::VolumeCast& cast);

  // One report per backend: capacity and the ids of its volumes and snapshots.
  std::vector<pb::BackendReport> BackendReports(const std::string& availability_zone);

 private:
  CastOutcome HandleLocked(const pb::VolumeCast& cast);
  absl::StatusOr<VolumeDriver*> Driver(const std::string& backend);
  absl::StatusOr<VolumeInfo> Create(const pb::CreateVolume& c, bool& bootable);
  absl::StatusOr<VolumeInfo> CreateFromImage(VolumeDriver& driver, const pb::CreateVolume& c);
  absl::StatusOr<VolumeInfo> RunVolumeOp(const pb::VolumeCast& cast, std::string& op,
                                         std::string& volume_id, bool& bootable);
  // upload_volume: the volume converted into a scratch file, then streamed into the image.
  absl::Status Upload(const pb::UploadVolume& u);
  absl::Status RunSnapshotOp(const pb::VolumeCast& cast, std::string& op, std::string& snapshot_id);
  absl::StatusOr<ExportInfo> RunExportOp(const pb::VolumeCast& cast, std::string& op,
                                         std::string& attachment_id);
  // The message for users, and whether to retry; the full status goes to the log.
  std::string UserError(const std::string& op, const absl::Status& status, bool& transient);

  void LockVolume(const std::string& volume_id) ABSL_LOCKS_EXCLUDED(mu_);
  void UnlockVolume(const std::string& volume_id) ABSL_LOCKS_EXCLUDED(mu_);

  const std::string host_;
  Deps deps_;
  absl::Mutex mu_;
  std::set<std::string> busy_ ABSL_GUARDED_BY(mu_);  // volumes a cast is working on
};

}  // namespace gureum::volume_agent
