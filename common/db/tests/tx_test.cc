// Integration: what Transact commits, what it rolls back, and the row API on real data.
#include <catch2/catch.hpp>

#include "common/db/pool.h"
#include "common/db/tests/test_database.h"

namespace gureum::db {
namespace {

int64_t CountRows(ConnectionPool& pool) {
  int64_t n = -1;
  REQUIRE(pool.ReadOnly([&](Tx& tx) -> absl::Status {
                absl::StatusOr<Row> row =
                    tx.ExecOne("SELECT count(*) AS n FROM things", {}, "count");
                if (!row.ok()) return row.status();
                n = row->Get<int64_t>("n");
                return absl::OkStatus();
              })
              .ok());
  return n;
}

struct Fixture {
  Fixture() : pool(db.NewPool(2)) {
    REQUIRE(pool->Transact([](Tx& tx) {
                  return tx
                      .Exec(
                          "CREATE TABLE things (id text PRIMARY KEY, n bigint,"
                          " ok boolean, at timestamptz, note text)")
                      .status();
                })
                .ok());
  }
  testing::TestDatabase db;
  std::unique_ptr<ConnectionPool> pool;
};

TEST_CASE("a committed transaction's rows read back with their types") {
  Fixture f;
  const absl::Time at = absl::FromUnixMicros(1'700'000'000'654'321);
  REQUIRE(
      f.pool
          ->Transact([&](Tx& tx) {
            return tx
                .Exec(
                    "INSERT INTO things VALUES ($1, $2, $3, $4, $5), ($6, NULL, NULL, NULL, NULL)",
                    {"a", int64_t{1} << 40, true, at, std::optional<std::string>("x"), "b"})
                .status();
          })
          .ok());
  REQUIRE(f.pool
              ->ReadOnly([&](Tx& tx) -> absl::Status {
                absl::StatusOr<Rows> rows = tx.Exec("SELECT * FROM things ORDER BY id");
                REQUIRE(rows.ok());
                REQUIRE(rows->size() == 2);
                const Row& a = (*rows)[0];
                REQUIRE(a.Get<std::string>("id") == "a");
                REQUIRE(a.Get<int64_t>("n") == (int64_t{1} << 40));
                REQUIRE(a.Get<bool>("ok"));
                REQUIRE(a.Get<absl::Time>("at") == at);
                REQUIRE(a.Get<std::optional<std::string>>("note") ==
                        std::optional<std::string>("x"));
                const Row& b = (*rows)[1];
                REQUIRE_FALSE(b.Get<std::optional<int64_t>>("n").has_value());
                REQUIRE(b.IsNull("at"));
                return absl::OkStatus();
              })
              .ok());
}

TEST_CASE("ExecAffected counts and ExecOne reports NotFound") {
  Fixture f;
  REQUIRE(f.pool
              ->Transact([&](Tx& tx) -> absl::Status {
                REQUIRE(*tx.ExecAffected("INSERT INTO things (id) VALUES ('a'), ('b'), ('c')") ==
                        3);
                REQUIRE(*tx.ExecAffected("UPDATE things SET n = 1 WHERE id <> $1", {"a"}) == 2);
                REQUIRE(*tx.ExecAffected("DELETE FROM things WHERE id = $1", {"zzz"}) == 0);
                absl::StatusOr<Row> missing =
                    tx.ExecOne("SELECT * FROM things WHERE id = $1", {"zzz"}, "thing zzz");
                REQUIRE(missing.status().code() == absl::StatusCode::kNotFound);
                REQUIRE(std::string(missing.status().message()) == "thing zzz not found");
                REQUIRE(tx.ExecOne("SELECT * FROM things", {}, "all").status().code() ==
                        absl::StatusCode::kInternal);
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(CountRows(*f.pool) == 3);
}

TEST_CASE("a function that returns an error rolls back everything it wrote") {
  Fixture f;
  int calls = 0;
  absl::Status s = f.pool->Transact([&](Tx& tx) -> absl::Status {
    ++calls;
    REQUIRE(tx.Exec("INSERT INTO things (id) VALUES ('a')").ok());
    return absl::FailedPreconditionError("changed my mind");
  });
  REQUIRE(s == absl::FailedPreconditionError("changed my mind"));
  REQUIRE(calls == 1);  // the function's own errors are never retried
  REQUIRE(CountRows(*f.pool) == 0);
}

TEST_CASE("a swallowed database error still rolls back and is returned") {
  Fixture f;
  absl::Status s = f.pool->Transact([&](Tx& tx) -> absl::Status {
    REQUIRE(tx.Exec("INSERT INTO things (id) VALUES ('a')").ok());
    absl::Status dup = tx.Exec("INSERT INTO things (id) VALUES ('a')").status();
    REQUIRE(dup.code() == absl::StatusCode::kAlreadyExists);
    // The transaction is dead: later statements get the same error back.
    REQUIRE(tx.Exec("SELECT 1").status() == dup);
    return absl::OkStatus();  // pretend nothing happened
  });
  REQUIRE(s.code() == absl::StatusCode::kAlreadyExists);
  REQUIRE(CountRows(*f.pool) == 0);
  // The connection is fine for the next transaction.
  REQUIRE(f.pool
              ->Transact(
                  [](Tx& tx) { return tx.Exec("INSERT INTO things (id) VALUES ('b')").status(); })
              .ok());
  REQUIRE(CountRows(*f.pool) == 1);
}

}  // namespace
}  // namespace gureum::db
