#include "object-storage/ring/ring_file.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/testing/test_env.h"
#include "object-storage/ring/ring_builder.h"

namespace gureum::object::ring {
namespace {

TEST_CASE("ring file: written atomically, read back the same", "[ring]") {
  const auto dir = std::filesystem::temp_directory_path() / testing::UniqueName("ring");
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "object.ring").string();
  CHECK(absl::IsNotFound(ReadRingFile(path).status()));

  RingData ring = *NewRing(6, 2, "secret");
  REQUIRE(AddDevice(ring, {-1, 2, 3, "127.0.0.2", 6201, "sdb", 50.5}).ok());
  REQUIRE(AddDevice(ring, {-1, 1, 1, "127.0.0.3", 6202, "sdc", 100}).ok());
  REQUIRE(Rebalance(ring).ok());
  REQUIRE(WriteRingFile(path, ring).ok());
  absl::StatusOr<RingData> back = ReadRingFile(path);
  REQUIRE(back.ok());
  CHECK(back->version == 1);
  CHECK(back->part_power == 6);
  CHECK(back->replicas == 2);
  CHECK(back->hash_prefix == "secret");
  REQUIRE(back->devices.size() == 2);
  CHECK(back->devices[0].region == 2);
  CHECK(back->devices[0].zone == 3);
  CHECK(back->devices[0].ip == "127.0.0.2");
  CHECK(back->devices[0].port == 6201);
  CHECK(back->devices[0].device == "sdb");
  CHECK(back->devices[0].weight == 50.5);
  CHECK(back->assignment == ring.assignment);
  // Only the ring itself is left in the directory (no temporary file).
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("ring file: other formats and versions are refused", "[ring]") {
  CHECK(absl::IsInvalidArgument(RingFromJson("not json").status()));
  CHECK(absl::IsInvalidArgument(RingFromJson(R"({"format": "other"})").status()));
  CHECK(absl::IsInvalidArgument(
      RingFromJson(R"({"format": "gureum-ring", "format_version": 2})").status()));
  CHECK(absl::IsInvalidArgument(
      RingFromJson(R"({"format": "gureum-ring", "format_version": 1})").status()));
  RingData ring = *NewRing(2, 1, "p");
  CHECK(RingFromJson(RingToJson(ring)).ok());
}

}  // namespace
}  // namespace gureum::object::ring
