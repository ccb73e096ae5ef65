#include "common/auth/verifier.h"

#include <catch2/catch.hpp>

namespace gureum::auth {
namespace {

struct VerifierFixture {
  VerifierFixture() : verifier(clock, revocations) { verifier.SetPublicKeys({key.public_key}); }
  TokenClaims Claims() {
    TokenClaims c;
    c.user_id = "u1";
    c.project_id = "p1";
    c.roles = {"member"};
    c.audit_id = NewAuditId();
    c.issued_at = clock.Now();
    c.expires_at = clock.Now() + absl::Hours(1);
    return c;
  }
  FakeClock clock;
  RevocationList revocations;
  KeyPair key = GenerateKeyPair("k1");
  TokenVerifier verifier;
};

TEST_CASE("a valid token verifies, the signature is checked once") {
  VerifierFixture f;
  std::string token = SignToken(f.Claims(), f.key);
  for (int i = 0; i < 100; ++i) REQUIRE(f.verifier.Verify(token).ok());
  REQUIRE(f.verifier.Verify(token)->user_id == "u1");
  REQUIRE(f.verifier.signature_checks() == 1);
}

TEST_CASE("expired tokens fail even from the cache") {
  VerifierFixture f;
  std::string token = SignToken(f.Claims(), f.key);
  REQUIRE(f.verifier.Verify(token).ok());
  f.clock.Advance(absl::Hours(1));
  auto r = f.verifier.Verify(token);
  REQUIRE(r.status().code() == absl::StatusCode::kUnauthenticated);
  REQUIRE(r.status().message() == kAuthRequired);  // the client learns nothing more
  REQUIRE(f.verifier.WhyInvalid(token) == "token expired");
}

TEST_CASE("a revocation takes effect on the next check") {
  VerifierFixture f;
  TokenClaims c = f.Claims();
  std::string token = SignToken(c, f.key);
  REQUIRE(f.verifier.Verify(token).ok());
  f.revocations.Add({.audit_id = c.audit_id, .revoked_at = f.clock.Now()});
  REQUIRE_FALSE(f.verifier.Verify(token).ok());
  REQUIRE(f.verifier.WhyInvalid(token) == "token revoked");
}

TEST_CASE("rotation: old-key tokens verify while the old key is published") {
  VerifierFixture f;
  std::string old_token = SignToken(f.Claims(), f.key);
  KeyPair next = GenerateKeyPair("k2");
  f.verifier.SetPublicKeys({f.key.public_key, next.public_key});
  REQUIRE(f.verifier.Verify(old_token).ok());
  REQUIRE(f.verifier.Verify(SignToken(f.Claims(), next)).ok());
  f.verifier.SetPublicKeys({next.public_key});  // old key retired
  REQUIRE(f.verifier.WhyInvalid(old_token) == "token signed with an unknown key");
}

TEST_CASE("tokens from the future are refused") {
  VerifierFixture f;
  TokenClaims c = f.Claims();
  c.issued_at = f.clock.Now() + absl::Hours(1);
  c.expires_at = c.issued_at + absl::Hours(1);
  REQUIRE(f.verifier.WhyInvalid(SignToken(c, f.key)) == "token issued in the future");
}

}  // namespace
}  // namespace gureum::auth
