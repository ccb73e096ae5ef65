// identity's gRPC API, in-process over the fake store: authentication, public keys,
// validation, revocation, project isolation, and a service's TokenAuthenticator fed by
// GetPublicKeys/ListRevocationEvents (the production KeyFetcher).
#include <catch2/catch.hpp>

#include "common/auth/identity_fetcher.h"
#include "common/grpc/client.h"
#include "common/grpc/server.h"
#include "identity/identity_service.h"
#include "identity/tests/manager_fixture.h"

namespace gureum::identity {
namespace {

using testing::ManagerEnv;

struct Fixture {
  Fixture() : store(NewFakeIdentityStore()), env(*store), service(*env.manager, call_env) {
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

  // A member of a new project: (user name, project id).
  std::pair<std::string, std::string> Member(const std::string& name) {
    Project p;
    p.name = name + "-project";
    auto project = env.manager->CreateProject(p);
    REQUIRE(project.ok());
    User u;
    u.name = name;
    u.domain_id = kDefaultDomainId;
    auto user = env.manager->CreateUser(u, std::string(name + "-pw"));
    REQUIRE(user.ok());
    auto roles = env.manager->ListRoles({});
    REQUIRE(roles.ok());
    std::string member_role;
    for (const Role& r : *roles) {
      if (r.name == "member") member_role = r.id;
    }
    RoleAssignment grant;
    grant.role_id = member_role;
    grant.user_id = user->id;
    grant.project_id = project->id;
    REQUIRE(env.manager->Grant(grant).ok());
    return {name, project->id};
  }

  std::unique_ptr<IdentityStore> store;
  ManagerEnv env;
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

TEST_CASE("validation needs a token; a revoked token no longer validates") {
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
  auto users = f.env.manager->ListUsers({});
  REQUIRE(users.ok());
  std::string carol_id;
  for (const User& u : *users) {
    if (u.name == carol) carol_id = u.id;
  }
  f.env.clock.Advance(absl::Seconds(1));
  UserUpdate disable;
  disable.enabled = false;
  REQUIRE(f.env.manager->UpdateUser(carol_id, disable).ok());
  REQUIRE((*authn)->Refresh().ok());
  REQUIRE_FALSE((*authn)->Authenticate(resp.token()).ok());
}

}  // namespace
}  // namespace gureum::identity
