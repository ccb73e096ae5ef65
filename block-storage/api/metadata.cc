#include "block-storage/api/metadata.h"

namespace gureum::block_storage {

absl::Status CheckMetadata(const Metadata& metadata) {
  for (const auto& [k, v] : metadata) {
    if (k.empty() || k.size() > 255 || v.size() > 255) {
      return absl::InvalidArgumentError(
          "Invalid input received: metadata keys must be 1 to 255 characters and values at "
          "most 255.");
    }
  }
  return absl::OkStatus();
}

Metadata MergeMetadata(const Metadata& current, const Metadata& update, bool replace) {
  if (replace) return update;
  Metadata merged = current;
  for (const auto& [k, v] : update) merged[k] = v;
  return merged;
}

}  // namespace gureum::block_storage
