// The ring file: a RingData as JSON ({"format": "gureum-ring", "format_version": 1, ...}),
// written atomically (a temporary file in the same directory, fsync'd, renamed over the
// old one, the directory fsync'd), so a reader sees the old ring or the new one, never
// half of one. The same file is the builder's input and what every node loads.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "object-storage/ring/ring.h"

namespace gureum::object::ring {

inline constexpr int kRingFormatVersion = 1;

// NotFound when the file is missing; InvalidArgument when it is not a ring of a format
// version this binary reads; Internal for I/O errors.
absl::StatusOr<RingData> ReadRingFile(const std::string& path);

absl::Status WriteRingFile(const std::string& path, const RingData& ring);

// The JSON form alone (tests, `ring show --json`).
std::string RingToJson(const RingData& ring);
absl::StatusOr<RingData> RingFromJson(const std::string& text);

}  // namespace gureum::object::ring
