#include "dashboard/proxy_path.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gureum::dashboard {
namespace {

absl::Status Refuse(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("The proxied path is not allowed: ", why, "."));
}

absl::Status CheckSegment(absl::string_view seg) {
  if (seg.empty()) return Refuse("empty segment (\"//\")");
  if (seg == "." || seg == "..") return Refuse("\".\" and \"..\" segments");
  for (char c : seg) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return Refuse("control character");
    if (c == '\\') return Refuse("backslash");
  }
  return absl::OkStatus();
}

}  // namespace

std::string PercentEncode(absl::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

absl::StatusOr<std::string> UpstreamUrl(absl::string_view endpoint, absl::string_view path,
                                        const std::multimap<std::string, std::string>& query) {
  if (!absl::StartsWith(endpoint, "http://") && !absl::StartsWith(endpoint, "https://")) {
    return absl::FailedPreconditionError("The catalog endpoint is not an http(s) URL.");
  }
  if (path.empty() || path.front() != '/') return Refuse("it must start with \"/\"");
  std::string url(absl::StripSuffix(endpoint, "/"));
  absl::string_view rest = path.substr(1);
  // One trailing "/" stays (object storage's pseudo-folder markers are named "folder/").
  const bool trailing_slash = rest.size() > 1 && rest.back() == '/';
  if (trailing_slash) rest.remove_suffix(1);
  if (!rest.empty()) {
    for (absl::string_view seg : absl::StrSplit(rest, '/')) {
      if (absl::Status s = CheckSegment(seg); !s.ok()) return s;
      absl::StrAppend(&url, "/", PercentEncode(seg));
    }
  }
  if (trailing_slash) url.push_back('/');
  char sep = '?';
  for (const auto& [k, v] : query) {
    absl::StrAppend(&url, std::string(1, sep), PercentEncode(k), "=", PercentEncode(v));
    sep = '&';
  }
  return url;
}

}  // namespace gureum::dashboard
