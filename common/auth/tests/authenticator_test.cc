#include "common/auth/authenticator.h"

#include <catch2/catch.hpp>

namespace gureum::auth {
namespace {

class FakeFetcher final : public KeyFetcher {
 public:
  absl::StatusOr<std::vector<PublicKey>> FetchPublicKeys() override {
    if (!fail.ok()) return fail;
    return keys;
  }
  absl::StatusOr<std::vector<RevocationEvent>> FetchRevocationEvents(absl::Time since) override {
    if (!fail.ok()) return fail;
    last_since = since;
    return events;
  }
  std::vector<PublicKey> keys;
  std::vector<RevocationEvent> events;
  absl::Time last_since;
  absl::Status fail;
};

struct Fixture {
  Fixture() { fetcher.keys = {key.public_key}; }
  std::string Token(const std::string& user = "u1") {
    TokenClaims c;
    c.user_id = user;
    c.user_domain_id = "default";
    c.project_id = "p1";
    c.roles = {"member", "reader"};
    c.audit_id = NewAuditId();
    c.issued_at = clock.Now();
    c.expires_at = clock.Now() + absl::Hours(1);
    return SignToken(c, key);
  }
  FakeClock clock;
  KeyPair key = GenerateKeyPair("k1");
  FakeFetcher fetcher;
};

TEST_CASE("a service authenticates tokens with identity's keys, without calling it") {
  Fixture f;
  auto authn = TokenAuthenticator::Create(f.fetcher, f.clock, {});
  REQUIRE(authn.ok());
  auto caller = (*authn)->Authenticate(f.Token());
  REQUIRE(caller.ok());
  REQUIRE(caller->user_id == "u1");
  REQUIRE(caller->project_id == "p1");
  REQUIRE(caller->HasRole("member"));
  REQUIRE((*authn)->Authenticate("garbage").status().code() == absl::StatusCode::kUnauthenticated);
}

TEST_CASE("start-up fails clearly while identity is unreachable") {
  Fixture f;
  f.fetcher.fail = absl::UnavailableError("connection refused");
  auto authn = TokenAuthenticator::Create(f.fetcher, f.clock, {});
  REQUIRE(authn.status().code() == absl::StatusCode::kUnavailable);
}

TEST_CASE("pushed and fetched revocations both end tokens") {
  Fixture f;
  auto authn = TokenAuthenticator::Create(f.fetcher, f.clock, {});
  REQUIRE(authn.ok());
  std::string t1 = f.Token("u1");
  std::string t2 = f.Token("u2");
  REQUIRE((*authn)->Authenticate(t1).ok());
  f.clock.Advance(absl::Seconds(1));
  (*authn)->Apply({.user_id = "u1", .issued_before = f.clock.Now(), .revoked_at = f.clock.Now()});
  REQUIRE_FALSE((*authn)->Authenticate(t1).ok());
  REQUIRE((*authn)->Authenticate(t2).ok());

  f.fetcher.events = {
      {.user_id = "u2", .issued_before = f.clock.Now(), .revoked_at = f.clock.Now()}};
  f.clock.Advance(absl::Seconds(30));
  REQUIRE((*authn)->Refresh().ok());
  REQUIRE_FALSE((*authn)->Authenticate(t2).ok());
  // The second fetch asks from shortly before the first, so nothing falls in between.
  REQUIRE(f.fetcher.last_since < f.clock.Now() - absl::Seconds(30));
}

TEST_CASE("rotated keys are picked up by a refresh") {
  Fixture f;
  auto authn = TokenAuthenticator::Create(f.fetcher, f.clock, {});
  REQUIRE(authn.ok());
  KeyPair next = GenerateKeyPair("k2");
  TokenClaims c;
  c.user_id = "u3";
  c.audit_id = NewAuditId();
  c.issued_at = f.clock.Now();
  c.expires_at = f.clock.Now() + absl::Hours(1);
  std::string token = SignToken(c, next);
  REQUIRE_FALSE((*authn)->Authenticate(token).ok());
  f.fetcher.keys = {next.public_key, f.key.public_key};
  REQUIRE((*authn)->Refresh().ok());
  REQUIRE((*authn)->Authenticate(token).ok());
}

TEST_CASE("revocation events survive the trip through JSON") {
  RevocationEvent e{.audit_id = "",
                    .user_id = "u1",
                    .project_id = "p1",
                    .issued_before = absl::FromUnixMicros(1700000000123456),
                    .revoked_at = absl::FromUnixMicros(1700000000123457)};
  auto back = RevocationEventFromJson(RevocationEventToJson(e));
  REQUIRE(back.ok());
  REQUIRE(back->user_id == "u1");
  REQUIRE(back->project_id == "p1");
  REQUIRE(back->issued_before == e.issued_before);
  REQUIRE_FALSE(RevocationEventFromJson("not json").ok());
  REQUIRE_FALSE(RevocationEventFromJson("{}").ok());
  REQUIRE_FALSE(RevocationEventFromJson(R"({"user_id": 7})").ok());
}

}  // namespace
}  // namespace gureum::auth
