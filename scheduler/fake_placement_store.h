// An in-memory PlacementStore for unit tests, held to the same contract as the
// PostgreSQL store by tests/store_contract_test.cc. Fault injection: FailNext(status)
// makes the next call return `status` and change nothing. Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "scheduler/placement_store.h"

namespace gureum::scheduler {

class FakePlacementStore final : public PlacementStore {
 public:
  absl::StatusOr<Provider> PutProvider(const Provider& provider) override;
  absl::StatusOr<Provider> GetProvider(const std::string& uuid, const std::string& name) override;
  absl::StatusOr<std::vector<Provider>> ListProviders(const std::string& name) override;
  absl::Status DeleteProvider(const std::string& uuid) override;
  absl::StatusOr<ConsumerAllocations> GetAllocations(const std::string& consumer) override;
  absl::Status DeleteAllocations(const std::string& consumer,
                                 const std::string& provider_uuid) override;
  absl::Status MoveAllocations(const std::string& from, const std::string& to,
                               const std::string& provider_uuid) override;
  absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request) override;
  absl::Status Unclaim(const std::string& consumer, const std::string& provider_uuid,
                       const Resources& resources) override;
  absl::StatusOr<std::map<std::string, int>> GroupMembers(const std::string& group_uuid) override;

  void FailNext(absl::Status status);
  int claims() const;  // successful Claim calls that took resources

 private:
  struct Consumer {
    std::string project_id;
    std::string user_id;
    int64_t generation = 1;
    std::string claim_key;
    std::map<std::string, Resources> allocations;  // provider uuid -> resources
    std::map<std::string, std::string> groups;     // group uuid -> provider uuid
  };

  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Provider* FindLocked(const std::string& uuid) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Provider WithUsagesLocked(const Provider& p) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ForgetIfEmptyLocked(const std::string& consumer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckGroupLocked(const ClaimRequest& request) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Provider> providers_ ABSL_GUARDED_BY(mu_);  // by uuid
  std::map<std::string, Consumer> consumers_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  int claims_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gureum::scheduler
