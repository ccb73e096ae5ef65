// Server groups of compute-api: affinity, anti-affinity (with max_server_per_host) and
// their soft forms, within the server_groups quota. A group of another project is NotFound;
// the show policy is checked on the caller's own project first, as in Nova. Errors:
// PermissionDenied, InvalidArgument, NotFound, ResourceExhausted (403). Thread-safe;
// blocking (SQL).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/ids.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

class ServerGroupManager {
 public:
  // Every collaborator must outlive the manager.
  ServerGroupManager(ComputeStore& store, const ComputePolicy& policy, IdGenerator& ids,
                     ComputeOptions options);

  absl::StatusOr<ServerGroup> CreateServerGroup(const RequestContext& ctx, const std::string& name,
                                                const std::string& policy, int max_per_host);
  absl::StatusOr<ServerGroup> GetServerGroup(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<ServerGroup>> ListServerGroups(const RequestContext& ctx,
                                                            bool all_projects);
  absl::Status DeleteServerGroup(const RequestContext& ctx, const std::string& id);

 private:
  ComputeStore& store_;
  const ComputePolicy& policy_;
  IdGenerator& ids_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
