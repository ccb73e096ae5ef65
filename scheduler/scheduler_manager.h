// The scheduler proper: one ScheduleRequest in, a claim and a BuildInstance cast out
// (or an InstanceUpdate to the conductor when no host fits).
//
//  1. attempt > max_attempts: the instance has had its tries; no valid host.
//  2. On a reschedule (attempt > 1) the alternates named in the request are tried
//     first; the host of the failed attempt (the consumer's earlier claim) is excluded.
//  3. Filters and weighers (filters.h) run over the in-memory providers
//     (ProviderCache) and compute-api's host states (HostStateCache); host_subset_size
//     picks at random among the best.
//  4. The claim is taken in the database (PlacementStore::Claim): if it loses a race to
//     another scheduler, that host is reloaded and the next best tried; after
//     claim_tries, everything is reloaded and the decision made again (3 rounds).
//  5. BuildInstance (with `alternates` more hosts, best first) is cast to
//     compute.<host>; if the cast fails the claim is given back and the error returned,
//     so the consumer redelivers the request.
//
// Idempotent by (task_id, attempt): a redelivered request whose claim exists casts the
// same build again and claims nothing. Moves: RESIZE claims the new flavor on the
// destination and keeps the source allocation (same host only with allow_same_host),
// MIGRATE the same flavor on another host, EVACUATE drops the source allocation.
//
// Thread-safe: the consumer threads share one Scheduler.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "scheduler/filters.h"
#include "scheduler/host_state_source.h"
#include "scheduler/placement_store.h"
#include "scheduler/provider_cache.h"
#include "scheduler/scheduler_options.h"

#include "compute_casts.pb.h"

namespace gureum::scheduler {

inline constexpr char kSchedulerQueue[] = "scheduler";
inline constexpr char kNoValidHost[] =
    "No valid host was found. There are not enough hosts available.";

// The outcome of one request, for tests and the benchmark.
struct Outcome {
  bool placed = false;
  bool already_claimed = false;
  std::string host;
  std::string node;
  std::vector<std::string> alternates;
  std::string fault_details;  // when not placed
};

class Scheduler {
 public:
  // Collaborators must outlive the Scheduler.
  Scheduler(PlacementStore& store, HostStateSource& hosts, amqp::Bus& bus, const Clock& clock,
            SchedulerOptions options);

  // Handles one request (see the header comment). An error means "try again later"
  // (database or broker unavailable); a request that cannot be placed is not an error.
  absl::StatusOr<Outcome> Schedule(const gureum::compute::v1::ScheduleRequest& request);

  // Forces the next decision to reload providers and host states.
  absl::Status Refresh();

  const SchedulerOptions& options() const { return options_; }

 private:
  struct Ranked {
    std::string uuid;
    std::string name;
  };

  // One request's decision, shared by the pieces of Schedule.
  struct Decision {
    const gureum::compute::v1::ScheduleRequest& request;
    std::string key;   // the claim key of this attempt
    std::string keep;  // the provider of a move's source, which keeps its allocation
    // Allocations a new claim releases (the failed attempt's), to take out of the copy.
    std::vector<ProviderAllocation> released;
    RequestSpec spec;
    int attempt() const { return std::max(1, request.attempt()); }
  };

  // The pieces of Schedule, in order. Refuse: the outcome of a request that is not
  // placed at all (no uuid, no flavor, out of attempts), or nullopt.
  std::optional<absl::StatusOr<Outcome>> Refuse(
      const gureum::compute::v1::ScheduleRequest& request);
  absl::StatusOr<std::string> KeptProvider(const gureum::compute::v1::ScheduleRequest& request);
  // The hosts of the failed attempt ("a,b,"), whose allocations go to d.released.
  absl::StatusOr<std::string> FailedAttemptHosts(Decision& d);
  // The claim on `host`, or nullopt when it lost a race or the host is gone.
  absl::StatusOr<std::optional<ClaimResult>> TryClaim(const Decision& d, const Ranked& host);
  // The outcome once a host is claimed and the build cast, or nullopt.
  absl::StatusOr<std::optional<Outcome>> TryAlternates(const Decision& d);
  absl::StatusOr<std::optional<Outcome>> TryBest(const Decision& d, FilterReport& report,
                                                 bool& had_candidates);
  absl::StatusOr<Outcome> NothingFits(const Decision& d, const FilterReport& report,
                                      bool had_candidates);
  absl::StatusOr<RequestSpec> BuildSpec(const gureum::compute::v1::ScheduleRequest& request,
                                        const std::string& failed_host);
  // Filters and weighs; returns the hosts best first (at most `limit`).
  absl::StatusOr<std::vector<Ranked>> Rank(const RequestSpec& spec, size_t limit,
                                           FilterReport* report);
  absl::StatusOr<Outcome> Cast(const gureum::compute::v1::ScheduleRequest& request,
                               const ClaimResult& claim, const Resources& resources,
                               std::vector<std::string> alternates);
  absl::StatusOr<Outcome> Fail(const gureum::compute::v1::ScheduleRequest& request,
                               const std::string& message, const std::string& details);
  ClaimRequest MakeClaim(const gureum::compute::v1::ScheduleRequest& request,
                         const RequestSpec& spec, const std::string& provider_uuid) const;
  size_t Pick(size_t n);

  PlacementStore& store_;
  amqp::Bus& bus_;
  const Clock& clock_;
  const SchedulerOptions options_;
  HostStateCache host_states_;
  ProviderCache providers_;
  absl::Mutex rng_mu_;
  uint64_t rng_state_ ABSL_GUARDED_BY(rng_mu_) = 0x9E3779B97F4A7C15ull;
};

}  // namespace gureum::scheduler
