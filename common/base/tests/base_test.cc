#include <atomic>
#include <set>

#include <catch2/catch.hpp>

#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/base/thread_pool.h"

namespace gureum {
namespace {

TEST_CASE("FakeClock moves only when told") {
  FakeClock clock(absl::FromUnixSeconds(100));
  REQUIRE(clock.Now() == absl::FromUnixSeconds(100));
  clock.Advance(absl::Seconds(5));
  REQUIRE(clock.Now() == absl::FromUnixSeconds(105));
  clock.Set(absl::FromUnixSeconds(7));
  REQUIRE(clock.Now() == absl::FromUnixSeconds(7));
}

TEST_CASE("random UUIDs are version 4, well formed and distinct") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    REQUIRE(IsUuid(id));
    REQUIRE(id[14] == '4');
    REQUIRE((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    seen.insert(id);
  }
  REQUIRE(seen.size() == 1000);
}

TEST_CASE("sequential ids are predictable") {
  SequentialIdGenerator gen;
  REQUIRE(gen.NewUuid() == "00000000-0000-4000-8000-000000000001");
  REQUIRE(gen.NewUuid() == "00000000-0000-4000-8000-000000000002");
}

TEST_CASE("IsUuid rejects near misses") {
  REQUIRE_FALSE(IsUuid(""));
  REQUIRE_FALSE(IsUuid("3f2c0000-0000-4000-8000-00000000000"));
  REQUIRE_FALSE(IsUuid("3f2c0000x0000-4000-8000-000000000000"));
  REQUIRE_FALSE(IsUuid("3f2c0000-0000-4000-8000-00000000000g"));
  REQUIRE(NewRequestId().rfind("req-", 0) == 0);
}

TEST_CASE("the thread pool runs every task, including those queued before it stops") {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(3);
    for (int i = 0; i < 1000; ++i) pool.Schedule([&] { ran.fetch_add(1); });
  }
  REQUIRE(ran.load() == 1000);
}

}  // namespace
}  // namespace gureum
