#include "common/db/tx.h"

#include "absl/strings/str_cat.h"
#include "common/db/pq_error.h"
#include "common/status/macros.h"

namespace gureum::db {

absl::StatusOr<int64_t> Tx::ExecAffected(const std::string& sql, const Params& params) {
  GUREUM_ASSIGN_OR_RETURN(Rows rows, Exec(sql, params));
  return rows.affected();
}

absl::StatusOr<Row> Tx::ExecOne(const std::string& sql, const Params& params,
                                const std::string& what) {
  GUREUM_ASSIGN_OR_RETURN(Rows rows, Exec(sql, params));
  if (rows.empty()) return absl::NotFoundError(absl::StrCat(what, " not found"));
  if (rows.size() > 1) {
    return absl::InternalError(absl::StrCat("expected one row for ", what, ", got ", rows.size()));
  }
  return rows[0];
}

std::string ErrorDetail(const absl::Status& status) { return internal::Detail(status); }

}  // namespace gureum::db
