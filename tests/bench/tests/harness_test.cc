#include "tests/bench/harness.h"

#include <atomic>

#include <catch2/catch.hpp>

namespace gureum::bench {
namespace {

TEST_CASE("percentiles use the nearest-rank method") {
  std::vector<double> v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
  REQUIRE(Percentile(v, 0.5) == 5);
  REQUIRE(Percentile(v, 0.99) == 10);
  REQUIRE(Percentile(v, 0.0) == 1);
  std::vector<double> empty;
  REQUIRE(Percentile(empty, 0.5) == 0);
}

TEST_CASE("the closed loop runs every call once and counts errors") {
  std::atomic<int> calls{0};
  Row row = RunClosedLoop(
      "count", 1000, 4,
      [&](int) {
        int n = calls.fetch_add(1);
        return n % 10 == 0 ? absl::InternalError("every tenth") : absl::OkStatus();
      },
      "none");
  REQUIRE(calls.load() == 1000);
  REQUIRE(row.errors == 100);
  REQUIRE(row.ops == 900);
  REQUIRE(row.first_error.find("every tenth") != std::string::npos);
  REQUIRE(row.per_second > 0);
}

}  // namespace
}  // namespace gureum::bench
