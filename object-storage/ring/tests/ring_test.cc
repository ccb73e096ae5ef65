#include "object-storage/ring/ring.h"

#include <set>

#include <catch2/catch.hpp>

#include "object-storage/ring/ring_builder.h"

namespace gureum::object::ring {
namespace {

RingData SixDevices() {
  RingData ring = *NewRing(8, 3, "prefix");
  for (int zone = 1; zone <= 3; ++zone) {
    for (int k = 0; k < 2; ++k) {
      REQUIRE(AddDevice(ring, {-1, 1, zone, "10.0.0." + std::to_string(zone), 6200,
                               "d" + std::to_string(k), 100})
                  .ok());
    }
  }
  REQUIRE(Rebalance(ring).ok());
  return ring;
}

TEST_CASE("ring: a name's partition is the top bits of md5(prefix + path)", "[ring]") {
  RingData data = *NewRing(16, 3, "");
  Ring ring = *Ring::Create(data);
  // md5("/a/c/o") = 0x8ac2bf59...: the top 16 bits.
  CHECK(RingPath("a", "c", "o") == "/a/c/o");
  CHECK(RingPath("a", "", "") == "/a");
  CHECK(ring.Partition("a", "c", "o") == 0x8ac2);
  data.hash_prefix = "salt";
  Ring salted = *Ring::Create(data);
  CHECK(salted.Partition("a", "c", "o") != 0x8ac2);
  CHECK(salted.Partition("a", "c", "o") < salted.partition_count());
}

TEST_CASE("ring: primaries are the assignment, handoffs the rest in spread order", "[ring]") {
  Ring ring = *Ring::Create(SixDevices());
  for (uint32_t part = 0; part < ring.partition_count(); part += 17) {
    std::vector<const Device*> primaries = ring.Primaries(part);
    std::vector<const Device*> handoffs = ring.Handoffs(part);
    REQUIRE(primaries.size() == 3);
    REQUIRE(handoffs.size() == 3);
    std::set<int> ids;
    for (const Device* d : primaries) ids.insert(d->id);
    for (const Device* d : handoffs) ids.insert(d->id);
    CHECK(ids.size() == 6);  // no device twice
    // Every zone is used by a primary, so the first handoff is on another server (all
    // devices of a zone share one here): handoffs take the zones in turn.
    std::set<int> first_zones;
    for (const Device* d : handoffs) first_zones.insert(d->zone);
    CHECK(first_zones.size() == 3);
    // Deterministic.
    CHECK(ring.Handoffs(part) == handoffs);
  }
}

TEST_CASE("ring: the first handoff is in a zone no primary uses when there is one", "[ring]") {
  RingData data = SixDevices();
  REQUIRE(AddDevice(data, {-1, 1, 4, "10.0.0.4", 6200, "d0", 0}).ok());
  Ring ring = *Ring::Create(data);
  REQUIRE(ring.Handoffs(5).size() == 3);  // weight 0: not a handoff
  REQUIRE(SetWeight(data, 6, 1).ok());
  Ring with_zone4 = *Ring::Create(data);
  for (uint32_t part = 0; part < 20; ++part) {
    CHECK(with_zone4.Handoffs(part).front()->zone == 4);
  }
}

TEST_CASE("ring: Create refuses assignments that name unknown devices or repeat one", "[ring]") {
  RingData data = SixDevices();
  RingData bad = data;
  bad.assignment[1][3] = 99;
  CHECK(absl::IsInvalidArgument(Ring::Create(bad).status()));
  bad = data;
  bad.assignment[1][3] = bad.assignment[0][3];
  CHECK(absl::IsInvalidArgument(Ring::Create(bad).status()));
  bad = data;
  bad.assignment[2].pop_back();
  CHECK(absl::IsInvalidArgument(Ring::Create(bad).status()));
}

}  // namespace
}  // namespace gureum::object::ring
