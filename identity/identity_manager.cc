// IdentityManager: construction, signing keys, revocation events. The resource, auth and
// token parts live in the other *_manager.cc files.
#include "identity/identity_manager.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/status/macros.h"

namespace gureum::identity {
namespace {

auth::RevocationEvent ToAuth(const StoredRevocationEvent& e) {
  return auth::RevocationEvent{e.audit_id, e.user_id, e.project_id, e.issued_before, e.revoked_at};
}

}  // namespace

absl::StatusOr<std::unique_ptr<IdentityManager>> IdentityManager::Create(
    IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
    IdGenerator& ids, const IdentityOptions& options) {
  GUREUM_ASSIGN_OR_RETURN(
      std::unique_ptr<PasswordHasher> hasher,
      PasswordHasher::Create(options.password_hash_ops_limit, options.password_hash_mem_limit_kib));
  return Create(store, keys, sink, clock, ids, options, std::move(hasher));
}

absl::StatusOr<std::unique_ptr<IdentityManager>> IdentityManager::Create(
    IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
    IdGenerator& ids, const IdentityOptions& options, std::unique_ptr<PasswordHasher> hasher) {
  if (options.token_expiration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("token_expiration must be positive");
  }
  std::unique_ptr<IdentityManager> m(
      new IdentityManager(store, keys, sink, clock, ids, options, std::move(hasher)));
  GUREUM_RETURN_IF_ERROR(m->ReloadKeys());
  // Events older than a token's life can match no valid token.
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredRevocationEvent> events,
                          store.ListRevocationEvents(clock.Now() - options.token_expiration));
  for (const StoredRevocationEvent& e : events) m->revocations_.Add(ToAuth(e));
  return m;
}

IdentityManager::IdentityManager(IdentityStore& store, KeySource& keys, RevocationSink& sink,
                                 const Clock& clock, IdGenerator& ids,
                                 const IdentityOptions& options,
                                 std::unique_ptr<PasswordHasher> hasher)
    : store_(store),
      key_source_(keys),
      sink_(sink),
      clock_(clock),
      ids_(ids),
      options_(options),
      hasher_(std::move(hasher)),
      verifier_(clock, revocations_),
      validation_cache_(clock, options.validation_cache_ttl) {}

IdentityManager::~IdentityManager() = default;

absl::Status IdentityManager::ReloadKeys() {
  GUREUM_ASSIGN_OR_RETURN(std::vector<auth::KeyPair> keys, key_source_.Load());
  if (keys.empty()) return absl::FailedPreconditionError("no signing key");
  std::vector<auth::PublicKey> pub;
  for (const auth::KeyPair& k : keys) pub.push_back(k.public_key);
  verifier_.SetPublicKeys(pub);
  absl::MutexLock lock(&keys_mu_);
  keys_ = std::move(keys);
  return absl::OkStatus();
}

std::vector<auth::PublicKey> IdentityManager::PublicKeys() const {
  absl::MutexLock lock(&keys_mu_);
  std::vector<auth::PublicKey> out;
  for (const auth::KeyPair& k : keys_) out.push_back(k.public_key);
  return out;
}

absl::StatusOr<auth::KeyPair> IdentityManager::SigningKey() const {
  absl::MutexLock lock(&keys_mu_);
  if (keys_.empty()) return absl::FailedPreconditionError("no signing key");
  return keys_.front();
}

StoredRevocationEvent IdentityManager::UserEvent(const std::string& user_id,
                                                 const std::string& project_id) const {
  absl::Time now = clock_.Now();
  return StoredRevocationEvent{"", user_id, project_id, now, now};
}

StoredRevocationEvent IdentityManager::ProjectEvent(const std::string& project_id) const {
  absl::Time now = clock_.Now();
  return StoredRevocationEvent{"", "", project_id, now, now};
}

void IdentityManager::Announce(const Revocations& events) {
  validation_cache_.Invalidate();
  for (const StoredRevocationEvent& e : events) {
    auth::RevocationEvent event = ToAuth(e);
    revocations_.Add(event);
    spdlog::info("revocation event audit_id={} user={} project={}", e.audit_id, e.user_id,
                 e.project_id);
    if (absl::Status s = sink_.Publish(event); !s.ok()) {
      // Services also poll ListRevocationEvents, so a lost message only delays.
      spdlog::warn("publishing a revocation event failed: {}", s.ToString());
    }
  }
}

absl::StatusOr<std::vector<auth::RevocationEvent>> IdentityManager::ListRevocationEvents(
    absl::Time since) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<StoredRevocationEvent> events,
                          store_.ListRevocationEvents(since));
  std::vector<auth::RevocationEvent> out;
  for (const StoredRevocationEvent& e : events) out.push_back(ToAuth(e));
  return out;
}

absl::Status IdentityManager::PurgeExpiredRevocations() {
  absl::Time now = clock_.Now();
  revocations_.Expire(now, options_.token_expiration);
  return store_.PurgeRevocationEvents(now - options_.token_expiration);
}

Caller IdentityManager::ToCaller(const auth::TokenClaims& c) { return auth::CallerFromClaims(c); }

}  // namespace gureum::identity
