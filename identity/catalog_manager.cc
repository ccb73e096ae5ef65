#include "identity/catalog_manager.h"

#include "absl/strings/str_replace.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"

namespace gureum::identity {
namespace {

absl::Status CheckInterface(const std::string& interface) {
  if (interface == "public" || interface == "internal" || interface == "admin") {
    return absl::OkStatus();
  }
  return InvalidFieldError("interface", "must be public, internal or admin");
}

}  // namespace

CatalogManager::CatalogManager(const ManagerDeps& deps)
    : store_(deps.store),
      ids_(deps.ids),
      validation_cache_(deps.validation_cache),
      access_(deps.access) {}

absl::StatusOr<Region> CatalogManager::CreateRegion(const Caller& caller, Region region) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_region", caller));
  InvalidateOnExit invalidate(validation_cache_);
  if (region.id.empty()) region.id = ids_.NewUuid();
  if (region.id.size() > 255) return InvalidFieldError("id", "longer than 255 characters");
  GUREUM_RETURN_IF_ERROR(store_.CreateRegion(region));
  return region;
}

absl::StatusOr<Region> CatalogManager::GetRegion(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_region", caller));
  return store_.GetRegion(id);
}

absl::StatusOr<std::vector<Region>> CatalogManager::ListRegions(const Caller& caller,
                                                                const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_regions", caller));
  return store_.ListRegions(filter);
}

absl::StatusOr<Region> CatalogManager::UpdateRegion(const Caller& caller, const std::string& id,
                                                    const RegionUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_region", caller));
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(Region r, store_.GetRegion(id));
  if (update.description) r.description = *update.description;
  if (update.parent_region_id) {
    if (*update.parent_region_id == id) {
      return InvalidFieldError("parent_region_id", "a region cannot be its own parent");
    }
    r.parent_region_id = *update.parent_region_id;
  }
  GUREUM_RETURN_IF_ERROR(store_.UpdateRegion(r));
  return r;
}

absl::Status CatalogManager::DeleteRegion(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_region", caller));
  InvalidateOnExit invalidate(validation_cache_);
  return store_.DeleteRegion(id);
}

absl::StatusOr<Service> CatalogManager::CreateService(const Caller& caller, Service service) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_service", caller));
  InvalidateOnExit invalidate(validation_cache_);
  if (service.type.empty()) return InvalidFieldError("type", "must not be empty");
  if (service.id.empty()) service.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(store_.CreateService(service));
  return service;
}

absl::StatusOr<Service> CatalogManager::GetService(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_service", caller));
  return store_.GetService(id);
}

absl::StatusOr<std::vector<Service>> CatalogManager::ListServices(const Caller& caller,
                                                                  const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_services", caller));
  return store_.ListServices(filter);
}

absl::StatusOr<Service> CatalogManager::UpdateService(const Caller& caller, const std::string& id,
                                                      const ServiceUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_service", caller));
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(Service s, store_.GetService(id));
  if (update.type) {
    if (update.type->empty()) return InvalidFieldError("type", "must not be empty");
    s.type = *update.type;
  }
  if (update.name) s.name = *update.name;
  if (update.description) s.description = *update.description;
  if (update.enabled) s.enabled = *update.enabled;
  GUREUM_RETURN_IF_ERROR(store_.UpdateService(s));
  return s;
}

absl::Status CatalogManager::DeleteService(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_service", caller));
  InvalidateOnExit invalidate(validation_cache_);
  return store_.DeleteService(id);
}

absl::StatusOr<Endpoint> CatalogManager::CreateEndpoint(const Caller& caller, Endpoint endpoint) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:create_endpoint", caller));
  InvalidateOnExit invalidate(validation_cache_);
  if (endpoint.service_id.empty()) return InvalidFieldError("service_id", "must not be empty");
  GUREUM_RETURN_IF_ERROR(CheckInterface(endpoint.interface));
  if (endpoint.url.empty()) return InvalidFieldError("url", "must not be empty");
  if (endpoint.id.empty()) endpoint.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(EnsureRegion(endpoint.region_id));
  GUREUM_RETURN_IF_ERROR(store_.CreateEndpoint(endpoint));
  return endpoint;
}

absl::Status CatalogManager::EnsureRegion(const std::string& region_id) {
  if (region_id.empty()) return absl::OkStatus();
  absl::StatusOr<Region> r = store_.GetRegion(region_id);
  if (!absl::IsNotFound(r.status())) return r.status();
  absl::Status created = store_.CreateRegion(Region{region_id, "", ""});
  // Another request may have made it meanwhile.
  return absl::IsAlreadyExists(created) ? absl::OkStatus() : created;
}

absl::StatusOr<Endpoint> CatalogManager::GetEndpoint(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_endpoint", caller));
  return store_.GetEndpoint(id);
}

absl::StatusOr<std::vector<Endpoint>> CatalogManager::ListEndpoints(const Caller& caller,
                                                                    const ListFilter& filter) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:list_endpoints", caller));
  return store_.ListEndpoints(filter);
}

absl::StatusOr<Endpoint> CatalogManager::UpdateEndpoint(const Caller& caller, const std::string& id,
                                                        const EndpointUpdate& update) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:update_endpoint", caller));
  InvalidateOnExit invalidate(validation_cache_);
  GUREUM_ASSIGN_OR_RETURN(Endpoint e, store_.GetEndpoint(id));
  if (update.service_id) e.service_id = *update.service_id;
  if (update.region_id) {
    GUREUM_RETURN_IF_ERROR(EnsureRegion(*update.region_id));
    e.region_id = *update.region_id;
  }
  if (update.interface) {
    GUREUM_RETURN_IF_ERROR(CheckInterface(*update.interface));
    e.interface = *update.interface;
  }
  if (update.url) {
    if (update.url->empty()) return InvalidFieldError("url", "must not be empty");
    e.url = *update.url;
  }
  if (update.enabled) e.enabled = *update.enabled;
  GUREUM_RETURN_IF_ERROR(store_.UpdateEndpoint(e));
  return e;
}

absl::Status CatalogManager::DeleteEndpoint(const Caller& caller, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:delete_endpoint", caller));
  InvalidateOnExit invalidate(validation_cache_);
  return store_.DeleteEndpoint(id);
}

absl::StatusOr<std::vector<CatalogEntry>> CatalogManager::Catalog(const std::string& project_id) {
  std::optional<CatalogRecords> records = validation_cache_.GetCatalog();
  if (!records) {
    uint64_t generation = validation_cache_.generation();
    ListFilter enabled;
    enabled.enabled = true;
    records.emplace();
    GUREUM_ASSIGN_OR_RETURN(records->services, store_.ListServices(enabled));
    GUREUM_ASSIGN_OR_RETURN(records->endpoints, store_.ListEndpoints(enabled));
    validation_cache_.PutCatalog(*records, generation);
  }
  std::vector<CatalogEntry> catalog;
  for (const Service& s : records->services) {
    CatalogEntry entry{s, {}};
    for (Endpoint e : records->endpoints) {
      if (e.service_id != s.id) continue;
      bool templated = e.url.find("$(project_id)s") != std::string::npos ||
                       e.url.find("$(tenant_id)s") != std::string::npos;
      if (templated && project_id.empty()) continue;  // no project to put there
      e.url = absl::StrReplaceAll(e.url,
                                  {{"$(project_id)s", project_id}, {"$(tenant_id)s", project_id}});
      entry.endpoints.push_back(std::move(e));
    }
    catalog.push_back(std::move(entry));
  }
  return catalog;
}

absl::StatusOr<std::vector<CatalogEntry>> CatalogManager::CallerCatalog(const Caller& caller) {
  GUREUM_RETURN_IF_ERROR(access_.Enforce("identity:get_auth_catalog", caller));
  return Catalog(caller.project_id);
}

}  // namespace gureum::identity
