// The catalog: /v3/regions, /v3/services, /v3/endpoints.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

// ---- regions ----

absl::Status CreateRegionWithId(Call& call, const std::string& path_id) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "region"));
  std::optional<std::string> id, description, parent;
  GUREUM_RETURN_IF_ERROR(OptString(body, "id", id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", description));
  GUREUM_RETURN_IF_ERROR(OptString(body, "parent_region_id", parent));
  if (!path_id.empty() && id && *id != path_id) {
    return InvalidFieldError("id", "must match the id in the URL");
  }
  Region r;
  r.id = path_id.empty() ? id.value_or("") : path_id;
  r.description = description.value_or("");
  r.parent_region_id = parent.value_or("");
  GUREUM_ASSIGN_OR_RETURN(Region created, call.manager().catalog().CreateRegion(call.caller, r));
  call.res.Json(201, {{"region", RegionJson(call, created)}});
  return absl::OkStatus();
}

absl::Status CreateRegion(Call& call) { return CreateRegionWithId(call, ""); }
absl::Status PutRegion(Call& call) { return CreateRegionWithId(call, call.Param("region_id")); }

absl::Status ListRegions(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
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
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", u.description));
  GUREUM_RETURN_IF_ERROR(OptString(body, "parent_region_id", u.parent_region_id));
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
  GUREUM_ASSIGN_OR_RETURN(s.type, ReqString(body, "type"));
  std::optional<std::string> name, description;
  std::optional<bool> enabled;
  GUREUM_RETURN_IF_ERROR(OptString(body, "name", name));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", description));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", enabled));
  s.name = name.value_or("");
  s.description = description.value_or("");
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
  GUREUM_RETURN_IF_ERROR(OptString(body, "type", u.type));
  GUREUM_RETURN_IF_ERROR(OptString(body, "name", u.name));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", u.description));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", u.enabled));
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
absl::Status EndpointRegion(const json& body, std::optional<std::string>& out) {
  GUREUM_RETURN_IF_ERROR(OptString(body, "region_id", out));
  if (!out) GUREUM_RETURN_IF_ERROR(OptString(body, "region", out));
  return absl::OkStatus();
}

absl::Status CreateEndpoint(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "endpoint"));
  Endpoint e;
  GUREUM_ASSIGN_OR_RETURN(e.service_id, ReqString(body, "service_id"));
  GUREUM_ASSIGN_OR_RETURN(e.interface, ReqString(body, "interface"));
  GUREUM_ASSIGN_OR_RETURN(e.url, ReqString(body, "url"));
  std::optional<std::string> region;
  std::optional<bool> enabled;
  GUREUM_RETURN_IF_ERROR(EndpointRegion(body, region));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", enabled));
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
  GUREUM_RETURN_IF_ERROR(OptString(body, "service_id", u.service_id));
  GUREUM_RETURN_IF_ERROR(EndpointRegion(body, u.region_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "interface", u.interface));
  GUREUM_RETURN_IF_ERROR(OptString(body, "url", u.url));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", u.enabled));
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

void RegisterCatalogRoutes(RestContext& ctx, http::Server& server) {
  AddRoute(ctx, server, "POST", "/v3/regions", CreateRegion);
  AddRoute(ctx, server, "GET", "/v3/regions", ListRegions);
  AddRoute(ctx, server, "GET", "/v3/regions/{region_id}", GetRegion);
  AddRoute(ctx, server, "PUT", "/v3/regions/{region_id}", PutRegion);
  AddRoute(ctx, server, "PATCH", "/v3/regions/{region_id}", UpdateRegion);
  AddRoute(ctx, server, "DELETE", "/v3/regions/{region_id}", DeleteRegion);

  AddRoute(ctx, server, "POST", "/v3/services", CreateService);
  AddRoute(ctx, server, "GET", "/v3/services", ListServices);
  AddRoute(ctx, server, "GET", "/v3/services/{service_id}", GetService);
  AddRoute(ctx, server, "PATCH", "/v3/services/{service_id}", UpdateService);
  AddRoute(ctx, server, "DELETE", "/v3/services/{service_id}", DeleteService);

  AddRoute(ctx, server, "POST", "/v3/endpoints", CreateEndpoint);
  AddRoute(ctx, server, "GET", "/v3/endpoints", ListEndpoints);
  AddRoute(ctx, server, "GET", "/v3/endpoints/{endpoint_id}", GetEndpoint);
  AddRoute(ctx, server, "PATCH", "/v3/endpoints/{endpoint_id}", UpdateEndpoint);
  AddRoute(ctx, server, "DELETE", "/v3/endpoints/{endpoint_id}", DeleteEndpoint);
}

}  // namespace gureum::identity
