// IdentityManager: builds the manager classes and what they share.
#include "identity/identity_manager.h"

#include "common/status/macros.h"

namespace gureum::identity {

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
      new IdentityManager(store, sink, clock, ids, options, std::move(hasher)));
  GUREUM_ASSIGN_OR_RETURN(
      m->tokens_, TokenManager::Create(
                      TokenManager::Deps{m->deps_, keys, m->roles_, m->assignments_, m->catalog_}));
  m->auth_ = std::make_unique<AuthManager>(
      AuthManager::Deps{m->deps_, m->users_, m->assignments_, *m->tokens_});
  GUREUM_RETURN_IF_ERROR(m->revocations_.Load());
  return m;
}

IdentityManager::IdentityManager(IdentityStore& store, RevocationSink& sink, const Clock& clock,
                                 IdGenerator& ids, const IdentityOptions& options,
                                 std::unique_ptr<PasswordHasher> hasher)
    : options_(options),
      hasher_(std::move(hasher)),
      validation_cache_(clock, options.validation_cache_ttl),
      revocations_(store, sink, clock, validation_cache_, options.token_expiration),
      deps_{store, ids, clock, options_, *hasher_, validation_cache_, revocations_},
      projects_(deps_),
      users_(deps_),
      roles_(deps_),
      assignments_(deps_, roles_),
      catalog_(deps_),
      app_credentials_(deps_) {}

IdentityManager::~IdentityManager() = default;

}  // namespace gureum::identity
