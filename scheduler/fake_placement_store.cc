#include "scheduler/fake_placement_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::scheduler {

void FakePlacementStore::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(std::move(status));
}

int FakePlacementStore::claims() const {
  absl::MutexLock lock(&mu_);
  return claims_;
}

absl::Status FakePlacementStore::TakeFailure() {
  if (failures_.empty()) return absl::OkStatus();
  absl::Status s = failures_.front();
  failures_.pop_front();
  return s;
}

Provider* FakePlacementStore::FindLocked(const std::string& uuid) {
  auto it = providers_.find(uuid);
  return it == providers_.end() ? nullptr : &it->second;
}

Provider FakePlacementStore::WithUsagesLocked(const Provider& p) const {
  Provider out = p;
  out.usages.clear();
  for (const auto& [rc, inv] : p.inventories) out.usages[rc] = 0;
  for (const auto& [id, c] : consumers_) {
    auto it = c.allocations.find(p.uuid);
    if (it == c.allocations.end()) continue;
    for (const auto& [rc, n] : it->second) out.usages[rc] += n;
  }
  return out;
}

void FakePlacementStore::ForgetIfEmptyLocked(const std::string& consumer) {
  auto it = consumers_.find(consumer);
  if (it == consumers_.end()) return;
  for (auto a = it->second.allocations.begin(); a != it->second.allocations.end();) {
    bool empty = true;
    for (const auto& [rc, n] : a->second) empty = empty && n <= 0;
    a = empty ? it->second.allocations.erase(a) : std::next(a);
  }
  if (it->second.allocations.empty()) consumers_.erase(it);
}

absl::StatusOr<Provider> FakePlacementStore::PutProvider(const Provider& provider) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  Provider* existing = nullptr;
  for (auto& [uuid, p] : providers_) {
    if (p.name == provider.name) existing = &p;
  }
  if (existing == nullptr) {
    if (Provider* taken = FindLocked(provider.uuid)) {
      return absl::AlreadyExistsError(absl::StrCat("resource provider uuid ", provider.uuid,
                                                   " already belongs to host '", taken->name, "'"));
    }
    Provider p = provider;
    p.generation = 1;
    p.usages.clear();
    std::sort(p.traits.begin(), p.traits.end());
    p.traits.erase(std::unique(p.traits.begin(), p.traits.end()), p.traits.end());
    providers_[p.uuid] = p;
    return WithUsagesLocked(p);
  }
  Provider current = WithUsagesLocked(*existing);
  for (const auto& [rc, used] : current.usages) {
    if (used > 0 && provider.inventories.count(rc) == 0) {
      return absl::FailedPreconditionError(absl::StrCat("inventory ", rc, " of host '",
                                                        provider.name, "' has allocations (", used,
                                                        " used) and cannot be removed"));
    }
  }
  existing->inventories = provider.inventories;
  existing->traits = provider.traits;
  std::sort(existing->traits.begin(), existing->traits.end());
  existing->traits.erase(std::unique(existing->traits.begin(), existing->traits.end()),
                         existing->traits.end());
  existing->generation++;
  return WithUsagesLocked(*existing);
}

absl::StatusOr<Provider> FakePlacementStore::GetProvider(const std::string& uuid,
                                                         const std::string& name) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  for (const auto& [id, p] : providers_) {
    if (uuid.empty() ? p.name == name : id == uuid) return WithUsagesLocked(p);
  }
  return absl::NotFoundError(uuid.empty() ? "No resource provider named '" + name + "'."
                                          : "No resource provider with uuid " + uuid + ".");
}

absl::StatusOr<std::vector<Provider>> FakePlacementStore::ListProviders(const std::string& name) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  std::vector<Provider> out;
  for (const auto& [id, p] : providers_) {
    if (name.empty() || p.name == name) out.push_back(WithUsagesLocked(p));
  }
  std::sort(out.begin(), out.end(),
            [](const Provider& a, const Provider& b) { return a.name < b.name; });
  return out;
}

absl::Status FakePlacementStore::DeleteProvider(const std::string& uuid) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  Provider* p = FindLocked(uuid);
  if (p == nullptr) return absl::NotFoundError("resource provider " + uuid);
  int n = 0;
  for (const auto& [id, c] : consumers_) n += c.allocations.count(uuid);
  if (n > 0) {
    return absl::FailedPreconditionError(absl::StrCat("resource provider '", p->name,
                                                      "' still has allocations of ", n,
                                                      " consumer(s); delete or move them first"));
  }
  for (auto& [id, c] : consumers_) {
    for (auto g = c.groups.begin(); g != c.groups.end();) {
      g = g->second == uuid ? c.groups.erase(g) : std::next(g);
    }
  }
  providers_.erase(uuid);
  return absl::OkStatus();
}

absl::StatusOr<ConsumerAllocations> FakePlacementStore::GetAllocations(
    const std::string& consumer) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  ConsumerAllocations out;
  out.consumer_uuid = consumer;
  auto it = consumers_.find(consumer);
  if (it == consumers_.end()) return out;
  out.project_id = it->second.project_id;
  out.user_id = it->second.user_id;
  out.generation = it->second.generation;
  out.claim_key = it->second.claim_key;
  for (const auto& [provider, r] : it->second.allocations) {
    Provider* p = FindLocked(provider);
    out.allocations.push_back({provider, p ? p->name : "", r});
  }
  std::sort(out.allocations.begin(), out.allocations.end(),
            [](const ProviderAllocation& a, const ProviderAllocation& b) {
              return a.provider_name < b.provider_name;
            });
  return out;
}

absl::Status FakePlacementStore::DeleteAllocations(const std::string& consumer,
                                                   const std::string& provider_uuid) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto it = consumers_.find(consumer);
  if (it == consumers_.end()) return absl::OkStatus();
  if (provider_uuid.empty()) {
    it->second.allocations.clear();
  } else {
    it->second.allocations.erase(provider_uuid);
  }
  it->second.generation++;
  ForgetIfEmptyLocked(consumer);
  return absl::OkStatus();
}

absl::Status FakePlacementStore::MoveAllocations(const std::string& from, const std::string& to,
                                                 const std::string& provider_uuid) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  if (!provider_uuid.empty() && FindLocked(provider_uuid) == nullptr) {
    return absl::NotFoundError("resource provider " + provider_uuid);
  }
  auto it = consumers_.find(from);
  if (it == consumers_.end()) return absl::OkStatus();
  Consumer& target = consumers_[to];
  if (target.project_id.empty()) {
    target.project_id = it->second.project_id;
    target.user_id = it->second.user_id;
  } else {
    target.generation++;
  }
  for (auto a = it->second.allocations.begin(); a != it->second.allocations.end();) {
    if (!provider_uuid.empty() && a->first != provider_uuid) {
      ++a;
      continue;
    }
    for (const auto& [rc, n] : a->second) target.allocations[a->first][rc] += n;
    a = it->second.allocations.erase(a);
  }
  it->second.generation++;
  ForgetIfEmptyLocked(from);
  ForgetIfEmptyLocked(to);
  return absl::OkStatus();
}

// Hard group policies: the other members' hosts against the target.
absl::Status FakePlacementStore::CheckGroupLocked(const ClaimRequest& request) const {
  if (!request.group.has_value() || !request.group->hard()) return absl::OkStatus();
  const GroupPolicy& g = *request.group;
  std::map<std::string, int> members;
  for (const auto& [id, c] : consumers_) {
    if (id == request.consumer_uuid) continue;
    auto it = c.groups.find(g.uuid);
    if (it != c.groups.end()) members[it->second]++;
  }
  for (const auto& [provider, n] : members) {
    bool here = provider == request.provider_uuid;
    if (g.policy == "anti-affinity" && here && n >= std::max(1, g.max_per_host)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "anti-affinity: server group ", g.uuid, " already has ", n, " member(s) on this host"));
    }
    if (g.policy == "affinity" && !here) {
      return absl::FailedPreconditionError("affinity: server group " + g.uuid +
                                           " has members on another host");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ClaimResult> FakePlacementStore::Claim(const ClaimRequest& request) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  Provider* target = FindLocked(request.provider_uuid);
  auto existing = consumers_.find(request.consumer_uuid);
  if (existing != consumers_.end() && existing->second.claim_key == request.claim_key &&
      !existing->second.allocations.empty()) {
    ClaimResult r;
    r.already_claimed = true;
    for (const auto& [provider, res] : existing->second.allocations) {
      if (r.provider_uuid.empty() || provider != request.keep_provider_uuid) {
        r.provider_uuid = provider;
      }
    }
    Provider* p = FindLocked(r.provider_uuid);
    r.provider_name = p ? p->name : "";
    return r;
  }
  if (target == nullptr) {
    return absl::NotFoundError("No resource provider with uuid " + request.provider_uuid + ".");
  }
  // What the consumer would hold after releasing everything but the kept provider.
  Consumer next = existing != consumers_.end() ? existing->second : Consumer{};
  for (auto a = next.allocations.begin(); a != next.allocations.end();) {
    a = a->first == request.keep_provider_uuid ? std::next(a) : next.allocations.erase(a);
  }
  Provider usage = WithUsagesLocked(*target);
  if (existing != consumers_.end()) {
    // Releasing the consumer's own allocations on the target frees room there.
    auto held = existing->second.allocations.find(target->uuid);
    if (held != existing->second.allocations.end() && target->uuid != request.keep_provider_uuid) {
      for (const auto& [rc, n] : held->second) usage.usages[rc] -= n;
    }
  }
  for (const auto& [rc, amount] : request.resources) {
    if (amount <= 0) continue;
    auto inv = target->inventories.find(rc);
    if (inv == target->inventories.end() || !inv->second.UnitFits(amount) ||
        usage.usages[rc] + amount > inv->second.Capacity()) {
      std::string what;
      for (const auto& [c, n] : request.resources) {
        what += (what.empty() ? "" : ", ") + absl::StrCat(c, "=", n);
      }
      return absl::ResourceExhaustedError("host '" + target->name + "' has no room for " + what);
    }
  }
  GUREUM_RETURN_IF_ERROR(CheckGroupLocked(request));
  next.project_id = request.project_id;
  next.user_id = request.user_id;
  next.claim_key = request.claim_key;
  if (existing != consumers_.end()) next.generation++;
  for (const auto& [rc, amount] : request.resources) {
    if (amount > 0) next.allocations[request.provider_uuid][rc] += amount;
  }
  if (request.group.has_value()) next.groups[request.group->uuid] = request.provider_uuid;
  consumers_[request.consumer_uuid] = next;
  ++claims_;
  ClaimResult r;
  r.provider_uuid = target->uuid;
  r.provider_name = target->name;
  return r;
}

absl::Status FakePlacementStore::Unclaim(const std::string& consumer,
                                         const std::string& provider_uuid,
                                         const Resources& resources) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto it = consumers_.find(consumer);
  if (it == consumers_.end()) return absl::OkStatus();
  auto a = it->second.allocations.find(provider_uuid);
  if (a != it->second.allocations.end()) {
    for (const auto& [rc, n] : resources) {
      auto r = a->second.find(rc);
      if (r == a->second.end()) continue;
      r->second -= std::min(r->second, n);
      if (r->second == 0) a->second.erase(r);
    }
    if (a->second.empty()) it->second.allocations.erase(a);
  }
  it->second.claim_key.clear();
  it->second.generation++;
  ForgetIfEmptyLocked(consumer);
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, int>> FakePlacementStore::GroupMembers(
    const std::string& group_uuid) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  std::map<std::string, int> out;
  for (const auto& [id, c] : consumers_) {
    auto it = c.groups.find(group_uuid);
    if (it != c.groups.end()) out[it->second]++;
  }
  return out;
}

}  // namespace gureum::scheduler
