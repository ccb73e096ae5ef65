#include "scheduler/provider_cache.h"

#include <spdlog/spdlog.h>

namespace gureum::scheduler {

bool ProviderCache::JoinedLocked(const HostStates* states) const {
  return joined_states_.get() == states && joined_generation_ == generation_;
}

absl::Status ProviderCache::Read(const std::shared_ptr<const HostStates>& states,
                                 const ReadFn& fn) {
  bool stale, have_copy;
  {
    absl::ReaderMutexLock lock(&mu_);
    have_copy = loaded_;
    stale = !loaded_ || clock_.Now() - loaded_at_ >= max_age_;
  }
  if (!have_copy) {
    if (absl::Status s = Load(false); !s.ok()) return s;
  } else if (stale && load_mu_.TryLock()) {
    // One thread reloads; the others go on with the copy they have.
    load_mu_.Unlock();
    if (absl::Status s = Load(false); !s.ok()) {
      spdlog::warn("reloading resource providers: {} (keeping the old copy)", s.ToString());
    }
  }
  for (;;) {
    {
      absl::ReaderMutexLock lock(&mu_);
      if (JoinedLocked(states.get())) {
        fn(providers_, facts_, state_of_);
        return absl::OkStatus();
      }
    }
    absl::MutexLock lock(&mu_);
    if (JoinedLocked(states.get())) continue;
    state_of_.assign(providers_.size(), nullptr);
    for (size_t i = 0; i < providers_.size(); ++i) {
      auto it = states->hosts.find(providers_[i].name);
      if (it != states->hosts.end()) state_of_[i] = &it->second;
    }
    joined_states_ = states;
    joined_generation_ = generation_;
  }
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
  std::vector<HostFacts> facts;
  if (fresh.ok()) {
    facts.reserve(fresh->size());
    for (const Provider& p : *fresh) facts.push_back(ComputeFacts(p));
  }
  absl::MutexLock lock(&mu_);
  if (!fresh.ok()) {
    loaded_at_ = started;  // try again after max_age, not on every decision
    return fresh.status();
  }
  providers_ = *std::move(fresh);
  facts_ = std::move(facts);
  by_uuid_.clear();
  by_name_.clear();
  for (size_t i = 0; i < providers_.size(); ++i) {
    by_uuid_[providers_[i].uuid] = i;
    by_name_[providers_[i].name] = i;
  }
  loaded_at_ = started;
  loaded_ = true;
  ++generation_;
  return absl::OkStatus();
}

void ProviderCache::ReloadOne(const std::string& uuid) {
  absl::StatusOr<Provider> fresh = store_.GetProvider(uuid, "");
  absl::MutexLock lock(&mu_);
  auto it = by_uuid_.find(uuid);
  if (it == by_uuid_.end()) return;
  Provider& p = providers_[it->second];
  if (fresh.ok() && fresh->name == p.name) {
    p = *std::move(fresh);
  } else {
    // Gone, renamed or unreadable: make it look full until the next reload.
    for (auto& [rc, inv] : p.inventories) p.usages[rc] = inv.Capacity();
  }
  facts_[it->second] = ComputeFacts(p);
}

void ProviderCache::AddUsage(const std::string& uuid, const Resources& resources, int sign) {
  absl::MutexLock lock(&mu_);
  auto it = by_uuid_.find(uuid);
  if (it == by_uuid_.end()) return;
  HostFacts& f = facts_[it->second];
  for (const auto& [rc, n] : resources) {
    providers_[it->second].usages[rc] += sign * n;
    int i = StandardClassIndex(rc);
    if (i >= 0) f.free[i] -= sign * n;
  }
}

std::string ProviderCache::UuidOf(const std::string& name) {
  absl::ReaderMutexLock lock(&mu_);
  auto it = by_name_.find(name);
  return it == by_name_.end() ? "" : providers_[it->second].uuid;
}

}  // namespace gureum::scheduler
