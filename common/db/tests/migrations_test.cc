// Integration: Migrate against the real server: applied once, idempotent, refuses a
// foreign history, leaves no trace of a failed step, and is safe to run concurrently.
#include "common/db/migrations.h"

#include <cstdlib>
#include <thread>

#include <catch2/catch.hpp>

#include "common/db/pool.h"
#include "common/db/tests/migrations/migrations.h"
#include "common/db/tests/test_database.h"

namespace gureum::db {
namespace {

// (version, name, applied_at) of every recorded migration, as text.
std::vector<std::string> History(ConnectionPool& pool) {
  std::vector<std::string> out;
  REQUIRE(pool.ReadOnly([&](Tx& tx) -> absl::Status {
                absl::StatusOr<Rows> rows = tx.Exec(
                    "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
                if (!rows.ok()) return rows.status();
                for (const Row& r : *rows) {
                  out.push_back(*r.Text("version") + " " + *r.Text("name") + " " +
                                *r.Text("applied_at"));
                }
                return absl::OkStatus();
              })
              .ok());
  return out;
}

TEST_CASE("migrations apply once, and a second run is a no-op") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  REQUIRE(*CurrentVersion(*pool) == 0);
  REQUIRE(*Migrate(*pool, testdata::Migrations()) == 2);
  REQUIRE(*CurrentVersion(*pool) == 2);
  std::vector<std::string> before = History(*pool);
  REQUIRE(before.size() == 2);

  REQUIRE(*Migrate(*pool, testdata::Migrations()) == 0);
  REQUIRE(History(*pool) == before);  // same rows, same applied_at
  // The schema is the one both migrations describe.
  REQUIRE(pool->Transact([](Tx& tx) {
                return tx
                    .Exec("INSERT INTO widgets (id, name, size, color) VALUES ('1', 'w', 1, 'red')")
                    .status();
              })
              .ok());
}

TEST_CASE("a newer binary applies only the missing migrations") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  std::vector<Migration> first = {testdata::Migrations()[0]};
  REQUIRE(*Migrate(*pool, first) == 1);
  REQUIRE(*Migrate(*pool, testdata::Migrations()) == 1);
  REQUIRE(*CurrentVersion(*pool) == 2);
}

TEST_CASE("a history that does not match the binary is refused") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  REQUIRE(*Migrate(*pool, testdata::Migrations()) == 2);

  std::vector<Migration> renamed = testdata::Migrations();
  renamed[1].name = "something_else";
  absl::StatusOr<int> s = Migrate(*pool, renamed);
  REQUIRE(s.status().code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(std::string(s.status().message()).find("something_else") != std::string::npos);

  std::vector<Migration> older = {testdata::Migrations()[0]};
  REQUIRE(Migrate(*pool, older).status().code() == absl::StatusCode::kFailedPrecondition);

  std::vector<Migration> gap = {testdata::Migrations()[0], {3, "three", "SELECT 1"}};
  REQUIRE(Migrate(*pool, gap).status().code() == absl::StatusCode::kFailedPrecondition);
  REQUIRE(*CurrentVersion(*pool) == 2);
}

TEST_CASE("a failing migration leaves no trace and names itself") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  std::vector<Migration> list = testdata::Migrations();
  list.push_back({3, "broken", "CREATE TABLE gadgets (id int); SELEC 1"});
  absl::StatusOr<int> s = Migrate(*pool, list);
  REQUIRE(s.status().code() == absl::StatusCode::kInternal);
  REQUIRE(std::string(s.status().message()).find("0003_broken") != std::string::npos);
  // 1 and 2 committed in their own transactions; 3 did not, table included.
  REQUIRE(*CurrentVersion(*pool) == 2);
  REQUIRE(pool->Transact([](Tx& tx) { return tx.Exec("SELECT * FROM gadgets").status(); }).code() ==
          absl::StatusCode::kInternal);
}

TEST_CASE("concurrent Migrate runs apply each migration exactly once") {
  testing::TestDatabase db;
  constexpr int kRuns = 4;
  std::vector<std::unique_ptr<ConnectionPool>> pools;
  for (int i = 0; i < kRuns; ++i) pools.push_back(db.NewPool(1));
  std::vector<absl::StatusOr<int>> results(kRuns, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kRuns; ++i) {
    threads.emplace_back([&, i] { results[i] = Migrate(*pools[i], testdata::Migrations()); });
  }
  for (std::thread& t : threads) t.join();
  int applied = 0;
  for (const absl::StatusOr<int>& r : results) {
    REQUIRE(r.ok());
    applied += *r;
  }
  // 0001 has a plain CREATE TABLE: applying it twice would have failed above.
  REQUIRE(applied == 2);
  REQUIRE(History(*pools[0]).size() == 2);
}

TEST_CASE("OpenCurrentDatabase: a schema behind the binary names the db sync to run") {
  testing::TestDatabase db;
  const char* server = std::getenv("GUREUM_TEST_PG_URI");
  REQUIRE(server != nullptr);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> behind =
      OpenCurrentDatabase(server, db.name(), "svc", 1, testdata::Migrations());
  REQUIRE(behind.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(std::string(behind.status().message()).find("gureum-manage db sync svc") !=
        std::string::npos);
  REQUIRE(*Migrate(*db.NewPool(1), testdata::Migrations()) == 2);
  absl::StatusOr<std::unique_ptr<ConnectionPool>> current =
      OpenCurrentDatabase(server, db.name(), "svc", 2, testdata::Migrations());
  REQUIRE(current.ok());
  CHECK(*CurrentVersion(**current) == 2);
  CHECK(OpenCurrentDatabase("mysql://nope", db.name(), "svc", 1, testdata::Migrations())
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gureum::db
