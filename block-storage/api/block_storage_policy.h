// Who asks and what they may do, shared by block storage's manager classes: the request's
// context and Cinder's default policy over common/policy's rules (overridable by the
// policy file). A refused rule is PermissionDenied (403) "Policy doesn't allow <rule> to be
// performed.". Thread-safe (the enforcer is immutable).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/base/caller.h"
#include "common/policy/enforcer.h"

namespace gureum::block_storage {

// Who asks, with the token (image lookups run with the user's own token).
struct RequestContext {
  Caller caller;
  std::string token;
};

class BlockStoragePolicy {
 public:
  // `enforcer` must outlive the policy.
  explicit BlockStoragePolicy(const policy::Enforcer& enforcer) : enforcer_(enforcer) {}

  // `rule` for the caller on `project_id` (the caller's own when empty).
  absl::Status Enforce(const RequestContext& ctx, const std::string& rule,
                       const std::string& project_id = "") const;
  // A cloud administrator (rule admin_api): sees every project's volumes and the hosts.
  bool IsAdmin(const RequestContext& ctx) const;
  // A cloud service acting for its users (the compute agents attach volumes of every
  // project as the service user): rule service_api, the role service or a cloud admin.
  bool IsService(const RequestContext& ctx) const;

 private:
  const policy::Enforcer& enforcer_;
};

// Cinder's default policy (volume:*, volume_extension:*), in the rules every service shares.
std::vector<policy::Rule> BlockStoragePolicyDefaults();

}  // namespace gureum::block_storage
