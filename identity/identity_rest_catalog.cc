// The catalog: /v3/regions, /v3/services, /v3/endpoints.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

// ---- regions ----

absl::Status CreateRegionWithId(Call& call, const std::string& path_id) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "region"));
  std::optional<std::string> id;
  Region r;
  http::JsonReader reader(body, "region", /*open=*/true);
  reader.OptionalString("id", &id, kNullable);
  reader.String("description", &r.description, kNullable);
  reader.String("parent_region_id", &r.parent_region_id, kNullable);
  GUREUM_RETURN_IF_ERROR(reader.Finish());
  if (!path_id.empty() && id && *id != path_id) {
    return InvalidFieldError("id", "must match the id in the URL");
  }
  r.id = path_id.empty() ? id.value_or("") : path_id;
  GUREUM_ASSIGN_OR_RETURN(Region created, call.manager().catalog().CreateRegion(call.caller, r));
  call.res.Json(201, {{"region", RegionJson(call, created)}});
  return absl::OkStatus();
}

absl::Status CreateRegion(Call& call) { return CreateRegionWithId(call, ""); }
absl::Status PutRegion(Call& call) { return CreateRegionWithId(call, call.Param("region_id")); }

absl::Status ListRegions(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  // Keystone's name for the parent filter of regions.
  if (auto parent = call.req.Query("parent_region_id")) filter.parent_id = *parent;
  GUREUM_ASSIGN_OR_RETURN(auto regions, call.manager().catalog().ListRegions(call.caller, filter));
  call.res.Json(200, EncodeList(call, "regions", regions, filter, RegionJson));
  return absl::OkStatus();
}

absl::Status GetRegion(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Region r,
                          call.manager().catalog().GetRegion(call.caller, call.Param("region_id")));
  call.res.Json(200, {{"region", RegionJson(call, r)}});
  return absl::OkStatus();
}

absl::Status UpdateRegion(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "region"));
  RegionUpdate u;
  http::JsonReader reader(body, "region", /*open=*/true);
  reader.OptionalString("description", &u.description, kNullable);
  reader.OptionalString("parent_region_id", &u.parent_region_id, kNullable);
  GUREUM_RETURN_IF_ERROR(reader.Finish());
  GUREUM_ASSIGN_OR_RETURN(
      Region r, call.manager().catalog().UpdateRegion(call.caller, call.Param("region_id"), u));
  call.res.Json(200, {{"region", RegionJson(call, r)}});
  return absl::OkStatus();
}

absl::Status DeleteRegion(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().catalog().DeleteRegion(call.caller, call.Param("region_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- services ----

absl::Status CreateService(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "service"));
  Service s;
  std::optional<bool> enabled;
  http::JsonReader r(body, "service", /*open=*/true);
  r.String("type", &s.type, kRequiredString);
  r.String("name", &s.name, kNullable);
  r.String("description", &s.description, kNullable);
  r.OptionalBool("enabled", &enabled);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  s.enabled = enabled.value_or(true);
  GUREUM_ASSIGN_OR_RETURN(Service created, call.manager().catalog().CreateService(call.caller, s));
  call.res.Json(201, {{"service", ServiceJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListServices(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  GUREUM_ASSIGN_OR_RETURN(auto services,
                          call.manager().catalog().ListServices(call.caller, filter));
  call.res.Json(200, EncodeList(call, "services", services, filter, ServiceJson));
  return absl::OkStatus();
}

absl::Status GetService(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      Service s, call.manager().catalog().GetService(call.caller, call.Param("service_id")));
  call.res.Json(200, {{"service", ServiceJson(call, s)}});
  return absl::OkStatus();
}

absl::Status UpdateService(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "service"));
  ServiceUpdate u;
  http::JsonReader r(body, "service", /*open=*/true);
  r.OptionalString("type", &u.type, kNullable);
  r.OptionalString("name", &u.name, kNullable);
  r.OptionalString("description", &u.description, kNullable);
  r.OptionalBool("enabled", &u.enabled);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(
      Service s, call.manager().catalog().UpdateService(call.caller, call.Param("service_id"), u));
  call.res.Json(200, {{"service", ServiceJson(call, s)}});
  return absl::OkStatus();
}

absl::Status DeleteService(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().catalog().DeleteService(call.caller, call.Param("service_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

// ---- endpoints ----

// "region_id", or the older "region" Keystone also accepts.
void ReadEndpointRegion(http::JsonReader& r, std::optional<std::string>* out) {
  r.OptionalString("region_id", out, kNullable);
  if (!*out) r.OptionalString("region", out, kNullable);
}

absl::Status CreateEndpoint(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "endpoint"));
  Endpoint e;
  std::optional<std::string> region;
  std::optional<bool> enabled;
  http::JsonReader r(body, "endpoint", /*open=*/true);
  r.String("service_id", &e.service_id, kRequiredString);
  r.String("interface", &e.interface, kRequiredString);
  r.String("url", &e.url, kRequiredString);
  ReadEndpointRegion(r, &region);
  r.OptionalBool("enabled", &enabled);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  e.region_id = region.value_or("");
  e.enabled = enabled.value_or(true);
  GUREUM_ASSIGN_OR_RETURN(Endpoint created,
                          call.manager().catalog().CreateEndpoint(call.caller, e));
  call.res.Json(201, {{"endpoint", EndpointJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListEndpoints(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  GUREUM_ASSIGN_OR_RETURN(auto endpoints,
                          call.manager().catalog().ListEndpoints(call.caller, filter));
  call.res.Json(200, EncodeList(call, "endpoints", endpoints, filter, EndpointJson));
  return absl::OkStatus();
}

absl::Status GetEndpoint(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      Endpoint e, call.manager().catalog().GetEndpoint(call.caller, call.Param("endpoint_id")));
  call.res.Json(200, {{"endpoint", EndpointJson(call, e)}});
  return absl::OkStatus();
}

absl::Status UpdateEndpoint(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "endpoint"));
  EndpointUpdate u;
  http::JsonReader r(body, "endpoint", /*open=*/true);
  r.OptionalString("service_id", &u.service_id, kNullable);
  ReadEndpointRegion(r, &u.region_id);
  r.OptionalString("interface", &u.interface, kNullable);
  r.OptionalString("url", &u.url, kNullable);
  r.OptionalBool("enabled", &u.enabled);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  GUREUM_ASSIGN_OR_RETURN(Endpoint e, call.manager().catalog().UpdateEndpoint(
                                          call.caller, call.Param("endpoint_id"), u));
  call.res.Json(200, {{"endpoint", EndpointJson(call, e)}});
  return absl::OkStatus();
}

absl::Status DeleteEndpoint(Call& call) {
  GUREUM_RETURN_IF_ERROR(
      call.manager().catalog().DeleteEndpoint(call.caller, call.Param("endpoint_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterCatalogRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/regions", CreateRegion);
  routes.Authed("GET", "/v3/regions", ListRegions);
  routes.Authed("GET", "/v3/regions/{region_id}", GetRegion);
  routes.Authed("PUT", "/v3/regions/{region_id}", PutRegion);
  routes.Authed("PATCH", "/v3/regions/{region_id}", UpdateRegion);
  routes.Authed("DELETE", "/v3/regions/{region_id}", DeleteRegion);

  routes.Authed("POST", "/v3/services", CreateService);
  routes.Authed("GET", "/v3/services", ListServices);
  routes.Authed("GET", "/v3/services/{service_id}", GetService);
  routes.Authed("PATCH", "/v3/services/{service_id}", UpdateService);
  routes.Authed("DELETE", "/v3/services/{service_id}", DeleteService);

  routes.Authed("POST", "/v3/endpoints", CreateEndpoint);
  routes.Authed("GET", "/v3/endpoints", ListEndpoints);
  routes.Authed("GET", "/v3/endpoints/{endpoint_id}", GetEndpoint);
  routes.Authed("PATCH", "/v3/endpoints/{endpoint_id}", UpdateEndpoint);
  routes.Authed("DELETE", "/v3/endpoints/{endpoint_id}", DeleteEndpoint);
}

}  // namespace gureum::identity
