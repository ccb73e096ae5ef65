// The IdentityStore contract, run on the fake (unit) and on PostgreSQL (integration).
#include <catch2/catch.hpp>

#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

UserRecord MakeUser(const std::string& id, const std::string& name) {
  UserRecord r;
  r.user.id = id;
  r.user.name = name;
  r.user.domain_id = kDefaultDomainId;
  r.password_hash = "$argon2id$fake";
  return r;
}

TEST_CASE("store: default domain exists and domains are unique by name") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  auto d = s.GetDomain("default");
  REQUIRE(d.ok());
  CHECK(d->name == "Default");
  CHECK(absl::IsAlreadyExists(s.CreateDomain({"d2", "Default", "", true})));
  REQUIRE(s.CreateDomain({"d2", "Other", "x", true}).ok());
  CHECK(s.GetDomainByName("Other")->id == "d2");
  CHECK(absl::IsNotFound(s.GetDomain("nope").status()));
  CHECK(s.GetDomain("nope").status().message() == "Could not find domain: nope.");
}

TEST_CASE("store: projects, tags, parents, duplicates and paging") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  Project p{"p1", "alpha", "default", "", "desc", true, {"b", "a"}};
  REQUIRE(s.CreateProject(p).ok());
  auto got = s.GetProject("p1");
  REQUIRE(got.ok());
  CHECK(got->tags == std::vector<std::string>{"a", "b"});
  CHECK(got->parent_id.empty());
  CHECK(absl::IsAlreadyExists(s.CreateProject({"p2", "alpha", "default", "", "", true, {}})));
  CHECK(absl::IsNotFound(s.CreateProject({"p2", "beta", "nodomain", "", "", true, {}})));
  CHECK(absl::IsNotFound(s.CreateProject({"p2", "beta", "default", "nop", "", true, {}})));
  REQUIRE(s.CreateProject({"p2", "beta", "default", "p1", "", true, {}}).ok());
  REQUIRE(s.CreateProject({"p3", "gamma", "default", "", "", false, {}}).ok());
  ListFilter f;
  f.parent_id = "p1";
  CHECK(s.ListProjects(f)->size() == 1);
  f = {};
  f.enabled = false;
  CHECK(s.ListProjects(f)->at(0).id == "p3");
  f = {};
  f.page.limit = 2;
  auto page1 = s.ListProjects(f);
  REQUIRE(page1->size() == 2);
  CHECK(page1->at(0).id == "p1");
  f.page.marker = page1->back().id;
  auto page2 = s.ListProjects(f);
  REQUIRE(page2->size() == 1);
  CHECK(page2->at(0).id == "p3");
  CHECK(absl::IsFailedPrecondition(s.DeleteProject("p1", {})));
  p.tags = {"c"};
  p.name = "alpha2";
  REQUIRE(s.UpdateProject(p, {}).ok());
  CHECK(s.GetProject("p1")->tags == std::vector<std::string>{"c"});
  CHECK(absl::IsNotFound(s.UpdateProject(Project{"zz", "n", "default"}, {})));
  REQUIRE(s.DeleteProject("p2", {}).ok());
  REQUIRE(s.DeleteProject("p1", {}).ok());
  CHECK(absl::IsNotFound(s.GetProject("p1").status()));
}

TEST_CASE("store: users, lockout counters, groups and membership cascade") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  REQUIRE(s.CreateUser(MakeUser("u1", "alice")).ok());
  CHECK(absl::IsAlreadyExists(s.CreateUser(MakeUser("u2", "alice"))));
  REQUIRE(s.CreateUser(MakeUser("u2", "bob")).ok());
  CHECK(s.GetUserByName("default", "bob")->user.id == "u2");
  REQUIRE(s.RecordAuthResult("u1", 2, kT0).ok());
  auto u = s.GetUser("u1");
  CHECK(u->failed_auth_count == 2);
  CHECK(*u->last_failed_auth_at == kT0);
  CHECK(u->password_hash == "$argon2id$fake");
  u->user.email = "a@example.org";
  u->user.options.ignore_lockout_failure_attempts = true;
  REQUIRE(s.UpdateUser(*u, {}).ok());
  u = s.GetUser("u1");
  CHECK(u->user.email == "a@example.org");
  CHECK(u->user.options.ignore_lockout_failure_attempts);
  CHECK(u->failed_auth_count == 2);  // UpdateUser leaves the counters alone

  REQUIRE(s.CreateGroup({"g1", "devs", "default", ""}).ok());
  CHECK(absl::IsAlreadyExists(s.CreateGroup({"g2", "devs", "default", ""})));
  REQUIRE(s.AddUserToGroup("u1", "g1").ok());
  REQUIRE(s.AddUserToGroup("u1", "g1").ok());  // idempotent
  REQUIRE(s.AddUserToGroup("u2", "g1").ok());
  CHECK(absl::IsNotFound(s.AddUserToGroup("nobody", "g1")));
  CHECK(s.ListGroupUsers("g1")->size() == 2);
  CHECK(s.ListUserGroups("u1")->at(0).id == "g1");
  REQUIRE(s.RemoveUserFromGroup("u2", "g1", {}).ok());
  CHECK(absl::IsNotFound(s.RemoveUserFromGroup("u2", "g1", {})));
  REQUIRE(s.DeleteUser("u1", {}).ok());
  CHECK(s.ListGroupUsers("g1")->empty());
  CHECK(absl::IsNotFound(s.DeleteUser("u1", {})));
}

TEST_CASE("store: roles, implications and assignments") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  REQUIRE(s.CreateRole({"r1", "admin", "", ""}).ok());
  REQUIRE(s.CreateRole({"r2", "member", "", ""}).ok());
  CHECK(absl::IsAlreadyExists(s.CreateRole({"r3", "admin", "", ""})));
  REQUIRE(s.CreateRole({"r3", "admin", "default", ""}).ok());  // domain roles: own namespace
  CHECK(s.GetRoleByName("", "admin")->id == "r1");
  CHECK(s.GetRoleByName("default", "admin")->id == "r3");
  REQUIRE(s.CreateImpliedRole({"r1", "r2"}).ok());
  CHECK(absl::IsAlreadyExists(s.CreateImpliedRole({"r1", "r2"})));
  CHECK(absl::IsNotFound(s.CreateImpliedRole({"r1", "zz"})));
  CHECK(s.ListImpliedRoles()->size() == 1);

  REQUIRE(s.CreateUser(MakeUser("u1", "alice")).ok());
  REQUIRE(s.CreateProject({"p1", "alpha", "default", "", "", true, {}}).ok());
  RoleAssignment a{"r1", "u1", "", "p1", "", false, false};
  REQUIRE(s.CreateAssignment(a).ok());
  REQUIRE(s.CreateAssignment(a).ok());  // idempotent
  RoleAssignment sys{"r2", "u1", "", "", "", true, false};
  REQUIRE(s.CreateAssignment(sys).ok());
  CHECK(absl::IsNotFound(s.CreateAssignment({"r1", "nobody", "", "p1", "", false, false})));
  AssignmentFilter f;
  f.user_id = "u1";
  CHECK(s.ListAssignments(f)->size() == 2);
  f.system = true;
  auto only_sys = s.ListAssignments(f);
  REQUIRE(only_sys->size() == 1);
  CHECK(only_sys->at(0) == sys);
  StoredRevocationEvent ev{"", "u1", "p1", kT0, kT0};
  REQUIRE(s.DeleteAssignment(a, {ev}).ok());
  CHECK(absl::IsNotFound(s.DeleteAssignment(a, {})));
  auto events = s.ListRevocationEvents(kT0);
  REQUIRE(events->size() == 1);
  CHECK(events->at(0).user_id == "u1");
  CHECK(events->at(0).project_id == "p1");
  CHECK(events->at(0).issued_before == kT0);
  REQUIRE(s.DeleteRole("r2", {}).ok());  // takes its grants and implications along
  CHECK(s.ListImpliedRoles()->empty());
  CHECK(s.ListAssignments(AssignmentFilter{})->empty());
}

TEST_CASE("store: catalog and application credentials") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  REQUIRE(s.CreateRegion({"RegionOne", "", ""}).ok());
  CHECK(absl::IsAlreadyExists(s.CreateRegion({"RegionOne", "", ""})));
  REQUIRE(s.CreateService({"s1", "compute", "nova", "", true}).ok());
  CHECK(
      absl::IsNotFound(s.CreateEndpoint({"e1", "nope", "RegionOne", "public", "http://x", true})));
  REQUIRE(s.CreateEndpoint({"e1", "s1", "RegionOne", "public", "http://x", true}).ok());
  ListFilter f;
  f.service_id = "s1";
  f.interface = "public";
  CHECK(s.ListEndpoints(f)->size() == 1);
  CHECK(absl::IsFailedPrecondition(s.DeleteRegion("RegionOne")));
  REQUIRE(s.DeleteService("s1").ok());
  CHECK(absl::IsNotFound(s.GetEndpoint("e1").status()));
  REQUIRE(s.DeleteRegion("RegionOne").ok());

  REQUIRE(s.CreateUser(MakeUser("u1", "alice")).ok());
  REQUIRE(s.CreateProject({"p1", "alpha", "default", "", "", true, {}}).ok());
  REQUIRE(s.CreateRole({"r1", "member", "", ""}).ok());
  ApplicationCredentialRecord c;
  c.credential = {"c1", "ci", "u1", "p1", "", kT0, false, {{"r1", ""}}};
  c.secret_hash = "$argon2id$x";
  REQUIRE(s.CreateApplicationCredential(c).ok());
  CHECK(absl::IsAlreadyExists(
      s.CreateApplicationCredential({{"c2", "ci", "u1", "p1", "", std::nullopt, false, {}}, "h"})));
  auto got = s.GetApplicationCredentialByName("u1", "ci");
  REQUIRE(got.ok());
  CHECK(got->secret_hash == "$argon2id$x");
  CHECK(*got->credential.expires_at == kT0);
  REQUIRE(got->credential.roles.size() == 1);
  CHECK(got->credential.roles[0].name == "member");
  CHECK(s.ListApplicationCredentials("u1")->size() == 1);

  // Its tokens are recorded; deleting it revokes the live ones by audit id.
  REQUIRE(s.RecordApplicationCredentialToken("c1", "audit-old", kT0 + absl::Minutes(1),
                                             kT0 - absl::Hours(1))
              .ok());
  REQUIRE(s.RecordApplicationCredentialToken("c1", "audit-live", kT0 + absl::Hours(1), kT0).ok());
  CHECK(absl::IsNotFound(s.RecordApplicationCredentialToken("nope", "a", kT0, kT0)));
  REQUIRE(
      s.CreateApplicationCredential({{"c3", "other", "u1", "p1", "", std::nullopt, false, {}}, "h"})
          .ok());
  auto events = s.DeleteApplicationCredential("c3", kT0);
  REQUIRE(events.ok());
  CHECK(events->empty());
  events = s.DeleteApplicationCredential("c1", kT0 + absl::Minutes(2));
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK((*events)[0].audit_id == "audit-live");
  CHECK((*events)[0].user_id.empty());
  auto stored = s.ListRevocationEvents(kT0 + absl::Minutes(2));
  REQUIRE(stored.ok());
  CHECK(stored->size() == 1);
  CHECK(absl::IsNotFound(s.DeleteApplicationCredential("c1", kT0).status()));
  CHECK(absl::IsNotFound(
      s.RecordApplicationCredentialToken("c1", "later", kT0 + absl::Hours(1), kT0)));

  REQUIRE(
      s.CreateApplicationCredential({{"c4", "ci", "u1", "p1", "", std::nullopt, false, {}}, "h"})
          .ok());
  REQUIRE(s.DeleteProject("p1", {}).ok());  // cascades to the credential
  CHECK(absl::IsNotFound(s.GetApplicationCredential("c4").status()));
}

TEST_CASE("store: deleting a domain removes its contents, events persist") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  REQUIRE(s.CreateDomain({"d2", "Other", "", false}).ok());
  REQUIRE(s.CreateProject({"p1", "a", "d2", "", "", true, {}}).ok());
  REQUIRE(s.CreateProject({"p2", "b", "d2", "p1", "", true, {}}).ok());
  UserRecord u = MakeUser("u1", "alice");
  u.user.domain_id = "d2";
  REQUIRE(s.CreateUser(u).ok());
  REQUIRE(s.CreateGroup({"g1", "g", "d2", ""}).ok());
  REQUIRE(s.CreateRole({"r1", "custom", "d2", ""}).ok());
  REQUIRE(s.CreateAssignment({"r1", "u1", "", "", "d2", false, true}).ok());
  StoredRevocationEvent ev{"", "u1", "", kT0, kT0 + absl::Seconds(1)};
  REQUIRE(s.DeleteDomain("d2", {ev}).ok());
  CHECK(absl::IsNotFound(s.GetProject("p2").status()));
  CHECK(absl::IsNotFound(s.GetUser("u1").status()));
  CHECK(absl::IsNotFound(s.GetGroup("g1").status()));
  CHECK(absl::IsNotFound(s.GetRole("r1").status()));
  CHECK(s.ListRevocationEvents(kT0 + absl::Seconds(2))->empty());
  CHECK(s.ListRevocationEvents(kT0)->size() == 1);
  REQUIRE(s.PurgeRevocationEvents(kT0 + absl::Seconds(2)).ok());
  CHECK(s.ListRevocationEvents(kT0)->empty());
}

}  // namespace
}  // namespace gureum::identity::testing

namespace gureum::identity::testing {
namespace {

TEST_CASE("store: credentials, filters and cascades") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  REQUIRE(s.CreateUser(MakeUser("u1", "one")).ok());
  REQUIRE(s.CreateUser(MakeUser("u2", "two")).ok());
  REQUIRE(s.CreateProject(Project{"p1", "alpha", "default", "", "", true, {}}).ok());
  REQUIRE(s.CreateCredential({"c1", "u1", "p1", "ec2", "sealed-1"}).ok());
  REQUIRE(s.CreateCredential({"c2", "u1", "", "totp", "sealed-2"}).ok());
  REQUIRE(s.CreateCredential({"c3", "u2", "", "totp", "sealed-3"}).ok());
  CHECK(absl::IsAlreadyExists(s.CreateCredential({"c1", "u2", "", "x", "y"})));
  CHECK(absl::IsNotFound(s.CreateCredential({"c9", "nope", "", "x", "y"})));
  CHECK(absl::IsNotFound(s.CreateCredential({"c9", "u1", "nope", "x", "y"})));
  auto c1 = s.GetCredential("c1");
  REQUIRE(c1.ok());
  CHECK(c1->project_id == "p1");
  CHECK(c1->encrypted_blob == "sealed-1");
  CHECK(absl::IsNotFound(s.GetCredential("nope").status()));

  ListFilter mine;
  mine.user_id = "u1";
  CHECK(s.ListCredentials(mine)->size() == 2);
  mine.type = "totp";
  REQUIRE(s.ListCredentials(mine)->size() == 1);
  CHECK(s.ListCredentials(mine)->front().id == "c2");
  CHECK(s.ListCredentials(ListFilter{})->size() == 3);

  REQUIRE(s.UpdateCredential({"c2", "u2", "p1", "cert", "sealed-4"}).ok());
  CHECK(s.GetCredential("c2")->user_id == "u2");
  CHECK(s.GetCredential("c2")->encrypted_blob == "sealed-4");
  CHECK(absl::IsNotFound(s.UpdateCredential({"nope", "u1", "", "x", "y"})));

  // A project's and a user's delete take theirs along.
  REQUIRE(s.DeleteProject("p1", {}).ok());
  CHECK(absl::IsNotFound(s.GetCredential("c1").status()));
  CHECK(absl::IsNotFound(s.GetCredential("c2").status()));
  REQUIRE(s.DeleteUser("u2", {}).ok());
  CHECK(absl::IsNotFound(s.GetCredential("c3").status()));
  CHECK(absl::IsNotFound(s.DeleteCredential("c3")));
}

}  // namespace
}  // namespace gureum::identity::testing

namespace gureum::identity::testing {
namespace {

TEST_CASE("store: documents by kind, and a domain's configuration goes with it") {
  auto h = NewStoreHolder();
  IdentityStore& s = h->store();
  REQUIRE(s.CreateDocument({"policy", "b", "{\"x\":1}"}).ok());
  REQUIRE(s.CreateDocument({"policy", "a", "{}"}).ok());
  REQUIRE(s.CreateDocument({"endpoint_group", "a", "{}"}).ok());
  CHECK(absl::IsAlreadyExists(s.CreateDocument({"policy", "a", "{}"})));
  auto listed = s.ListDocuments("policy");
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK(listed->front().id == "a");
  CHECK(s.GetDocument("policy", "b")->body == "{\"x\":1}");
  auto missing = s.GetDocument("oauth_consumer", "a");
  CHECK(missing.status().message() == "Could not find oauth consumer: a.");
  REQUIRE(s.UpdateDocument({"policy", "b", "{\"x\":2}"}).ok());
  CHECK(s.GetDocument("policy", "b")->body == "{\"x\":2}");
  CHECK(absl::IsNotFound(s.UpdateDocument({"policy", "zz", "{}"})));
  REQUIRE(s.DeleteDocument("policy", "b").ok());
  CHECK(absl::IsNotFound(s.DeleteDocument("policy", "b")));

  REQUIRE(s.CreateDomain({"d2", "Other", "", false}).ok());
  REQUIRE(s.CreateDocument({"domain_config", "d2", "{}"}).ok());
  REQUIRE(s.DeleteDomain("d2", {}).ok());
  CHECK(absl::IsNotFound(s.GetDocument("domain_config", "d2").status()));
}

}  // namespace
}  // namespace gureum::identity::testing
