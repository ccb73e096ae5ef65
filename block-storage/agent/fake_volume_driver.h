// An in-memory VolumeDriver for tests of the agent's logic: volumes and snapshots in maps,
// the same refusals as FileDriver (ids, sizes, shrinking, missing sources), and fault
// injection with FailNext. Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <set>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "block-storage/agent/volume_driver.h"

namespace gureum::volume_agent {

class FakeVolumeDriver final : public VolumeDriver {
 public:
  std::string Kind() const override { return "file"; }
  absl::StatusOr<VolumeInfo> Create(const std::string& volume_id, int64_t size_gb) override;
  absl::StatusOr<VolumeInfo> CreateFromSnapshot(const std::string& volume_id, int64_t size_gb,
                                                const std::string& snapshot_id) override;
  absl::StatusOr<VolumeInfo> CreateFromVolume(const std::string& volume_id, int64_t size_gb,
                                              const std::string& source_id) override;
  absl::StatusOr<VolumeInfo> CreateFromImage(const std::string& volume_id, int64_t size_gb,
                                             const std::string& disk_format,
                                             const ImageFetcher& fetch) override;
  absl::Status Delete(const std::string& volume_id) override;
  absl::StatusOr<VolumeInfo> Extend(const std::string& volume_id, int64_t new_size_gb,
                                    LiveImage* live) override;
  absl::Status CreateSnapshot(const std::string& volume_id, const std::string& snapshot_id,
                              LiveImage* live) override;
  absl::Status DeleteSnapshot(const std::string& volume_id, const std::string& snapshot_id,
                              LiveImage* live) override;
  // Writes Data(volume_id, disk_format) to `path`.
  absl::Status CopyToFile(const std::string& volume_id, const std::string& disk_format,
                          const std::string& path) override;
  absl::StatusOr<Capacity> GetCapacity() override;
  absl::StatusOr<std::vector<VolumeInfo>> ListVolumes() override;
  absl::StatusOr<VolumeImage> Image(const std::string& volume_id) override;

  // The bytes CopyToFile writes for a volume: a pattern naming it and the format, 3 MiB
  // and a bit (several upload chunks).
  static std::string Data(const std::string& volume_id, const std::string& disk_format);
  // The next call that changes something returns `status` and changes nothing.
  void FailNext(absl::Status status);
  // How many calls went through `live` (a volume in use).
  int live_calls() const;
  Capacity capacity{.total_gb = 100, .free_gb = 80};

 private:
  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<VolumeInfo> Make(const std::string& volume_id, int64_t size_gb, int64_t source_gb)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, int64_t> volumes_ ABSL_GUARDED_BY(mu_);  // id -> size_gb
  std::map<std::string, std::pair<std::string, int64_t>> snapshots_
      ABSL_GUARDED_BY(mu_);  // id -> volume, size_gb
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  int live_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gureum::volume_agent
