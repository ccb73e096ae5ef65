// The volume agent's backends behind one interface in our words: a backend makes, copies,
// grows, snapshots and deletes the volumes of one storage pool, says how much room it has
// and where a volume's image lives (for the exporter). Implementations: FileDriver
// (file_driver.h, qcow2 files in a directory) and FakeVolumeDriver (tests).
//
// Every call is idempotent, because casts are delivered at least once: a create of a volume
// that exists returns it (a half-made volume never exists under its final name), a delete of
// a missing volume or snapshot is OK, an extend to the size a volume has is OK.
//
// Errors: InvalidArgument for an id that is not a UUID or a size out of range,
// NotFound for a missing source (volume, snapshot), FailedPrecondition for a request the
// volume cannot take (shrinking, an image larger than the volume), ResourceExhausted when
// the backend is full, Internal when a tool failed (its message may name paths: for the
// log, not for users). The messages of the other codes name no paths and may be shown.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gureum::volume_agent {

inline constexpr int64_t kGiB = int64_t{1} << 30;
inline constexpr int64_t kMaxVolumeGb = 64 * 1024;

struct VolumeInfo {
  std::string id;
  int64_t size_gb = 0;                    // virtual size, rounded up to whole GiB
  std::vector<std::string> snapshot_ids;  // snapshots taken of it (only from ListVolumes)
};

struct Capacity {
  int64_t total_gb = 0;
  int64_t free_gb = 0;
};

// Where a volume's bytes are, for the exporter.
struct VolumeImage {
  std::string path;
  std::string format;  // qcow2 | raw
};

// A volume in use: its image is open in an export's daemon (nbd_exporter.h), so the driver
// must not change the file behind the daemon's back and goes through it instead.
class LiveImage {
 public:
  virtual ~LiveImage() = default;
  virtual absl::Status CreateInternalSnapshot(const std::string& name) = 0;
  virtual absl::Status DeleteInternalSnapshot(const std::string& name) = 0;
  virtual absl::Status Resize(int64_t bytes) = 0;
};

// Writes an image's bytes to `path` (the agent's download from the image service).
using ImageFetcher = std::function<absl::Status(const std::string& path)>;

// Thread-safe for different volumes; the agent does not run two casts of one volume at once.
class VolumeDriver {
 public:
  virtual ~VolumeDriver() = default;

  virtual std::string Kind() const = 0;  // "file"

  virtual absl::StatusOr<VolumeInfo> Create(const std::string& volume_id, int64_t size_gb) = 0;
  // The snapshot's bytes as they were when it was taken, grown to size_gb. The new volume
  // does not depend on the snapshot or its volume afterwards.
  virtual absl::StatusOr<VolumeInfo> CreateFromSnapshot(const std::string& volume_id,
                                                        int64_t size_gb,
                                                        const std::string& snapshot_id) = 0;
  // A clone of `source_id` (which may be in use: then a crash-consistent copy).
  virtual absl::StatusOr<VolumeInfo> CreateFromVolume(const std::string& volume_id, int64_t size_gb,
                                                      const std::string& source_id) = 0;
  // `fetch` writes the image, in `disk_format`, to a scratch file on the backend; the
  // driver converts it into the volume. FailedPrecondition when the image does not convert
  // or is larger than size_gb.
  virtual absl::StatusOr<VolumeInfo> CreateFromImage(const std::string& volume_id, int64_t size_gb,
                                                     const std::string& disk_format,
                                                     const ImageFetcher& fetch) = 0;
  virtual absl::Status Delete(const std::string& volume_id) = 0;
  // `live` is the volume's running export, or null when it is not in use.
  virtual absl::StatusOr<VolumeInfo> Extend(const std::string& volume_id, int64_t new_size_gb,
                                            LiveImage* live) = 0;
  virtual absl::Status CreateSnapshot(const std::string& volume_id, const std::string& snapshot_id,
                                      LiveImage* live) = 0;
  virtual absl::Status DeleteSnapshot(const std::string& volume_id, const std::string& snapshot_id,
                                      LiveImage* live) = 0;

  // Writes the volume's data, converted to `disk_format` (raw | qcow2, its current state
  // without snapshots), to the file `path`, which the caller removes. A volume in use is
  // read without its lock (crash-consistent, as Cinder's force upload). FailedPrecondition
  // for another format, NotFound for a volume the backend does not hold.
  virtual absl::Status CopyToFile(const std::string& volume_id, const std::string& disk_format,
                                  const std::string& path) = 0;

  virtual absl::StatusOr<Capacity> GetCapacity() = 0;
  virtual absl::StatusOr<std::vector<VolumeInfo>> ListVolumes() = 0;
  // NotFound when the backend holds no such volume.
  virtual absl::StatusOr<VolumeImage> Image(const std::string& volume_id) = 0;
};

// The checks every driver applies to what a cast names.
absl::Status CheckId(const std::string& what, const std::string& id);
absl::Status CheckSize(int64_t size_gb);

}  // namespace gureum::volume_agent
