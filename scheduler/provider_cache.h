// The scheduler's in-memory copy of every resource provider with its usages, so that a
// decision filters and weighs 1,000 hosts without a query. The copy is a hint: claims
// are checked by the database (PlacementStore::Claim), and a claim that loses a race
// reloads the one provider it lost on. Own claims are added to the copy at once; the
// whole copy is reloaded when older than max_age (other schedulers' claims, new hosts,
// inventory changes). Each provider comes with its HostFacts (filters.h) and, joined
// once per host-state answer, its HostState. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "scheduler/filters.h"
#include "scheduler/host_state_source.h"
#include "scheduler/placement_store.h"

namespace gureum::scheduler {

class ProviderCache {
 public:
  using ReadFn = std::function<void(const std::vector<Provider>&, const std::vector<HostFacts>&,
                                    const std::vector<const HostState*>&)>;

  ProviderCache(PlacementStore& store, const Clock& clock, absl::Duration max_age)
      : store_(store), clock_(clock), max_age_(max_age) {}

  // Runs `fn` under a read lock over the providers (sorted by name), their facts and
  // their states in `states` (null: unknown to compute-api), reloading the providers
  // first when stale (the error of a failed first load is returned; later failures keep
  // the old copy).
  absl::Status Read(const std::shared_ptr<const HostStates>& states, const ReadFn& fn);
  // Reloads every provider now.
  absl::Status Reload();
  // Reloads one provider (after a lost claim race).
  void ReloadOne(const std::string& uuid);
  // Adds (sign 1) or removes (-1) resources to a provider's usage in the copy.
  void AddUsage(const std::string& uuid, const Resources& resources, int sign);
  // The uuid of the provider named `name` ("" when unknown).
  std::string UuidOf(const std::string& name);

 private:
  absl::Status Load(bool force);
  bool JoinedLocked(const HostStates* states) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  PlacementStore& store_;
  const Clock& clock_;
  const absl::Duration max_age_;
  absl::Mutex load_mu_;  // one reload at a time
  absl::Mutex mu_;
  std::vector<Provider> providers_ ABSL_GUARDED_BY(mu_);
  std::vector<HostFacts> facts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, size_t> by_uuid_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, size_t> by_name_ ABSL_GUARDED_BY(mu_);
  absl::Time loaded_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by every reload
  // The join with the host states: which answer and which generation it was made for.
  std::shared_ptr<const HostStates> joined_states_ ABSL_GUARDED_BY(mu_);
  int64_t joined_generation_ ABSL_GUARDED_BY(mu_) = -1;
  std::vector<const HostState*> state_of_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::scheduler
