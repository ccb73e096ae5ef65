// Domains and projects over gRPC; ProjectManager checks the policy.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_service.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {

// ---- domains ----

grpc::Status IdentityService::CreateDomain(grpc::ServerContext* ctx,
                                           const v1::CreateDomainRequest* req, v1::Domain* resp) {
  return Serve(ctx, "CreateDomain", [&](const Caller& caller) -> absl::Status {
    const v1::Domain& in = req->domain();
    GUREUM_ASSIGN_OR_RETURN(Domain d, manager_.projects().CreateDomain(
                                          caller, {in.id(), in.name(), in.description(),
                                                   in.has_enabled() ? in.enabled() : true}));
    DomainToProto(d, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetDomain(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                        v1::Domain* resp) {
  return Serve(ctx, "GetDomain", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(Domain d, manager_.projects().GetDomain(caller, req->id()));
    DomainToProto(d, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListDomains(grpc::ServerContext* ctx,
                                          const v1::ListDomainsRequest* req,
                                          v1::ListDomainsResponse* resp) {
  return Serve(ctx, "ListDomains", [&](const Caller& caller) -> absl::Status {
    ListFilter filter;
    if (!req->name().empty()) filter.name = req->name();
    GUREUM_ASSIGN_OR_RETURN(auto domains, manager_.projects().ListDomains(caller, filter));
    for (const Domain& d : domains) DomainToProto(d, resp->add_domains());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateDomain(grpc::ServerContext* ctx,
                                           const v1::UpdateDomainRequest* req, v1::Domain* resp) {
  return Serve(ctx, "UpdateDomain", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    DomainUpdate u;
    if (req->has_name()) u.name = req->name();
    if (req->has_description()) u.description = req->description();
    if (req->has_enabled()) u.enabled = req->enabled();
    GUREUM_ASSIGN_OR_RETURN(Domain d, manager_.projects().UpdateDomain(caller, req->id(), u));
    DomainToProto(d, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteDomain(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                           v1::Empty*) {
  return Serve(ctx, "DeleteDomain", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.projects().DeleteDomain(caller, req->id());
  });
}

// ---- projects ----

grpc::Status IdentityService::CreateProject(grpc::ServerContext* ctx,
                                            const v1::CreateProjectRequest* req,
                                            v1::Project* resp) {
  return Serve(ctx, "CreateProject", [&](const Caller& caller) -> absl::Status {
    const v1::Project& in = req->project();
    Project p;
    p.name = in.name();
    p.parent_id = in.parent_id();
    p.description = in.description();
    p.enabled = in.has_enabled() ? in.enabled() : true;
    p.tags.assign(in.tags().begin(), in.tags().end());
    p.domain_id = in.domain_id();  // the manager defaults it
    GUREUM_ASSIGN_OR_RETURN(Project created, manager_.projects().CreateProject(caller, p));
    ProjectToProto(created, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetProject(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                         v1::Project* resp) {
  return Serve(ctx, "GetProject", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(Project p, manager_.projects().GetProject(caller, req->id()));
    ProjectToProto(p, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListProjects(grpc::ServerContext* ctx,
                                           const v1::ListProjectsRequest* req,
                                           v1::ListProjectsResponse* resp) {
  return Serve(ctx, "ListProjects", [&](const Caller& caller) -> absl::Status {
    ListFilter filter;
    if (!req->name().empty()) filter.name = req->name();
    if (!req->domain_id().empty()) filter.domain_id = req->domain_id();
    if (!filter.domain_id && !caller.scope_domain_id.empty()) {
      filter.domain_id = caller.scope_domain_id;
    }
    absl::StatusOr<std::vector<Project>> projects =
        manager_.projects().ListProjects(caller, filter);
    if (absl::IsPermissionDenied(projects.status())) {
      // Anyone else gets what GET /v3/users/{self}/projects gives: the projects they hold
      // a role on, never another project's existence.
      projects = manager_.assignments().ListUserProjects(caller, caller.user_id);
    }
    if (!projects.ok()) return projects.status();
    for (const Project& p : *projects) {
      if (filter.name && p.name != *filter.name) continue;
      if (filter.domain_id && p.domain_id != *filter.domain_id) continue;
      ProjectToProto(p, resp->add_projects());
    }
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateProject(grpc::ServerContext* ctx,
                                            const v1::UpdateProjectRequest* req,
                                            v1::Project* resp) {
  return Serve(ctx, "UpdateProject", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    ProjectUpdate u;
    if (req->has_name()) u.name = req->name();
    if (req->has_description()) u.description = req->description();
    if (req->has_enabled()) u.enabled = req->enabled();
    if (req->has_tags()) {
      u.tags = std::vector<std::string>(req->tags().values().begin(), req->tags().values().end());
    }
    GUREUM_ASSIGN_OR_RETURN(Project updated,
                            manager_.projects().UpdateProject(caller, req->id(), u));
    ProjectToProto(updated, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteProject(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                            v1::Empty*) {
  return Serve(ctx, "DeleteProject", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.projects().DeleteProject(caller, req->id());
  });
}

}  // namespace gureum::identity
