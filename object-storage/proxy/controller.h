// What the proxy's controllers share: the name a request is about, and writing an object
// server's answer (its X-Gureum-Headers expanded) back to the client.
#pragma once

#include <string>

#include "common/http/request.h"
#include "object-storage/proxy/node_client.h"

namespace gureum::object::proxy {

// /v1/<account>[/<container>[/<object>]]
struct Target {
  std::string account, container, object;
};

// A plain-text answer in Swift's manner ("<html><h1>Not Found</h1>..." is not needed by
// clients; the status is what they read).
void Answer(http::Response& res, int status, const std::string& text = "");

// Copies the metadata headers an object server sent in X-Gureum-Headers onto `res`.
// Metadata with an empty value is left out (an account's or container's removed key),
// unless `keep_empty` (an object's, which Swift keeps and answers as sent).
void CopyMetadata(const NodeResponse& from, http::Response& res, bool keep_empty = false);

// An object's Last-Modified (an HTTP date, rounded up as Swift does) from an object server's
// X-Timestamp; "" without one.
std::string LastModifiedOf(const NodeResponse& from);

// The metadata headers an object server keeps with an object (its X-Gureum-Headers).
Headers StoredHeaders(const NodeResponse& from);

// %-encodes a query value.
std::string UrlEncode(const std::string& in);

}  // namespace gureum::object::proxy
