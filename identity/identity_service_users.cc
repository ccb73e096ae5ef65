// Users (+ password reset and change) and groups (+ membership) over gRPC; UserManager
// checks the policy.
#include "common/auth/verifier.h"
#include "common/status/macros.h"
#include "identity/identity_service.h"
#include "identity/identity_service_internal.h"

namespace gureum::identity {
namespace {

// The domain a new user or group goes to: as given, else the caller's domain scope, else
// the default domain (as the REST adapter decides it).
std::string NewEntityDomain(const Caller& caller, const std::string& given) {
  if (!given.empty()) return given;
  return caller.scope_domain_id.empty() ? kDefaultDomainId : caller.scope_domain_id;
}

ListFilter DomainListFilter(const Caller& caller, const std::string& name,
                            const std::string& domain_id) {
  ListFilter filter;
  if (!name.empty()) filter.name = name;
  if (!domain_id.empty()) {
    filter.domain_id = domain_id;
  } else if (!caller.scope_domain_id.empty()) {
    filter.domain_id = caller.scope_domain_id;
  }
  return filter;
}

}  // namespace

// ---- users ----

grpc::Status IdentityService::CreateUser(grpc::ServerContext* ctx, const v1::CreateUserRequest* req,
                                         v1::User* resp) {
  return Serve(ctx, "CreateUser", [&](const Caller& caller) -> absl::Status {
    const v1::User& in = req->user();
    User u;
    u.name = in.name();
    u.domain_id = NewEntityDomain(caller, in.domain_id());
    u.default_project_id = in.default_project_id();
    u.description = in.description();
    u.email = in.email();
    u.enabled = in.has_enabled() ? in.enabled() : true;
    u.options.ignore_lockout_failure_attempts = in.ignore_lockout_failure_attempts();
    std::optional<std::string> password;
    if (req->has_password()) password = req->password();
    GUREUM_ASSIGN_OR_RETURN(User created, manager_.users().CreateUser(caller, u, password));
    UserToProto(created, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetUser(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                      v1::User* resp) {
  return Serve(ctx, "GetUser", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(User u, manager_.users().GetUser(caller, req->id()));
    UserToProto(u, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListUsers(grpc::ServerContext* ctx, const v1::ListUsersRequest* req,
                                        v1::ListUsersResponse* resp) {
  return Serve(ctx, "ListUsers", [&](const Caller& caller) -> absl::Status {
    ListFilter filter = DomainListFilter(caller, req->name(), req->domain_id());
    GUREUM_ASSIGN_OR_RETURN(auto users, manager_.users().ListUsers(caller, filter));
    for (const User& u : users) UserToProto(u, resp->add_users());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateUser(grpc::ServerContext* ctx, const v1::UpdateUserRequest* req,
                                         v1::User* resp) {
  return Serve(ctx, "UpdateUser", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    UserUpdate up;
    if (req->has_name()) up.name = req->name();
    if (req->has_description()) up.description = req->description();
    if (req->has_email()) up.email = req->email();
    if (req->has_default_project_id()) up.default_project_id = req->default_project_id();
    if (req->has_enabled()) up.enabled = req->enabled();
    if (req->has_ignore_lockout_failure_attempts()) {
      up.options = UserOptions{req->ignore_lockout_failure_attempts()};
    }
    if (req->has_password()) up.password = req->password();
    GUREUM_ASSIGN_OR_RETURN(User updated, manager_.users().UpdateUser(caller, req->id(), up));
    UserToProto(updated, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteUser(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                         v1::Empty*) {
  return Serve(ctx, "DeleteUser", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.users().DeleteUser(caller, req->id());
  });
}

grpc::Status IdentityService::ChangePassword(grpc::ServerContext* ctx,
                                             const v1::ChangePasswordRequest* req, v1::Empty*) {
  return Serve(ctx, "ChangePassword", [&](const Caller& caller) -> absl::Status {
    const std::string user_id = req->user_id().empty() ? caller.user_id : req->user_id();
    GUREUM_RETURN_IF_ERROR(RequireField("original_password", req->original_password()));
    GUREUM_RETURN_IF_ERROR(RequireField("password", req->password()));
    absl::Status s =
        manager_.users().ChangePassword(caller, user_id, req->original_password(), req->password());
    // The same answer for every failed check, as for authentication.
    if (s.code() == absl::StatusCode::kUnauthenticated) {
      return absl::UnauthenticatedError(auth::kAuthRequired);
    }
    return s;
  });
}

// ---- groups ----

grpc::Status IdentityService::CreateGroup(grpc::ServerContext* ctx,
                                          const v1::CreateGroupRequest* req, v1::Group* resp) {
  return Serve(ctx, "CreateGroup", [&](const Caller& caller) -> absl::Status {
    const v1::Group& in = req->group();
    Group g{"", in.name(), NewEntityDomain(caller, in.domain_id()), in.description()};
    GUREUM_ASSIGN_OR_RETURN(Group created, manager_.users().CreateGroup(caller, g));
    GroupToProto(created, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::GetGroup(grpc::ServerContext* ctx, const v1::GetRequest* req,
                                       v1::Group* resp) {
  return Serve(ctx, "GetGroup", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GUREUM_ASSIGN_OR_RETURN(Group g, manager_.users().GetGroup(caller, req->id()));
    GroupToProto(g, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::ListGroups(grpc::ServerContext* ctx, const v1::ListGroupsRequest* req,
                                         v1::ListGroupsResponse* resp) {
  return Serve(ctx, "ListGroups", [&](const Caller& caller) -> absl::Status {
    ListFilter filter = DomainListFilter(caller, req->name(), req->domain_id());
    GUREUM_ASSIGN_OR_RETURN(auto groups, manager_.users().ListGroups(caller, filter));
    for (const Group& g : groups) GroupToProto(g, resp->add_groups());
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::UpdateGroup(grpc::ServerContext* ctx,
                                          const v1::UpdateGroupRequest* req, v1::Group* resp) {
  return Serve(ctx, "UpdateGroup", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    GroupUpdate u;
    if (req->has_name()) u.name = req->name();
    if (req->has_description()) u.description = req->description();
    GUREUM_ASSIGN_OR_RETURN(Group updated, manager_.users().UpdateGroup(caller, req->id(), u));
    GroupToProto(updated, resp);
    return absl::OkStatus();
  });
}

grpc::Status IdentityService::DeleteGroup(grpc::ServerContext* ctx, const v1::DeleteRequest* req,
                                          v1::Empty*) {
  return Serve(ctx, "DeleteGroup", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("id", req->id()));
    return manager_.users().DeleteGroup(caller, req->id());
  });
}

grpc::Status IdentityService::ListGroupUsers(grpc::ServerContext* ctx,
                                             const v1::ListGroupUsersRequest* req,
                                             v1::ListUsersResponse* resp) {
  return Serve(ctx, "ListGroupUsers", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireField("group_id", req->group_id()));
    GUREUM_ASSIGN_OR_RETURN(auto users, manager_.users().ListGroupUsers(caller, req->group_id()));
    for (const User& u : users) UserToProto(u, resp->add_users());
    return absl::OkStatus();
  });
}

// Membership: the group's domain admin, for a user of the same domain (UserManager).
static absl::Status RequireMembershipFields(const v1::GroupMembershipRequest& req) {
  GUREUM_RETURN_IF_ERROR(RequireField("group_id", req.group_id()));
  return RequireField("user_id", req.user_id());
}

grpc::Status IdentityService::AddUserToGroup(grpc::ServerContext* ctx,
                                             const v1::GroupMembershipRequest* req, v1::Empty*) {
  return Serve(ctx, "AddUserToGroup", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireMembershipFields(*req));
    return manager_.users().AddUserToGroup(caller, req->user_id(), req->group_id());
  });
}

grpc::Status IdentityService::RemoveUserFromGroup(grpc::ServerContext* ctx,
                                                  const v1::GroupMembershipRequest* req,
                                                  v1::Empty*) {
  return Serve(ctx, "RemoveUserFromGroup", [&](const Caller& caller) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(RequireMembershipFields(*req));
    return manager_.users().RemoveUserFromGroup(caller, req->user_id(), req->group_id());
  });
}

}  // namespace gureum::identity
