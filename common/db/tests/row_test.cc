#include "common/db/row.h"

#include <catch2/catch.hpp>

namespace gureum::db {
namespace {

TEST_CASE("Params render PostgreSQL text") {
  REQUIRE(*Param("x").text() == "x");
  REQUIRE(*Param(std::string("y")).text() == "y");
  REQUIRE(*Param(42).text() == "42");
  REQUIRE(*Param(int64_t{-9000000000}).text() == "-9000000000");
  REQUIRE(*Param(true).text() == "true");
  REQUIRE(*Param(0.5).text() == "0.5");
  REQUIRE_FALSE(Param(std::nullopt).text().has_value());
  REQUIRE_FALSE(Param(std::optional<int>()).text().has_value());
  REQUIRE(*Param(std::optional<std::string>("z")).text() == "z");
  REQUIRE(*Param(absl::FromUnixMicros(1'700'000'000'123'456)).text() ==
          "2023-11-14 22:13:20.123456+00");
}

TEST_CASE("Rows parse typed and nullable columns") {
  Rows rows({"id", "n", "ok", "ratio", "at", "gone"},
            {{"a", "7", "t", "1.5", "2023-11-14 22:13:20.5+00", std::nullopt},
             {"b", "-1", "f", "2", "2023-11-14 22:13:20+00", "2023-11-15 00:00:00+00"}},
            0);
  REQUIRE(rows.size() == 2);
  REQUIRE(rows[0].Get<std::string>("id") == "a");
  REQUIRE(rows[0].Get<int>("n") == 7);
  REQUIRE(rows[1].Get<int64_t>("n") == -1);
  REQUIRE(rows[0].Get<bool>("ok"));
  REQUIRE_FALSE(rows[1].Get<bool>("ok"));
  REQUIRE(rows[0].Get<double>("ratio") == 1.5);
  REQUIRE(rows[0].Get<absl::Time>("at") == absl::FromUnixMillis(1'700'000'000'500));
  REQUIRE(rows[1].Get<absl::Time>("at") == absl::FromUnixSeconds(1'700'000'000));
  REQUIRE(rows[0].IsNull("gone"));
  REQUIRE_FALSE(rows[0].Get<std::optional<absl::Time>>("gone").has_value());
  REQUIRE(rows[1].Get<std::optional<absl::Time>>("gone").has_value());
  int seen = 0;
  for (const Row& row : rows) seen += row.Get<int>("n");
  REQUIRE(seen == 6);
}

}  // namespace
}  // namespace gureum::db
