// compute's client of placement (gureum-scheduler's Placement gRPC API, port 18778), always
// as compute's service user: the agent registers its host's resource provider and drops an
// instance's allocation on its host when a build fails or the instance goes; compute-api
// reads hypervisor usage for os-hypervisors and drops the allocations of instances deleted
// before they reached a host. NewGrpcPlacementClient is the real one; FakePlacementClient
// (fake_placement_client.h) serves tests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"

namespace gureum::compute {

// One resource class's amounts on a provider.
struct ProviderInventory {
  int64_t total = 0;
  int64_t reserved = 0;
  // Overcommit. In PutProvider 0 means the scheduler's configured ratio for the class; in
  // ListProviders it is the ratio in force.
  double allocation_ratio = 0;
};

// A resource provider (a compute host) with what it holds and what is used of it.
struct ProviderUsage {
  std::string uuid;
  std::string name;                                      // the compute host
  std::map<std::string, ProviderInventory> inventories;  // VCPU, MEMORY_MB, DISK_GB
  std::map<std::string, int64_t> usages;
};

// Thread-safe.
class PlacementClient {
 public:
  virtual ~PlacementClient() = default;
  // Every provider with its inventories and usage.
  virtual absl::StatusOr<std::vector<ProviderUsage>> ListProviders() = 0;
  // Creates or replaces the provider `name` (uuid as given) with these inventories
  // (resource class -> amounts). Returns the provider's uuid.
  virtual absl::StatusOr<std::string> PutProvider(
      const std::string& uuid, const std::string& name,
      const std::map<std::string, ProviderInventory>& inventories) = 0;
  // Drops `consumer`'s allocations against the provider `provider_name`, or against every
  // provider when it is "". Idempotent: dropping nothing is OK.
  virtual absl::Status DeleteAllocations(const std::string& consumer,
                                         const std::string& provider_name) = 0;
};

// gureum.scheduler.v1.Placement at options.target, as options.service_token's user.
std::unique_ptr<PlacementClient> NewGrpcPlacementClient(const GrpcClientOptions& options);

}  // namespace gureum::compute
