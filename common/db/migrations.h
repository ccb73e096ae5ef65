// Numbered SQL migrations: each service keeps its schema as files
// <service>/migrations/NNNN_description.sql, compiled into the binary by
// gureum_sql_migrations() (cmake/GureumMigrations.cmake), and `gureum-manage db sync
// <service>` calls Migrate() to bring the service's database up to date.
//
// Applied migrations are recorded in schema_migrations(version, name, applied_at).
// Migrate is idempotent (a second run applies nothing) and safe to run concurrently
// (a transaction-scoped advisory lock serialises runs). Each migration runs in its own
// transaction together with its schema_migrations row, so a failed migration leaves no
// trace and the database stays at the previous version. A migration's SQL may hold
// several statements, but none that PostgreSQL refuses inside a transaction block
// (e.g. CREATE INDEX CONCURRENTLY).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gureum::db {

class ConnectionPool;

struct Migration {
  int version = 0;   // 1, 2, 3 ... from the file name's NNNN
  std::string name;  // the file name's description, e.g. "initial"
  std::string sql;
};

// OK if `migrations` are numbered 1..N in order with non-empty names; otherwise
// FailedPrecondition naming the first problem (a build or packaging mistake).
absl::Status ValidateMigrations(const std::vector<Migration>& migrations);

// Applies the migrations the database has not seen, in order, and returns how many it
// applied (0 when already up to date). FailedPrecondition, applying nothing, when the
// list is invalid, when the database holds a version this binary does not know (it is
// newer than the code), or when an applied version's name differs from the code's (the
// binary and the database come from different histories).
absl::StatusOr<int> Migrate(ConnectionPool& pool, const std::vector<Migration>& migrations);

// The highest applied version, or 0 for a database never migrated.
absl::StatusOr<int> CurrentVersion(ConnectionPool& pool);

// What every service's main does first: a pool of `pool_size` connections to database
// `database` on the server of `server_uri` ([database] connection), whose schema must be
// at the version `migrations` reach. The error names what to fix: the connection option,
// the server, or `gureum-manage db sync <service>`.
absl::StatusOr<std::unique_ptr<ConnectionPool>> OpenCurrentDatabase(
    const std::string& server_uri, const std::string& database, const std::string& service,
    int pool_size, const std::vector<Migration>& migrations);

}  // namespace gureum::db
