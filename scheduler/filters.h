// The scheduler's filters and weighers, as Nova's FilterScheduler runs them, over the
// in-memory view of hosts (placement providers with usages, plus compute-api's host
// states). Pure functions: no I/O, no locks; the caller holds the snapshot.
//
// Filters, in order (each named in the "no valid host" details):
//   ComputeFilter        enabled and up (a provider compute-api does not know is down)
//   HostFilter           requested host; ignore_hosts and, for moves, the source host
//   AvailabilityZoneFilter  the requested zone (a host without one is in the default)
//   PlacementFilter      every requested resource fits: free = (total - reserved) x ratio
//                        - used, and min_unit/max_unit/step_size
//   AggregateInstanceExtraSpecsFilter  flavor extra specs (unscoped or
//                        "aggregate_instance_extra_specs:") against aggregate metadata,
//                        with Nova's operators (=, ==, !=, >=, <=, s==, <in>, <or> ...)
//   ImagePropertiesFilter  image architecture / hw_architecture against the host's
//                        HW_ARCH_* traits, hypervisor_type / img_hv_type against the
//                        host's hypervisor type (kvm hosts also run qemu images),
//                        vm_mode / hw_vm_mode (hvm only)
//   ServerGroupAntiAffinityFilter / ServerGroupAffinityFilter  hard group policies
// Weighers (normalised to [0, 1] over the candidates, times their multiplier, summed):
//   RAMWeigher, CPUWeigher, DiskWeigher (free amounts; positive spreads, negative stacks),
//   ServerGroupSoftAffinityWeigher, ServerGroupSoftAntiAffinityWeigher.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/host_state_source.h"
#include "scheduler/model.h"
#include "scheduler/scheduler_options.h"

#include "compute_casts.pb.h"

namespace gureum::scheduler {

// What one request asks for, derived once from the ScheduleRequest.
struct RequestSpec {
  std::string instance_uuid;
  Resources resources;
  std::string availability_zone;
  std::string requested_host;
  std::set<std::string> excluded_hosts;
  std::map<std::string, std::string> extra_specs;
  std::map<std::string, std::string> image_properties;
  std::optional<GroupPolicy> group;
  std::map<std::string, int> group_members;  // provider uuid -> members, this one excluded
};

// Per-provider numbers the filters and weighers read on every decision, computed once
// when the provider is loaded and kept current as claims are added (ProviderCache), so a
// decision over 1,000 hosts does arithmetic instead of map lookups.
struct HostFacts {
  int64_t free[3] = {0, 0, 0};  // VCPU, MEMORY_MB, DISK_GB: capacity - used
  int64_t min_unit[3] = {1, 1, 1};
  int64_t max_unit[3] = {0, 0, 0};
  int64_t step[3] = {1, 1, 1};
  bool has[3] = {false, false, false};
  std::vector<std::string> archs;  // canonical names from the HW_ARCH_* traits
};
HostFacts ComputeFacts(const Provider& provider);
// 0, 1, 2 for VCPU, MEMORY_MB, DISK_GB; -1 for other classes.
int StandardClassIndex(const std::string& resource_class);

struct Candidate {
  const Provider* provider = nullptr;
  const HostState* state = nullptr;  // null: compute-api does not know the host
  const HostFacts* facts = nullptr;
  int index = 0;  // position in the name-sorted provider list: the tie-breaker
  double weight = 0;
};

// How many hosts each filter let through, for the admin-only fault details.
struct FilterReport {
  int start = 0;
  std::vector<std::pair<std::string, int>> steps;
  // "Filter results: ['ComputeFilter: (start: 20, end: 18)', ...]"
  std::string Describe() const;
};

// VCPU, MEMORY_MB and DISK_GB of a flavor (root + ephemeral + swap rounded up to GB).
Resources ResourcesFromFlavor(const gureum::compute::v1::Flavor& flavor);

// Nova's extra_specs_ops.match: whether `value` (an aggregate's) satisfies `requirement`.
bool MatchExtraSpec(const std::string& value, const std::string& requirement);

std::vector<Candidate> RunFilters(const RequestSpec& spec, const HostStates& states,
                                  std::vector<Candidate> hosts, FilterReport* report);

// Sets each candidate's weight and sorts best first (ties by host name, i.e. index);
// only the first `limit` are guaranteed in order.
void Weigh(const RequestSpec& spec, const SchedulerOptions& options,
           std::vector<Candidate>& candidates, size_t limit = static_cast<size_t>(-1));

}  // namespace gureum::scheduler
