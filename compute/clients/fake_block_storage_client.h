// BlockStorageClient in memory for tests, with fault injection. Volumes are visible to
// every token; the fake keeps Cinder's attachment states (a volume is reserved by
// CreateAttachment, in-use once an attachment completes, available when its last
// attachment is deleted) and "exports" a volume to any connector as nbd on 127.0.0.1.
// Thread-safe. (Test-only target compute_clients_fake.)
#pragma once

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "compute/clients/block_storage_client.h"

namespace gureum::compute {

class FakeBlockStorageClient final : public BlockStorageClient {
 public:
  // An available volume of `size_gb`, bootable (as one made from an image is).
  void AddVolume(const std::string& id, const std::string& project_id = "p1", int64_t size_gb = 1);
  // Sets a volume's bootable flag (Cinder's os-set_bootable).
  void SetBootable(const std::string& id, bool bootable);
  // Sets a volume's status as its agent would (creating -> available or error).
  void SetVolumeStatus(const std::string& id, const std::string& status);
  // The status a created volume starts in (default available: made at once).
  void SetCreatedStatus(const std::string& status);
  // The volume as it is now (NotFound if never added).
  absl::StatusOr<VolumeInfo> volume(const std::string& id);
  // Every attachment that exists now, of any volume.
  std::vector<Attachment> attachments();
  // The next call named `call` ("GetVolume", "CreateVolume", "DeleteVolume",
  // "CreateAttachment", "UpdateAttachment", "CompleteAttachment", "DeleteAttachment") returns
  // `status` and changes nothing.
  void FailNext(const std::string& call, absl::Status status);
  // Each call made, as "<call> <token>" ("" for kAsService), in order.
  std::vector<std::string> calls();

  absl::StatusOr<VolumeInfo> GetVolume(const std::string& token,
                                       const std::string& volume_id) override;
  // Owned by project "p1"; named vol-<n>; an image source copies the image metadata set
  // with SetImageMetadata for that image id.
  absl::StatusOr<VolumeInfo> CreateVolume(const std::string& token,
                                          const NewVolume& volume) override;
  // InvalidArgument unless available or error; NotFound when there is no such volume.
  absl::Status DeleteVolume(const std::string& token, const std::string& volume_id) override;
  // The volume_image_metadata a volume made from `image_id` gets.
  void SetImageMetadata(const std::string& image_id, std::map<std::string, std::string> meta);
  // NotFound "Volume <id> could not be found."; InvalidArgument unless the volume is
  // available (or in-use and multiattach).
  absl::StatusOr<Attachment> CreateAttachment(const std::string& token,
                                              const std::string& volume_id,
                                              const std::string& instance_uuid,
                                              const VolumeConnector* connector) override;
  absl::StatusOr<Attachment> UpdateAttachment(const std::string& token,
                                              const std::string& attachment_id,
                                              const VolumeConnector& connector) override;
  absl::Status CompleteAttachment(const std::string& token, const std::string& attachment_id,
                                  const std::string& mountpoint) override;
  // NotFound for an attachment that does not exist (deleted already).
  absl::Status DeleteAttachment(const std::string& token,
                                const std::string& attachment_id) override;

 private:
  absl::Status Enter(const std::string& call, const std::string& token)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Export(Attachment& a, const VolumeConnector& connector) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RefreshVolume(const std::string& volume_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::map<std::string, VolumeInfo> volumes_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Attachment> attachments_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<std::string, absl::Status>> failures_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::map<std::string, std::string>> image_metadata_ ABSL_GUARDED_BY(mu_);
  std::string created_status_ ABSL_GUARDED_BY(mu_) = "available";
  int next_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace gureum::compute
