#include "common/db/migrations.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/db/pool.h"
#include "common/db/uri.h"
#include "common/status/macros.h"

namespace gureum::db {
namespace {

// Migrations run from operator tools (gureum-manage, service start): they want the
// server's own words, not the generic client-facing message.
std::string DetailOrMessage(const absl::Status& status) {
  std::string detail = ErrorDetail(status);
  return detail.empty() ? std::string(status.message()) : detail;
}

// Key of the advisory lock that serialises Migrate runs. Advisory locks are scoped to a
// database, and each service has its own, so one constant serves every service.
constexpr int64_t kMigrationLockKey = 0x67757265756d3031;  // "gureum01"

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

std::string Label(const Migration& m) { return absl::StrFormat("%04d_%s", m.version, m.name); }

// Checks what the database has applied against the code's list; returns how many of the
// list are applied.
absl::StatusOr<size_t> CheckHistory(const Rows& applied, const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < applied.size(); ++i) {
    int version = applied[i].Get<int>("version");
    std::string name = applied[i].Get<std::string>("name");
    if (version != static_cast<int>(i) + 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "schema_migrations has a gap: expected version ", i + 1, ", found ", version));
    }
    if (i >= migrations.size()) {
      return absl::FailedPreconditionError(
          absl::StrCat("database is at version ", applied.size(), " but this binary knows only ",
                       migrations.size(), " migrations; it is older than the database"));
    }
    if (name != migrations[i].name) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", version, " was applied as \"", name, "\" but this binary calls it \"",
          migrations[i].name, "\"; the binary and the database disagree"));
    }
  }
  return applied.size();
}

}  // namespace

absl::Status ValidateMigrations(const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    const Migration& m = migrations[i];
    if (m.version != static_cast<int>(i) + 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("migrations must be numbered 1..N without gaps: position ", i + 1,
                       " holds version ", m.version));
    }
    if (m.name.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("migration ", m.version, " has no name"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Migrate(ConnectionPool& pool, const std::vector<Migration>& migrations) {
  GUREUM_RETURN_IF_ERROR(ValidateMigrations(migrations));
  int applied = 0;
  while (true) {
    // One transaction per migration: lock, re-read the history (another run may have
    // moved it on while we waited for the lock), apply the next missing one.
    bool up_to_date = false;
    const Migration* current = nullptr;
    absl::Status status = pool.Transact([&](Tx& tx) -> absl::Status {
      up_to_date = false;
      current = nullptr;
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status());
      GUREUM_RETURN_IF_ERROR(tx.Exec(kCreateTable).status());
      GUREUM_ASSIGN_OR_RETURN(
          Rows history, tx.Exec("SELECT version, name FROM schema_migrations ORDER BY version"));
      GUREUM_ASSIGN_OR_RETURN(size_t done, CheckHistory(history, migrations));
      if (done == migrations.size()) {
        up_to_date = true;
        return absl::OkStatus();
      }
      current = &migrations[done];
      GUREUM_RETURN_IF_ERROR(tx.Exec(current->sql).status());
      return tx
          .Exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                {current->version, current->name})
          .status();
    });
    if (!status.ok()) {
      if (current == nullptr) return status;
      return absl::Status(status.code(), absl::StrCat("migration ", Label(*current),
                                                      " failed: ", DetailOrMessage(status)));
    }
    if (up_to_date) return applied;
    ++applied;
  }
}

absl::StatusOr<int> CurrentVersion(ConnectionPool& pool) {
  int version = 0;
  GUREUM_RETURN_IF_ERROR(pool.ReadOnly([&](Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        Row row, tx.ExecOne("SELECT to_regclass('schema_migrations') IS NOT NULL AS present", {},
                            "catalog row"));
    if (!row.Get<bool>("present")) {
      version = 0;
      return absl::OkStatus();
    }
    GUREUM_ASSIGN_OR_RETURN(
        Row max, tx.ExecOne("SELECT coalesce(max(version), 0) AS v FROM schema_migrations", {},
                            "schema version"));
    version = max.Get<int>("v");
    return absl::OkStatus();
  }));
  return version;
}

absl::StatusOr<std::unique_ptr<ConnectionPool>> OpenCurrentDatabase(
    const std::string& server_uri, const std::string& database, const std::string& service,
    int pool_size, const std::vector<Migration>& migrations) {
  absl::StatusOr<std::string> uri = UriWithDatabase(server_uri, database);
  if (!uri.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("[database] connection: ", uri.status().message()));
  }
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(*uri, pool_size);
  if (!pool.ok()) {
    return absl::Status(pool.status().code(), absl::StrCat("cannot connect to PostgreSQL: ",
                                                           DetailOrMessage(pool.status())));
  }
  absl::StatusOr<int> version = CurrentVersion(**pool);
  if (!version.ok()) {
    return absl::Status(version.status().code(),
                        absl::StrCat("cannot read the schema version of ", database, ": ",
                                     DetailOrMessage(version.status())));
  }
  if (*version != static_cast<int>(migrations.size())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database ", database, " is at schema version ", *version, ", this binary needs ",
        migrations.size(), ": run `gureum-manage db sync ", service, "`"));
  }
  return pool;
}

}  // namespace gureum::db
