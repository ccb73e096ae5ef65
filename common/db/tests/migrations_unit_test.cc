#include <catch2/catch.hpp>

#include "common/db/migrations.h"
#include "common/db/tests/migrations/migrations.h"

namespace gureum::db {
namespace {

TEST_CASE("ValidateMigrations accepts 1..N and refuses gaps, order and empty names") {
  REQUIRE(ValidateMigrations({}).ok());
  REQUIRE(ValidateMigrations({{1, "a", "SELECT 1"}, {2, "b", "SELECT 2"}}).ok());
  REQUIRE(ValidateMigrations({{1, "a", ""}, {3, "c", ""}}).code() ==
          absl::StatusCode::kFailedPrecondition);
  REQUIRE(ValidateMigrations({{2, "b", ""}, {1, "a", ""}}).code() ==
          absl::StatusCode::kFailedPrecondition);
  REQUIRE(ValidateMigrations({{0, "zero", ""}}).code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(ValidateMigrations({{1, "", ""}}).code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("gureum_sql_migrations compiles the .sql folder in order") {
  const std::vector<Migration>& m = testdata::Migrations();
  REQUIRE(m.size() == 2);
  REQUIRE(m[0].version == 1);
  REQUIRE(m[0].name == "create_widgets");
  REQUIRE(m[0].sql.find("CREATE TABLE widgets") != std::string::npos);
  REQUIRE(m[1].version == 2);
  REQUIRE(m[1].name == "add_widget_color");
  // The file's text arrives verbatim, comments and newlines included.
  REQUIRE(m[1].sql.rfind("-- A second step", 0) == 0);
  REQUIRE(ValidateMigrations(m).ok());
}

}  // namespace
}  // namespace gureum::db
