// The scheduler's in-memory copy of every resource provider with its usages, so that a
// decision filters and weighs 1,000 hosts without a query. The copy is a hint: claims
// are checked by the database (PlacementStore::Claim), and a claim that loses a race
// refreshes the one provider it lost on. Own claims are added to the copy at once;
// the whole copy is reloaded when older than max_age (other schedulers' claims, new
// hosts, inventory changes). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "scheduler/placement_store.h"

namespace gureum::scheduler {

class ProviderCache {
 public:
  ProviderCache(PlacementStore& store, const Clock& clock, absl::Duration max_age)
      : store_(store), clock_(clock), max_age_(max_age) {}

  // Runs `fn` over the providers under a read lock, reloading them first when stale
  // (the error of a failed first load is returned; later failures keep the old copy).
  absl::Status Read(const std::function<void(const std::vector<Provider>&)>& fn);
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

  PlacementStore& store_;
  const Clock& clock_;
  const absl::Duration max_age_;
  absl::Mutex load_mu_;  // one reload at a time
  absl::Mutex mu_;
  std::vector<Provider> providers_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, size_t> by_uuid_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, size_t> by_name_ ABSL_GUARDED_BY(mu_);
  absl::Time loaded_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gureum::scheduler
