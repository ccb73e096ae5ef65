// How names travel and where they land on a device. Between the proxy and the object
// servers, account, container and object names are hex-encoded path segments, so any
// name (slashes, empty segments, a trailing slash) is one segment of a fixed route.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace gureum::object {

std::string HexEncode(absl::string_view in);
// nullopt for odd lengths or non-hex characters.
std::optional<std::string> HexDecode(absl::string_view in);

// The lowercase hex MD5 of `data` (ETags, directory names).
std::string Md5Hex(absl::string_view data);

}  // namespace gureum::object
