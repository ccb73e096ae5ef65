// Flavors of compute-api: create (Nova's schema: printable name, id of [a-zA-Z0-9. _-]),
// list, show, delete, description, extra specs and the access lists of private flavors.
// Managing them is for admins (os-flavor-manage, os-flavor-access); a private flavor is
// seen by admins and the projects given access, and is NotFound to every other project.
// Errors: PermissionDenied, InvalidArgument, NotFound, AlreadyExists, FailedPrecondition
// (409, access to a public flavor). Thread-safe; blocking (SQL).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/base/ids.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"

namespace gureum::compute {

class FlavorManager {
 public:
  // Every collaborator must outlive the manager.
  FlavorManager(ComputeStore& store, const ComputePolicy& policy, IdGenerator& ids);

  // An empty or "auto" id gets a new uuid.
  absl::StatusOr<FlavorRecord> CreateFlavor(const RequestContext& ctx, FlavorRecord f);
  absl::StatusOr<FlavorRecord> GetFlavor(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<std::vector<FlavorRecord>> ListFlavors(const RequestContext& ctx,
                                                        FlavorFilter filter);
  absl::Status DeleteFlavor(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<FlavorRecord> UpdateFlavor(const RequestContext& ctx, const std::string& id,
                                            const std::string& description);
  absl::StatusOr<StringMap> SetExtraSpecs(const RequestContext& ctx, const std::string& id,
                                          const StringMap& specs);
  absl::Status DeleteExtraSpec(const RequestContext& ctx, const std::string& id,
                               const std::string& key);
  absl::StatusOr<std::vector<std::string>> FlavorAccess(const RequestContext& ctx,
                                                        const std::string& id);
  absl::Status AddFlavorAccess(const RequestContext& ctx, const std::string& id,
                               const std::string& project);
  absl::Status RemoveFlavorAccess(const RequestContext& ctx, const std::string& id,
                                  const std::string& project);

  // The flavor `id` if the caller may use it (servers and resizes): NotFound "Flavor <id>
  // could not be found." for an unknown flavor or another project's private one.
  absl::StatusOr<FlavorRecord> FlavorForCaller(const RequestContext& ctx, const std::string& id);

 private:
  ComputeStore& store_;
  const ComputePolicy& policy_;
  IdGenerator& ids_;
};

}  // namespace gureum::compute
