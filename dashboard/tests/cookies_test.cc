// The session cookie's attributes and reading it back.
#include "dashboard/cookies.h"

#include <catch2/catch.hpp>

namespace gureum::dashboard {
namespace {

TEST_CASE("SessionCookie is HttpOnly, SameSite=Strict, Path=/ and Secure when asked") {
  CHECK(SessionCookie("abc", false) == "gureum_session=abc; Path=/; HttpOnly; SameSite=Strict");
  CHECK(SessionCookie("abc", true) ==
        "gureum_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
  CHECK(ClearedSessionCookie(false) ==
        "gureum_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

TEST_CASE("CookieValue finds one cookie among several") {
  CHECK(CookieValue("a=1; gureum_session=xyz; b=2", "gureum_session") == "xyz");
  CHECK(CookieValue("gureum_session=xyz", "gureum_session") == "xyz");
  CHECK(CookieValue("xgureum_session=1", "gureum_session").empty());
  CHECK(CookieValue("", "gureum_session").empty());
  CHECK(CookieValue("gureum_session", "gureum_session").empty());
}

}  // namespace
}  // namespace gureum::dashboard
