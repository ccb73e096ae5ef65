#include "identity/validation_cache.h"

namespace gureum::identity {

uint64_t ValidationCache::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

std::optional<ScopeRecords> ValidationCache::GetScope(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto it = scopes_.find(key);
  if (it == scopes_.end() || clock_.Now() >= it->second.expires) return std::nullopt;
  return it->second.value;
}

void ValidationCache::PutScope(const std::string& key, ScopeRecords records, uint64_t generation) {
  absl::MutexLock lock(&mu_);
  if (generation != generation_) return;  // read before an invalidation: stale
  if (scopes_.size() >= kMaxScopes) scopes_.clear();
  scopes_[key] = {std::move(records), clock_.Now() + ttl_};
}

std::optional<CatalogRecords> ValidationCache::GetCatalog() const {
  absl::MutexLock lock(&mu_);
  if (!catalog_ || clock_.Now() >= catalog_->expires) return std::nullopt;
  return catalog_->value;
}

void ValidationCache::PutCatalog(CatalogRecords records, uint64_t generation) {
  absl::MutexLock lock(&mu_);
  if (generation != generation_) return;
  catalog_ = Entry<CatalogRecords>{std::move(records), clock_.Now() + ttl_};
}

void ValidationCache::Invalidate() {
  absl::MutexLock lock(&mu_);
  ++generation_;
  scopes_.clear();
  catalog_.reset();
}

}  // namespace gureum::identity
