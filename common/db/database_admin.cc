#include "common/db/database_admin.h"

#include "absl/strings/str_cat.h"
#include "common/db/pool.h"
#include "common/status/macros.h"

namespace gureum::db {

absl::Status ValidateDatabaseName(const std::string& name) {
  // CREATE/DROP DATABASE take no $n parameters, so the name is spliced into the text;
  // allowing only this alphabet makes quoting trivial and injection impossible.
  bool ok = !name.empty() && name.size() <= 63 && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid database name \"", name,
                     "\": use lower-case letters, digits and '_', at most 63 bytes"));
  }
  return absl::OkStatus();
}

absl::Status EnsureDatabase(ConnectionPool& admin, const std::string& name) {
  GUREUM_RETURN_IF_ERROR(ValidateDatabaseName(name));
  bool exists = false;
  GUREUM_RETURN_IF_ERROR(admin.ReadOnly([&](Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Rows rows,
                            tx.Exec("SELECT 1 FROM pg_database WHERE datname = $1", {name}));
    exists = !rows.empty();
    return absl::OkStatus();
  }));
  if (exists) return absl::OkStatus();
  absl::Status created =
      admin.ExecOutsideTransaction(absl::StrCat("CREATE DATABASE \"", name, "\""));
  // Someone else created it between our check and our CREATE: that is what we wanted.
  if (created.code() == absl::StatusCode::kAlreadyExists) return absl::OkStatus();
  return created;
}

absl::Status DropDatabase(ConnectionPool& admin, const std::string& name) {
  GUREUM_RETURN_IF_ERROR(ValidateDatabaseName(name));
  return admin.ExecOutsideTransaction(
      absl::StrCat("DROP DATABASE IF EXISTS \"", name, "\" WITH (FORCE)"));
}

}  // namespace gureum::db
