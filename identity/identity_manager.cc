// IdentityManager: builds the manager classes and what they share.
#include "identity/identity_manager.h"

#include "common/status/macros.h"
#include "identity/identity_policy.h"

namespace gureum::identity {

absl::StatusOr<std::unique_ptr<IdentityManager>> IdentityManager::Create(
    IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
    IdGenerator& ids, const IdentityOptions& options, const policy::Enforcer& enforcer,
    AdminProjectOptions admin_project) {
  GUREUM_ASSIGN_OR_RETURN(
      std::unique_ptr<PasswordHasher> hasher,
      PasswordHasher::Create(options.password_hash_ops_limit, options.password_hash_mem_limit_kib));
  return Build(store, keys, sink, clock, ids, options, std::move(hasher), nullptr, enforcer,
               std::move(admin_project));
}

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
  GUREUM_ASSIGN_OR_RETURN(std::unique_ptr<policy::Enforcer> enforcer,
                          policy::Enforcer::Create(IdentityPolicyDefaults()));
  const policy::Enforcer& rules = *enforcer;
  return Build(store, keys, sink, clock, ids, options, std::move(hasher), std::move(enforcer),
               rules, AdminProjectOptions{});
}

absl::StatusOr<std::unique_ptr<IdentityManager>> IdentityManager::Build(
    IdentityStore& store, KeySource& keys, RevocationSink& sink, const Clock& clock,
    IdGenerator& ids, const IdentityOptions& options, std::unique_ptr<PasswordHasher> hasher,
    std::unique_ptr<policy::Enforcer> owned_enforcer, const policy::Enforcer& enforcer,
    AdminProjectOptions admin_project) {
  if (options.token_expiration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("token_expiration must be positive");
  }
  std::unique_ptr<IdentityManager> m(
      new IdentityManager(store, sink, clock, ids, options, std::move(hasher),
                          std::move(owned_enforcer), enforcer, std::move(admin_project)));
  GUREUM_ASSIGN_OR_RETURN(
      m->tokens_, TokenManager::Create(
                      TokenManager::Deps{m->deps_, keys, m->roles_, m->assignments_, m->catalog_}));
  m->auth_ = std::make_unique<AuthManager>(
      AuthManager::Deps{m->deps_, m->users_, m->assignments_, *m->tokens_});
  GUREUM_ASSIGN_OR_RETURN(std::string credential_key, keys.CredentialKey());
  m->credentials_ = std::make_unique<CredentialManager>(m->deps_, std::move(credential_key));
  GUREUM_RETURN_IF_ERROR(m->revocations_.Load());
  return m;
}

IdentityManager::IdentityManager(IdentityStore& store, RevocationSink& sink, const Clock& clock,
                                 IdGenerator& ids, const IdentityOptions& options,
                                 std::unique_ptr<PasswordHasher> hasher,
                                 std::unique_ptr<policy::Enforcer> owned_enforcer,
                                 const policy::Enforcer& enforcer,
                                 AdminProjectOptions admin_project)
    : options_(options),
      hasher_(std::move(hasher)),
      validation_cache_(clock, options.validation_cache_ttl),
      revocations_(store, sink, clock, validation_cache_, options.token_expiration),
      owned_enforcer_(std::move(owned_enforcer)),
      access_(store, enforcer, std::move(admin_project)),
      deps_{store, ids, clock, options_, *hasher_, validation_cache_, revocations_, access_},
      projects_(deps_),
      users_(deps_),
      roles_(deps_),
      assignments_(deps_, roles_),
      catalog_(deps_),
      app_credentials_(deps_),
      extensions_(deps_),
      trusts_(deps_) {}

IdentityManager::~IdentityManager() = default;

}  // namespace gureum::identity
