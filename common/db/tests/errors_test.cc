// Integration: every documented SQLSTATE mapping, produced by the real server.
#include <catch2/catch.hpp>

#include "common/db/pool.h"
#include "common/db/tests/test_database.h"

namespace gureum::db {
namespace {

absl::StatusCode CodeOf(ConnectionPool& pool, const std::string& sql, const Params& params = {}) {
  return pool.Transact([&](Tx& tx) { return tx.Exec(sql, params).status(); }).code();
}

TEST_CASE("database errors map to status codes once, in the adapter") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  REQUIRE(pool->Transact([](Tx& tx) {
                return tx
                    .Exec(
                        "CREATE TABLE parents (id int PRIMARY KEY);"
                        "CREATE TABLE kids (id int PRIMARY KEY,"
                        " parent int NOT NULL REFERENCES parents(id),"
                        " age int CHECK (age >= 0));"
                        "INSERT INTO parents VALUES (1)")
                    .status();
              })
              .ok());
  using C = absl::StatusCode;
  REQUIRE(CodeOf(*pool, "INSERT INTO parents VALUES ($1)", {1}) == C::kAlreadyExists);
  REQUIRE(CodeOf(*pool, "INSERT INTO kids VALUES (1, $1, 1)", {99}) == C::kFailedPrecondition);
  REQUIRE(CodeOf(*pool, "INSERT INTO kids VALUES (1, 1, $1)", {-1}) == C::kInvalidArgument);
  REQUIRE(CodeOf(*pool, "INSERT INTO kids VALUES (1, $1, 1)", {std::nullopt}) ==
          C::kInvalidArgument);
  REQUIRE(CodeOf(*pool, "SELECT $1::int", {"not a number"}) == C::kInvalidArgument);
  REQUIRE(CodeOf(*pool, "SELEC 1") == C::kInternal);
  REQUIRE(CodeOf(*pool, "SELECT * FROM no_such_table") == C::kInternal);
  REQUIRE(CodeOf(*pool, "CREATE TABLE parents (x int)") == C::kAlreadyExists);
  REQUIRE(pool->Transact([](Tx& tx) -> absl::Status {
                absl::Status set = tx.Exec("SET LOCAL statement_timeout = 50").status();
                if (!set.ok()) return set;
                return tx.Exec("SELECT pg_sleep(5)").status();
              })
              .code() == C::kDeadlineExceeded);
  // Writes in a read-only transaction are a programming error, not a user's.
  TxOptions read_only;
  read_only.read_only = true;
  REQUIRE(pool->Transact(read_only,
                         [](Tx& tx) { return tx.Exec("INSERT INTO parents VALUES (2)").status(); })
              .code() == C::kInternal);
  // None of the failures above broke the connection.
  REQUIRE(pool->Stats().broken_connections == 0);
}

TEST_CASE("status messages are generic, the SQLSTATE and the server's text are the detail") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  absl::Status s = pool->Transact([](Tx& tx) { return tx.Exec("SELECT 1/0").status(); });
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(std::string(s.message()).find("SQLSTATE") == std::string::npos);
  REQUIRE(std::string(s.message()).find("division by zero") == std::string::npos);
  REQUIRE(ErrorDetail(s).find("SQLSTATE 22012") != std::string::npos);
  REQUIRE(ErrorDetail(s).find("division by zero") != std::string::npos);
  absl::Status internal = pool->Transact([](Tx& tx) { return tx.Exec("SELEC 1").status(); });
  REQUIRE(internal.message() ==
          "The server has either erred or is incapable of performing the requested operation.");
  REQUIRE(ErrorDetail(internal).find("syntax error") != std::string::npos);
}

// Issue 16, hole 9: a 900 KB application-credential name answered 500 with
// "SQLSTATE 54000 ... index row requires 10616 bytes" in the body.
TEST_CASE("a value too large for an index is InvalidArgument without SQL in the message") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  REQUIRE(pool->Transact([](Tx& tx) {
                return tx.Exec("CREATE TABLE named (name text PRIMARY KEY)").status();
              })
              .ok());
  std::string huge(900 * 1024, 'a');
  uint64_t x = 88172645463325252ULL;
  for (char& c : huge) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>('!' + x % 90);
  }
  absl::Status s = pool->Transact(
      [&](Tx& tx) { return tx.Exec("INSERT INTO named VALUES ($1)", {huge}).status(); });
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(std::string(s.message()).find("SQLSTATE") == std::string::npos);
  REQUIRE(std::string(s.message()).find("index row") == std::string::npos);
  REQUIRE(ErrorDetail(s).find("SQLSTATE 54000") != std::string::npos);
}

}  // namespace
}  // namespace gureum::db
