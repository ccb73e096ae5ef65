// Name-or-id resolution as the openstack CLI does it: a command argument names a
// resource by id or by name. Try it as an id; if no such id, list by name: exactly one
// match is the answer, none is NotFound, several are an error asking for the id.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gureum::cli {

struct Resolver {
  std::string kind;  // "project", "user", ... (for messages)
  // OK when `value` is an existing id; NotFound (or InvalidArgument) when it is not.
  std::function<absl::Status(const std::string& id)> get;
  // The ids of the resources named `name`.
  std::function<absl::StatusOr<std::vector<std::string>>(const std::string& name)> list_by_name;
};

// The id `value` names. Errors other than "no such id" from `get` (an unreachable
// service, a denied call) are returned as they are when the name lookup fails as well.
absl::StatusOr<std::string> ResolveId(const Resolver& resolver, const std::string& value);

}  // namespace gureum::cli
