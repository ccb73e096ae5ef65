// What the proxy keeps of a client's headers, and the listings' formats (json, plain, xml).
//
// Kept: every X-<Type>-Meta-<name> header (title-cased, as Swift stores them) and the
// system headers named in swift_headers.cc (ACLs, versioning, manifests, expiry...).
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
// "x-object-meta-color" -> "X-Object-Meta-Color"; "_" becomes "-", as in Swift.
std::string TitleCase(const std::string& name);

// Swift's limits on user metadata (/info says them too).
inline constexpr size_t kMaxMetaCount = 90, kMaxMetaNameLength = 128, kMaxMetaValueLength = 256,
                        kMaxMetaOverallSize = 4096;
// Why `headers` break those limits (for a 400), or "" when they do not.
std::string MetadataProblem(const std::map<std::string, std::string>& headers, Kind kind);

// Listing rows from an object server's JSON, in the format asked for (?format= or Accept).
struct Listing {
  std::string content_type;
  std::string body;
};
Listing FormatListing(const nlohmann::json& rows, Kind kind, const std::string& name,
                      const std::string& format);
// "text/plain;swift_bytes=12;slo_etag=..." -> "text/plain" (an SLO manifest's type carries
// its whole size and ETag for the listings, and an S3 multipart upload's ETag).
std::string WithoutSwiftBytes(const std::string& content_type);
long long SwiftBytes(const std::string& content_type);  // -1 without
// A parameter a manifest's type carries after swift_bytes (slo_etag, s3_etag), or "".
std::string ContentTypeParam(const std::string& content_type, const std::string& name);
// "json", "xml" or "plain" from ?format= and Accept.
std::string ListingFormat(const http::Request& req);

// Swift's last_modified in listings ("2024-01-02T03:04:05.123450") and HTTP dates.
std::string IsoTime(const std::string& timestamp);
std::string HttpDate(int64_t seconds);

}  // namespace gureum::object::proxy
