// What compute-api asks of the scheduler's Placement gRPC API (port 18778): hypervisor
// usage for os-hypervisors, and dropping the allocations of instances deleted before they
// reached a host. Calls carry compute-api's service token (common/auth/service_token.h).
// GrpcPlacementClient is the real one; FakePlacementClient records calls for tests.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gureum::auth {
class ServiceToken;
}

namespace gureum::compute {

struct ProviderInventory {
  int64_t total = 0;
  int64_t reserved = 0;
  double allocation_ratio = 1.0;
};

struct ProviderUsage {
  std::string uuid;
  std::string name;                                      // the compute host
  std::map<std::string, ProviderInventory> inventories;  // VCPU, MEMORY_MB, DISK_GB
  std::map<std::string, int64_t> usages;
};

class PlacementClient {
 public:
  virtual ~PlacementClient() = default;
  virtual absl::StatusOr<std::vector<ProviderUsage>> ListProviders() = 0;
  // Idempotent: dropping nothing is OK.
  virtual absl::Status DeleteAllocations(const std::string& consumer_uuid) = 0;
};

// `target` is host:port; `token` supplies the service token and must outlive the client.
std::unique_ptr<PlacementClient> NewGrpcPlacementClient(const std::string& target,
                                                        auth::ServiceToken& token);

class FakePlacementClient final : public PlacementClient {
 public:
  absl::StatusOr<std::vector<ProviderUsage>> ListProviders() override {
    absl::MutexLock lock(&mu_);
    return providers_;
  }
  absl::Status DeleteAllocations(const std::string& consumer) override {
    absl::MutexLock lock(&mu_);
    deleted_.push_back(consumer);
    return absl::OkStatus();
  }
  void SetProviders(std::vector<ProviderUsage> p) {
    absl::MutexLock lock(&mu_);
    providers_ = std::move(p);
  }
  std::vector<std::string> deleted() {
    absl::MutexLock lock(&mu_);
    return deleted_;
  }

 private:
  absl::Mutex mu_;
  std::vector<ProviderUsage> providers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> deleted_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::compute
