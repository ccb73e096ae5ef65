#include "object-storage/server/range.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace gureum::object {

std::optional<std::vector<ByteRange>> ParseRanges(absl::string_view header, int64_t size) {
  header = absl::StripAsciiWhitespace(header);
  if (!absl::ConsumePrefix(&header, "bytes=")) return std::nullopt;
  std::vector<ByteRange> out;
  for (absl::string_view spec : absl::StrSplit(header, ',')) {
    spec = absl::StripAsciiWhitespace(spec);
    const size_t dash = spec.find('-');
    if (dash == absl::string_view::npos) return std::nullopt;
    absl::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    int64_t first = 0, last = 0;
    if (a.empty()) {  // the last b bytes
      if (!absl::SimpleAtoi(b, &last) || last < 0) return std::nullopt;
      if (last == 0) continue;
      out.push_back({std::max<int64_t>(0, size - last), size - 1});
      continue;
    }
    if (!absl::SimpleAtoi(a, &first) || first < 0) return std::nullopt;
    if (b.empty()) {
      last = size - 1;
    } else if (!absl::SimpleAtoi(b, &last) || last < first) {
      return std::nullopt;
    }
    if (first >= size) continue;  // not satisfiable
    out.push_back({first, std::min(last, size - 1)});
  }
  for (const ByteRange& r : out) {
    if (r.last < r.first) return std::vector<ByteRange>{};
  }
  return out;
}

}  // namespace gureum::object
