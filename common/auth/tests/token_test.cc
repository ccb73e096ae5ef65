#include "common/auth/token.h"

#include <catch2/catch.hpp>

#include "common/auth/authenticator.h"

namespace gureum::auth {
namespace {

TokenClaims Sample() {
  TokenClaims c;
  c.user_id = "u1";
  c.user_name = "alice";
  c.user_domain_id = "default";
  c.project_id = "p1";
  c.project_domain_id = "default";
  c.roles = {"member", "reader"};
  c.role_ids = {"r1", "r2"};
  c.methods = {"password"};
  c.audit_id = NewAuditId();
  c.issued_at = absl::FromUnixSeconds(1'700'000'000);
  c.expires_at = c.issued_at + absl::Hours(1);
  return c;
}

TEST_CASE("a signed token round-trips its claims") {
  KeyPair key = GenerateKeyPair("k1");
  TokenClaims in = Sample();
  std::string token = SignToken(in, key);
  REQUIRE(token.rfind("g1.k1.", 0) == 0);
  auto out = ParseAndVerify(
      token, [&](const std::string& kid) { return kid == "k1" ? &key.public_key : nullptr; });
  REQUIRE(out.ok());
  REQUIRE(out->user_id == "u1");
  REQUIRE(out->project_id == "p1");
  REQUIRE(out->roles == std::vector<std::string>{"member", "reader"});
  REQUIRE(out->audit_id == in.audit_id);
  REQUIRE(out->audit_id.size() == 22);
  REQUIRE(out->expires_at == in.expires_at);
  REQUIRE(out->key_id == "k1");
  REQUIRE_FALSE(out->unscoped());
}

TEST_CASE("is_admin_project travels in the signed payload and into the Caller") {
  KeyPair key = GenerateKeyPair("k1");
  auto find = [&](const std::string& kid) { return kid == "k1" ? &key.public_key : nullptr; };
  TokenClaims in = Sample();
  in.roles = {"admin"};
  in.is_admin_project = true;
  auto out = ParseAndVerify(SignToken(in, key), find);
  REQUIRE(out.ok());
  REQUIRE(out->is_admin_project);
  Caller caller = CallerFromClaims(*out);
  REQUIRE(caller.is_admin_project);
  REQUIRE(caller.project_id == "p1");

  in.is_admin_project = false;  // the default: any other project
  auto plain = ParseAndVerify(SignToken(in, key), find);
  REQUIRE(plain.ok());
  REQUIRE_FALSE(plain->is_admin_project);
  REQUIRE_FALSE(CallerFromClaims(*plain).is_admin_project);
}

TEST_CASE("tampered, malformed and unknown-key tokens are refused") {
  KeyPair key = GenerateKeyPair("k1");
  KeyPair other = GenerateKeyPair("k1");  // same id, different key: a forger's
  auto find = [&](const std::string& kid) { return kid == "k1" ? &key.public_key : nullptr; };
  std::string token = SignToken(Sample(), key);

  std::string tampered = token;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  REQUIRE(ParseAndVerify(tampered, find).status().code() == absl::StatusCode::kUnauthenticated);

  std::string forged = SignToken(Sample(), other);
  REQUIRE(ParseAndVerify(forged, find).status().message() == "bad token signature");

  KeyPair unknown = GenerateKeyPair("k9");
  REQUIRE(ParseAndVerify(SignToken(Sample(), unknown), find).status().message() ==
          "token signed with an unknown key");

  for (const std::string& junk : {std::string(""), std::string("abc"), std::string("g1.k1.x.y"),
                                  std::string("g2.k1.a.b"), std::string(10000, 'a')}) {
    REQUIRE(ParseAndVerify(junk, find).status().code() == absl::StatusCode::kUnauthenticated);
  }
}

TEST_CASE("key pairs serialize and parse") {
  KeyPair key = GenerateKeyPair("k20261127");
  auto back = ParseKeyPair(SerializeKeyPair(key));
  REQUIRE(back.ok());
  REQUIRE(back->public_key.key_id == "k20261127");
  REQUIRE(back->secret == key.secret);
  REQUIRE(back->public_key.bytes == key.public_key.bytes);
  REQUIRE_FALSE(ParseKeyPair("k1 notbase64!! x").ok());
  REQUIRE_FALSE(ParseKeyPair("only-two fields").ok());
}

}  // namespace
}  // namespace gureum::auth
