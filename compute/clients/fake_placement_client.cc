#include "compute/clients/fake_placement_client.h"

namespace gureum::compute {

absl::Status FakePlacementClient::TakeFailure() {
  if (failures_.empty()) return absl::OkStatus();
  absl::Status s = failures_.front();
  failures_.pop_front();
  return s;
}

absl::StatusOr<std::vector<ProviderUsage>> FakePlacementClient::ListProviders() {
  absl::MutexLock l(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  return providers_;
}

absl::StatusOr<std::string> FakePlacementClient::PutProvider(
    const std::string& uuid, const std::string&,
    const std::map<std::string, ProviderInventory>& inventories) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  inventories_ = inventories;
  return uuid;
}

absl::Status FakePlacementClient::DeleteAllocations(const std::string& consumer,
                                                    const std::string& provider_name) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  deleted_.push_back(provider_name.empty() ? consumer : consumer + "@" + provider_name);
  return absl::OkStatus();
}

void FakePlacementClient::SetProviders(std::vector<ProviderUsage> providers) {
  absl::MutexLock l(&mu_);
  providers_ = std::move(providers);
}

void FakePlacementClient::FailNext(absl::Status status) {
  absl::MutexLock l(&mu_);
  failures_.push_back(std::move(status));
}

std::map<std::string, ProviderInventory> FakePlacementClient::inventories() {
  absl::MutexLock l(&mu_);
  return inventories_;
}

std::vector<std::string> FakePlacementClient::deleted() {
  absl::MutexLock l(&mu_);
  return deleted_;
}

}  // namespace gureum::compute
