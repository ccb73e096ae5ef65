// The agent's view of placement (gureum-scheduler's Placement gRPC API): registering the
// host's resource provider with its inventories, and dropping an instance's allocation
// on this host when a build fails or the instance is deleted.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"

namespace gureum::compute_agent {

struct ProviderInventory {
  long long total = 0;
  long long reserved = 0;
};

class PlacementClient {
 public:
  virtual ~PlacementClient() = default;
  // Creates or replaces the provider `name` (uuid as given) with these inventories
  // (resource class -> amounts). Returns the provider's uuid.
  virtual absl::StatusOr<std::string> PutProvider(
      const std::string& uuid, const std::string& name,
      const std::map<std::string, ProviderInventory>& inventories) = 0;
  // Drops `consumer`'s allocations against provider `provider_name`. OK if none.
  virtual absl::Status DeleteAllocations(const std::string& consumer,
                                         const std::string& provider_name) = 0;
};

// The scheduler's Placement gRPC at `target`, called as the agent's service user (`token`
// null: no token, for a test host without [service_auth]; it must outlive this).
std::unique_ptr<PlacementClient> NewGrpcPlacementClient(const std::string& target,
                                                        auth::ServiceToken* token);

}  // namespace gureum::compute_agent
