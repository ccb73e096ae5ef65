// Token verification as every service does it, in-process: signature (with identity's
// public keys), expiry, and revocation. A signature check costs tens of microseconds, so
// tokens whose signature has been checked are remembered (bounded cache keyed by the
// token itself); expiry and revocation are checked on every call, cached or not, so a
// revoked token stops working at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/keys.h"
#include "common/auth/revocation.h"
#include "common/auth/token.h"
#include "common/base/clock.h"

namespace gureum::auth {

class TokenVerifier {
 public:
  // `clock` and `revocations` must outlive the verifier.
  TokenVerifier(const Clock& clock, const RevocationList& revocations,
                size_t cache_capacity = 100000);

  // Replaces the set of trusted public keys (after a fetch from identity or a rotation).
  void SetPublicKeys(const std::vector<PublicKey>& keys);

  // The claims of a valid token, or Unauthenticated. The status message is safe to show
  // to the client: it never says which check failed (logs may, by audit id).
  absl::StatusOr<TokenClaims> Verify(const std::string& token) const;

  // The reason a token failed, for logs and tests; empty if valid.
  std::string WhyInvalid(const std::string& token) const;

  // How many signatures were actually checked (cache misses); for tests and metrics.
  long long signature_checks() const;

 private:
  absl::StatusOr<TokenClaims> Check(const std::string& token) const;

  const Clock& clock_;
  const RevocationList& revocations_;
  const size_t cache_capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, PublicKey> keys_ ABSL_GUARDED_BY(mu_);
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const TokenClaims>> cache_
      ABSL_GUARDED_BY(mu_);
  mutable long long signature_checks_ ABSL_GUARDED_BY(mu_) = 0;
};

// The message every authentication failure shows the client, as Keystone words it.
inline constexpr char kAuthRequired[] = "The request you have made requires authentication.";

}  // namespace gureum::auth
