// The key/value metadata of volumes and snapshots: Cinder's limits (keys 1-255 characters,
// values up to 255) and how a set merges into what is there.
#pragma once

#include "absl/status/status.h"
#include "block-storage/api/model.h"

namespace gureum::block_storage {

// InvalidArgument (400, Cinder's words) for a key or value out of bounds.
absl::Status CheckMetadata(const Metadata& metadata);

// `update` over `current`, or `update` alone when `replace`.
Metadata MergeMetadata(const Metadata& current, const Metadata& update, bool replace);

}  // namespace gureum::block_storage
