// Who asks and what they may do, shared by compute-api's manager classes: the request's
// context (caller, token, request id) and Nova's policy over common/policy's rules.
// A refused rule is PermissionDenied (403) "Policy doesn't allow <rule> to be performed.".
// Thread-safe (the enforcer is immutable).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/base/caller.h"
#include "common/policy/enforcer.h"

namespace gureum::compute {

// Who asks, with the token (image and network lookups act with the user's own token) and
// the request id (instance actions are keyed by it).
struct RequestContext {
  Caller caller;
  std::string token;
  std::string request_id;
};

class ComputePolicy {
 public:
  // `enforcer` must outlive the policy.
  explicit ComputePolicy(const policy::Enforcer& enforcer) : enforcer_(enforcer) {}

  // `rule` for the caller on `project_id` and `user_id` (the caller's own when empty).
  absl::Status Enforce(const RequestContext& ctx, const std::string& rule,
                       const std::string& project_id = "", const std::string& user_id = "") const;
  // A cloud administrator (rule admin_api), who sees every project's resources.
  bool IsAdmin(const RequestContext& ctx) const;

 private:
  const policy::Enforcer& enforcer_;
};

// Nova's default policy (os_compute_api:*), in the rules every service shares.
std::vector<policy::Rule> ComputePolicyDefaults();

}  // namespace gureum::compute
