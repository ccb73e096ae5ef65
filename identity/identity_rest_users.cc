// /v3/users (+password, groups, projects) and /v3/groups (+membership).
#include <algorithm>
#include <iterator>

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

// The user's "options" object (absent or null: unchanged), read with `user`'s reader.
absl::Status ReadUserOptions(http::JsonReader& user, std::optional<UserOptions>& out) {
  const json* object = nullptr;
  if (!user.Object("options", &object, /*nullable=*/true) || object == nullptr) {
    return absl::OkStatus();
  }
  std::optional<bool> ignore_lockout;
  http::JsonReader r(*object, "options", /*open=*/true);
  r.OptionalBool("ignore_lockout_failure_attempts", &ignore_lockout);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  UserOptions options;
  options.ignore_lockout_failure_attempts = ignore_lockout.value_or(false);
  out = options;
  return absl::OkStatus();
}

// The members of the user object `body` that are not Keystone's user attributes, as a JSON
// object's text (Keystone keeps them as "extra"); "" for none.
std::string UserExtra(const json& body) {
  static const char* const kKnown[] = {
      "id",    "name",    "domain_id", "password", "default_project_id", "description",
      "email", "enabled", "options",   "links",    "password_expires_at"};
  json extra = json::object();
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      extra[key] = value;
    }
  }
  return extra.empty() ? "" : extra.dump();
}

// ---- users ----

absl::Status CreateUser(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "user"));
  User u;
  std::optional<std::string> domain_id, password;
  std::optional<bool> enabled;
  std::optional<UserOptions> options;
  http::JsonReader r(body, "user", /*open=*/true);
  r.String("name", &u.name, kRequiredString);
  r.OptionalString("domain_id", &domain_id, kNullable);
  r.OptionalString("password", &password, kNullable);
  r.String("default_project_id", &u.default_project_id, kNullable);
  r.String("description", &u.description, kNullable);
  r.String("email", &u.email, kNullable);
  r.OptionalBool("enabled", &enabled);
  GUREUM_RETURN_IF_ERROR(ReadUserOptions(r, options));
  GUREUM_RETURN_IF_ERROR(r.Finish());
  u.domain_id = NewEntityDomain(call, domain_id);
  u.enabled = enabled.value_or(true);
  u.options = options.value_or(UserOptions{});
  u.extra = UserExtra(body);
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
  http::JsonReader r(body, "user", /*open=*/true);
  r.OptionalString("domain_id", &up.domain_id, kNullable);
  r.OptionalString("name", &up.name, kNullable);
  r.OptionalString("description", &up.description, kNullable);
  r.OptionalString("email", &up.email, kNullable);
  r.OptionalString("default_project_id", &up.default_project_id, kNullable);
  r.OptionalString("password", &up.password, kNullable);
  r.OptionalBool("enabled", &up.enabled);
  GUREUM_RETURN_IF_ERROR(ReadUserOptions(r, up.options));
  GUREUM_RETURN_IF_ERROR(r.Finish());
  if (std::string extra = UserExtra(body); !extra.empty()) up.extra = extra;
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
  http::JsonReader r(body, "user", /*open=*/true);
  r.OptionalString("original_password", &original, kNullable);
  r.OptionalString("password", &password, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
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
  std::optional<std::string> domain_id;
  http::JsonReader r(body, "group", /*open=*/true);
  r.String("name", &g.name, kRequiredString);
  r.OptionalString("domain_id", &domain_id, kNullable);
  r.String("description", &g.description, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
  g.domain_id = NewEntityDomain(call, domain_id);
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
  http::JsonReader r(body, "group", /*open=*/true);
  r.OptionalString("name", &u.name, kNullable);
  r.OptionalString("description", &u.description, kNullable);
  GUREUM_RETURN_IF_ERROR(r.Finish());
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

void RegisterUserRoutes(Routes& routes) {
  routes.Authed("POST", "/v3/users", CreateUser);
  routes.Authed("GET", "/v3/users", ListUsers);
  routes.Authed("GET", "/v3/users/{user_id}", GetUser);
  routes.Authed("PATCH", "/v3/users/{user_id}", UpdateUser);
  routes.Authed("DELETE", "/v3/users/{user_id}", DeleteUser);
  routes.Authed("POST", "/v3/users/{user_id}/password", ChangePassword);
  routes.Authed("GET", "/v3/users/{user_id}/groups", ListUserGroups);
  routes.Authed("GET", "/v3/users/{user_id}/projects", ListUserProjects);

  routes.Authed("POST", "/v3/groups", CreateGroup);
  routes.Authed("GET", "/v3/groups", ListGroups);
  routes.Authed("GET", "/v3/groups/{group_id}", GetGroup);
  routes.Authed("PATCH", "/v3/groups/{group_id}", UpdateGroup);
  routes.Authed("DELETE", "/v3/groups/{group_id}", DeleteGroup);
  routes.Authed("GET", "/v3/groups/{group_id}/users", ListGroupUsers);
  routes.Authed("PUT", "/v3/groups/{group_id}/users/{user_id}", AddMember);
  routes.Authed("GET", "/v3/groups/{group_id}/users/{user_id}", CheckMember);  // + HEAD
  routes.Authed("DELETE", "/v3/groups/{group_id}/users/{user_id}", RemoveMember);
}

}  // namespace gureum::identity
