// The error messages identity shares between its stores and its manager, worded as
// Keystone words them so that clients and Tempest see familiar text.
#pragma once

#include <string>

#include <spdlog/spdlog.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/auth/verifier.h"
#include "common/validate/validate.h"

namespace gureum::identity {

// NotFound "Could not find project: <id>."
inline absl::Status NotFoundError(const std::string& kind, const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Could not find ", kind, ": ", id, "."));
}

// AlreadyExists "Duplicate entry: project with name 'x' in domain 'default'."
inline absl::Status DuplicateError(const std::string& kind, const std::string& name,
                                   const std::string& scope = "") {
  return absl::AlreadyExistsError(absl::StrCat("Duplicate entry: ", kind, " with name '", name, "'",
                                               scope.empty() ? "" : " in ", scope, "."));
}

// InvalidArgument "Invalid input for field 'name': must not be empty."
inline absl::Status InvalidFieldError(const std::string& field, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid input for field '", field, "': ", why, "."));
}

// A user, project, domain, group, role or application credential name: 1 to 255
// characters, no NUL, valid UTF-8 (a 900 KB name reached PostgreSQL's index limit).
inline absl::Status CheckName(const std::string& name) {
  if (name.empty()) return InvalidFieldError("name", "must not be empty");
  return ValidateName("name", name);
}

// A domain or project name: as CheckName, and at most 64 characters (Keystone's schema).
inline absl::Status CheckShortName(const std::string& name) {
  if (name.size() > 64) return InvalidFieldError("name", "must be at most 64 characters");
  return CheckName(name);
}

// Keystone's schema leaves descriptions unbounded; ours stop at 65535 characters.
inline absl::Status CheckDescription(const std::string& description) {
  return ValidateText("description", description);
}

// Every failed authentication answers the same Unauthenticated(kAuthRequired); the reason
// goes to the log with the user id only.
inline absl::Status AuthFailure(const std::string& why, const std::string& user_id = "") {
  spdlog::info("authentication failed: {} user={}", why, user_id.empty() ? "-" : user_id);
  return absl::UnauthenticatedError(auth::kAuthRequired);
}

// A store NotFound during authentication is an authentication failure; outages are not.
inline absl::Status AsAuthFailure(const absl::Status& s, const std::string& why) {
  if (absl::IsNotFound(s) || absl::IsInvalidArgument(s)) return AuthFailure(why);
  return s;
}

}  // namespace gureum::identity
