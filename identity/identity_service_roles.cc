// Roles, role grants (project, domain, system; inherited) and role assignment listing
// over gRPC. RoleManager and AssignmentManager check the policy.
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_service.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {

grpc::Status IdentityService::CreateRole(grpc::ServerContext* ctx, const v1::CreateRoleRequest* req,
                                         v1::Role* resp) {
  return Serve(ctx, "CreateRole", [&](const Caller& caller) -> absl::Status {
    const v1::Role& in = req->role();
    GUREUM_ASSIGN_OR_RETURN(Role r, manager_.roles().CreateRole(
                                        caller, {"", in.name(), in.domain_id(), in.description()}));
    RoleToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetRole(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                      v1::Role* resp) {
  return Serve(ctx, "GetRole", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(Role r, manager_.roles().GetRole(caller, req->id()));
    RoleToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListRoles(grpc::ServerContext* ctx, const v1::ListRolesRequest* req,
                                        v1::ListRolesResponse* resp) {
  return Serve(ctx, "ListRoles", [&](const Caller& caller) -> absl::Status {
    ListFilter filter;
    if (!req->name().empty()) filter.name = req->name();
    filter.domain_id = req->domain_id();  // as Keystone: global roles unless asked
    GUREUM_ASSIGN_OR_RETURN(auto roles, manager_.roles().ListRoles(caller, filter));
    for (const Role& r : roles) RoleToProto(r, resp->add_roles());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateRole(grpc::ServerContext* ctx, const v1::UpdateRoleRequest* req,
                                         v1::Role* resp) {
  return Serve(ctx, "UpdateRole", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    RoleUpdate u;
    if (req->has_name()) u.name = req->name();
    if (req->has_description()) u.description = req->description();
    GUREUM_ASSIGN_OR_RETURN(Role r, manager_.roles().UpdateRole(caller, req->id(), u));
    RoleToProto(r, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteRole(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                         v1::Empty*) {
  return Serve(ctx, "DeleteRole", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.roles().DeleteRole(caller, req->id());
  });
}

// ---- grants ----

namespace {

// The manager checks the grant's shape too, but only after the policy lookups; a request
// naming no actor or no target is refused first, naming the field.
absl::Status CheckGrantRequest(const RoleAssignment& a) {
  GUREUM_RETURN_IF_ERROR(RequireField("role_id", a.role_id));
  if (a.user_id.empty() == a.group_id.empty()) {
    return InvalidFieldError("user_id", "exactly one of user_id and group_id must be set");
  }
  int targets = !a.project_id.empty() + !a.domain_id.empty() + a.system;
  if (targets != 1) {
    return InvalidFieldError("project_id",
                             "exactly one of project_id, domain_id and system must be set");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status IdentityService::GrantRole(grpc::ServerContext* ctx, const v1::RoleGrant* req,
                                        v1::Empty*) {
  return Serve(ctx, "GrantRole", [&](const Caller& caller) -> absl::Status {
    RoleAssignment a = GrantFromProto(*req);
    GUREUM_RETURN_IF_ERROR(CheckGrantRequest(a));
    return manager_.assignments().Grant(caller, a);
  });
}

grpc::Status IdentityService::RevokeRole(grpc::ServerContext* ctx, const v1::RoleGrant* req,
                                         v1::Empty*) {
  return Serve(ctx, "RevokeRole", [&](const Caller& caller) -> absl::Status {
    RoleAssignment a = GrantFromProto(*req);
    GUREUM_RETURN_IF_ERROR(CheckGrantRequest(a));
    return manager_.assignments().Revoke(caller, a);
  });
}

grpc::Status IdentityService::ListRoleAssignments(grpc::ServerContext* ctx,
                                                  const v1::ListRoleAssignmentsRequest* req,
                                                  v1::ListRoleAssignmentsResponse* resp) {
  return Serve(ctx, "ListRoleAssignments", [&](const Caller& caller) -> absl::Status {
    AssignmentQuery q;
    auto set = [](std::optional<std::string>& out, const std::string& value) {
      if (!value.empty()) out = value;
    };
    set(q.filter.user_id, req->user_id());
    set(q.filter.group_id, req->group_id());
    set(q.filter.role_id, req->role_id());
    set(q.filter.project_id, req->project_id());
    set(q.filter.domain_id, req->domain_id());
    if (req->system()) q.filter.system = true;
    if (req->has_inherited()) q.filter.inherited = req->inherited();
    q.effective = req->effective();
    q.include_names = req->include_names();
    if (q.effective && q.filter.group_id) {
      return InvalidFieldError("group_id", "cannot be combined with effective");
    }
    GUREUM_ASSIGN_OR_RETURN(auto views, manager_.assignments().ListRoleAssignments(caller, q));
    for (const RoleAssignmentView& v : views) AssignmentToProto(v, resp->add_role_assignments());
    return absl::OkStatus();
  });
}

}  // namespace gureum::identity
