#include "object-storage/proxy/acl.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace gureum::object::proxy {

bool AclAllows(const std::string& acl, const Caller* caller, AclAccess access) {
  bool public_read = false, listings = false;
  for (absl::string_view raw : absl::StrSplit(acl, ',', absl::SkipWhitespace())) {
    const absl::string_view element = absl::StripAsciiWhitespace(raw);
    if (element == ".r:*") {
      public_read = true;
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
