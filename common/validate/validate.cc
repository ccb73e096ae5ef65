#include "common/validate/validate.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace gureum {
namespace {

// Number of code points in `value`, or -1 if it is not well-formed UTF-8.
long long CountUtf8(absl::string_view value) {
  long long count = 0;
  while (!value.empty()) {
    const size_t len = Utf8SequenceLength(value);
    if (len == 0) return -1;
    value.remove_prefix(len);
    ++count;
  }
  return count;
}

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid input for field/attribute ", field, ": ", reason, "."));
}

}  // namespace

size_t Utf8SequenceLength(absl::string_view s) {
  if (s.empty()) return 0;
  const auto c = static_cast<uint8_t>(s[0]);
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<uint8_t>(s[k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool IsValidUtf8(absl::string_view value) { return CountUtf8(value) >= 0; }

absl::Status ValidateName(absl::string_view field, absl::string_view value, size_t max) {
  // Checked on bytes first: a huge value is refused without decoding all of it.
  if (value.size() > 4 * max) {
    return Invalid(field, absl::StrCat("is too long (at most ", max, " characters)"));
  }
  if (value.find('\0') != absl::string_view::npos) {
    return Invalid(field, "must not contain a NUL character");
  }
  const long long chars = CountUtf8(value);
  if (chars < 0) return Invalid(field, "is not valid UTF-8");
  if (static_cast<size_t>(chars) > max) {
    return Invalid(field, absl::StrCat("is too long (", chars, " characters, at most ", max, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max) {
  return ValidateName(field, value, max);
}

}  // namespace gureum
