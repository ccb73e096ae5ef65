// Cinder's volume status machine, in one place: which action a volume in which status
// accepts, and the status an accepted action sets (cinder/volume/api.py's expected
// statuses for delete, extend, attach, snapshot, upload and read-only). The managers ask
// here and hand the answer to the store as a compare-and-set guard, so the check and the
// change are one atomic step. Pure functions: unit-tested on their own.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gureum::block_storage {

namespace volume_status {
inline constexpr char kCreating[] = "creating";
inline constexpr char kAvailable[] = "available";
inline constexpr char kReserved[] = "reserved";
inline constexpr char kAttaching[] = "attaching";
inline constexpr char kInUse[] = "in-use";
inline constexpr char kDetaching[] = "detaching";
inline constexpr char kExtending[] = "extending";
inline constexpr char kDeleting[] = "deleting";
inline constexpr char kUploading[] = "uploading";
inline constexpr char kDownloading[] = "downloading";
inline constexpr char kError[] = "error";
inline constexpr char kErrorDeleting[] = "error_deleting";
inline constexpr char kErrorExtending[] = "error_extending";
inline constexpr char kMaintenance[] = "maintenance";
}  // namespace volume_status

namespace snapshot_status {
inline constexpr char kCreating[] = "creating";
inline constexpr char kAvailable[] = "available";
inline constexpr char kDeleting[] = "deleting";
inline constexpr char kError[] = "error";
inline constexpr char kErrorDeleting[] = "error_deleting";
}  // namespace snapshot_status

namespace attachment_status {
inline constexpr char kReserved[] = "reserved";
inline constexpr char kAttaching[] = "attaching";
inline constexpr char kAttached[] = "attached";
inline constexpr char kDetaching[] = "detaching";
inline constexpr char kErrorAttaching[] = "error_attaching";
}  // namespace attachment_status

enum class VolumeAction {
  kDelete,
  kForceDelete,
  kExtend,       // an available volume
  kExtendInUse,  // an attached one (microversion 3.42)
  kReserve,      // a new attachment
  kSnapshot,
  kSnapshotForce,  // `--force`: also in-use
  kUpload,
  kUploadForce,
  kSetReadOnly,
  kRetype,
};

// The statuses in which `action` is accepted.
const std::vector<std::string>& AllowedFrom(VolumeAction action);

// The status `action` moves a volume in `current` to (the transient status of the action;
// for kReserve of an attached multiattach volume, the volume keeps `current`).
std::string StatusDuring(VolumeAction action, const std::string& current);

// The 400 a refused action answers, in Cinder's words: "Invalid volume: Volume status must
// be available or error ..., but it is in-use.".
absl::Status Refused(VolumeAction action, const std::string& current);

// Every status a volume may be set to by os-reset_status.
bool IsVolumeStatus(const std::string& status);
bool IsSnapshotStatus(const std::string& status);

}  // namespace gureum::block_storage
