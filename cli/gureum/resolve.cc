#include "cli/gureum/resolve.h"

#include "absl/strings/str_cat.h"

namespace gureum::cli {

absl::StatusOr<std::string> ResolveId(const Resolver& r, const std::string& value) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("empty ", r.kind, " name"));
  absl::Status by_id = r.get(value);
  if (by_id.ok()) return value;
  absl::StatusOr<std::vector<std::string>> ids = r.list_by_name(value);
  if (!ids.ok()) {
    const bool no_such_id = by_id.code() == absl::StatusCode::kNotFound ||
                            by_id.code() == absl::StatusCode::kInvalidArgument;
    return no_such_id ? ids.status() : by_id;
  }
  if (ids->empty()) {
    // An id we may not read (PermissionDenied) is reported as such, not as missing.
    if (by_id.code() == absl::StatusCode::kPermissionDenied) return by_id;
    return absl::NotFoundError(
        absl::StrCat("No ", r.kind, " with a name or ID of '", value, "' exists."));
  }
  if (ids->size() > 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("More than one ", r.kind, " exists with the name '", value, "'; use its ID."));
  }
  return ids->front();
}

}  // namespace gureum::cli
