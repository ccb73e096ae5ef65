// The policy is the managers': called directly (as the REST and gRPC adapters do), a
// manager refuses a caller the identity policy does not allow, before it acts.
#include <catch2/catch.hpp>

#include "identity/tests/manager_fixture.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

TEST_CASE("catalog manager: a member cannot do an admin's catalog changes") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  CatalogManager& catalog = env.manager->catalog();
  const Caller member = Member("p1");

  CHECK(absl::IsPermissionDenied(catalog.CreateRegion(member, Region{"R9", "", ""}).status()));
  CHECK(absl::IsPermissionDenied(
      catalog.CreateService(member, Service{"", "compute", "nova", "", true}).status()));
  CHECK(absl::IsPermissionDenied(catalog.ListServices(member, ListFilter{}).status()));
  CHECK(absl::IsPermissionDenied(catalog.ListEndpoints(member, ListFilter{}).status()));
  // Nothing was made.
  CHECK(absl::IsNotFound(catalog.GetRegion(Admin(), "R9").status()));
  CHECK(catalog.ListServices(Admin(), ListFilter{})->empty());

  // What the admin makes, the member may neither change nor delete.
  auto service = catalog.CreateService(Admin(), Service{"", "compute", "nova", "", true});
  REQUIRE(service.ok());
  auto endpoint = catalog.CreateEndpoint(
      Admin(), Endpoint{"", service->id, "", "public", "http://x:8774", true});
  REQUIRE(endpoint.ok());
  ServiceUpdate rename;
  rename.name = "other";
  CHECK(absl::IsPermissionDenied(catalog.UpdateService(member, service->id, rename).status()));
  CHECK(absl::IsPermissionDenied(catalog.DeleteEndpoint(member, endpoint->id)));
  CHECK(absl::IsPermissionDenied(catalog.DeleteService(member, service->id)));
  CHECK(catalog.GetService(Admin(), service->id)->name == "nova");
  CHECK(catalog.GetEndpoint(Admin(), endpoint->id).ok());

  // Regions are readable by any token, as in Keystone.
  REQUIRE(catalog.CreateRegion(Admin(), Region{"R1", "", ""}).ok());
  CHECK(catalog.GetRegion(member, "R1").ok());
  CHECK(absl::IsPermissionDenied(catalog.DeleteRegion(member, "R1")));
}

TEST_CASE("role manager: a member cannot do an admin's role changes") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  RoleManager& roles = env.manager->roles();
  const Caller member = Member("p1");

  CHECK(absl::IsPermissionDenied(roles.CreateRole(member, Role{"", "boss", "", ""}).status()));
  CHECK(roles.ListRoles(Admin(), ListFilter{})->empty());
  auto admin = roles.CreateRole(Admin(), Role{"", "admin", "", ""});
  auto reader = roles.CreateRole(Admin(), Role{"", "reader", "", ""});
  REQUIRE(admin.ok());
  REQUIRE(reader.ok());

  // Roles are for readers of the cloud and admins (who grant them), not for members.
  CHECK(absl::IsPermissionDenied(roles.ListRoles(member, ListFilter{}).status()));
  CHECK(absl::IsPermissionDenied(roles.GetRole(member, admin->id).status()));
  RoleUpdate rename;
  rename.name = "nobody";
  CHECK(absl::IsPermissionDenied(roles.UpdateRole(member, admin->id, rename).status()));
  CHECK(absl::IsPermissionDenied(roles.DeleteRole(member, admin->id)));
  CHECK(absl::IsPermissionDenied(roles.CreateImpliedRole(member, reader->id, admin->id).status()));
  CHECK(roles.GetRole(Admin(), admin->id)->name == "admin");
  CHECK(roles.ListImpliedRoles(Admin())->empty());

  REQUIRE(roles.CreateImpliedRole(Admin(), admin->id, reader->id).ok());
  CHECK(absl::IsPermissionDenied(roles.DeleteImpliedRole(member, admin->id, reader->id)));
  CHECK(absl::IsPermissionDenied(roles.ListImpliedRoles(member).status()));
  CHECK(absl::IsPermissionDenied(roles.ListImpliedBy(member, admin->id).status()));
  CHECK(roles.ListImpliedBy(Admin(), admin->id)->size() == 1);
}

TEST_CASE("application credential manager: only the user (or an admin) reaches them") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  AppCredentialManager& creds = env.manager->app_credentials();
  User u;
  u.name = "alice";
  REQUIRE(env.manager->users().CreateUser(Admin(), u, std::string("pw-alice")).ok());
  const std::string alice = env.manager->users().ListUsers(Admin(), ListFilter{})->front().id;
  Caller other = Member("p1");  // another user

  CHECK(absl::IsPermissionDenied(
      creds.ListApplicationCredentials(other, alice, std::nullopt).status()));
  CHECK(absl::IsPermissionDenied(creds.GetApplicationCredential(other, alice, "c1").status()));
  CHECK(absl::IsPermissionDenied(creds.DeleteApplicationCredential(other, alice, "c1")));
  auth::TokenClaims not_alice;
  not_alice.user_id = other.user_id;
  not_alice.project_id = "p1";
  ApplicationCredentialCreate request;
  request.user_id = alice;
  request.name = "ci";
  CHECK(absl::IsPermissionDenied(creds.CreateApplicationCredential(not_alice, request).status()));
  // The user and a cloud reader list them.
  CHECK(creds.ListApplicationCredentials(Self(alice), alice, std::nullopt)->empty());
  CHECK(creds.ListApplicationCredentials(Admin(), alice, std::nullopt)->empty());
}

TEST_CASE("token manager: another user cannot validate or revoke a token") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  BootstrapOptions boot;
  boot.admin_password = "pw-admin";
  auto booted = env.manager->Bootstrap(boot);
  REQUIRE(booted.ok());
  AuthRequest request = PasswordById(booted->admin_user_id, "pw-admin");
  request.scope = ProjectScope(booted->admin_project_id);
  auto issued = env.manager->auth().Authenticate(request);
  REQUIRE(issued.ok());
  TokenManager& tokens = env.manager->tokens();
  const Caller member = Member("p1");

  CHECK(absl::IsPermissionDenied(tokens.ValidateToken(member, issued->token).status()));
  CHECK(absl::IsPermissionDenied(tokens.RevokeToken(member, issued->token)));
  CHECK(tokens.ValidateToken(issued->token).ok());  // not revoked
  // Its own user does both.
  Caller self;
  self.user_id = booted->admin_user_id;
  CHECK(tokens.ValidateToken(self, issued->token).ok());
  CHECK(absl::IsNotFound(tokens.ValidateToken(self, "not-a-token").status()));
  REQUIRE(tokens.RevokeToken(self, issued->token).ok());
  CHECK(absl::IsUnauthenticated(tokens.ValidateToken(issued->token).status()));
}

TEST_CASE("project manager: a member cannot do an admin's domain and project changes") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  ProjectManager& projects = env.manager->projects();
  auto p1 = projects.CreateProject(Admin(), Project{"", "p1"});
  auto p2 = projects.CreateProject(Admin(), Project{"", "p2"});
  REQUIRE(p1.ok());
  REQUIRE(p2.ok());
  const Caller member = Member(p1->id);

  CHECK(
      absl::IsPermissionDenied(projects.CreateDomain(member, Domain{"", "d9", "", true}).status()));
  CHECK(absl::IsPermissionDenied(projects.ListDomains(member, ListFilter{}).status()));
  CHECK(absl::IsPermissionDenied(projects.CreateProject(member, Project{"", "p3"}).status()));
  CHECK(absl::IsPermissionDenied(projects.ListProjects(member, ListFilter{}).status()));
  ProjectUpdate disable;
  disable.enabled = false;
  CHECK(absl::IsPermissionDenied(projects.UpdateProject(member, p1->id, disable).status()));
  CHECK(absl::IsPermissionDenied(projects.DeleteProject(member, p2->id)));
  CHECK(absl::IsPermissionDenied(projects.SetProjectTags(member, p1->id, {"x"}).status()));
  // Its own project it reads; another it does not, and an unknown one is NotFound.
  CHECK(projects.GetProject(member, p1->id).ok());
  CHECK(absl::IsPermissionDenied(projects.GetProject(member, p2->id).status()));
  CHECK(absl::IsNotFound(projects.GetProject(member, "nope").status()));
  // Nothing changed.
  CHECK(projects.GetProject(Admin(), p1->id)->enabled);
  CHECK(projects.GetProject(Admin(), p2->id).ok());
  CHECK(projects.ListProjects(Admin(), ListFilter{})->size() == 2);
}

TEST_CASE("user manager: a member cannot do an admin's user and group changes") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  UserManager& users = env.manager->users();
  User bob_in;
  bob_in.name = "bob";
  auto bob = users.CreateUser(Admin(), bob_in, std::string("pw-bob"));
  auto group = users.CreateGroup(Admin(), Group{"", "ops", "", ""});
  REQUIRE(bob.ok());
  REQUIRE(group.ok());
  const Caller member = Member("p1");

  User eve;
  eve.name = "eve";
  CHECK(absl::IsPermissionDenied(users.CreateUser(member, eve, std::string("pw")).status()));
  CHECK(absl::IsPermissionDenied(users.ListUsers(member, ListFilter{}).status()));
  CHECK(absl::IsPermissionDenied(users.GetUser(member, bob->id).status()));
  UserUpdate reset;
  reset.password = "taken-over";
  CHECK(absl::IsPermissionDenied(users.UpdateUser(member, bob->id, reset).status()));
  CHECK(absl::IsPermissionDenied(users.DeleteUser(member, bob->id)));
  CHECK(absl::IsPermissionDenied(users.ChangePassword(member, bob->id, "pw-bob", "mine")));
  CHECK(absl::IsPermissionDenied(users.CreateGroup(member, Group{"", "g2", "", ""}).status()));
  CHECK(absl::IsPermissionDenied(users.AddUserToGroup(member, bob->id, group->id)));
  CHECK(absl::IsPermissionDenied(users.DeleteGroup(member, group->id)));
  // Nothing changed: bob's password is his, he is in no group.
  CHECK(users.CheckPassword(UserRef{bob->id, "", "", ""}, "pw-bob").ok());
  CHECK(users.ListGroupUsers(Admin(), group->id)->empty());
  CHECK(users.ListUsers(Admin(), ListFilter{})->size() == 1);
  // Bob reads himself and changes his own password.
  CHECK(users.GetUser(Self(bob->id), bob->id).ok());
  CHECK(users.ChangePassword(Self(bob->id), bob->id, "pw-bob", "pw-bob-2").ok());
}

TEST_CASE("assignment manager: a member cannot grant themselves more") {
  auto holder = NewStoreHolder();
  ManagerEnv env(holder->store());
  BootstrapOptions boot;
  boot.admin_password = "pw-admin";
  auto booted = env.manager->Bootstrap(boot);
  REQUIRE(booted.ok());
  User alice_in;
  alice_in.name = "alice";
  auto alice = env.manager->users().CreateUser(Admin(), alice_in, std::string("pw-alice"));
  auto p1 = env.manager->projects().CreateProject(Admin(), Project{"", "p1"});
  REQUIRE(alice.ok());
  REQUIRE(p1.ok());
  AssignmentManager& assignments = env.manager->assignments();
  Caller member = Member(p1->id);
  member.user_id = alice->id;

  RoleAssignment admin_on_p1{booted->admin_role_id, alice->id, "", p1->id, "", false, false};
  RoleAssignment system_admin{booted->admin_role_id, alice->id, "", "", "", true, false};
  CHECK(absl::IsPermissionDenied(assignments.Grant(member, admin_on_p1)));
  CHECK(absl::IsPermissionDenied(assignments.Grant(member, system_admin)));
  CHECK(absl::IsNotFound(assignments.CheckGrant(Admin(), admin_on_p1)));
  // Nor read who holds what in the cloud, nor revoke the admin's grants.
  CHECK(absl::IsPermissionDenied(
      assignments.ListRoleAssignments(member, AssignmentQuery{}).status()));
  RoleAssignment admins_grant{
      booted->admin_role_id, booted->admin_user_id, "", booted->admin_project_id, "", false, false};
  CHECK(absl::IsPermissionDenied(assignments.Revoke(member, admins_grant)));
  CHECK(assignments.CheckGrant(Admin(), admins_grant).ok());
  CHECK(absl::IsPermissionDenied(
      assignments.ListUserProjects(member, booted->admin_user_id).status()));
  // Their own projects they list.
  CHECK(assignments.ListUserProjects(member, alice->id).ok());
  CHECK(assignments.AuthProjects(member)->empty());
}

}  // namespace
}  // namespace gureum::identity::testing
