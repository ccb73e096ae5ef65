#include "common/auth/revocation.h"

#include <catch2/catch.hpp>

namespace gureum::auth {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

TokenClaims Token(const std::string& user, const std::string& project, absl::Time issued,
                  const std::string& audit) {
  TokenClaims c;
  c.user_id = user;
  c.project_id = project;
  c.issued_at = issued;
  c.expires_at = issued + absl::Hours(1);
  c.audit_id = audit;
  return c;
}

TEST_CASE("revoking one token by audit id, and tokens made from it") {
  RevocationList list;
  list.Add({.audit_id = "A1", .revoked_at = kT0});
  REQUIRE(list.IsRevoked(Token("u", "p", kT0, "A1")));
  REQUIRE_FALSE(list.IsRevoked(Token("u", "p", kT0, "A2")));
  TokenClaims child = Token("u", "p", kT0, "A3");
  child.audit_chain = {"A1"};
  REQUIRE(list.IsRevoked(child));
}

TEST_CASE("revoking a user's tokens spares tokens issued after") {
  RevocationList list;
  list.Add({.user_id = "u1", .issued_before = kT0, .revoked_at = kT0});
  REQUIRE(list.IsRevoked(Token("u1", "p", kT0 - absl::Seconds(1), "a")));
  REQUIRE(list.IsRevoked(Token("u1", "", kT0, "b")));
  REQUIRE_FALSE(list.IsRevoked(Token("u1", "p", kT0 + absl::Seconds(1), "c")));
  REQUIRE_FALSE(list.IsRevoked(Token("u2", "p", kT0 - absl::Seconds(1), "d")));
}

TEST_CASE("revoking a role on a project hits only that user's tokens there") {
  RevocationList list;
  list.Add({.user_id = "u1", .project_id = "p1", .issued_before = kT0, .revoked_at = kT0});
  REQUIRE(list.IsRevoked(Token("u1", "p1", kT0, "a")));
  REQUIRE_FALSE(list.IsRevoked(Token("u1", "p2", kT0, "b")));
  REQUIRE_FALSE(list.IsRevoked(Token("u2", "p1", kT0, "c")));
}

TEST_CASE("disabling a project revokes every token scoped to it") {
  RevocationList list;
  list.Add({.project_id = "p1", .issued_before = kT0, .revoked_at = kT0});
  REQUIRE(list.IsRevoked(Token("u1", "p1", kT0, "a")));
  REQUIRE(list.IsRevoked(Token("u2", "p1", kT0, "b")));
  REQUIRE_FALSE(list.IsRevoked(Token("u1", "p2", kT0, "c")));
}

TEST_CASE("later events move the cut-off forward, old events expire") {
  RevocationList list;
  list.Add({.user_id = "u1", .issued_before = kT0, .revoked_at = kT0});
  list.Add({.user_id = "u1",
            .issued_before = kT0 + absl::Minutes(10),
            .revoked_at = kT0 + absl::Minutes(10)});
  REQUIRE(list.IsRevoked(Token("u1", "", kT0 + absl::Minutes(5), "a")));
  list.Add({.audit_id = "old", .revoked_at = kT0});
  REQUIRE(list.size() == 2);
  list.Expire(kT0 + absl::Minutes(65), absl::Hours(1));
  REQUIRE(list.size() == 1);  // the audit event is gone; the later user event stays
  list.Expire(kT0 + absl::Hours(2), absl::Hours(1));
  REQUIRE(list.size() == 0);
}

}  // namespace
}  // namespace gureum::auth
