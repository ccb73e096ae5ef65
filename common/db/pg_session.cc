// The only file, with pq_error.cc, that includes libpqxx. Transactions are driven with
// explicit BEGIN/COMMIT on a pqxx::nontransaction rather than libpqxx's transaction
// templates: that gives us isolation level and READ ONLY as options at run time, and we
// know exactly when COMMIT has been sent (after which a lost connection is "in doubt"
// and must not be retried).
#include "common/db/pg_session.h"

#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/prepared_statement>
#include <pqxx/result>

#include "absl/strings/str_cat.h"
#include "common/db/pq_error.h"
#include "common/db/uri.h"

namespace gureum::db::internal {
namespace {

const char* BeginStatement(const TxOptions& options) {
  switch (options.isolation) {
    case Isolation::kSerializable:
      return options.read_only ? "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"
                               : "BEGIN ISOLATION LEVEL SERIALIZABLE";
    case Isolation::kRepeatableRead:
      return options.read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                               : "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case Isolation::kReadCommitted:
      break;
  }
  return options.read_only ? "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY"
                           : "BEGIN ISOLATION LEVEL READ COMMITTED";
}

Rows ToRows(const pqxx::result& result) {
  std::vector<std::string> columns;
  for (pqxx::row::size_type c = 0; c < result.columns(); ++c) {
    columns.emplace_back(result.column_name(c));
  }
  std::vector<std::vector<std::optional<std::string>>> values;
  values.reserve(result.size());
  for (const pqxx::row& row : result) {
    std::vector<std::optional<std::string>> v;
    v.reserve(row.size());
    for (const pqxx::field& f : row) {
      if (f.is_null()) {
        v.emplace_back(std::nullopt);
      } else {
        v.emplace_back(std::string(f.c_str(), f.size()));
      }
    }
    values.push_back(std::move(v));
  }
  return Rows(std::move(columns), std::move(values), static_cast<int64_t>(result.affected_rows()));
}

}  // namespace

struct PgSession::Impl {
  std::string uri;
  std::unique_ptr<pqxx::connection> conn;
};

namespace {

// The Tx handed to the caller's function: statements on a nontransaction inside our
// explicit BEGIN. Records the first error (see tx.h: it poisons the transaction).
class PgTx final : public Tx {
 public:
  PgTx(pqxx::nontransaction& work, const std::string& uri) : work_(work), uri_(uri) {}

  absl::StatusOr<Rows> Exec(const std::string& sql, const Params& params) override {
    if (!first_error_.status.ok()) return first_error_.status;
    try {
      if (params.empty()) return ToRows(work_.exec(sql));
      std::vector<const char*> texts;
      texts.reserve(params.size());
      for (const Param& p : params) {
        texts.push_back(p.text().has_value() ? p.text()->c_str() : nullptr);
      }
      return ToRows(work_.exec_params(sql, pqxx::prepare::make_dynamic_params(texts)));
    } catch (const std::exception&) {
      first_error_ = MapException(std::current_exception(), uri_);
      return first_error_.status;
    }
  }

  const MappedError& first_error() const { return first_error_; }

 private:
  pqxx::nontransaction& work_;
  const std::string& uri_;
  MappedError first_error_;
};

}  // namespace

PgSession::PgSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgSession::~PgSession() = default;

absl::StatusOr<std::unique_ptr<PgSession>> PgSession::Open(const std::string& uri) {
  auto impl = std::make_unique<Impl>();
  impl->uri = uri;
  try {
    impl->conn = std::make_unique<pqxx::connection>(uri);
    pqxx::nontransaction setup(*impl->conn);
    setup.exec("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, MDY'");
  } catch (const std::exception&) {
    MappedError e = MapException(std::current_exception(), uri);
    // A refused or unreachable server comes from libpq as a plain failure; either way
    // the caller can do nothing but try again later.
    return WithDetail(absl::UnavailableError("The database is unavailable; try again later."),
                      absl::StrCat("cannot connect to ", RedactUri(uri), ": ", Detail(e.status)));
  }
  return std::unique_ptr<PgSession>(new PgSession(std::move(impl)));
}

AttemptResult PgSession::RunTransaction(const TxOptions& options,
                                        const std::function<absl::Status(Tx&)>& fn) {
  const std::string& uri = impl_->uri;
  AttemptResult out;
  MappedError db_error;
  try {
    pqxx::nontransaction work(*impl_->conn);
    work.exec(BeginStatement(options));
    PgTx tx(work, uri);
    absl::Status status = fn(tx);
    if (!tx.first_error().status.ok()) {
      // A database error wins over what fn returned: it may be a swallowed
      // serialization failure, and it is the reason the transaction is dead.
      db_error = tx.first_error();
    } else if (!status.ok()) {
      out.status = status;
    }
    if (!db_error.status.ok() || !out.status.ok()) {
      if (!db_error.connection_broken) work.exec("ROLLBACK");
    } else {
      try {
        work.exec("COMMIT");
      } catch (const std::exception&) {
        db_error = MapException(std::current_exception(), uri);
        if (db_error.connection_broken) {
          db_error.in_doubt = true;
          db_error.status = WithDetail(
              absl::UnavailableError("The database connection was lost while committing; "
                                     "the outcome is unknown."),
              absl::StrCat("connection lost during COMMIT; the outcome is unknown: ",
                           Detail(db_error.status)));
        }
      }
    }
  } catch (const std::exception&) {
    // BEGIN or ROLLBACK failed: the connection is most likely gone.
    // If fn had already failed on its own, its error is the one to report.
    MappedError e = MapException(std::current_exception(), uri);
    if (db_error.status.ok() && out.status.ok()) db_error = e;
    db_error.connection_broken = db_error.connection_broken || e.connection_broken;
  }
  if (!impl_->conn->is_open()) db_error.connection_broken = true;
  if (db_error.connection_broken) broken_ = true;
  if (!db_error.status.ok()) {
    out.status = db_error.status;
    out.retryable = db_error.status.code() == absl::StatusCode::kAborted ||
                    (db_error.connection_broken && !db_error.in_doubt);
  }
  return out;
}

AttemptResult PgSession::ExecOutsideTransaction(const std::string& sql) {
  AttemptResult out;
  try {
    pqxx::nontransaction work(*impl_->conn);
    work.exec(sql);
  } catch (const std::exception&) {
    MappedError e = MapException(std::current_exception(), impl_->uri);
    if (e.connection_broken || !impl_->conn->is_open()) broken_ = true;
    out.status = e.status;
    // Only a statement that never reached the server is safe to send again.
    out.retryable = false;
  }
  return out;
}

}  // namespace gureum::db::internal
