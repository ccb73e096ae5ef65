// Creating and dropping whole databases, for gureum-manage, the installer and tests (each
// integration test makes its own database). Takes a pool connected to some other
// database on the same server (usually "postgres") as a role allowed to create
// databases; PostgreSQL cannot create or drop the database a session is connected to.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace gureum::db {

class ConnectionPool;

// OK if `name` is a plain lower-case identifier we are willing to splice into SQL
// ([a-z_][a-z0-9_]*, at most 63 bytes); InvalidArgument otherwise.
absl::Status ValidateDatabaseName(const std::string& name);

// Creates database `name` unless it exists. Idempotent and safe to race with another
// caller creating the same database.
absl::Status EnsureDatabase(ConnectionPool& admin, const std::string& name);

// Drops database `name` if it exists, disconnecting its sessions first (WITH (FORCE)).
absl::Status DropDatabase(ConnectionPool& admin, const std::string& name);

}  // namespace gureum::db
