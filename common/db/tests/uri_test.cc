#include "common/db/uri.h"

#include <catch2/catch.hpp>

namespace gureum::db {
namespace {

TEST_CASE("RedactUri masks the password and keeps the rest") {
  REQUIRE(RedactUri("postgresql://gureum:s3cret@db.example:5432/gureum_compute") ==
          "postgresql://gureum:***@db.example:5432/gureum_compute");
  REQUIRE(RedactUri("postgresql://postgres@127.0.0.1:5432/postgres") ==
          "postgresql://postgres@127.0.0.1:5432/postgres");
  REQUIRE(RedactUri("postgres://u:p%40ss@h/db?sslmode=require&password=other") ==
          "postgres://u:***@h/db?sslmode=require&password=***");
  REQUIRE(RedactUri("host=h user=u password=hunter2 dbname=x") ==
          "host=h user=u password=*** dbname=x");
}

TEST_CASE("StripPassword removes the password in both encoded and decoded form") {
  const std::string uri = "postgresql://u:p%40ss@h/db";
  REQUIRE(StripPassword("auth failed for p@ss and p%40ss", uri) == "auth failed for *** and ***");
  REQUIRE(StripPassword("nothing to hide", "postgresql://u@h/db") == "nothing to hide");
}

TEST_CASE("UriWithDatabase swaps the database and keeps the query") {
  REQUIRE(*UriWithDatabase("postgresql://u:p@h:1/postgres?sslmode=disable", "gureum_x") ==
          "postgresql://u:p@h:1/gureum_x?sslmode=disable");
  REQUIRE(*UriWithDatabase("postgresql://u@h", "gureum_x") == "postgresql://u@h/gureum_x");
  absl::StatusOr<std::string> bad = UriWithDatabase("mysql://u:secret@h/db", "x");
  REQUIRE(bad.status().code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(std::string(bad.status().message()).find("secret") == std::string::npos);
}

}  // namespace
}  // namespace gureum::db
