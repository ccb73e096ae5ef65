// A fixed-size pool of PostgreSQL connections to one service's database, and the way all
// Gureum code runs SQL: Transact(fn) leases a connection, runs fn(Tx&) inside a
// transaction, commits, and returns the connection.
//
//   GUREUM_ASSIGN_OR_RETURN(auto pool, db::ConnectionPool::Create(uri, 8));
//   absl::Status s = pool->Transact([&](db::Tx& tx) -> absl::Status {
//     GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec("SELECT ...", {id}));
//     return tx.Exec("UPDATE ...", {id}).status();
//   });
//
// Retries: when the database aborts the transaction (serialization failure, deadlock) or
// the connection breaks before COMMIT, Transact rolls back, waits a short jittered
// backoff and runs fn again, up to TxOptions::max_attempts. So fn must be safe to run
// more than once: it should do nothing but SQL, or only things it can repeat. A broken
// connection is dropped and reopened lazily on the next lease; a connection lost during
// COMMIT is reported as Unavailable and not retried (the outcome is unknown).
//
// Thread safety: all methods may be called from any thread. A lease waits up to
// PoolOptions::acquire_timeout for a free connection, then fails with DeadlineExceeded;
// so calling Transact from inside fn on a pool with no free connection fails instead of
// hanging. Blocking: Transact blocks on the network; never call it on a gRPC callback
// thread. The URI's password never appears in logs or statuses.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db/tx.h"
#include "common/status/macros.h"

namespace gureum::db {

namespace internal {
class PgSession;
}

struct PoolOptions {
  int size = 4;
  absl::Duration acquire_timeout = absl::Seconds(10);
};

// Counters for metrics and tests.
struct PoolStats {
  int size = 0;
  int idle = 0;                    // connections not leased right now
  int64_t connections_opened = 0;  // including the first `size`
  int64_t broken_connections = 0;  // dropped after a connection failure
  int64_t retries = 0;             // transaction attempts after the first
};

class ConnectionPool {
 public:
  using TxFn = std::function<absl::Status(Tx&)>;

  // Opens options.size connections to `uri` (a libpq URI such as
  // postgresql://user:pass@host:5432/gureum_compute). Unavailable if the server cannot be
  // reached, InvalidArgument if size < 1.
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(const std::string& uri,
                                                                const PoolOptions& options);
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(const std::string& uri, int size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs fn in a transaction (see the header comment). Returns fn's error (after rolling
  // back), the mapped database error, or OK once committed.
  absl::Status Transact(const TxOptions& options, const TxFn& fn);
  absl::Status Transact(const TxFn& fn) { return Transact(TxOptions{}, fn); }
  // Transact with read_only set: for queries, and to state the intent.
  absl::Status ReadOnly(const TxFn& fn);

  // Runs `sql` outside any transaction block (CREATE DATABASE, DROP DATABASE). Not
  // retried.
  absl::Status ExecOutsideTransaction(const std::string& sql);

  PoolStats Stats() const;
  // The URI with its password masked, for logs.
  const std::string& redacted_uri() const { return redacted_uri_; }

 private:
  ConnectionPool(std::string uri, PoolOptions options,
                 std::vector<std::unique_ptr<internal::PgSession>> sessions);

  // Takes an idle session, waiting up to acquire_timeout, and reopens it if it broke.
  absl::StatusOr<std::unique_ptr<internal::PgSession>> Acquire();
  // Returns a session; a broken one is counted and its slot reopened on a later lease.
  void Release(std::unique_ptr<internal::PgSession> session);
  absl::Duration Backoff(const TxOptions& options, int retry);

  const std::string uri_;
  const std::string redacted_uri_;
  const PoolOptions options_;

  mutable absl::Mutex mu_;
  // Idle connections; nullptr stands for a slot whose connection was dropped.
  std::vector<std::unique_ptr<internal::PgSession>> idle_ ABSL_GUARDED_BY(mu_);
  int64_t connections_opened_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t broken_connections_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t retries_ ABSL_GUARDED_BY(mu_) = 0;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::db
