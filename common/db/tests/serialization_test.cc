// Integration: a real serialization failure between two serializable transactions is
// retried by Transact and both end up committed.
#include <thread>

#include <catch2/catch.hpp>

#include "absl/synchronization/mutex.h"
#include "common/db/pool.h"
#include "common/db/tests/test_database.h"

namespace gureum::db {
namespace {

// Holds both threads until each has read (and so taken its snapshot), so that the two
// transactions really overlap. Bounded: a missing partner fails the test instead of
// hanging it.
class Rendezvous {
 public:
  explicit Rendezvous(int parties) : parties_(parties) {}
  bool ArriveAndWait() {
    absl::MutexLock lock(&mu_);
    ++arrived_;
    auto all = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return arrived_ >= parties_; };
    return mu_.AwaitWithTimeout(absl::Condition(&all), absl::Seconds(60));
  }

 private:
  absl::Mutex mu_;
  const int parties_;
  int arrived_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST_CASE("a serialization conflict is retried and both transactions commit") {
  testing::TestDatabase db;
  auto pool = db.NewPool(2);
  REQUIRE(pool->Transact([](Tx& tx) {
                return tx
                    .Exec(
                        "CREATE TABLE counter (id int PRIMARY KEY, v int NOT NULL);"
                        "INSERT INTO counter VALUES (1, 0)")
                    .status();
              })
              .ok());

  TxOptions serializable;
  serializable.isolation = Isolation::kSerializable;
  serializable.max_attempts = 3;
  Rendezvous both_read(2);
  std::atomic<int> invocations{0};
  std::atomic<bool> rendezvous_failed{false};

  // Read-then-write of the same row: whichever updates second either waits for the
  // first's row lock and then fails, or fails at COMMIT; both are SQLSTATE 40001.
  auto increment = [&] {
    bool first_call = true;
    return pool->Transact(serializable, [&](Tx& tx) -> absl::Status {
      ++invocations;
      absl::StatusOr<Rows> read = tx.Exec("SELECT v FROM counter WHERE id = 1");
      if (!read.ok()) return read.status();
      if (first_call) {
        first_call = false;
        if (!both_read.ArriveAndWait()) rendezvous_failed = true;
      }
      return tx.Exec("UPDATE counter SET v = $1 WHERE id = 1", {(*read)[0].Get<int>("v") + 1})
          .status();
    });
  };
  absl::Status a, b;
  std::thread ta([&] { a = increment(); });
  std::thread tb([&] { b = increment(); });
  ta.join();
  tb.join();

  INFO("a: " << a.ToString() << " b: " << b.ToString());
  REQUIRE_FALSE(rendezvous_failed);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  // Exactly one conflict: the loser ran a second time, after the winner committed.
  REQUIRE(invocations == 3);
  REQUIRE(pool->Stats().retries == 1);
  int v = 0;
  REQUIRE(pool->ReadOnly([&](Tx& tx) -> absl::Status {
                absl::StatusOr<Row> row =
                    tx.ExecOne("SELECT v FROM counter WHERE id = 1", {}, "counter");
                if (!row.ok()) return row.status();
                v = row->Get<int>("v");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(v == 2);  // no lost update
}

TEST_CASE("a conflict that persists gives up after max_attempts with Aborted") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  TxOptions options;
  options.max_attempts = 3;
  int calls = 0;
  // Raising 40001 ourselves stands in for a conflict that keeps happening.
  absl::Status s = pool->Transact(options, [&](Tx& tx) {
    ++calls;
    return tx.Exec("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")
        .status();
  });
  INFO(s.ToString());
  REQUIRE(s.code() == absl::StatusCode::kAborted);
  REQUIRE(calls == 3);
  REQUIRE(pool->Stats().retries == 2);
}

}  // namespace
}  // namespace gureum::db
