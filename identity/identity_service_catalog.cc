// The catalog over gRPC: regions, services and endpoints. CatalogManager checks the
// policy (regions are readable by any token; services and endpoints by cloud readers).
#include "common/status/macros.h"
#include "identity/identity_service.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {

// ---- regions ----

grpc::Status IdentityService::CreateRegion(grpc::ServerContext* ctx,
                                           const v1::CreateRegionRequest* req, v1::Region* resp) {
  return Serve(ctx, "CreateRegion", [&](const Caller& caller) -> absl::Status {
    const v1::Region& in = req->region();
    GUREUM_ASSIGN_OR_RETURN(Region r,
                            manager_.catalog().CreateRegion(
                                caller, {in.id(), in.description(), in.parent_region_id()}));
    RegionToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetRegion(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                        v1::Region* resp) {
  return Serve(ctx, "GetRegion", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(Region r, manager_.catalog().GetRegion(caller, req->id()));
    RegionToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListRegions(grpc::ServerContext* ctx, const v1::ListRegionsRequest*,
                                          v1::ListRegionsResponse* resp) {
  return Serve(ctx, "ListRegions", [&](const Caller& caller) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(auto regions, manager_.catalog().ListRegions(caller, ListFilter{}));
    for (const Region& r : regions) RegionToProto(r, resp->add_regions());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateRegion(grpc::ServerContext* ctx,
                                           const v1::UpdateRegionRequest* req, v1::Region* resp) {
  return Serve(ctx, "UpdateRegion", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    RegionUpdate u;
    if (req->has_description()) u.description = req->description();
    if (req->has_parent_region_id()) u.parent_region_id = req->parent_region_id();
    GUREUM_ASSIGN_OR_RETURN(Region r, manager_.catalog().UpdateRegion(caller, req->id(), u));
    RegionToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteRegion(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                           v1::Empty*) {
  return Serve(ctx, "DeleteRegion", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.catalog().DeleteRegion(caller, req->id());
  });
}

// ---- services ----

grpc::Status IdentityService::CreateService(grpc::ServerContext* ctx,
                                            const v1::CreateServiceRequest* req,
                                            v1::Service* resp) {
  return Serve(ctx, "CreateService", [&](const Caller& caller) -> absl::Status {
    const v1::Service& in = req->service();
    GUREUM_ASSIGN_OR_RETURN(
        identity::Service s,
        manager_.catalog().CreateService(caller, {"", in.type(), in.name(), in.description(),
                                                  in.has_enabled() ? in.enabled() : true}));
    ServiceToProto(s, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetService(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                         v1::Service* resp) {
  return Serve(ctx, "GetService", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(identity::Service s, manager_.catalog().GetService(caller, req->id()));
    ServiceToProto(s, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListServices(grpc::ServerContext* ctx,
                                           const v1::ListServicesRequest* req,
                                           v1::ListServicesResponse* resp) {
  return Serve(ctx, "ListServices", [&](const Caller& caller) -> absl::Status {
    ListFilter filter;
    if (!req->type().empty()) filter.type = req->type();
    if (!req->name().empty()) filter.name = req->name();
    GUREUM_ASSIGN_OR_RETURN(auto services, manager_.catalog().ListServices(caller, filter));
    for (const identity::Service& s : services) ServiceToProto(s, resp->add_services());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateService(grpc::ServerContext* ctx,
                                            const v1::UpdateServiceRequest* req,
                                            v1::Service* resp) {
  return Serve(ctx, "UpdateService", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    ServiceUpdate u;
    if (req->has_type()) u.type = req->type();
    if (req->has_name()) u.name = req->name();
    if (req->has_description()) u.description = req->description();
    if (req->has_enabled()) u.enabled = req->enabled();
    GUREUM_ASSIGN_OR_RETURN(identity::Service s,
                            manager_.catalog().UpdateService(caller, req->id(), u));
    ServiceToProto(s, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteService(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                            v1::Empty*) {
  return Serve(ctx, "DeleteService", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.catalog().DeleteService(caller, req->id());
  });
}

// ---- endpoints ----

grpc::Status IdentityService::CreateEndpoint(grpc::ServerContext* ctx,
                                             const v1::CreateEndpointRequest* req,
                                             v1::Endpoint* resp) {
  return Serve(ctx, "CreateEndpoint", [&](const Caller& caller) -> absl::Status {
    const v1::Endpoint& in = req->endpoint();
    GUREUM_ASSIGN_OR_RETURN(
        Endpoint e, manager_.catalog().CreateEndpoint(
                        caller, {"", in.service_id(), in.region_id(), in.interface(), in.url(),
                                 in.has_enabled() ? in.enabled() : true}));
    EndpointToProto(e, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetEndpoint(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                          v1::Endpoint* resp) {
  return Serve(ctx, "GetEndpoint", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(Endpoint e, manager_.catalog().GetEndpoint(caller, req->id()));
    EndpointToProto(e, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListEndpoints(grpc::ServerContext* ctx,
                                            const v1::ListEndpointsRequest* req,
                                            v1::ListEndpointsResponse* resp) {
  return Serve(ctx, "ListEndpoints", [&](const Caller& caller) -> absl::Status {
    ListFilter filter;
    if (!req->service_id().empty()) filter.service_id = req->service_id();
    if (!req->interface().empty()) filter.interface = req->interface();
    if (!req->region_id().empty()) filter.region_id = req->region_id();
    GUREUM_ASSIGN_OR_RETURN(auto endpoints, manager_.catalog().ListEndpoints(caller, filter));
    for (const Endpoint& e : endpoints) EndpointToProto(e, resp->add_endpoints());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateEndpoint(grpc::ServerContext* ctx,
                                             const v1::UpdateEndpointRequest* req,
                                             v1::Endpoint* resp) {
  return Serve(ctx, "UpdateEndpoint", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    EndpointUpdate u;
    if (req->has_service_id()) u.service_id = req->service_id();
    if (req->has_region_id()) u.region_id = req->region_id();
    if (req->has_interface()) u.interface = req->interface();
    if (req->has_url()) u.url = req->url();
    if (req->has_enabled()) u.enabled = req->enabled();
    GUREUM_ASSIGN_OR_RETURN(Endpoint e, manager_.catalog().UpdateEndpoint(caller, req->id(), u));
    EndpointToProto(e, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteEndpoint(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                             v1::Empty*) {
  return Serve(ctx, "DeleteEndpoint", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.catalog().DeleteEndpoint(caller, req->id());
  });
}

}  // namespace gureum::identity
