#include "block-storage/api/volume_states.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gureum::block_storage {
namespace {

namespace vs = volume_status;

struct Rule {
  std::vector<std::string> from;
  std::string during;  // "" keeps the current status
  const char* verb;    // for the message
};

const std::map<VolumeAction, Rule>& Rules() {
  static const auto* rules = new std::map<VolumeAction, Rule>{
      {VolumeAction::kDelete,
       {{vs::kAvailable, vs::kError, vs::kErrorExtending, vs::kErrorDeleting},
        vs::kDeleting,
        "delete"}},
      {VolumeAction::kForceDelete,
       {{vs::kAvailable, vs::kError, vs::kErrorExtending, vs::kErrorDeleting, vs::kCreating,
         vs::kDeleting, vs::kExtending, vs::kUploading, vs::kDownloading, vs::kMaintenance,
         vs::kAttaching, vs::kReserved, vs::kDetaching},
        vs::kDeleting,
        "force delete"}},
      {VolumeAction::kExtend, {{vs::kAvailable}, vs::kExtending, "extend"}},
      {VolumeAction::kExtendInUse, {{vs::kAvailable, vs::kInUse}, vs::kExtending, "extend"}},
      {VolumeAction::kReserve, {{vs::kAvailable, vs::kInUse, vs::kReserved}, "", "attach"}},
      {VolumeAction::kSnapshot, {{vs::kAvailable}, "", "snapshot"}},
      {VolumeAction::kSnapshotForce, {{vs::kAvailable, vs::kInUse}, "", "snapshot"}},
      {VolumeAction::kUpload, {{vs::kAvailable}, vs::kUploading, "upload to image"}},
      {VolumeAction::kUploadForce,
       {{vs::kAvailable, vs::kInUse}, vs::kUploading, "upload to image"}},
      {VolumeAction::kSetReadOnly, {{vs::kAvailable}, "", "update the read-only flag of"}},
      {VolumeAction::kRetype, {{vs::kAvailable}, "", "retype"}},
  };
  return *rules;
}

}  // namespace

const std::vector<std::string>& AllowedFrom(VolumeAction action) { return Rules().at(action).from; }

std::string StatusDuring(VolumeAction action, const std::string& current) {
  if (action == VolumeAction::kReserve) {
    return current == vs::kAvailable ? vs::kReserved : current;
  }
  const std::string& during = Rules().at(action).during;
  return during.empty() ? current : during;
}

absl::Status Refused(VolumeAction action, const std::string& current) {
  const Rule& rule = Rules().at(action);
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid volume: Volume status must be ", absl::StrJoin(rule.from, " or "),
                   " to ", rule.verb, " it, but current status is: ", current, "."));
}

bool IsVolumeStatus(const std::string& status) {
  static const auto* all = new std::vector<std::string>{
      vs::kCreating,  vs::kAvailable,     vs::kReserved,       vs::kAttaching,  vs::kInUse,
      vs::kDetaching, vs::kExtending,     vs::kDeleting,       vs::kUploading,  vs::kDownloading,
      vs::kError,     vs::kErrorDeleting, vs::kErrorExtending, vs::kMaintenance};
  for (const std::string& s : *all) {
    if (s == status) return true;
  }
  return false;
}

bool IsSnapshotStatus(const std::string& status) {
  for (const char* s :
       {snapshot_status::kCreating, snapshot_status::kAvailable, snapshot_status::kDeleting,
        snapshot_status::kError, snapshot_status::kErrorDeleting}) {
    if (status == s) return true;
  }
  return false;
}

}  // namespace gureum::block_storage
