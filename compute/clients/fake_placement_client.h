// PlacementClient in memory for tests: providers set by the test, the last PutProvider's
// inventories and the dropped allocations recorded, with fault injection. Thread-safe.
// (Test-only target compute_clients_fake.)
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "compute/clients/placement_client.h"

namespace gureum::compute {

class FakePlacementClient final : public PlacementClient {
 public:
  absl::StatusOr<std::vector<ProviderUsage>> ListProviders() override;
  absl::StatusOr<std::string> PutProvider(
      const std::string& uuid, const std::string& name,
      const std::map<std::string, ProviderInventory>& inventories) override;
  absl::Status DeleteAllocations(const std::string& consumer,
                                 const std::string& provider_name) override;

  // What ListProviders answers.
  void SetProviders(std::vector<ProviderUsage> providers);
  // The next call (of any method) returns `status` and does nothing.
  void FailNext(absl::Status status);
  // The inventories of the last PutProvider.
  std::map<std::string, ProviderInventory> inventories();
  // The dropped allocations in order: "consumer", or "consumer@provider" for one provider's.
  std::vector<std::string> deleted();

 private:
  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::vector<ProviderUsage> providers_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ProviderInventory> inventories_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> deleted_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::compute
