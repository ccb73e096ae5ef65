#include "dashboard/cookies.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gureum::dashboard {
namespace {

std::string Attributes(bool secure) {
  return absl::StrCat("; Path=/; HttpOnly; SameSite=Strict", secure ? "; Secure" : "");
}

}  // namespace

std::string SessionCookie(const std::string& session_id, bool secure) {
  return absl::StrCat(kSessionCookie, "=", session_id, Attributes(secure));
}

std::string ClearedSessionCookie(bool secure) {
  return absl::StrCat(kSessionCookie, "=", Attributes(secure), "; Max-Age=0");
}

std::string CookieValue(absl::string_view cookie_header, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(cookie_header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos || part.substr(0, eq) != name) continue;
    return std::string(part.substr(eq + 1));
  }
  return "";
}

}  // namespace gureum::dashboard
