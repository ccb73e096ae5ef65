// The session cookie: its Set-Cookie value (HttpOnly so scripts never read it,
// SameSite=Strict so other sites cannot ride on it, Path=/, Secure when the dashboard is
// served over TLS) and reading it back from a Cookie header.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace gureum::dashboard {

inline constexpr char kSessionCookie[] = "gureum_session";

std::string SessionCookie(const std::string& session_id, bool secure);
// Tells the browser to forget the cookie (logout).
std::string ClearedSessionCookie(bool secure);
// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string CookieValue(absl::string_view cookie_header, absl::string_view name);

}  // namespace gureum::dashboard
