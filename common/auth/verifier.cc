#include "common/auth/verifier.h"

namespace gureum::auth {

TokenVerifier::TokenVerifier(const Clock& clock, const RevocationList& revocations,
                             size_t cache_capacity)
    : clock_(clock), revocations_(revocations), cache_capacity_(cache_capacity) {}

void TokenVerifier::SetPublicKeys(const std::vector<PublicKey>& keys) {
  absl::MutexLock lock(&mu_);
  keys_.clear();
  for (const PublicKey& k : keys) keys_[k.key_id] = k;
  // A key that is no longer trusted must not keep its tokens alive through the cache.
  cache_.clear();
}

absl::StatusOr<TokenClaims> TokenVerifier::Check(const std::string& token) const {
  std::shared_ptr<const TokenClaims> claims;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = cache_.find(token);
    if (it != cache_.end()) claims = it->second;
  }
  if (claims == nullptr) {
    // The signature is checked outside the lock, on a copy of the key, so threads
    // verifying different tokens do not wait for each other.
    PublicKey key;
    absl::StatusOr<TokenClaims> parsed =
        ParseAndVerify(token, [this, &key](const std::string& kid) -> const PublicKey* {
          absl::MutexLock lock(&mu_);
          ++signature_checks_;
          auto it = keys_.find(kid);
          if (it == keys_.end()) return nullptr;
          key = it->second;
          return &key;
        });
    if (!parsed.ok()) return parsed.status();
    claims = std::make_shared<const TokenClaims>(*std::move(parsed));
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= cache_capacity_) cache_.clear();  // simple bound; refills quickly
    cache_.emplace(token, claims);
  }
  absl::Time now = clock_.Now();
  if (now >= claims->expires_at) return absl::UnauthenticatedError("token expired");
  // A token from the future means a forged payload or a badly wrong clock.
  if (claims->issued_at > now + absl::Minutes(5)) {
    return absl::UnauthenticatedError("token issued in the future");
  }
  if (revocations_.IsRevoked(*claims)) return absl::UnauthenticatedError("token revoked");
  return *claims;
}

absl::StatusOr<TokenClaims> TokenVerifier::Verify(const std::string& token) const {
  absl::StatusOr<TokenClaims> claims = Check(token);
  if (!claims.ok()) return absl::UnauthenticatedError(kAuthRequired);
  return claims;
}

std::string TokenVerifier::WhyInvalid(const std::string& token) const {
  absl::StatusOr<TokenClaims> claims = Check(token);
  return claims.ok() ? "" : std::string(claims.status().message());
}

long long TokenVerifier::signature_checks() const {
  absl::ReaderMutexLock lock(&mu_);
  return signature_checks_;
}

}  // namespace gureum::auth
