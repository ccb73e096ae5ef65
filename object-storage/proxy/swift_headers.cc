#include "object-storage/proxy/swift_headers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "object-storage/server/timestamp.h"

namespace gureum::object::proxy {
namespace {

using json = nlohmann::json;

const std::vector<std::string>& Known(Kind kind) {
  static const auto* account =
      new std::vector<std::string>{"X-Account-Meta-Temp-URL-Key", "X-Account-Meta-Temp-URL-Key-2",
                                   "X-Account-Meta-Quota-Bytes", "X-Account-Access-Control"};
  static const auto* container =
      new std::vector<std::string>{"X-Container-Read",
                                   "X-Container-Write",
                                   "X-Container-Sync-To",
                                   "X-Container-Sync-Key",
                                   "X-Versions-Location",
                                   "X-History-Location",
                                   "X-Container-Meta-Temp-URL-Key",
                                   "X-Container-Meta-Temp-URL-Key-2",
                                   "X-Container-Meta-Quota-Bytes",
                                   "X-Container-Meta-Quota-Count",
                                   "X-Container-Meta-Access-Control-Allow-Origin",
                                   "X-Container-Meta-Access-Control-Max-Age",
                                   "X-Container-Meta-Access-Control-Expose-Headers",
                                   "X-Storage-Policy"};
  static const auto* object =
      new std::vector<std::string>{"Content-Disposition", "Content-Encoding", "X-Object-Manifest",
                                   "X-Object-Meta-Mtime", "Cache-Control",    "Expires"};
  switch (kind) {
    case Kind::kAccount:
      return *account;
    case Kind::kContainer:
      return *container;
    default:
      return *object;
  }
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string TitleCase(const std::string& name) {
  std::string out = absl::AsciiStrToLower(name);
  bool start = true;
  for (char& c : out) {
    // Swift reads headers from a WSGI environ, where '_' and '-' are one character.
    if (c == '_') c = '-';
    if (start) c = absl::ascii_toupper(static_cast<unsigned char>(c));
    start = c == '-';
  }
  return out;
}

std::map<std::string, std::string> MetadataHeaders(const http::Request& req, Kind kind) {
  std::map<std::string, std::string> out;
  for (const std::string& name : Known(kind)) {
    if (req.HasHeader(name)) out[name] = req.Header(name);
    if (kind == Kind::kObject) continue;
    // X-Remove-Container-Read removes X-Container-Read.
    const std::string remove = absl::StrCat("X-Remove-", name.substr(2));
    if (req.HasHeader(remove)) out[name] = "";
  }
  // X-<Type>-Meta-<anything>, kept title-cased as Swift does; X-Remove-<Type>-Meta-<name>
  // (accounts and containers) removes one.
  const std::string type = kind == Kind::kAccount     ? "Account"
                           : kind == Kind::kContainer ? "Container"
                                                      : "Object";
  const std::string prefix = absl::StrCat("X-", type, "-Meta-");
  for (const auto& [name, value] : req.HeadersWithPrefix(prefix)) {
    if (name.size() > prefix.size()) out[TitleCase(name)] = value;
  }
  if (kind == Kind::kObject) return out;
  const std::string remove = absl::StrCat("X-Remove-", type, "-Meta-");
  for (const auto& [name, value] : req.HeadersWithPrefix(remove)) {
    if (name.size() > remove.size()) out[TitleCase("X-" + name.substr(9))] = "";
  }
  return out;
}

std::string MetadataProblem(const std::map<std::string, std::string>& headers, Kind kind) {
  const std::string prefix = kind == Kind::kAccount     ? "X-Account-Meta-"
                             : kind == Kind::kContainer ? "X-Container-Meta-"
                                                        : "X-Object-Meta-";
  size_t count = 0, bytes = 0;
  for (const auto& [name, value] : headers) {
    if (!absl::StartsWith(name, prefix)) continue;
    const size_t key = name.size() - prefix.size();
    if (key > kMaxMetaNameLength)
      return "Metadata name too long; max " + std::to_string(kMaxMetaNameLength);
    if (value.size() > kMaxMetaValueLength) {
      return "Metadata value longer than " + std::to_string(kMaxMetaValueLength);
    }
    ++count;
    bytes += key + value.size();
  }
  if (count > kMaxMetaCount) return "Too many metadata items; max " + std::to_string(kMaxMetaCount);
  if (bytes > kMaxMetaOverallSize) {
    return "Total metadata too large; max " + std::to_string(kMaxMetaOverallSize);
  }
  return "";
}

std::string WithoutSwiftBytes(const std::string& content_type) {
  const size_t at = content_type.find(";swift_bytes=");
  return at == std::string::npos ? content_type : content_type.substr(0, at);
}

std::string ContentTypeParam(const std::string& content_type, const std::string& name) {
  const std::string key = ";" + name + "=";
  const size_t at = content_type.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  const size_t end = content_type.find(';', start);
  return content_type.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

long long SwiftBytes(const std::string& content_type) {
  long long bytes = -1;
  if (!absl::SimpleAtoi(ContentTypeParam(content_type, "swift_bytes"), &bytes)) return -1;
  return bytes;
}

std::string ListingFormat(const http::Request& req) {
  std::string format = req.Query("format").value_or("");
  if (format == "json" || format == "xml" || format == "plain") return format;
  const std::string accept = req.Header("Accept");
  if (absl::StrContains(accept, "application/json")) return "json";
  if (absl::StrContains(accept, "application/xml") || absl::StrContains(accept, "text/xml")) {
    return "xml";
  }
  return "plain";
}

std::string IsoTime(const std::string& timestamp) {
  std::optional<Timestamp> ts = Timestamp::Parse(timestamp);
  if (!ts) return "";
  const absl::Time t = absl::FromUnixMicros(ts->ticks() * 10);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S", t, absl::UTCTimeZone());
}

std::string HttpDate(int64_t seconds) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

Listing FormatListing(const json& rows, Kind kind, const std::string& name,
                      const std::string& format) {
  json items = json::array();
  for (const json& r : rows) {
    if (r.contains("subdir")) {
      items.push_back({{"subdir", r["subdir"]}});
    } else if (kind == Kind::kAccount) {
      items.push_back({{"name", r["name"]},
                       {"count", r["count"]},
                       {"bytes", r["bytes"]},
                       {"last_modified", IsoTime(r["timestamp"])}});
    } else {
      const std::string type = r.value("content_type", "");
      const long long slo_bytes = SwiftBytes(type);
      const std::string slo_etag = ContentTypeParam(type, "slo_etag");
      items.push_back({{"name", r["name"]},
                       {"hash", slo_etag.empty() ? r["hash"] : json(slo_etag)},
                       {"bytes", slo_bytes >= 0 ? json(slo_bytes) : r["bytes"]},
                       {"content_type", WithoutSwiftBytes(type)},
                       {"last_modified", IsoTime(r["timestamp"])}});
    }
  }
  if (format == "json") return {"application/json; charset=utf-8", items.dump()};
  if (format == "plain") {
    std::string body;
    for (const json& i : items) {
      absl::StrAppend(
          &body,
          i.contains("subdir") ? i["subdir"].get<std::string>() : i["name"].get<std::string>(),
          "\n");
    }
    return {"text/plain; charset=utf-8", body};
  }
  const char* tag = kind == Kind::kAccount ? "account" : "container";
  const char* row = kind == Kind::kAccount ? "container" : "object";
  std::string body = absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<", tag, " name=\"",
                                  Escape(name), "\">");
  for (const json& i : items) {
    if (i.contains("subdir")) {
      const std::string s = Escape(i["subdir"].get<std::string>());
      absl::StrAppend(&body, "<subdir name=\"", s, "\"><name>", s, "</name></subdir>");
      continue;
    }
    absl::StrAppend(&body, "<", row, ">");
    for (const auto& [k, v] : i.items()) {
      absl::StrAppend(&body, "<", k, ">", Escape(v.is_string() ? v.get<std::string>() : v.dump()),
                      "</", k, ">");
    }
    absl::StrAppend(&body, "</", row, ">");
  }
  absl::StrAppend(&body, "</", tag, ">");
  return {"application/xml; charset=utf-8", body};
}

}  // namespace gureum::object::proxy
