// Test fixture: an IdentityManager over a given store, with a fake clock, sequential ids,
// an in-memory signing key, the fastest argon2id limits and a recording revocation sink.
#pragma once

#include <memory>

#include <catch2/catch.hpp>

#include "common/auth/keys.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "identity/fake_identity_store.h"
#include "identity/fake_revocation_sink.h"
#include "identity/identity_manager.h"
#include "identity/key_repository.h"

namespace gureum::identity::testing {

struct ManagerEnv {
  explicit ManagerEnv(IdentityStore& store, int lockout_attempts = 3)
      : store(store), keys({auth::GenerateKeyPair("k1")}) {
    options.lockout_failure_attempts = lockout_attempts;
    options.lockout_duration = absl::Minutes(5);
    auto m = IdentityManager::Create(store, keys, sink, clock, ids, options,
                                     PasswordHasher::ForTesting());
    REQUIRE(m.ok());
    manager = *std::move(m);
  }

  // A fresh manager over the same store (a restart).
  std::unique_ptr<IdentityManager> Restart() {
    auto m = IdentityManager::Create(store, keys, sink, clock, ids, options,
                                     PasswordHasher::ForTesting());
    REQUIRE(m.ok());
    return *std::move(m);
  }

  IdentityStore& store;
  FakeClock clock;
  SequentialIdGenerator ids;
  StaticKeySource keys;
  FakeRevocationSink sink;
  IdentityOptions options;
  std::unique_ptr<IdentityManager> manager;
};

// A cloud administrator (a system-scoped admin), for calls the policy would check.
inline Caller Admin() {
  Caller c;
  c.user_id = "test-admin";
  c.system_scope = true;
  c.roles = {"admin", "member", "reader"};
  return c;
}

// The user `user_id` acting for themselves (no role needed).
inline Caller Self(const std::string& user_id) {
  Caller c;
  c.user_id = user_id;
  return c;
}

// A member of `project_id` and nothing more.
inline Caller Member(const std::string& project_id) {
  Caller c;
  c.user_id = "test-member";
  c.domain_id = kDefaultDomainId;
  c.project_id = project_id;
  c.project_domain_id = kDefaultDomainId;
  c.roles = {"member", "reader"};
  return c;
}

inline AuthRequest PasswordById(const std::string& user_id, const std::string& password) {
  AuthRequest r;
  r.methods = {"password"};
  r.password = PasswordMethod{UserRef{user_id, "", "", ""}, password};
  return r;
}

inline AuthRequest PasswordByName(const std::string& name, const std::string& domain_name,
                                  const std::string& password) {
  AuthRequest r;
  r.methods = {"password"};
  r.password = PasswordMethod{UserRef{"", name, "", domain_name}, password};
  return r;
}

inline AuthScope ProjectScope(const std::string& project_id) {
  AuthScope s;
  s.kind = ScopeKind::kProject;
  s.project_id = project_id;
  return s;
}

}  // namespace gureum::identity::testing
