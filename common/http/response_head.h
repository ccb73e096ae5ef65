// The head of an HTTP/1.1 answer as common/http's server writes it: the status line with
// RFC 9110's reason phrase, the handler's headers made safe (CR and LF replaced: handlers
// copy user text into headers), the request id, the content type, the body's framing
// (Content-Length, chunked, or until close) and what the connection does next.
// Internal to the server (connection.cc); pure functions, unit-tested on their own.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "common/http/request.h"

namespace gureum::http::server_internal {

// `value` with CR and LF replaced by spaces.
std::string HeaderSafe(absl::string_view value);

// `length`: the body's size, -1 for a chunked body, or kUntilClose for a body that ends
// when the connection does (HTTP/1.0 streams).
inline constexpr long long kUntilClose = -2;
std::string ResponseHead(const Response& res, const std::string& request_id, long long length,
                         bool has_content, bool keep_alive, bool http10);

// The handler asked for the connection to close ("Connection: close").
bool WantsClose(const Response& res);

}  // namespace gureum::http::server_internal
