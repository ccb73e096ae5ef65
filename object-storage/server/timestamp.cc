#include "object-storage/server/timestamp.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace gureum::object {

Timestamp Timestamp::FromTime(absl::Time t) { return Timestamp(absl::ToUnixMicros(t) / 10); }

std::optional<Timestamp> Timestamp::Parse(absl::string_view text) {
  const size_t dot = text.find('.');
  absl::string_view whole = text.substr(0, dot);
  absl::string_view frac = dot == absl::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 10 || frac.size() > 5) return std::nullopt;
  int64_t seconds = 0, fraction = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  int digits = 0;
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    fraction = fraction * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 5; ++digits) fraction *= 10;
  return Timestamp(seconds * 100000 + fraction);
}

std::string Timestamp::ToString() const {
  return absl::StrFormat("%010d.%05d", ticks_ / 100000, ticks_ % 100000);
}

}  // namespace gureum::object
