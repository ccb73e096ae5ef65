// Policy check strings in oslo.policy's language, parsed once into a tree:
//
//   "role:admin or (role:member and project_id:%(target.project_id)s)"
//   "rule:admin_required", "system_scope:all", "@" (always), "!" (never), "not role:reader"
//
// A check names a credential attribute on the left (user_id, project_id, domain_id,
// user_domain_id, project_domain_id, system_scope, is_admin_project, role) and a literal
// or a %(target.key)s reference on the right. `rule:NAME` refers to another rule.
// is_admin_project compares with True or False (any case), as oslo.policy's
// `is_admin_project:True`: whether the token is scoped to the cloud's admin project.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"

namespace gureum::policy {

// Attributes of the object acted on, e.g. {"target.project_id": "p1"}; the keys are
// what %(...)s references name.
using Target = absl::flat_hash_map<std::string, std::string>;

class Check {
 public:
  virtual ~Check() = default;
  // `resolve_rule` evaluates a named rule (for rule:NAME); `depth` guards against cycles.
  virtual bool Evaluate(const Caller& caller, const Target& target,
                        const std::function<bool(const std::string&, int)>& resolve_rule,
                        int depth) const = 0;
};

// Parses a check string. An empty string means "always" (as in oslo.policy). Errors name
// the token that could not be understood.
absl::StatusOr<std::shared_ptr<const Check>> ParseCheck(const std::string& text);

}  // namespace gureum::policy
