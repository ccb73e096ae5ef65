// Persistence for placement: resource providers, inventories, traits, consumers, their
// allocations and server-group membership. A PostgreSQL implementation
// (pg_placement_store.h) and an in-memory fake (fake_placement_store.h) share one
// contract, checked by tests/store_contract_test.cc against both.
//
// Contract, for every implementation:
// - Inventories are stored as given (the manager validates and normalises them first);
//   each inventory carries `used`, the sum of the allocations against it, updated in the
//   same transaction as every allocation change, so usage reads never sum allocations.
// - Claim is atomic: either every resource class of the request fits on the provider,
//   used + amount <= (total - reserved) x allocation_ratio and the unit rules hold, and
//   the allocation is written, or nothing changes. Concurrent claims (threads or
//   processes) never overcommit: the check and the increment are one conditional UPDATE
//   under the inventory rows' locks. Hard server-group policies are checked under a
//   per-group lock in the same transaction, so two members of an anti-affinity group
//   never land together however they race.
//   Errors: NotFound (provider), ResourceExhausted (does not fit, or a resource class the
//   provider has no inventory of), FailedPrecondition (server-group policy violated).
// - A consumer with no allocations left is forgotten (with its group membership).
// - DeleteProvider refuses (FailedPrecondition) while allocations exist against it.
// Thread safety: implementations are thread-safe. Blocking: the PostgreSQL one blocks on
// the network.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scheduler/model.h"

namespace gureum::scheduler {

class PlacementStore {
 public:
  virtual ~PlacementStore() = default;

  // Creates the provider named provider.name (with provider.uuid) or, when the name
  // exists, replaces its inventories and traits and bumps its generation; the stored
  // uuid wins over the given one. AlreadyExists if the uuid belongs to another name;
  // FailedPrecondition if an inventory that is in use would be removed.
  virtual absl::StatusOr<Provider> PutProvider(const Provider& provider) = 0;
  // By uuid, or by name when uuid is empty. NotFound.
  virtual absl::StatusOr<Provider> GetProvider(const std::string& uuid,
                                               const std::string& name) = 0;
  // All providers (with usages), sorted by name; `name` filters when not empty.
  virtual absl::StatusOr<std::vector<Provider>> ListProviders(const std::string& name) = 0;
  virtual absl::Status DeleteProvider(const std::string& uuid) = 0;

  // The consumer's allocations; an unknown consumer has none (generation 0), not NotFound.
  virtual absl::StatusOr<ConsumerAllocations> GetAllocations(const std::string& consumer) = 0;
  // Drops the consumer's allocations (only those against provider_uuid when not empty).
  // Dropping nothing is OK.
  virtual absl::Status DeleteAllocations(const std::string& consumer,
                                         const std::string& provider_uuid) = 0;
  // Moves allocations (only those against provider_uuid when not empty) from one
  // consumer to another, adding to what the target holds on the same provider.
  virtual absl::Status MoveAllocations(const std::string& from, const std::string& to,
                                       const std::string& provider_uuid) = 0;

  // See the header comment.
  virtual absl::StatusOr<ClaimResult> Claim(const ClaimRequest& request) = 0;
  // Gives back `resources` of a claim on provider_uuid (the cast after a claim failed);
  // never below zero.
  virtual absl::Status Unclaim(const std::string& consumer, const std::string& provider_uuid,
                               const Resources& resources) = 0;

  // Members of the server group per provider uuid.
  virtual absl::StatusOr<std::map<std::string, int>> GroupMembers(
      const std::string& group_uuid) = 0;
};

}  // namespace gureum::scheduler
