// Integration: leasing, lease timeouts and recovery from a killed connection, against the
// real server.
#include "common/db/pool.h"

#include <thread>

#include <catch2/catch.hpp>

#include "absl/synchronization/notification.h"
#include "common/db/tests/test_database.h"

namespace gureum::db {
namespace {

int BackendPid(ConnectionPool& pool) {
  int pid = 0;
  REQUIRE(pool.Transact([&](Tx& tx) -> absl::Status {
                absl::StatusOr<Row> row = tx.ExecOne("SELECT pg_backend_pid() AS pid", {}, "pid");
                if (!row.ok()) return row.status();
                pid = row->Get<int>("pid");
                return absl::OkStatus();
              })
              .ok());
  return pid;
}

TEST_CASE("a pool leases its connections and takes them back") {
  testing::TestDatabase db;
  auto pool = db.NewPool(2);
  REQUIRE(pool->Stats().size == 2);
  REQUIRE(pool->Stats().idle == 2);
  REQUIRE(pool->Transact([&](Tx&) -> absl::Status {
                REQUIRE(pool->Stats().idle == 1);  // this transaction holds one
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(pool->Stats().idle == 2);
  REQUIRE(pool->Stats().connections_opened == 2);
}

TEST_CASE("a lease waits for a busy pool and gives up at its deadline") {
  testing::TestDatabase db;
  PoolOptions options;
  options.size = 1;
  options.acquire_timeout = absl::Milliseconds(200);
  auto pool = *ConnectionPool::Create(db.uri(), options);

  // Nested Transact on a one-connection pool: the inner lease cannot be served.
  absl::Status inner;
  REQUIRE(pool->Transact([&](Tx&) -> absl::Status {
                inner = pool->Transact([](Tx&) { return absl::OkStatus(); });
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(inner.code() == absl::StatusCode::kDeadlineExceeded);

  // A waiter is served as soon as the holder returns its connection.
  options.acquire_timeout = absl::Seconds(30);
  auto patient = *ConnectionPool::Create(db.uri(), options);
  // Catch2's assertions are not thread-safe: threads record, the test thread checks.
  absl::Notification holding, release;
  absl::Status held, waited;
  std::thread holder([&] {
    held = patient->Transact([&](Tx&) -> absl::Status {
      holding.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    });
  });
  holding.WaitForNotification();
  REQUIRE(patient->Stats().idle == 0);
  std::thread waiter([&] { waited = patient->Transact([](Tx&) { return absl::OkStatus(); }); });
  release.Notify();
  holder.join();
  waiter.join();
  REQUIRE(held.ok());
  REQUIRE(waited.ok());
  REQUIRE(patient->Stats().idle == 1);
}

TEST_CASE("a connection killed by the server is dropped and reopened") {
  testing::TestDatabase db;
  auto pool = db.NewPool(1);
  int pid = BackendPid(*pool);
  REQUIRE(db.admin()
              .Transact([&](Tx& tx) {
                return tx.Exec("SELECT pg_terminate_backend($1)", {pid}).status();
              })
              .ok());
  // The next transaction finds the connection dead, and is retried on a new one.
  int new_pid = BackendPid(*pool);
  REQUIRE(new_pid != pid);
  PoolStats stats = pool->Stats();
  REQUIRE(stats.broken_connections == 1);
  REQUIRE(stats.connections_opened == 2);
  REQUIRE(stats.idle == 1);
}

TEST_CASE("an unreachable server is Unavailable and the password is not in the message") {
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool =
      ConnectionPool::Create("postgresql://gureum:hunter2@127.0.0.1:1/x?connect_timeout=5", 1);
  REQUIRE(pool.status().code() == absl::StatusCode::kUnavailable);
  REQUIRE(std::string(pool.status().message()).find("hunter2") == std::string::npos);
  REQUIRE(ConnectionPool::Create("postgresql://127.0.0.1:1/x", 0).status().code() ==
          absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gureum::db
