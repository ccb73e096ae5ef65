// The `file` backend: each volume is a qcow2 file `<directory>/volume-<id>.qcow2`, made,
// converted and grown with qemu-img (run through the injected CommandRunner).
//
// Snapshots are qcow2 internal snapshots (`snapshot-<id>` inside the volume's file), so a
// snapshot keeps the bytes of the moment it was taken while the volume goes on changing,
// and a volume in use is snapshotted through its export's daemon (LiveImage). A marker file
// `<directory>/snapshot-<id>.ref` names the volume that holds each snapshot (casts that
// create from a snapshot name only the snapshot).
//
// An image from the image service is checked before it is converted (qemu-img info under
// prlimit): it must be a disk of its stated format that refers to no other file (no backing
// file, external data file or VMDK extent elsewhere: those would copy another volume of the
// host into the new one) and fit in the volume.
//
// A volume uploaded to an image is first converted (`qemu-img convert -U`, raw or qcow2)
// into a scratch file the caller names and removes.
//
// New volumes from a snapshot or another volume are full copies (`qemu-img convert`), not
// backing-file overlays: they stay valid whatever happens to their source afterwards, at the
// price of copying the allocated bytes once. Every new volume is written to
// `volume-<id>.qcow2.part` and renamed into place, so a crash never leaves a half-made
// volume under its final name.
#pragma once

#include <string>

#include "block-storage/agent/volume_driver.h"
#include "common/process/command_runner.h"

namespace gureum::volume_agent {

class FileDriver final : public VolumeDriver {
 public:
  // `directory` must exist; `runner` outlives the driver.
  FileDriver(std::string directory, process::CommandRunner& runner);

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
  absl::Status CopyToFile(const std::string& volume_id, const std::string& disk_format,
                          const std::string& path) override;
  absl::StatusOr<Capacity> GetCapacity() override;
  absl::StatusOr<std::vector<VolumeInfo>> ListVolumes() override;
  absl::StatusOr<VolumeImage> Image(const std::string& volume_id) override;

  std::string VolumePath(const std::string& volume_id) const;

 private:
  std::string SnapshotMarker(const std::string& snapshot_id) const;
  // The virtual size of the image at `path` in bytes (qemu-img info, shared lock).
  absl::StatusOr<int64_t> VirtualSize(const std::string& path, const std::string& format);
  absl::StatusOr<VolumeInfo> Info(const std::string& volume_id);
  // Grows the new volume at `part` to size_gb, renames it into place and says what it is.
  absl::StatusOr<VolumeInfo> Finish(const std::string& volume_id, const std::string& part,
                                    int64_t size_gb);
  // FailedPrecondition unless the downloaded image at `path` is a `format` disk that refers
  // to no other file and fits in size_gb.
  absl::Status CheckImage(const std::string& path, const std::string& format,
                          const std::string& disk_format, int64_t size_gb);
  absl::Status Qemu(const std::vector<std::string>& args, absl::Duration timeout);

  const std::string directory_;
  process::CommandRunner& runner_;
};

}  // namespace gureum::volume_agent
