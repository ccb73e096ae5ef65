// The error messages identity shares between its stores and its manager, worded as
// Keystone words them so that clients and Tempest see familiar text.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gureum::identity {

// NotFound "Could not find project: <id>."
inline absl::Status NotFoundError(const std::string& kind, const std::string& id) {
  return absl::NotFoundError(absl::StrCat("Could not find ", kind, ": ", id, "."));
}

// AlreadyExists "Duplicate entry: project with name 'x' in domain 'default'."
inline absl::Status DuplicateError(const std::string& kind, const std::string& name,
                                   const std::string& scope = "") {
  return absl::AlreadyExistsError(absl::StrCat("Duplicate entry: ", kind, " with name '", name,
                                               "'", scope.empty() ? "" : " in ", scope, "."));
}

// InvalidArgument "Invalid input for field 'name': must not be empty."
inline absl::Status InvalidFieldError(const std::string& field, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid input for field '", field, "': ", why, "."));
}

// A user, project, domain or group name: 1 to 255 characters.
inline absl::Status CheckName(const std::string& name) {
  if (name.empty()) return InvalidFieldError("name", "must not be empty");
  if (name.size() > 255) return InvalidFieldError("name", "longer than 255 characters");
  return absl::OkStatus();
}

}  // namespace gureum::identity
