// identity's gRPC API, in-process over the fake store: authentication, public keys,
// validation, revocation, project isolation, a service's TokenAuthenticator fed by
// GetPublicKeys/ListRevocationEvents (the production KeyFetcher), and the resource RPCs
// (CRUD, grants, assignments, catalog, application credentials) with their policy: a
// reader cannot write, a member of one project never reaches another.
#include <algorithm>

#include <catch2/catch.hpp>

#include "common/auth/identity_fetcher.h"
#include "common/grpc/client.h"
#include "common/grpc/server.h"
#include "identity/identity_policy.h"
#include "identity/identity_service.h"
#include "identity/tests/manager_fixture.h"

namespace gureum::identity {
namespace {

using testing::ManagerEnv;

struct Fixture {
  Fixture()
      : store(NewFakeIdentityStore()),
        env(*store),
        enforcer(*policy::Enforcer::Create(IdentityPolicyDefaults())),
        service(*env.manager, call_env) {
    call_env.auth = IdentityAuthHook(*env.manager);
    BootstrapOptions b;
    b.admin_password = "admin-pw";
    b.public_url_host = "ctl";
    auto boot = env.manager->Bootstrap(b);
    REQUIRE(boot.ok());
    admin_project = boot->admin_project_id;
    auto started = grpcx::Server::Start({.listen_address = "127.0.0.1:0"}, {&service});
    REQUIRE(started.ok());
    server = *std::move(started);
    target = "127.0.0.1:" + std::to_string(server->port());
    stub = v1::Identity::NewStub(grpcx::MakeChannel(target));
  }

  grpc::Status Auth(const std::string& user, const std::string& password,
                    const std::string& project_id, v1::AuthenticateResponse* out) {
    v1::AuthenticateRequest req;
    req.mutable_password()->mutable_user()->set_name(user);
    req.mutable_password()->mutable_user()->set_domain_name("Default");
    req.mutable_password()->set_password(password);
    req.mutable_scope()->set_kind(v1::Scope::PROJECT);
    req.mutable_scope()->set_project_id(project_id);
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {});
    return stub->Authenticate(&ctx, req, out);
  }

  // A token for `user` (password "<user>-pw", or admin's) on `project_id`.
  std::string Token(const std::string& user, const std::string& project_id) {
    v1::AuthenticateResponse resp;
    grpc::Status s = Auth(user, user == "admin" ? "admin-pw" : user + "-pw", project_id, &resp);
    REQUIRE(s.ok());
    return resp.token();
  }
  std::string AdminToken() { return Token("admin", admin_project); }

  std::string RoleId(const std::string& name) {
    auto roles = env.manager->roles().ListRoles(testing::Admin(), {});
    REQUIRE(roles.ok());
    for (const Role& r : *roles) {
      if (r.name == name) return r.id;
    }
    FAIL("no role " << name);
    return "";
  }

  // A member (or `role`) of a new project: (user name, project id).
  std::pair<std::string, std::string> Member(const std::string& name,
                                             const std::string& role = "member") {
    Project p;
    p.name = name + "-project";
    auto project = env.manager->projects().CreateProject(testing::Admin(), p);
    REQUIRE(project.ok());
    User u;
    u.name = name;
    u.domain_id = kDefaultDomainId;
    auto user = env.manager->users().CreateUser(testing::Admin(), u, std::string(name + "-pw"));
    REQUIRE(user.ok());
    RoleAssignment grant;
    grant.role_id = RoleId(role);
    grant.user_id = user->id;
    grant.project_id = project->id;
    REQUIRE(env.manager->assignments().Grant(testing::Admin(), grant).ok());
    return {name, project->id};
  }

  // One unary call with `token`.
  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (v1::Identity::Stub::*method)(grpc::ClientContext*, const Req&,
                                                               Resp*),
                    const std::string& token, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = token});
    return (stub.get()->*method)(&ctx, req, resp);
  }

  std::unique_ptr<IdentityStore> store;
  ManagerEnv env;
  std::unique_ptr<policy::Enforcer> enforcer;
  grpcx::CallEnv call_env;
  IdentityService service;
  std::unique_ptr<grpcx::Server> server;
  std::string target;
  std::unique_ptr<v1::Identity::Stub> stub;
  std::string admin_project;
};

TEST_CASE("password authentication returns a token with its scope, roles and catalog") {
  Fixture f;
  v1::AuthenticateResponse resp;
  REQUIRE(f.Auth("admin", "admin-pw", f.admin_project, &resp).ok());
  REQUIRE_FALSE(resp.token().empty());
  REQUIRE(resp.info().project_id() == f.admin_project);
  REQUIRE(resp.info().user_name() == "admin");
  bool has_admin = false;
  for (const auto& r : resp.info().roles()) has_admin |= r.name() == "admin";
  REQUIRE(has_admin);
  bool has_compute = false;
  for (const auto& c : resp.info().catalog()) has_compute |= c.type() == "compute";
  REQUIRE(has_compute);

  v1::AuthenticateResponse bad;
  grpc::Status wrong = f.Auth("admin", "nope", f.admin_project, &bad);
  grpc::Status unknown = f.Auth("nobody", "nope", f.admin_project, &bad);
  REQUIRE(wrong.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  REQUIRE(unknown.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  REQUIRE(wrong.error_message() == unknown.error_message());
}

TEST_CASE("validation needs a token, a revoked token no longer validates") {
  Fixture f;
  v1::AuthenticateResponse resp;
  REQUIRE(f.Auth("admin", "admin-pw", f.admin_project, &resp).ok());
  v1::ValidateTokenRequest req;
  req.set_token(resp.token());
  v1::TokenInfo info;
  {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {});
    REQUIRE(f.stub->ValidateToken(&ctx, req, &info).error_code() ==
            grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = resp.token()});
    REQUIRE(f.stub->ValidateToken(&ctx, req, &info).ok());
    REQUIRE(info.user_name() == "admin");
  }
  {
    grpc::ClientContext ctx;
    grpcx::PrepareContext(ctx, {.token = resp.token()});
    v1::RevokeTokenRequest revoke;
    revoke.set_token(resp.token());
    v1::RevokeTokenResponse out;
    REQUIRE(f.stub->RevokeToken(&ctx, revoke, &out).ok());
  }
  v1::AuthenticateResponse other;
  REQUIRE(f.Auth("admin", "admin-pw", f.admin_project, &other).ok());
  grpc::ClientContext ctx;
  grpcx::PrepareContext(ctx, {.token = other.token()});
  REQUIRE(f.stub->ValidateToken(&ctx, req, &info).error_code() == grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("a member sees only their own projects and cannot revoke others' tokens") {
  Fixture f;
  auto [alice, alice_project] = f.Member("alice");
  auto [bob, bob_project] = f.Member("bob");
  v1::AuthenticateResponse a, b;
  REQUIRE(f.Auth(alice, "alice-pw", alice_project, &a).ok());
  REQUIRE(f.Auth(bob, "bob-pw", bob_project, &b).ok());

  grpc::ClientContext ctx;
  grpcx::PrepareContext(ctx, {.token = a.token()});
  v1::ListProjectsResponse projects;
  REQUIRE(f.stub->ListProjects(&ctx, {}, &projects).ok());
  REQUIRE(projects.projects_size() == 1);
  REQUIRE(projects.projects(0).id() == alice_project);

  grpc::ClientContext revoke_ctx;
  grpcx::PrepareContext(revoke_ctx, {.token = a.token()});
  v1::RevokeTokenRequest revoke;
  revoke.set_token(b.token());
  v1::RevokeTokenResponse out;
  REQUIRE(f.stub->RevokeToken(&revoke_ctx, revoke, &out).error_code() ==
          grpc::StatusCode::PERMISSION_DENIED);
}

TEST_CASE("another service verifies identity's tokens with the fetched keys and events") {
  Fixture f;
  auto [carol, project] = f.Member("carol");
  v1::AuthenticateResponse resp;
  REQUIRE(f.Auth(carol, "carol-pw", project, &resp).ok());

  auth::GrpcKeyFetcher fetcher(f.target, nullptr);
  auto authn = auth::TokenAuthenticator::Create(fetcher, f.env.clock, {});
  REQUIRE(authn.ok());
  auto caller = (*authn)->Authenticate(resp.token());
  REQUIRE(caller.ok());
  REQUIRE(caller->project_id == project);
  REQUIRE(caller->HasRole("reader"));  // implied by member

  // Disable carol: the event is persisted; the service's next refresh applies it.
  auto users = f.env.manager->users().ListUsers(testing::Admin(), {});
  REQUIRE(users.ok());
  std::string carol_id;
  for (const User& u : *users) {
    if (u.name == carol) carol_id = u.id;
  }
  f.env.clock.Advance(absl::Seconds(1));
  UserUpdate disable;
  disable.enabled = false;
  REQUIRE(f.env.manager->users().UpdateUser(testing::Admin(), carol_id, disable).ok());
  REQUIRE((*authn)->Refresh().ok());
  REQUIRE_FALSE((*authn)->Authenticate(resp.token()).ok());
}

using Stub = v1::Identity::Stub;
using grpc::StatusCode;

TEST_CASE("projects and domains: create, get, list, update, delete and their errors") {
  Fixture f;
  const std::string admin = f.AdminToken();
  v1::CreateProjectRequest create;
  create.mutable_project()->set_name("web");
  create.mutable_project()->set_description("the web tier");
  v1::Project project;
  REQUIRE(f.Call(&Stub::CreateProject, admin, create, &project).ok());
  REQUIRE(project.domain_id() == "default");
  REQUIRE(project.enabled());  // unset in the request: enabled

  v1::Project dup;
  REQUIRE(f.Call(&Stub::CreateProject, admin, create, &dup).error_code() ==
          StatusCode::ALREADY_EXISTS);
  v1::CreateProjectRequest nameless;
  grpc::Status bad = f.Call(&Stub::CreateProject, admin, nameless, &dup);
  REQUIRE(bad.error_code() == StatusCode::INVALID_ARGUMENT);
  REQUIRE(bad.error_message().find("name") != std::string::npos);

  v1::ListProjectsRequest by_name;
  by_name.set_name("web");
  v1::ListProjectsResponse listed;
  REQUIRE(f.Call(&Stub::ListProjects, admin, by_name, &listed).ok());
  REQUIRE(listed.projects_size() == 1);
  REQUIRE(listed.projects(0).id() == project.id());

  v1::UpdateProjectRequest update;
  update.set_id(project.id());
  update.set_description("changed");
  update.mutable_tags()->add_values("blue");
  v1::Project updated;
  REQUIRE(f.Call(&Stub::UpdateProject, admin, update, &updated).ok());
  REQUIRE(updated.description() == "changed");
  REQUIRE(updated.name() == "web");  // unset fields stay
  REQUIRE(updated.tags_size() == 1);

  v1::DeleteRequest del;
  del.set_id(project.id());
  v1::Empty empty;
  REQUIRE(f.Call(&Stub::DeleteProject, admin, del, &empty).ok());
  v1::GetRequest get;
  get.set_id(project.id());
  REQUIRE(f.Call(&Stub::GetProject, admin, get, &project).error_code() == StatusCode::NOT_FOUND);
  v1::GetRequest no_id;
  grpc::Status missing = f.Call(&Stub::GetProject, admin, no_id, &project);
  REQUIRE(missing.error_code() == StatusCode::INVALID_ARGUMENT);
  REQUIRE(missing.error_message().find("'id'") != std::string::npos);

  v1::CreateDomainRequest domain_req;
  domain_req.mutable_domain()->set_name("acme");
  v1::Domain domain;
  REQUIRE(f.Call(&Stub::CreateDomain, admin, domain_req, &domain).ok());
  REQUIRE(domain.enabled());
  del.set_id(domain.id());
  // Keystone refuses to delete an enabled domain.
  REQUIRE(f.Call(&Stub::DeleteDomain, admin, del, &empty).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::UpdateDomainRequest disable;
  disable.set_id(domain.id());
  disable.set_enabled(false);
  REQUIRE(f.Call(&Stub::UpdateDomain, admin, disable, &domain).ok());
  REQUIRE(f.Call(&Stub::DeleteDomain, admin, del, &empty).ok());
}

TEST_CASE("users: password reset by an admin, own password change, delete") {
  Fixture f;
  const std::string admin = f.AdminToken();
  auto [dave, project] = f.Member("dave");
  v1::ListUsersRequest list;
  list.set_name("dave");
  v1::ListUsersResponse users;
  REQUIRE(f.Call(&Stub::ListUsers, admin, list, &users).ok());
  REQUIRE(users.users_size() == 1);
  const std::string dave_id = users.users(0).id();

  v1::UpdateUserRequest reset;
  reset.set_id(dave_id);
  reset.set_password("new-pw");
  v1::User user;
  REQUIRE(f.Call(&Stub::UpdateUser, admin, reset, &user).ok());
  f.env.clock.Advance(absl::Seconds(1));  // tokens issued at the reset's instant are revoked
  v1::AuthenticateResponse auth;
  REQUIRE(f.Auth(dave, "dave-pw", project, &auth).error_code() == StatusCode::UNAUTHENTICATED);
  REQUIRE(f.Auth(dave, "new-pw", project, &auth).ok());

  v1::ChangePasswordRequest change;
  change.set_original_password("wrong");
  change.set_password("dave-pw");
  v1::Empty empty;
  REQUIRE(f.Call(&Stub::ChangePassword, auth.token(), change, &empty).error_code() ==
          StatusCode::UNAUTHENTICATED);
  change.set_original_password("new-pw");
  REQUIRE(f.Call(&Stub::ChangePassword, auth.token(), change, &empty).ok());
  f.env.clock.Advance(absl::Seconds(1));
  REQUIRE(f.Auth(dave, "dave-pw", project, &auth).ok());

  v1::CreateUserRequest dup;
  dup.mutable_user()->set_name("dave");
  REQUIRE(f.Call(&Stub::CreateUser, admin, dup, &user).error_code() == StatusCode::ALREADY_EXISTS);
  v1::DeleteRequest del;
  del.set_id(dave_id);
  REQUIRE(f.Call(&Stub::DeleteUser, admin, del, &empty).ok());
  REQUIRE(f.Call(&Stub::DeleteUser, admin, del, &empty).error_code() == StatusCode::NOT_FOUND);
}

TEST_CASE("groups, grants and role assignments") {
  Fixture f;
  const std::string admin = f.AdminToken();
  auto [erin, project] = f.Member("erin");
  v1::ListUsersRequest list;
  list.set_name("erin");
  v1::ListUsersResponse users;
  REQUIRE(f.Call(&Stub::ListUsers, admin, list, &users).ok());
  const std::string erin_id = users.users(0).id();

  v1::CreateGroupRequest group_req;
  group_req.mutable_group()->set_name("ops");
  v1::Group group;
  REQUIRE(f.Call(&Stub::CreateGroup, admin, group_req, &group).ok());
  v1::GroupMembershipRequest member;
  member.set_group_id(group.id());
  member.set_user_id(erin_id);
  v1::Empty empty;
  REQUIRE(f.Call(&Stub::AddUserToGroup, admin, member, &empty).ok());
  v1::ListGroupUsersRequest members_req;
  members_req.set_group_id(group.id());
  v1::ListUsersResponse members;
  REQUIRE(f.Call(&Stub::ListGroupUsers, admin, members_req, &members).ok());
  REQUIRE(members.users_size() == 1);
  REQUIRE(f.Call(&Stub::RemoveUserFromGroup, admin, member, &empty).ok());
  REQUIRE(f.Call(&Stub::RemoveUserFromGroup, admin, member, &empty).error_code() ==
          StatusCode::NOT_FOUND);

  v1::RoleGrant grant;
  grant.set_role_id(f.RoleId("reader"));
  grant.set_user_id(erin_id);
  grant.set_project_id(project);
  REQUIRE(f.Call(&Stub::GrantRole, admin, grant, &empty).ok());
  v1::ListRoleAssignmentsRequest q;
  q.set_user_id(erin_id);
  q.set_project_id(project);
  q.set_include_names(true);
  v1::ListRoleAssignmentsResponse assignments;
  REQUIRE(f.Call(&Stub::ListRoleAssignments, admin, q, &assignments).ok());
  std::vector<std::string> names;
  for (const auto& a : assignments.role_assignments()) names.push_back(a.role_name());
  std::sort(names.begin(), names.end());
  REQUIRE(names == std::vector<std::string>{"member", "reader"});
  REQUIRE(assignments.role_assignments(0).project_name() == "erin-project");

  REQUIRE(f.Call(&Stub::RevokeRole, admin, grant, &empty).ok());
  REQUIRE(f.Call(&Stub::RevokeRole, admin, grant, &empty).error_code() == StatusCode::NOT_FOUND);
  v1::RoleGrant targetless = grant;
  targetless.clear_project_id();
  grpc::Status bad = f.Call(&Stub::GrantRole, admin, targetless, &empty);
  REQUIRE(bad.error_code() == StatusCode::INVALID_ARGUMENT);
  REQUIRE(bad.error_message().find("project_id") != std::string::npos);

  v1::CreateRoleRequest role_req;
  role_req.mutable_role()->set_name("auditor");
  v1::Role role;
  REQUIRE(f.Call(&Stub::CreateRole, admin, role_req, &role).ok());
  REQUIRE(f.Call(&Stub::CreateRole, admin, role_req, &role).error_code() ==
          StatusCode::ALREADY_EXISTS);
}

TEST_CASE("catalog: regions, services, endpoints and the caller's catalog") {
  Fixture f;
  const std::string admin = f.AdminToken();
  v1::CreateRegionRequest region_req;
  region_req.mutable_region()->set_id("RegionTwo");
  v1::Region region;
  REQUIRE(f.Call(&Stub::CreateRegion, admin, region_req, &region).ok());
  v1::CreateServiceRequest service_req;
  service_req.mutable_service()->set_type("dns");
  service_req.mutable_service()->set_name("designate");
  v1::Service service;
  REQUIRE(f.Call(&Stub::CreateService, admin, service_req, &service).ok());
  v1::CreateEndpointRequest endpoint_req;
  endpoint_req.mutable_endpoint()->set_service_id(service.id());
  endpoint_req.mutable_endpoint()->set_region_id("RegionTwo");
  endpoint_req.mutable_endpoint()->set_interface("sideways");
  endpoint_req.mutable_endpoint()->set_url("http://dns:9001");
  v1::Endpoint endpoint;
  grpc::Status bad = f.Call(&Stub::CreateEndpoint, admin, endpoint_req, &endpoint);
  REQUIRE(bad.error_code() == StatusCode::INVALID_ARGUMENT);
  REQUIRE(bad.error_message().find("interface") != std::string::npos);
  endpoint_req.mutable_endpoint()->set_interface("public");
  REQUIRE(f.Call(&Stub::CreateEndpoint, admin, endpoint_req, &endpoint).ok());

  v1::CatalogResponse catalog;
  REQUIRE(f.Call(&Stub::Catalog, admin, v1::CatalogRequest{}, &catalog).ok());
  bool has_dns = false;
  for (const auto& e : catalog.catalog()) has_dns |= e.type() == "dns";
  REQUIRE(has_dns);

  v1::ListEndpointsRequest by_service;
  by_service.set_service_id(service.id());
  v1::ListEndpointsResponse endpoints;
  REQUIRE(f.Call(&Stub::ListEndpoints, admin, by_service, &endpoints).ok());
  REQUIRE(endpoints.endpoints_size() == 1);
  v1::DeleteRequest del;
  del.set_id(endpoint.id());
  v1::Empty empty;
  REQUIRE(f.Call(&Stub::DeleteEndpoint, admin, del, &empty).ok());
  del.set_id(service.id());
  REQUIRE(f.Call(&Stub::DeleteService, admin, del, &empty).ok());
  del.set_id("RegionTwo");
  REQUIRE(f.Call(&Stub::DeleteRegion, admin, del, &empty).ok());
}

TEST_CASE("application credentials: created by their user, secret once, private to them") {
  Fixture f;
  auto [frank, project] = f.Member("frank");
  auto [grace, other] = f.Member("grace");
  const std::string token = f.Token(frank, project);
  v1::CreateApplicationCredentialRequest create;
  create.set_name("ci");
  v1::CreateApplicationCredentialResponse created;
  REQUIRE(f.Call(&Stub::CreateApplicationCredential, token, create, &created).ok());
  REQUIRE_FALSE(created.secret().empty());
  REQUIRE(created.credential().project_id() == project);

  v1::ApplicationCredentialRequest get;
  get.set_id(created.credential().id());
  v1::ApplicationCredential shown;
  REQUIRE(f.Call(&Stub::GetApplicationCredential, token, get, &shown).ok());
  REQUIRE(shown.name() == "ci");
  v1::ListApplicationCredentialsResponse listed;
  REQUIRE(f.Call(&Stub::ListApplicationCredentials, token, v1::ListApplicationCredentialsRequest{},
                 &listed)
              .ok());
  REQUIRE(listed.application_credentials_size() == 1);

  // grace names frank's credential: not hers to see.
  get.set_user_id(created.credential().user_id());
  REQUIRE(
      f.Call(&Stub::GetApplicationCredential, f.Token(grace, other), get, &shown).error_code() ==
      StatusCode::PERMISSION_DENIED);
  v1::AuthenticateRequest by_cred;
  by_cred.mutable_application_credential()->set_id(created.credential().id());
  by_cred.mutable_application_credential()->set_secret(created.secret());
  v1::AuthenticateResponse auth;
  grpc::ClientContext ctx;
  grpcx::PrepareContext(ctx, {});
  REQUIRE(f.stub->Authenticate(&ctx, by_cred, &auth).ok());
  REQUIRE(auth.info().project_id() == project);

  v1::Empty empty;
  REQUIRE(f.Call(&Stub::DeleteApplicationCredential, token, get, &empty).ok());
  f.env.clock.Advance(absl::Seconds(1));  // the deletion revoked frank's tokens of that instant
  REQUIRE(f.Call(&Stub::DeleteApplicationCredential, f.Token(frank, project), get, &empty)
              .error_code() == StatusCode::NOT_FOUND);
}

TEST_CASE("a reader cannot write and a member never reaches another project") {
  Fixture f;
  auto [rita, rita_project] = f.Member("rita", "reader");
  auto [bob, bob_project] = f.Member("bob");
  const std::string reader = f.Token(rita, rita_project);
  v1::Empty empty;

  v1::GetRequest own;
  own.set_id(rita_project);
  v1::Project project;
  REQUIRE(f.Call(&Stub::GetProject, reader, own, &project).ok());
  v1::UpdateProjectRequest rename;
  rename.set_id(rita_project);
  rename.set_name("mine");
  REQUIRE(f.Call(&Stub::UpdateProject, reader, rename, &project).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::CreateProjectRequest create;
  create.mutable_project()->set_name("more");
  REQUIRE(f.Call(&Stub::CreateProject, reader, create, &project).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::CreateUserRequest user;
  user.mutable_user()->set_name("sneaky");
  v1::User created_user;
  REQUIRE(f.Call(&Stub::CreateUser, reader, user, &created_user).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::RoleGrant grant;
  grant.set_role_id(f.RoleId("admin"));
  grant.set_project_id(rita_project);
  grant.set_user_id(f.env.manager->users().ListUsers(testing::Admin(), {}).value().front().id);
  REQUIRE(f.Call(&Stub::GrantRole, reader, grant, &empty).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::CreateRegionRequest region;
  region.mutable_region()->set_id("Mine");
  v1::Region r;
  REQUIRE(f.Call(&Stub::CreateRegion, reader, region, &r).error_code() ==
          StatusCode::PERMISSION_DENIED);

  // bob (a member of another project) sees neither rita's project nor its users.
  const std::string member = f.Token(bob, bob_project);
  REQUIRE(f.Call(&Stub::GetProject, member, own, &project).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::ListUsersResponse users;
  REQUIRE(f.Call(&Stub::ListUsers, member, v1::ListUsersRequest{}, &users).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::ListRoleAssignmentsRequest q;
  q.set_project_id(rita_project);
  v1::ListRoleAssignmentsResponse assignments;
  REQUIRE(f.Call(&Stub::ListRoleAssignments, member, q, &assignments).error_code() ==
          StatusCode::PERMISSION_DENIED);
  v1::ListProjectsResponse projects;
  REQUIRE(f.Call(&Stub::ListProjects, member, v1::ListProjectsRequest{}, &projects).ok());
  REQUIRE(projects.projects_size() == 1);
  REQUIRE(projects.projects(0).id() == bob_project);
  v1::DeleteRequest del;
  del.set_id(rita_project);
  REQUIRE(f.Call(&Stub::DeleteProject, member, del, &empty).error_code() ==
          StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace gureum::identity

namespace gureum::identity {
namespace {

TEST_CASE("GetEc2Credential: a service reads an EC2 secret by access key, a user cannot") {
  Fixture f;
  auto [erin, project] = f.Member("erin");
  ListFilter by_name;
  by_name.name = erin;
  auto users = f.env.manager->users().ListUsers(testing::Admin(), by_name);
  REQUIRE(users.ok());
  REQUIRE(users->size() == 1);
  const User* user = &users->front();
  auto created =
      f.env.manager->credentials().CreateEc2Credential(testing::Admin(), user->id, project);
  REQUIRE(created.ok());
  REQUIRE(f.env.manager->roles().CreateRole(testing::Admin(), {"", "service", "", ""}).ok());
  auto [storage, service_project] = f.Member("storage", "service");

  v1::GetEc2CredentialRequest req;
  req.set_access(created->access);
  v1::Ec2Credential got;
  REQUIRE(f.Call(&Stub::GetEc2Credential, f.Token(storage, service_project), req, &got).ok());
  CHECK(got.secret() == created->secret);
  CHECK(got.user_id() == user->id);
  CHECK(got.project_id() == project);
  CHECK(f.Call(&Stub::GetEc2Credential, f.Token(erin, project), req, &got).error_code() ==
        StatusCode::PERMISSION_DENIED);
  req.set_access("unknown");
  CHECK(f.Call(&Stub::GetEc2Credential, f.AdminToken(), req, &got).error_code() ==
        StatusCode::NOT_FOUND);
  req.set_access("");
  CHECK(f.Call(&Stub::GetEc2Credential, f.AdminToken(), req, &got).error_code() ==
        StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace gureum::identity
