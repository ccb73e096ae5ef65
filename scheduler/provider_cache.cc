#include "scheduler/provider_cache.h"

#include <spdlog/spdlog.h>

namespace gureum::scheduler {

absl::Status ProviderCache::Read(const std::function<void(const std::vector<Provider>&)>& fn) {
  bool stale;
  {
    absl::ReaderMutexLock lock(&mu_);
    stale = !loaded_ || clock_.Now() - loaded_at_ >= max_age_;
  }
  if (stale) {
    // One thread reloads; the others go on with the copy they have (if any).
    bool have_copy;
    {
      absl::ReaderMutexLock lock(&mu_);
      have_copy = loaded_;
    }
    if (!have_copy) {
      if (absl::Status s = Load(false); !s.ok()) return s;
    } else if (load_mu_.TryLock()) {
      load_mu_.Unlock();
      if (absl::Status s = Load(false); !s.ok()) {
        spdlog::warn("reloading resource providers: {} (keeping the old copy)", s.ToString());
      }
    }
  }
  absl::ReaderMutexLock lock(&mu_);
  fn(providers_);
  return absl::OkStatus();
}

absl::Status ProviderCache::Reload() { return Load(true); }

absl::Status ProviderCache::Load(bool force) {
  absl::MutexLock loading(&load_mu_);
  if (!force) {
    // Another thread may have reloaded while this one waited.
    absl::ReaderMutexLock lock(&mu_);
    if (loaded_ && clock_.Now() - loaded_at_ < max_age_) return absl::OkStatus();
  }
  absl::Time started = clock_.Now();
  absl::StatusOr<std::vector<Provider>> fresh = store_.ListProviders("");
  absl::MutexLock lock(&mu_);
  if (!fresh.ok()) {
    loaded_at_ = started;  // try again after max_age, not on every decision
    return fresh.status();
  }
  providers_ = *std::move(fresh);
  by_uuid_.clear();
  by_name_.clear();
  for (size_t i = 0; i < providers_.size(); ++i) {
    by_uuid_[providers_[i].uuid] = i;
    by_name_[providers_[i].name] = i;
  }
  loaded_at_ = started;
  loaded_ = true;
  return absl::OkStatus();
}

void ProviderCache::ReloadOne(const std::string& uuid) {
  absl::StatusOr<Provider> fresh = store_.GetProvider(uuid, "");
  absl::MutexLock lock(&mu_);
  auto it = by_uuid_.find(uuid);
  if (it == by_uuid_.end()) return;
  if (fresh.ok()) {
    providers_[it->second] = *std::move(fresh);
  } else {
    // Gone or unreadable: make it look full until the next reload.
    for (auto& [rc, inv] : providers_[it->second].inventories) {
      providers_[it->second].usages[rc] = inv.Capacity();
    }
  }
}

void ProviderCache::AddUsage(const std::string& uuid, const Resources& resources, int sign) {
  absl::MutexLock lock(&mu_);
  auto it = by_uuid_.find(uuid);
  if (it == by_uuid_.end()) return;
  for (const auto& [rc, n] : resources) providers_[it->second].usages[rc] += sign * n;
}

std::string ProviderCache::UuidOf(const std::string& name) {
  absl::ReaderMutexLock lock(&mu_);
  auto it = by_name_.find(name);
  return it == by_name_.end() ? "" : providers_[it->second].uuid;
}

}  // namespace gureum::scheduler
