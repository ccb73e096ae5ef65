#include "object-storage/ring/ring_builder.h"

#include <map>
#include <set>

#include <catch2/catch.hpp>

namespace gureum::object::ring {
namespace {

std::map<int, int> Counts(const RingData& ring) {
  std::map<int, int> out;
  for (const auto& row : ring.assignment) {
    for (int32_t id : row) ++out[id];
  }
  return out;
}

int Add(RingData& ring, int zone, const std::string& ip, const std::string& dev, double weight) {
  absl::StatusOr<int> id = AddDevice(ring, {-1, 1, zone, ip, 6200, dev, weight});
  REQUIRE(id.ok());
  return *id;
}

// Every partition's replicas are in distinct zones.
bool ZonesApart(const RingData& data) {
  Ring ring = *Ring::Create(data);
  for (uint32_t p = 0; p < ring.partition_count(); ++p) {
    std::set<int> zones;
    for (const Device* d : ring.Primaries(p)) zones.insert(d->zone);
    if (zones.size() != static_cast<size_t>(data.replicas)) return false;
  }
  return true;
}

TEST_CASE("ring builder: shares follow the weights, replicas stay in distinct zones", "[ring]") {
  RingData ring = *NewRing(8, 3, "p");
  // Three zones of equal total weight, devices of different weights inside them.
  int a = Add(ring, 1, "10.0.0.1", "a", 100);
  int b = Add(ring, 1, "10.0.0.1", "b", 300);
  int c = Add(ring, 2, "10.0.0.2", "c", 400);
  int d = Add(ring, 3, "10.0.0.3", "d", 200);
  int e = Add(ring, 3, "10.0.0.3", "e", 200);
  absl::StatusOr<RebalanceResult> result = Rebalance(ring);
  REQUIRE(result.ok());
  CHECK(result->moved == 768);
  CHECK(result->max_deviation == 0);
  CHECK(ring.version == 1);
  std::map<int, int> counts = Counts(ring);
  CHECK(counts[a] == 64);
  CHECK(counts[b] == 192);
  CHECK(counts[c] == 256);
  CHECK(counts[d] == 128);
  CHECK(counts[e] == 128);
  CHECK(ZonesApart(ring));
}

TEST_CASE("ring builder: spread wins over weight when one zone is heavier than its share",
          "[ring]") {
  RingData ring = *NewRing(6, 3, "p");
  int big = Add(ring, 1, "10.0.0.1", "a", 1000);
  Add(ring, 2, "10.0.0.2", "b", 100);
  Add(ring, 3, "10.0.0.3", "c", 100);
  Add(ring, 4, "10.0.0.4", "d", 100);
  REQUIRE(Rebalance(ring).ok());
  CHECK(Counts(ring)[big] == 64);  // one replica of every partition, not more
  CHECK(ZonesApart(ring));
  std::map<int, int> counts = Counts(ring);
  for (int id = 1; id <= 3; ++id) CHECK(std::abs(counts[id] - 128 / 3.0) <= 1);  // the rest
}

TEST_CASE("ring builder: adding a device moves only its share", "[ring]") {
  RingData ring = *NewRing(10, 3, "p");
  for (int zone = 1; zone <= 3; ++zone) {
    Add(ring, zone, "10.0.0." + std::to_string(zone), "a", 100);
    Add(ring, zone, "10.0.0." + std::to_string(zone), "b", 100);
  }
  REQUIRE(Rebalance(ring).ok());
  const RingData before = ring;
  // A fourth zone: 3 * 1024 * 100 / 700 = 439 partition replicas move to it, no others.
  int added = Add(ring, 4, "10.0.0.4", "a", 100);
  absl::StatusOr<RebalanceResult> result = Rebalance(ring);
  REQUIRE(result.ok());
  CHECK(Counts(ring)[added] == TargetCounts(ring)[added]);
  CHECK(result->moved == Counts(ring)[added]);
  CHECK(result->max_deviation == 0);
  CHECK(ZonesApart(ring));
  // A device in an existing zone: its own share moves, plus at most a few more when a
  // partition must change zones to let it in.
  int same_zone = Add(ring, 1, "10.0.0.1", "c", 100);
  result = Rebalance(ring);
  REQUIRE(result.ok());
  const int share = Counts(ring)[same_zone];
  CHECK(share == TargetCounts(ring)[same_zone]);
  CHECK(result->moved <= share + share / 10);
  CHECK(ZonesApart(ring));
  // Rebalancing again without a change moves nothing.
  result = Rebalance(ring);
  REQUIRE(result.ok());
  CHECK(result->moved == 0);
  (void)before;
}

TEST_CASE("ring builder: a removed device's partitions go elsewhere and it leaves the ring",
          "[ring]") {
  RingData ring = *NewRing(8, 3, "p");
  for (int zone = 1; zone <= 3; ++zone) {
    Add(ring, zone, "10.0.0." + std::to_string(zone), "a", 100);
    Add(ring, zone, "10.0.0." + std::to_string(zone), "b", 100);
  }
  REQUIRE(Rebalance(ring).ok());
  const int held = Counts(ring)[0];
  REQUIRE(RemoveDevice(ring, 0).ok());
  absl::StatusOr<RebalanceResult> result = Rebalance(ring);
  REQUIRE(result.ok());
  CHECK(result->moved == held);
  CHECK(Counts(ring).count(0) == 0);
  CHECK(ring.devices.size() == 5);
  CHECK(ZonesApart(ring));
  CHECK(absl::IsNotFound(RemoveDevice(ring, 0)));
}

TEST_CASE("ring builder: fewer zones than replicas, and too few devices", "[ring]") {
  RingData ring = *NewRing(6, 3, "p");
  Add(ring, 1, "10.0.0.1", "a", 100);
  Add(ring, 1, "10.0.0.1", "b", 100);
  CHECK(absl::IsFailedPrecondition(Rebalance(ring).status()));
  Add(ring, 2, "10.0.0.2", "a", 100);
  REQUIRE(Rebalance(ring).ok());
  CHECK(Ring::Create(ring).ok());  // three distinct devices per partition
  // Zone 1 never holds all three replicas of a partition.
  Ring r = *Ring::Create(ring);
  for (uint32_t p = 0; p < r.partition_count(); ++p) {
    int in_zone1 = 0;
    for (const Device* d : r.Primaries(p)) in_zone1 += d->zone == 1;
    CHECK(in_zone1 <= 2);
  }
}

TEST_CASE("ring builder: device validation", "[ring]") {
  RingData ring = *NewRing(4, 1, "p");
  CHECK(absl::IsInvalidArgument(AddDevice(ring, {-1, 1, 1, "10.0.0.1", 6200, "", 1}).status()));
  CHECK(absl::IsInvalidArgument(AddDevice(ring, {-1, 1, 1, "10.0.0.1", 6200, "a", -1}).status()));
  CHECK(*AddDevice(ring, {-1, 1, 1, "10.0.0.1", 6200, "a", 1}) == 0);
  CHECK(absl::IsInvalidArgument(AddDevice(ring, {-1, 1, 1, "10.0.0.1", 6200, "a", 1}).status()));
  CHECK(*AddDevice(ring, {-1, 1, 1, "10.0.0.1", 6200, "b", 1}) == 1);
  CHECK(absl::IsInvalidArgument(NewRing(25, 3, "p").status()));
  CHECK(absl::IsInvalidArgument(NewRing(8, 0, "p").status()));
}

}  // namespace
}  // namespace gureum::object::ring
