// The casts block storage sends to the volume agents (queue "volume.<host>", a VolumeCast of
// proto/block_storage.proto in binary protobuf), built from our records. Each returns the
// task id it sent, which the volume or snapshot keeps to recognise the agent's report.
// Thread-safe (the bus is).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "block-storage/api/model.h"
#include "common/amqp/bus.h"
#include "common/base/ids.h"

namespace gureum::block_storage {

// "<host>@<backend>" split; a key without '@' is all host, backend "".
std::string HostOfBackend(const std::string& backend_key);
std::string BackendName(const std::string& backend_key);

// Where a new volume's bytes come from (none of them: an empty volume).
struct VolumeOrigin {
  std::string snapshot_id;
  std::string source_volume_id;
  std::string image_id;
  std::string image_disk_format;
};

class VolumeCasts {
 public:
  // `bus` and `ids` must outlive this object.
  VolumeCasts(amqp::Bus& bus, IdGenerator& ids) : bus_(bus), ids_(ids) {}

  absl::StatusOr<std::string> Create(const Volume& volume, const VolumeOrigin& origin);
  absl::StatusOr<std::string> Delete(const Volume& volume);
  absl::StatusOr<std::string> Extend(const Volume& volume, int64_t new_size_gb);
  absl::StatusOr<std::string> CreateSnapshot(const Snapshot& snapshot, const Volume& volume,
                                             bool in_use);
  absl::StatusOr<std::string> DeleteSnapshot(const Snapshot& snapshot, const Volume& volume);
  absl::StatusOr<std::string> Export(const Attachment& attachment, const Volume& volume);
  absl::StatusOr<std::string> Unexport(const Attachment& attachment, const Volume& volume);
  // Upload the volume's data into the queued image `image_id` (os-volume_upload_image).
  absl::StatusOr<std::string> Upload(const Volume& volume, const std::string& image_id,
                                     const std::string& disk_format, bool in_use);

 private:
  template <typename Fill>
  absl::StatusOr<std::string> Send(const std::string& backend_key, Fill fill);

  amqp::Bus& bus_;
  IdGenerator& ids_;
};

}  // namespace gureum::block_storage
