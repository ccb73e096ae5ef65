// HTTP byte ranges (RFC 9110 14.1): "bytes=0-99", "bytes=100-", "bytes=-100", several
// separated by commas. Used by the object server (one range) and the proxy (several).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gureum::object {

struct ByteRange {
  int64_t first = 0;
  int64_t last = 0;  // inclusive
  int64_t length() const { return last - first + 1; }
};

// The satisfiable ranges of `header` for a body of `size` bytes. nullopt when the header
// is malformed (then it is ignored: the whole body); an empty list when no range is
// satisfiable (416).
std::optional<std::vector<ByteRange>> ParseRanges(absl::string_view header, int64_t size);

}  // namespace gureum::object
