#include "block-storage/agent/volume_driver.h"

#include "absl/strings/str_cat.h"
#include "common/base/ids.h"

namespace gureum::volume_agent {

absl::Status CheckId(const std::string& what, const std::string& id) {
  // A UUID has no '/' and no "..": an id can never reach outside the backend's directory.
  if (IsUuid(id)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("the ", what, " id is not a UUID"));
}

absl::Status CheckSize(int64_t size_gb) {
  if (size_gb >= 1 && size_gb <= kMaxVolumeGb) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("a volume size must be between 1 and ", kMaxVolumeGb, " GiB"));
}

}  // namespace gureum::volume_agent
