// /v3/users (+password, groups, projects) and /v3/groups (+membership).
#include "common/auth/verifier.h"
#include "common/status/macros.h"
#include "identity/identity_errors.h"
#include "identity/identity_rest_internal.h"

namespace gureum::identity {
namespace {

// The domain a new user or group goes to: as given, else the caller's domain scope, else
// the default domain.
std::string NewEntityDomain(const Call& call, const std::optional<std::string>& given) {
  if (given) return *given;
  return call.caller.scope_domain_id.empty() ? kDefaultDomainId : call.caller.scope_domain_id;
}

// A list filter with a domain-scoped caller's domain applied.
absl::StatusOr<ListFilter> DomainListFilter(const Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, ParseListFilter(call.req));
  if (!filter.domain_id && !call.caller.scope_domain_id.empty()) {
    filter.domain_id = call.caller.scope_domain_id;
  }
  return filter;
}

absl::Status ParseUserOptions(const json& body, std::optional<UserOptions>& out) {
  auto it = body.find("options");
  if (it == body.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_object()) return InvalidFieldError("options", "must be an object");
  std::optional<bool> ignore_lockout;
  GUREUM_RETURN_IF_ERROR(OptBool(*it, "ignore_lockout_failure_attempts", ignore_lockout));
  UserOptions options;
  options.ignore_lockout_failure_attempts = ignore_lockout.value_or(false);
  out = options;
  return absl::OkStatus();
}

// ---- users ----

absl::Status CreateUser(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "user"));
  User u;
  GUREUM_ASSIGN_OR_RETURN(u.name, ReqString(body, "name"));
  std::optional<std::string> domain_id, password, default_project, description, email;
  std::optional<bool> enabled;
  std::optional<UserOptions> options;
  GUREUM_RETURN_IF_ERROR(OptString(body, "domain_id", domain_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "password", password));
  GUREUM_RETURN_IF_ERROR(OptString(body, "default_project_id", default_project));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", description));
  GUREUM_RETURN_IF_ERROR(OptString(body, "email", email));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", enabled));
  GUREUM_RETURN_IF_ERROR(ParseUserOptions(body, options));
  u.domain_id = NewEntityDomain(call, domain_id);
  u.default_project_id = default_project.value_or("");
  u.description = description.value_or("");
  u.email = email.value_or("");
  u.enabled = enabled.value_or(true);
  u.options = options.value_or(UserOptions{});
  GUREUM_ASSIGN_OR_RETURN(User created,
                          call.manager().users().CreateUser(call.caller, u, password));
  call.res.Json(201, {{"user", UserJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListUsers(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, DomainListFilter(call));
  GUREUM_ASSIGN_OR_RETURN(auto users, call.manager().users().ListUsers(call.caller, filter));
  call.res.Json(200, EncodeList(call, "users", users, filter, UserJson));
  return absl::OkStatus();
}

absl::Status GetUser(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(User u,
                          call.manager().users().GetUser(call.caller, call.Param("user_id")));
  call.res.Json(200, {{"user", UserJson(call, u)}});
  return absl::OkStatus();
}

absl::Status UpdateUser(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "user"));
  UserUpdate up;
  GUREUM_RETURN_IF_ERROR(OptString(body, "domain_id", up.domain_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "name", up.name));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", up.description));
  GUREUM_RETURN_IF_ERROR(OptString(body, "email", up.email));
  GUREUM_RETURN_IF_ERROR(OptString(body, "default_project_id", up.default_project_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "password", up.password));
  GUREUM_RETURN_IF_ERROR(OptBool(body, "enabled", up.enabled));
  GUREUM_RETURN_IF_ERROR(ParseUserOptions(body, up.options));
  GUREUM_ASSIGN_OR_RETURN(
      User updated, call.manager().users().UpdateUser(call.caller, call.Param("user_id"), up));
  call.res.Json(200, {{"user", UserJson(call, updated)}});
  return absl::OkStatus();
}

absl::Status DeleteUser(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().users().DeleteUser(call.caller, call.Param("user_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ChangePassword(Call& call) {
  const std::string& user_id = call.Param("user_id");
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "user"));
  std::optional<std::string> original, password;
  GUREUM_RETURN_IF_ERROR(OptString(body, "original_password", original));
  GUREUM_RETURN_IF_ERROR(OptString(body, "password", password));
  if (!original) return absl::InvalidArgumentError("'original_password' is a required property");
  if (!password) return absl::InvalidArgumentError("'password' is a required property");
  absl::Status s =
      call.manager().users().ChangePassword(call.caller, user_id, *original, *password);
  if (s.code() == absl::StatusCode::kUnauthenticated) {
    return absl::UnauthenticatedError(auth::kAuthRequired);
  }
  GUREUM_RETURN_IF_ERROR(s);
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ListUserGroups(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      auto groups, call.manager().users().ListUserGroups(call.caller, call.Param("user_id")));
  call.res.Json(200, EncodeList(call, "groups", groups, ListFilter{}, GroupJson));
  return absl::OkStatus();
}

absl::Status ListUserProjects(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto projects, call.manager().assignments().ListUserProjects(
                                             call.caller, call.Param("user_id")));
  call.res.Json(200, EncodeList(call, "projects", projects, ListFilter{}, ProjectJson));
  return absl::OkStatus();
}

// ---- groups ----

absl::Status CreateGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "group"));
  Group g;
  GUREUM_ASSIGN_OR_RETURN(g.name, ReqString(body, "name"));
  std::optional<std::string> domain_id, description;
  GUREUM_RETURN_IF_ERROR(OptString(body, "domain_id", domain_id));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", description));
  g.domain_id = NewEntityDomain(call, domain_id);
  g.description = description.value_or("");
  GUREUM_ASSIGN_OR_RETURN(Group created, call.manager().users().CreateGroup(call.caller, g));
  call.res.Json(201, {{"group", GroupJson(call, created)}});
  return absl::OkStatus();
}

absl::Status ListGroups(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(ListFilter filter, DomainListFilter(call));
  GUREUM_ASSIGN_OR_RETURN(auto groups, call.manager().users().ListGroups(call.caller, filter));
  call.res.Json(200, EncodeList(call, "groups", groups, filter, GroupJson));
  return absl::OkStatus();
}

absl::Status GetGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(Group g,
                          call.manager().users().GetGroup(call.caller, call.Param("group_id")));
  call.res.Json(200, {{"group", GroupJson(call, g)}});
  return absl::OkStatus();
}

absl::Status UpdateGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "group"));
  GroupUpdate u;
  GUREUM_RETURN_IF_ERROR(OptString(body, "name", u.name));
  GUREUM_RETURN_IF_ERROR(OptString(body, "description", u.description));
  GUREUM_ASSIGN_OR_RETURN(
      Group updated, call.manager().users().UpdateGroup(call.caller, call.Param("group_id"), u));
  call.res.Json(200, {{"group", GroupJson(call, updated)}});
  return absl::OkStatus();
}

absl::Status DeleteGroup(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().users().DeleteGroup(call.caller, call.Param("group_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status ListGroupUsers(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      auto users, call.manager().users().ListGroupUsers(call.caller, call.Param("group_id")));
  call.res.Json(200, EncodeList(call, "users", users, ListFilter{}, UserJson));
  return absl::OkStatus();
}

absl::Status AddMember(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().users().AddUserToGroup(call.caller, call.Param("user_id"),
                                                               call.Param("group_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status CheckMember(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(bool member,
                          call.manager().users().IsUserInGroup(call.caller, call.Param("user_id"),
                                                               call.Param("group_id")));
  if (!member) {
    return absl::NotFoundError("User " + call.Param("user_id") + " is not a member of group " +
                               call.Param("group_id") + ".");
  }
  call.res.Empty(204);
  return absl::OkStatus();
}

absl::Status RemoveMember(Call& call) {
  GUREUM_RETURN_IF_ERROR(call.manager().users().RemoveUserFromGroup(
      call.caller, call.Param("user_id"), call.Param("group_id")));
  call.res.Empty(204);
  return absl::OkStatus();
}

}  // namespace

void RegisterUserRoutes(RestContext& ctx, http::Server& server) {
  AddRoute(ctx, server, "POST", "/v3/users", CreateUser);
  AddRoute(ctx, server, "GET", "/v3/users", ListUsers);
  AddRoute(ctx, server, "GET", "/v3/users/{user_id}", GetUser);
  AddRoute(ctx, server, "PATCH", "/v3/users/{user_id}", UpdateUser);
  AddRoute(ctx, server, "DELETE", "/v3/users/{user_id}", DeleteUser);
  AddRoute(ctx, server, "POST", "/v3/users/{user_id}/password", ChangePassword);
  AddRoute(ctx, server, "GET", "/v3/users/{user_id}/groups", ListUserGroups);
  AddRoute(ctx, server, "GET", "/v3/users/{user_id}/projects", ListUserProjects);

  AddRoute(ctx, server, "POST", "/v3/groups", CreateGroup);
  AddRoute(ctx, server, "GET", "/v3/groups", ListGroups);
  AddRoute(ctx, server, "GET", "/v3/groups/{group_id}", GetGroup);
  AddRoute(ctx, server, "PATCH", "/v3/groups/{group_id}", UpdateGroup);
  AddRoute(ctx, server, "DELETE", "/v3/groups/{group_id}", DeleteGroup);
  AddRoute(ctx, server, "GET", "/v3/groups/{group_id}/users", ListGroupUsers);
  AddRoute(ctx, server, "PUT", "/v3/groups/{group_id}/users/{user_id}", AddMember);
  AddRoute(ctx, server, "GET", "/v3/groups/{group_id}/users/{user_id}", CheckMember);  // + HEAD
  AddRoute(ctx, server, "DELETE", "/v3/groups/{group_id}/users/{user_id}", RemoveMember);
}

}  // namespace gureum::identity
