// What the proxy keeps of a client's headers, and the listings' formats (json, plain, xml).
//
// common/http's Request looks headers up by name and cannot list them, so the metadata
// headers kept are the ones named here: Swift's system metadata (ACLs, TempURL keys,
// quotas, versioning, manifests, CORS, expiry) and the object metadata the swift client
// sets itself (X-Object-Meta-Mtime). Arbitrary X-<Type>-Meta-<Name> headers need a way to
// list a request's headers in common/http (asked for in issue 19's report).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http/request.h"

namespace gureum::object::proxy {

enum class Kind { kAccount, kContainer, kObject };

// The metadata headers of `kind` present on `req`, as sent. For accounts and containers
// also X-Remove-* headers, as the name with an empty value (remove it).
std::map<std::string, std::string> MetadataHeaders(const http::Request& req, Kind kind);

// Listing rows from an object server's JSON, in the format asked for (?format= or Accept).
struct Listing {
  std::string content_type;
  std::string body;
};
Listing FormatListing(const nlohmann::json& rows, Kind kind, const std::string& name,
                      const std::string& format);
// "json", "xml" or "plain" from ?format= and Accept.
std::string ListingFormat(const http::Request& req);

// Swift's last_modified in listings ("2024-01-02T03:04:05.123450") and HTTP dates.
std::string IsoTime(const std::string& timestamp);
std::string HttpDate(int64_t seconds);

}  // namespace gureum::object::proxy
