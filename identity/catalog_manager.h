// The service catalog of gureum-identity: regions, services, endpoints, and the catalog
// put in tokens (enabled services with their enabled endpoints, cached in the
// ValidationCache until the next catalog change).
//
// Every method but Catalog (for tokens) takes the caller and checks the identity policy
// first (identity:<verb>_region/_service/_endpoint): PermissionDenied before anything
// else. Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls
// the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "identity/manager_deps.h"
#include "identity/model.h"

namespace gureum::identity {

// ---- partial updates (PATCH): unset fields stay as they are ----
struct RegionUpdate {
  std::optional<std::string> description, parent_region_id;
};
struct ServiceUpdate {
  std::optional<std::string> type, name, description;
  std::optional<bool> enabled;
};
struct EndpointUpdate {
  std::optional<std::string> service_id, region_id, interface, url;
  std::optional<bool> enabled;
};

struct CatalogEntry {
  Service service;
  std::vector<Endpoint> endpoints;  // enabled ones, $(project_id)s substituted
};

class CatalogManager {
 public:
  explicit CatalogManager(const ManagerDeps& deps);

  absl::StatusOr<Region> CreateRegion(const Caller& caller, Region region);  // empty id: generated
  absl::StatusOr<Region> GetRegion(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<Region>> ListRegions(const Caller& caller, const ListFilter& filter);
  absl::StatusOr<Region> UpdateRegion(const Caller& caller, const std::string& id,
                                      const RegionUpdate& update);
  absl::Status DeleteRegion(const Caller& caller, const std::string& id);
  absl::StatusOr<Service> CreateService(const Caller& caller,
                                        Service service);  // InvalidArgument "type"
  absl::StatusOr<Service> GetService(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<Service>> ListServices(const Caller& caller, const ListFilter& filter);
  absl::StatusOr<Service> UpdateService(const Caller& caller, const std::string& id,
                                        const ServiceUpdate& update);
  absl::Status DeleteService(const Caller& caller, const std::string& id);
  // InvalidArgument "interface" (public/internal/admin), "url", "service_id".
  absl::StatusOr<Endpoint> CreateEndpoint(const Caller& caller, Endpoint endpoint);
  absl::StatusOr<Endpoint> GetEndpoint(const Caller& caller, const std::string& id);
  absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const Caller& caller,
                                                      const ListFilter& filter);
  absl::StatusOr<Endpoint> UpdateEndpoint(const Caller& caller, const std::string& id,
                                          const EndpointUpdate& update);
  absl::Status DeleteEndpoint(const Caller& caller, const std::string& id);
  // Enabled services with their enabled endpoints; `project_id` substitutes
  // $(project_id)s (and $(tenant_id)s); endpoints still holding it are left out when
  // `project_id` is empty, as Keystone does.
  absl::StatusOr<std::vector<CatalogEntry>> Catalog(const std::string& project_id);
  // The catalog of the caller's project (GET /v3/auth/catalog: identity:get_auth_catalog).
  absl::StatusOr<std::vector<CatalogEntry>> CallerCatalog(const Caller& caller);

 private:
  // Creates the region `region_id` names when it does not exist (Keystone does so for
  // endpoints); nothing for an empty id.
  absl::Status EnsureRegion(const std::string& region_id);
  IdentityStore& store_;
  IdGenerator& ids_;
  ValidationCache& validation_cache_;
  IdentityAccess& access_;
};

}  // namespace gureum::identity
