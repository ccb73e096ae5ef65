// Where the service proxy sends a request: the catalog endpoint of the session's token
// plus the path the page asked for. The page chooses only a service type and a relative
// path, never a host: the path is checked (no "..", ".", empty segments, backslashes or
// control characters) and each segment percent-encoded again before it is appended, so no
// request can leave the catalog's endpoints (no SSRF).
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gureum::dashboard {

// `endpoint` is a catalog URL ("http://ctl:8774/v2.1"); `path` is decoded and starts with
// '/' ("/servers/detail"); `query` the decoded parameters. InvalidArgument naming the
// problem for a path that is not allowed.
absl::StatusOr<std::string> UpstreamUrl(absl::string_view endpoint, absl::string_view path,
                                        const std::multimap<std::string, std::string>& query);

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string PercentEncode(absl::string_view s);

}  // namespace gureum::dashboard
