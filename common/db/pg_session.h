// Internal to common/db: one PostgreSQL connection (libpqxx, hidden behind a pimpl) and
// one attempt at a transaction on it. ConnectionPool owns these, leases them out one at a
// time and decides about retries; a PgSession is not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/tx.h"

namespace gureum::db::internal {

struct AttemptResult {
  absl::Status status;
  // The database aborted the transaction (serialization failure, deadlock) or the
  // connection broke before COMMIT was sent: running it again is safe and may succeed.
  // Errors the function made up itself are never retryable.
  bool retryable = false;
};

class PgSession {
 public:
  // Connects to `uri` and pins the session's TimeZone to UTC and DateStyle to ISO (the
  // text formats Row parses). Unavailable if the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgSession>> Open(const std::string& uri);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // BEGIN with `options`, fn(tx), COMMIT; ROLLBACK when anything fails.
  AttemptResult RunTransaction(const TxOptions& options,
                               const std::function<absl::Status(Tx&)>& fn);

  // Runs `sql` in autocommit mode, for statements PostgreSQL refuses inside a
  // transaction block (CREATE DATABASE, DROP DATABASE).
  AttemptResult ExecOutsideTransaction(const std::string& sql);

  // The connection has failed; the pool replaces the session before the next lease.
  bool broken() const { return broken_; }

 private:
  struct Impl;
  explicit PgSession(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  bool broken_ = false;
};

}  // namespace gureum::db::internal
