// Checks on user-supplied names and free text, shared by every service's API so that
// each one answers a bad value the same way (400, one message shape) instead of letting
// it reach PostgreSQL (a 900 KB name failed there with SQLSTATE 54000) or a C string
// (a NUL byte silently cut a name short).
//
// Limits are counted in characters (Unicode code points), as the OpenStack JSON schemas'
// maxLength does. All functions are pure and thread-safe.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gureum {

// OpenStack's limit for names, tags, metadata keys and values (Nova, Glance, Keystone).
inline constexpr size_t kMaxNameLength = 255;
// Keystone leaves descriptions unbounded in its schema; an unbounded text column still
// needs a ceiling, and 64 Ki characters is far above any real description.
inline constexpr size_t kMaxDescriptionLength = 65535;

// The length in bytes (1 to 4) of the well-formed UTF-8 sequence `s` starts with, or 0
// if it starts with none: empty, a stray continuation byte, an overlong form, a
// surrogate, a code point past U+10FFFF, or a sequence cut short. The one UTF-8 decoder
// of the tree (the http layer's path check and the log's escaping use it too).
size_t Utf8SequenceLength(absl::string_view s);

// True if `value` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool IsValidUtf8(absl::string_view value);

// OK if `value` is valid UTF-8, holds no NUL character and has at most `max` characters.
// Otherwise InvalidArgument "Invalid input for field/attribute <field>: <reason>." The
// message never echoes the value (it may be megabytes long or binary).
absl::Status ValidateName(absl::string_view field, absl::string_view value,
                          size_t max = kMaxNameLength);

// ValidateName with the description ceiling: for descriptions and other free text.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          size_t max = kMaxDescriptionLength);

}  // namespace gureum
