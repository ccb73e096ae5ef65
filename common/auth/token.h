// Gureum tokens: a signed, self-contained statement of who the caller is, in which scope,
// with which roles, until when. Identity signs them with Ed25519; every service verifies
// them locally (see verifier.h), so no request waits on identity.
//
// Wire form: "g1.<key id>.<payload>.<signature>", payload a serialized TokenPayload
// (proto/token.proto) and both base64url without padding. The signature covers
// "g1.<key id>.<payload>", so the key id cannot be swapped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/keys.h"

namespace gureum::auth {

struct TokenClaims {
  std::string user_id;
  std::string user_name;
  std::string user_domain_id;
  std::string project_id;  // project scope
  std::string project_domain_id;
  // The project is the cloud's admin project (Keystone's is_admin_project): an admin
  // there is a cloud administrator. Only identity sets it, only with project_id.
  bool is_admin_project = false;
  std::string domain_id;  // domain scope
  bool system = false;    // system scope
  std::vector<std::string> roles;
  std::vector<std::string> role_ids;
  std::vector<std::string> methods;
  std::string audit_id;                  // url-safe text form
  std::vector<std::string> audit_chain;  // audit ids of parent tokens
  absl::Time issued_at;
  absl::Time expires_at;
  std::string application_credential_id;
  std::string key_id;  // set by parsing: which key signed it

  bool unscoped() const { return project_id.empty() && domain_id.empty() && !system; }
};

// A new random audit id (16 bytes, base64url: 22 characters).
std::string NewAuditId();

// Signs `claims` with `key`.
std::string SignToken(const TokenClaims& claims, const KeyPair& key);

// Checks the form and the signature and returns the claims; expiry and revocation are
// the verifier's business. `find_key` returns the public key for a key id, or null. Every
// failure is Unauthenticated with a reason for the logs (never for the client: a client
// must not learn which part of a forged token was wrong).
absl::StatusOr<TokenClaims> ParseAndVerify(
    const std::string& token, const std::function<const PublicKey*(const std::string&)>& find_key);

}  // namespace gureum::auth
