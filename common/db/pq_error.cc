#include "common/db/pq_error.h"

#include <optional>

#include <pqxx/except>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/db/uri.h"

#include "spdlog/spdlog.h"

namespace gureum::db::internal {
namespace {

// libpqxx's what() is the server's full report ("ERROR:  ...\nDETAIL: ..."); keep it
// on one line so log lines stay lines.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

absl::StatusCode CodeForSqlState(const std::string& s) {
  if (s == "23505" || s == "42P04" || s == "42P07" || s == "42710") {
    return absl::StatusCode::kAlreadyExists;
  }
  if (s == "23503") return absl::StatusCode::kFailedPrecondition;
  // 54000 program_limit_exceeded: in practice a value too large for an index row.
  if (s == "23502" || s == "23514" || absl::StartsWith(s, "22") || s == "54000") {
    return absl::StatusCode::kInvalidArgument;
  }
  if (s == "40001" || s == "40P01") return absl::StatusCode::kAborted;
  if (SqlStateBreaksConnection(s) || s == "53300") return absl::StatusCode::kUnavailable;
  if (s == "57014") return absl::StatusCode::kDeadlineExceeded;
  return absl::StatusCode::kInternal;
}

bool SqlStateBreaksConnection(const std::string& s) {
  // 08: connection exceptions; 57P01-57P03: the server is shutting down or our backend
  // was terminated (pg_terminate_backend), which libpq reports before the socket closes.
  return absl::StartsWith(s, "08") || s == "57P01" || s == "57P02" || s == "57P03";
}

namespace {

constexpr char kDetailUrl[] = "gureum.db/detail";

// Status messages can reach API clients (a 500's body, a 400's message), so they never
// carry the server's text: it names tables, constraints and the client's own values.
std::string GenericMessage(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kAlreadyExists:
      return "The request conflicts with an existing resource.";
    case absl::StatusCode::kFailedPrecondition:
      return "The request refers to a resource that does not exist or is still in use.";
    case absl::StatusCode::kInvalidArgument:
      return "A value in the request is not valid or too long.";
    case absl::StatusCode::kAborted:
      return "The request conflicted with a concurrent change; try again.";
    case absl::StatusCode::kUnavailable:
      return "The database is unavailable; try again later.";
    case absl::StatusCode::kDeadlineExceeded:
      return "The database did not answer in time.";
    default:
      return "The server has either erred or is incapable of performing the requested "
             "operation.";
  }
}

// For the log: printable ASCII only (the server's text may quote a client's bytes) and
// at most 2000 characters.
std::string Escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= 2000) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += absl::StrFormat("\\x%02x", c);
    }
  }
  return out;
}

absl::Status Mapped(absl::StatusCode code, const std::string& detail) {
  // Expected outcomes (a taken name, a retried conflict) at info, the rest at warn.
  const std::string escaped = Escape(detail);
  if (code == absl::StatusCode::kAlreadyExists || code == absl::StatusCode::kAborted ||
      code == absl::StatusCode::kFailedPrecondition) {
    spdlog::info("database: {}", escaped);
  } else {
    spdlog::warn("database: {}", escaped);
  }
  return WithDetail(absl::Status(code, GenericMessage(code)), escaped);
}

}  // namespace

absl::Status WithDetail(absl::Status status, const std::string& detail) {
  if (!status.ok()) status.SetPayload(kDetailUrl, absl::Cord(detail));
  return status;
}

std::string Detail(const absl::Status& status) {
  auto payload = status.GetPayload(kDetailUrl);
  return payload ? std::string(*payload) : std::string();
}

MappedError MapException(const std::exception_ptr& error, const std::string& uri) {
  MappedError out;
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::in_doubt_error& e) {
    out.status = Mapped(absl::StatusCode::kUnavailable,
                        absl::StrCat("connection lost while committing; the outcome is unknown: ",
                                     StripPassword(OneLine(e.what()), uri)));
    out.connection_broken = true;
    out.in_doubt = true;
  } catch (const pqxx::broken_connection& e) {
    out.status =
        Mapped(absl::StatusCode::kUnavailable,
               absl::StrCat("database connection lost: ", StripPassword(OneLine(e.what()), uri)));
    out.connection_broken = true;
  } catch (const pqxx::statement_completion_unknown& e) {
    // 40003: the server cannot tell whether the statement took effect.
    out.status = Mapped(
        absl::StatusCode::kUnavailable,
        absl::StrCat("SQLSTATE 40003: outcome unknown: ", StripPassword(OneLine(e.what()), uri)));
    out.in_doubt = true;
  } catch (const pqxx::transaction_rollback& e) {
    // libpqxx 6.4 derives these from failure, not sql_error, and drops the SQLSTATE;
    // the class tells it back: serialization_failure 40001, deadlock_detected 40P01,
    // and the generic 40000 for the rest. The server rolled back, so a retry is safe.
    const char* state = dynamic_cast<const pqxx::deadlock_detected*>(&e) != nullptr       ? "40P01"
                        : dynamic_cast<const pqxx::serialization_failure*>(&e) != nullptr ? "40001"
                                                                                          : "40000";
    out.status =
        Mapped(absl::StatusCode::kAborted,
               absl::StrCat("SQLSTATE ", state, ": ", StripPassword(OneLine(e.what()), uri)));
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    out.status =
        Mapped(CodeForSqlState(state), absl::StrCat("SQLSTATE ", state.empty() ? "?" : state, ": ",
                                                    StripPassword(OneLine(e.what()), uri)));
    out.connection_broken = SqlStateBreaksConnection(state);
  } catch (const std::exception& e) {
    out.status = Mapped(absl::StatusCode::kInternal,
                        absl::StrCat("database error: ", StripPassword(OneLine(e.what()), uri)));
  }
  return out;
}

}  // namespace gureum::db::internal
