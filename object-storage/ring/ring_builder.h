// The ring builder: the operator's changes to a ring (devices added, reweighted, removed)
// and the rebalance that turns them into a new assignment of partitions to devices.
//
// Rebalance gives every device a share of the partition replicas in proportion to its
// weight, never puts two replicas of a partition in one zone (region + zone) while another
// zone has room (spread wins over weight when the two disagree, as in Swift), and keeps
// every existing assignment that stays valid, so only the shares that must move do.
// Pure functions on RingData: no I/O, deterministic.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "object-storage/ring/ring.h"

namespace gureum::object::ring {

// A new ring without devices. InvalidArgument for a part_power outside 0..24 or fewer
// than one replica.
absl::StatusOr<RingData> NewRing(int part_power, int replicas, std::string hash_prefix);

// Adds `device` (its id is ignored: the next free one is given and returned).
// InvalidArgument for a negative weight, an empty device name or an ip/port/device that
// the ring already has.
absl::StatusOr<int> AddDevice(RingData& ring, Device device);

// Sets a device's weight (0 drains it). NotFound for an unknown id.
absl::Status SetWeight(RingData& ring, int id, double weight);

// Marks a device for removal: weight 0 now; the next rebalance moves its partitions away
// and drops it from the ring. NotFound for an unknown id.
absl::Status RemoveDevice(RingData& ring, int id);

struct RebalanceResult {
  int moved = 0;             // partition replicas now on another device than before
  double max_deviation = 0;  // largest |count - ideal| / ideal over the devices, in percent
};

// Reassigns the partitions (see the header comment), increments the version and drops
// devices of weight 0. FailedPrecondition when fewer devices have weight than replicas.
absl::StatusOr<RebalanceResult> Rebalance(RingData& ring);

// The number of partition replicas each device should hold (by id), from weights and
// zones: what Rebalance aims at. Exposed for tests and `ring show`.
absl::flat_hash_map<int, int> TargetCounts(const RingData& ring);

}  // namespace gureum::object::ring
