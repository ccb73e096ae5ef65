#include "object-storage/proxy/acl.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace gureum::object::proxy {
namespace {

// "http://www.example.com:8080/page" -> "www.example.com".
std::string ReferrerHost(const std::string& referrer) {
  absl::string_view r = referrer;
  const size_t scheme = r.find("://");
  if (scheme != absl::string_view::npos) r.remove_prefix(scheme + 3);
  r = r.substr(0, r.find_first_of("/?#"));
  r = r.substr(0, r.find(':'));
  return absl::AsciiStrToLower(r);
}

// Swift's referrer_allowed: the last matching element decides; ".example.com" matches the
// domain's hosts, "-host" denies.
bool ReferrerMatches(absl::string_view pattern, const std::string& host) {
  if (pattern == "*") return true;
  if (absl::StartsWith(pattern, ".")) {
    return absl::EndsWithIgnoreCase(host, pattern) ||
           absl::EqualsIgnoreCase(host, pattern.substr(1));
  }
  return absl::EqualsIgnoreCase(host, pattern);
}

}  // namespace

bool AclAllows(const std::string& acl, const Caller* caller, AclAccess access,
               const std::string& referrer) {
  bool public_read = false, listings = false;
  const std::string host = ReferrerHost(referrer);
  for (absl::string_view raw : absl::StrSplit(acl, ',', absl::SkipWhitespace())) {
    const absl::string_view element = absl::StripAsciiWhitespace(raw);
    if (absl::StartsWith(element, ".r:")) {
      absl::string_view pattern = element.substr(3);
      const bool deny = absl::ConsumePrefix(&pattern, "-");
      if (pattern == "*" || (!host.empty() && ReferrerMatches(pattern, host))) {
        public_read = !deny;
      }
    } else if (element == ".rlistings") {
      listings = true;
    } else if (caller != nullptr && element.find(':') != absl::string_view::npos &&
               element[0] != '.') {
      std::vector<absl::string_view> parts = absl::StrSplit(element, absl::MaxSplits(':', 1));
      const bool project = parts[0] == "*" || parts[0] == caller->project_id;
      const bool user = parts[1] == "*" || parts[1] == caller->user_id;
      if (project && user && !caller->project_id.empty()) return true;
    }
  }
  if (access == AclAccess::kWrite) return false;
  if (access == AclAccess::kReadObject) return public_read;
  return public_read && listings;
}

}  // namespace gureum::object::proxy
