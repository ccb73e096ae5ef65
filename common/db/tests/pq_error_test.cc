#include "common/db/pq_error.h"

#include <catch2/catch.hpp>

namespace gureum::db::internal {
namespace {

TEST_CASE("SQLSTATEs map to the documented status codes") {
  using C = absl::StatusCode;
  REQUIRE(CodeForSqlState("23505") == C::kAlreadyExists);
  REQUIRE(CodeForSqlState("42P04") == C::kAlreadyExists);
  REQUIRE(CodeForSqlState("23503") == C::kFailedPrecondition);
  REQUIRE(CodeForSqlState("23502") == C::kInvalidArgument);
  REQUIRE(CodeForSqlState("23514") == C::kInvalidArgument);
  REQUIRE(CodeForSqlState("22P02") == C::kInvalidArgument);
  REQUIRE(CodeForSqlState("22001") == C::kInvalidArgument);
  REQUIRE(CodeForSqlState("54000") == C::kInvalidArgument);
  REQUIRE(CodeForSqlState("40001") == C::kAborted);
  REQUIRE(CodeForSqlState("40P01") == C::kAborted);
  REQUIRE(CodeForSqlState("08006") == C::kUnavailable);
  REQUIRE(CodeForSqlState("57P01") == C::kUnavailable);
  REQUIRE(CodeForSqlState("57014") == C::kDeadlineExceeded);
  REQUIRE(CodeForSqlState("42601") == C::kInternal);
  REQUIRE(CodeForSqlState("") == C::kInternal);
}

TEST_CASE("only connection-class SQLSTATEs break the connection") {
  REQUIRE(SqlStateBreaksConnection("08003"));
  REQUIRE(SqlStateBreaksConnection("57P01"));
  REQUIRE_FALSE(SqlStateBreaksConnection("40001"));
  REQUIRE_FALSE(SqlStateBreaksConnection("23505"));
}

TEST_CASE("a non-libpqxx exception maps to Internal with the password stripped") {
  std::exception_ptr e = std::make_exception_ptr(std::runtime_error("bad pw hunter2"));
  MappedError mapped = MapException(e, "postgresql://u:hunter2@h/db");
  REQUIRE(mapped.status.code() == absl::StatusCode::kInternal);
  REQUIRE(std::string(mapped.status.message()).find("hunter2") == std::string::npos);
  REQUIRE_FALSE(mapped.connection_broken);
  REQUIRE(Detail(mapped.status).find("hunter2") == std::string::npos);
}

TEST_CASE("the server's text is the detail, escaped, the message is generic") {
  std::exception_ptr e =
      std::make_exception_ptr(std::runtime_error("ERROR:  index row requires 10616 bytes\x01\xff"));
  MappedError mapped = MapException(e, "postgresql://u@h/db");
  REQUIRE(mapped.status.message() ==
          "The server has either erred or is incapable of performing the requested operation.");
  REQUIRE(Detail(mapped.status) ==
          "database error: ERROR:  index row requires 10616 bytes\\x01\\xff");
}

}  // namespace
}  // namespace gureum::db::internal
