// The records placement keeps: resource providers (one per compute host) with their
// inventories and traits, and the allocations consumers (instances, migrations) hold
// against them. Plain values, shared by the stores, the managers and the adapters.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gureum::scheduler {

inline constexpr char kVcpu[] = "VCPU";
inline constexpr char kMemoryMb[] = "MEMORY_MB";
inline constexpr char kDiskGb[] = "DISK_GB";

// Resource class -> amount (requested, allocated or used).
using Resources = std::map<std::string, int64_t>;

struct Inventory {
  std::string resource_class;
  int64_t total = 0;
  int64_t reserved = 0;
  int64_t min_unit = 1;
  int64_t max_unit = 0;  // normalised to total by the manager when 0
  int64_t step_size = 1;
  double allocation_ratio = 1.0;

  // What may be allocated in all: (total - reserved) x ratio, as Placement computes it.
  int64_t Capacity() const {
    return static_cast<int64_t>(
        std::floor(static_cast<double>(total - reserved) * allocation_ratio));
  }
  // Whether one allocation of `amount` respects min_unit, max_unit and step_size.
  bool UnitFits(int64_t amount) const {
    return amount >= min_unit && amount <= max_unit && step_size > 0 && amount % step_size == 0;
  }
};

struct Provider {
  std::string uuid;
  std::string name;  // the compute host's name
  int64_t generation = 0;
  std::map<std::string, Inventory> inventories;  // by resource class
  std::vector<std::string> traits;               // sorted
  Resources usages;                              // read only: the sum of allocations
};

struct ProviderAllocation {
  std::string provider_uuid;
  std::string provider_name;
  Resources resources;
};

struct ConsumerAllocations {
  std::string consumer_uuid;
  std::string project_id;
  std::string user_id;
  int64_t generation = 0;  // 0: the consumer holds nothing
  std::string claim_key;   // the scheduling task (and attempt) that took the last claim
  std::vector<ProviderAllocation> allocations;  // sorted by provider name
};

// A server group as the scheduler sees it in a request.
struct GroupPolicy {
  std::string uuid;
  std::string policy;    // affinity | anti-affinity | soft-affinity | soft-anti-affinity
  int max_per_host = 1;  // anti-affinity rule max_server_per_host
  bool hard() const { return policy == "affinity" || policy == "anti-affinity"; }
};

// One claim: `resources` for `consumer_uuid` against `provider_uuid`, taken atomically.
struct ClaimRequest {
  std::string consumer_uuid;
  std::string project_id;
  std::string user_id;
  std::string provider_uuid;
  Resources resources;
  // Idempotency key (task id and attempt): when the consumer's last claim carries the
  // same key and it still holds allocations, Claim takes nothing and reports them.
  std::string claim_key;
  // Allocations the consumer holds against this provider stay (a move's source host);
  // every other allocation it holds is released in the same transaction.
  std::string keep_provider_uuid;
  std::optional<GroupPolicy> group;
};

struct ClaimResult {
  bool already_claimed = false;  // an earlier delivery of the same task took it
  std::string provider_uuid;
  std::string provider_name;
};

}  // namespace gureum::scheduler
