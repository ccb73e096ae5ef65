// A database transaction as our stores see it: run SQL with $1-style parameters and get
// Rows back. The only implementation runs on a PostgreSQL connection leased from a
// ConnectionPool (see pool.h); it is handed to the function passed to
// ConnectionPool::Transact and is valid only during that call.
//
// Errors come back as absl::Status, mapped once from PostgreSQL's SQLSTATE (see
// README.md): AlreadyExists (unique violation), FailedPrecondition (foreign key),
// InvalidArgument (check, not null, bad input text), Aborted (serialization failure or
// deadlock: the pool retries the whole transaction), Unavailable (connection lost),
// Internal (the rest, e.g. a syntax error). The messages are generic for their code
// ("The server has either erred..." for Internal) because they can reach API clients;
// the SQLSTATE and the server's text are logged and kept in ErrorDetail(status).
//
// The first error poisons the transaction (PostgreSQL refuses every later statement), so
// after one, Exec returns that same error again, and Transact rolls back and returns it
// even if the function swallowed it and returned OK.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/row.h"

namespace gureum::db {

enum class Isolation {
  kReadCommitted,   // PostgreSQL's default: each statement sees what is committed.
  kRepeatableRead,  // One snapshot for the whole transaction.
  kSerializable,    // As if transactions ran one at a time; conflicts -> Aborted, retried.
};

struct TxOptions {
  Isolation isolation = Isolation::kReadCommitted;
  // SET TRANSACTION READ ONLY: writes fail with Internal (SQLSTATE 25006).
  bool read_only = false;
  // Attempts in all, counting the first, when the database aborts the transaction
  // (serialization failure, deadlock) or the connection breaks before COMMIT.
  int max_attempts = 5;
  // Backoff before retry n (1-based) is uniform in [0, min(max, initial * 2^(n-1))].
  absl::Duration initial_backoff = absl::Milliseconds(5);
  absl::Duration max_backoff = absl::Milliseconds(200);
};

class Tx {
 public:
  virtual ~Tx() = default;

  // Runs one statement. With no parameters the text may hold several statements
  // separated by semicolons (as migrations do); the result is then the last one's.
  virtual absl::StatusOr<Rows> Exec(const std::string& sql, const Params& params = {}) = 0;

  // Runs a statement and returns how many rows it inserted, updated or deleted.
  absl::StatusOr<int64_t> ExecAffected(const std::string& sql, const Params& params = {});

  // Runs a query that must return exactly one row: NotFound when it returns none
  // (`what` names the thing, e.g. "instance 3f2c..."), Internal when it returns several.
  absl::StatusOr<Row> ExecOne(const std::string& sql, const Params& params,
                              const std::string& what);
};

// The database's own report behind a status from Tx, ConnectionPool or the migrations
// (SQLSTATE and server text, password stripped, escaped), or "" if there is none. For
// logs and operator tools only, never for an API response.
std::string ErrorDetail(const absl::Status& status);

}  // namespace gureum::db
