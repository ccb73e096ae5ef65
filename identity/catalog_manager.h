// The service catalog of gureum-identity: regions, services, endpoints, and the catalog
// put in tokens (enabled services with their enabled endpoints, cached in the
// ValidationCache until the next catalog change).
//
// Errors in Keystone's words (identity_errors.h). Thread-safe; every method calls the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

  absl::StatusOr<Region> CreateRegion(Region region);  // empty id: generated
  absl::StatusOr<Region> GetRegion(const std::string& id);
  absl::StatusOr<std::vector<Region>> ListRegions(const ListFilter& filter);
  absl::StatusOr<Region> UpdateRegion(const std::string& id, const RegionUpdate& update);
  absl::Status DeleteRegion(const std::string& id);
  absl::StatusOr<Service> CreateService(Service service);  // InvalidArgument "type"
  absl::StatusOr<Service> GetService(const std::string& id);
  absl::StatusOr<std::vector<Service>> ListServices(const ListFilter& filter);
  absl::StatusOr<Service> UpdateService(const std::string& id, const ServiceUpdate& update);
  absl::Status DeleteService(const std::string& id);
  // InvalidArgument "interface" (public/internal/admin), "url", "service_id".
  absl::StatusOr<Endpoint> CreateEndpoint(Endpoint endpoint);
  absl::StatusOr<Endpoint> GetEndpoint(const std::string& id);
  absl::StatusOr<std::vector<Endpoint>> ListEndpoints(const ListFilter& filter);
  absl::StatusOr<Endpoint> UpdateEndpoint(const std::string& id, const EndpointUpdate& update);
  absl::Status DeleteEndpoint(const std::string& id);
  // Enabled services with their enabled endpoints; `project_id` substitutes
  // $(project_id)s (and $(tenant_id)s); endpoints still holding it are left out when
  // `project_id` is empty, as Keystone does.
  absl::StatusOr<std::vector<CatalogEntry>> Catalog(const std::string& project_id);

 private:
  IdentityStore& store_;
  IdGenerator& ids_;
  ValidationCache& validation_cache_;
};

}  // namespace gureum::identity
