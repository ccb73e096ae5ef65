#include "common/db/uri.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace gureum::db {
namespace {

constexpr char kMask[] = "***";

struct UriParts {
  std::string scheme_and_slashes;  // "postgresql://"
  std::string authority;           // "user:pass@host:port"
  std::string path;                // "/dbname" or ""
  std::string rest;                // "?k=v" or ""
};

// Splits any scheme://authority/path?query URI; false when `uri` has no "://".
bool SplitUri(const std::string& uri, UriParts* parts) {
  size_t scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) return false;
  parts->scheme_and_slashes = uri.substr(0, scheme_end + 3);
  std::string tail = uri.substr(parts->scheme_and_slashes.size());
  size_t query = tail.find('?');
  if (query != std::string::npos) {
    parts->rest = tail.substr(query);
    tail.resize(query);
  }
  size_t slash = tail.find('/');
  if (slash != std::string::npos) {
    parts->path = tail.substr(slash);
    tail.resize(slash);
  }
  parts->authority = tail;
  return true;
}

// The user-info part's password, still percent-encoded, or "" when there is none.
std::string EncodedPassword(const UriParts& parts) {
  size_t at = parts.authority.rfind('@');
  if (at == std::string::npos) return "";
  std::string userinfo = parts.authority.substr(0, at);
  size_t colon = userinfo.find(':');
  if (colon == std::string::npos) return "";
  return userinfo.substr(colon + 1);
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      char hex[3] = {s[i + 1], s[i + 2], '\0'};
      char* end = nullptr;
      long v = std::strtol(hex, &end, 16);
      if (end == hex + 2) {
        out.push_back(static_cast<char>(v));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Masks the value of every "password=" key, as found in query strings ("&password=x")
// and key/value connection strings ("password=x host=y").
std::string MaskPasswordParams(const std::string& s) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t found = s.find("password=", pos);
    if (found == std::string::npos) break;
    size_t value = found + 9;
    size_t end = s.find_first_of("& \t\n", value);
    if (end == std::string::npos) end = s.size();
    absl::StrAppend(&out, s.substr(pos, value - pos), kMask);
    pos = end;
  }
  absl::StrAppend(&out, s.substr(pos));
  return out;
}

}  // namespace

std::string RedactUri(const std::string& uri) {
  UriParts parts;
  if (!SplitUri(uri, &parts)) return MaskPasswordParams(uri);
  std::string authority = parts.authority;
  std::string password = EncodedPassword(parts);
  if (!password.empty()) {
    size_t colon = authority.find(':');
    size_t at = authority.rfind('@');
    authority = absl::StrCat(authority.substr(0, colon + 1), kMask, authority.substr(at));
  }
  return absl::StrCat(parts.scheme_and_slashes, authority, parts.path,
                      MaskPasswordParams(parts.rest));
}

std::string StripPassword(const std::string& message, const std::string& uri) {
  std::string out = MaskPasswordParams(message);
  UriParts parts;
  if (!SplitUri(uri, &parts)) return out;
  std::string encoded = EncodedPassword(parts);
  if (encoded.empty()) return out;
  // Mask the longer form first so a decoded password that is a prefix of the encoded
  // one cannot leave a tail behind.
  std::string decoded = PercentDecode(encoded);
  out = absl::StrReplaceAll(out, {{encoded, kMask}});
  if (!decoded.empty()) out = absl::StrReplaceAll(out, {{decoded, kMask}});
  return out;
}

absl::StatusOr<std::string> UriWithDatabase(const std::string& uri, const std::string& database) {
  UriParts parts;
  if (!SplitUri(uri, &parts) ||
      (parts.scheme_and_slashes != "postgresql://" && parts.scheme_and_slashes != "postgres://")) {
    return absl::InvalidArgumentError(absl::StrCat("not a postgresql:// URI: ", RedactUri(uri)));
  }
  return absl::StrCat(parts.scheme_and_slashes, parts.authority, "/", database, parts.rest);
}

}  // namespace gureum::db
