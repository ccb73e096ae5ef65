#include "object-storage/ring/ring_holder.h"

#include <filesystem>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <sys/time.h>

#include "common/testing/test_env.h"
#include "object-storage/ring/ring_builder.h"
#include "object-storage/ring/ring_file.h"

namespace gureum::object::ring {
namespace {

RingData TwoDevices() {
  RingData ring = *NewRing(4, 2, "salt");
  REQUIRE(AddDevice(ring, {-1, 1, 1, "127.0.0.2", 6201, "sdb", 100}).ok());
  REQUIRE(AddDevice(ring, {-1, 1, 2, "127.0.0.3", 6202, "sdc", 100}).ok());
  REQUIRE(Rebalance(ring).ok());
  return ring;
}

// The file's mtime moved a second on, as a later copy of the file would have it.
void Touch(const std::string& path, int seconds) {
  struct timeval times[2] = {{1'800'000'000 + seconds, 0}, {1'800'000'000 + seconds, 0}};
  REQUIRE(::utimes(path.c_str(), times) == 0);
}

TEST_CASE("ring holder: a changed ring file is used without a restart", "[ring]") {
  const auto dir = std::filesystem::temp_directory_path() / testing::UniqueName("ringholder");
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "object.ring").string();
  FakeClock clock;
  CHECK(!RingHolder::Create(path, clock).ok());  // no file yet

  RingData ring = TwoDevices();
  REQUIRE(WriteRingFile(path, ring).ok());
  Touch(path, 0);
  auto holder = RingHolder::Create(path, clock, absl::Seconds(5));
  REQUIRE(holder.ok());
  const uint64_t first = (*holder)->Get()->data().version;

  REQUIRE(AddDevice(ring, {-1, 1, 3, "127.0.0.4", 6203, "sdd", 100}).ok());
  REQUIRE(Rebalance(ring).ok());
  REQUIRE(WriteRingFile(path, ring).ok());
  Touch(path, 1);
  CHECK((*holder)->Get()->data().version == first);  // not checked again yet
  clock.Advance(absl::Seconds(5));
  CHECK((*holder)->Get()->data().version == first + 1);
  CHECK((*holder)->Get()->data().devices.size() == 3);

  // A broken file keeps the ring in use.
  std::filesystem::resize_file(path, 10);
  Touch(path, 2);
  clock.Advance(absl::Seconds(5));
  CHECK((*holder)->Get()->data().version == first + 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gureum::object::ring
