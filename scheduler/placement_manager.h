// Placement's API logic, behind the gRPC adapter (placement_service.h) and the REST
// adapter: checks policy ("placement:read", "placement:write": admin or service by
// default), validates and normalises input, and calls the store.
//
// Validation (InvalidArgument with what to fix): a provider needs a name; uuids are
// canonical UUIDs (a new provider without one gets one); resource classes are VCPU,
// MEMORY_MB, DISK_GB or CUSTOM_[A-Z0-9_]+; total >= 0, 0 <= reserved <= total,
// min_unit <= max_unit, step_size >= 1, allocation_ratio >= 0 (0: the configured
// default of the class); traits are [A-Z0-9_]+.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/base/ids.h"
#include "common/policy/enforcer.h"
#include "scheduler/placement_store.h"
#include "scheduler/scheduler_options.h"

namespace gureum::scheduler {

// Default rules; operators override them in policy.yaml.
std::vector<policy::Rule> PlacementPolicyDefaults();

class PlacementManager {
 public:
  PlacementManager(PlacementStore& store, const policy::Enforcer& enforcer, IdGenerator& ids,
                   const SchedulerOptions& options)
      : store_(store), enforcer_(enforcer), ids_(ids), options_(options) {}

  absl::StatusOr<Provider> PutProvider(const Caller& caller, Provider provider);
  absl::StatusOr<Provider> GetProvider(const Caller& caller, const std::string& uuid,
                                       const std::string& name);
  absl::StatusOr<std::vector<Provider>> ListProviders(const Caller& caller,
                                                      const std::string& name);
  absl::Status DeleteProvider(const Caller& caller, const std::string& uuid);
  absl::StatusOr<ConsumerAllocations> GetAllocations(const Caller& caller,
                                                     const std::string& consumer);
  // provider given by uuid or, when that is empty, by name.
  absl::Status DeleteAllocations(const Caller& caller, const std::string& consumer,
                                 const std::string& provider_uuid,
                                 const std::string& provider_name);
  absl::Status MoveAllocations(const Caller& caller, const std::string& from, const std::string& to,
                               const std::string& provider_uuid);

 private:
  absl::Status Validate(Provider& provider);

  PlacementStore& store_;
  const policy::Enforcer& enforcer_;
  IdGenerator& ids_;
  const SchedulerOptions options_;
};

}  // namespace gureum::scheduler
