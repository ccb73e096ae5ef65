// Internal to common/db: the one place where libpqxx's exceptions become absl::Status.
// The header names no libpqxx type, so only pq_error.cc and pg_session.cc see libpqxx.
//
//   23505 unique violation, 42P04/42P07/42710 duplicate object      -> AlreadyExists
//   23503 foreign key violation                                      -> FailedPrecondition
//   23502 not null, 23514 check, 22xxx data exceptions (bad text...),
//   54000 program limit exceeded (a value too large for an index)    -> InvalidArgument
//   40001 serialization failure, 40P01 deadlock, other 40xxx         -> Aborted (retried)
//   40003 statement completion unknown                               -> Unavailable
//   08xxx, 57P01-57P03, 53300, a broken connection                   -> Unavailable
//   57014 statement timeout / cancel                                 -> DeadlineExceeded
//   anything else (syntax errors, undefined tables ...)              -> Internal
#pragma once

#include <exception>
#include <string>

#include "absl/status/status.h"

namespace gureum::db::internal {

// The status code for a PostgreSQL SQLSTATE (five characters; "" when unknown).
absl::StatusCode CodeForSqlState(const std::string& sqlstate);

// True for the SQLSTATEs after which the connection cannot be used again.
bool SqlStateBreaksConnection(const std::string& sqlstate);

struct MappedError {
  absl::Status status;
  // The connection is gone: the pool must drop and reopen it.
  bool connection_broken = false;
  // libpqxx lost the connection while committing: the outcome is unknown.
  bool in_doubt = false;
};

// Maps the exception in `error` (thrown by libpqxx or the standard library). The status
// message is generic for its code (it may reach an API client); the SQLSTATE and the
// server's text, with the password of `uri` stripped and escaped, go to the log and into
// the status's detail payload (db::ErrorDetail).
MappedError MapException(const std::exception_ptr& error, const std::string& uri);

// `status` with `detail` attached as its database detail; Detail reads it back ("" if
// none).
absl::Status WithDetail(absl::Status status, const std::string& detail);
std::string Detail(const absl::Status& status);

}  // namespace gureum::db::internal
