// What token validation (GET /v3/auth/tokens, Describe) reads from the store on every
// call, kept for a short time: the user, project and domain records of a token's scope,
// and the service catalog. Validation costs about seven store round trips without it.
//
// Correctness: the signature, expiry and revocation list are still checked on every
// call (TokenVerifier), and every revocation-producing change is an event that this
// process applies at once. The manager invalidates the cache after every write that
// changes what Describe returns (users, projects, domains, application credentials,
// catalog), and an entry read before an invalidation is never stored after it
// (generation check). What remains is the TTL: a change made through *another* identity
// process is seen here at most `ttl` later. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "identity/model.h"

namespace gureum::identity {

struct ScopeRecords {
  User user;
  Domain user_domain;
  std::optional<Project> project;
  std::optional<Domain> project_domain;
  std::optional<Domain> domain;
  std::optional<ApplicationCredential> application_credential;
};

struct CatalogRecords {
  std::vector<Service> services;
  std::vector<Endpoint> endpoints;
};

class ValidationCache {
 public:
  ValidationCache(const Clock& clock, absl::Duration ttl) : clock_(clock), ttl_(ttl) {}

  // The generation to pass to Put* for data read from now on.
  uint64_t generation() const;

  std::optional<ScopeRecords> GetScope(const std::string& key) const;
  void PutScope(const std::string& key, ScopeRecords records, uint64_t generation);

  std::optional<CatalogRecords> GetCatalog() const;
  void PutCatalog(CatalogRecords records, uint64_t generation);

  // Drops everything; data read before this call is not stored after it.
  void Invalidate();

 private:
  template <typename T>
  struct Entry {
    T value;
    absl::Time expires;
  };
  static constexpr size_t kMaxScopes = 100000;

  const Clock& clock_;
  const absl::Duration ttl_;
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, Entry<ScopeRecords>> scopes_ ABSL_GUARDED_BY(mu_);
  std::optional<Entry<CatalogRecords>> catalog_ ABSL_GUARDED_BY(mu_);
};

// Invalidates `cache` when it goes out of scope: the first line of every manager method
// whose write changes what validation returns, so the invalidation follows the commit on
// every return path.
class InvalidateOnExit {
 public:
  explicit InvalidateOnExit(ValidationCache& cache) : cache_(cache) {}
  ~InvalidateOnExit() { cache_.Invalidate(); }
  InvalidateOnExit(const InvalidateOnExit&) = delete;
  InvalidateOnExit& operator=(const InvalidateOnExit&) = delete;

 private:
  ValidationCache& cache_;
};

}  // namespace gureum::identity
