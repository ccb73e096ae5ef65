// IdentityManager resources: validation, duplicates, not-found messages, domain deletion,
// effective roles through groups, inheritance and implication, assignment listing.
#include <algorithm>

#include <catch2/catch.hpp>

#include "identity/tests/manager_fixture.h"
#include "identity/tests/store_holder.h"

namespace gureum::identity::testing {
namespace {

bool HasRole(const std::vector<RoleRef>& roles, const std::string& name) {
  return std::any_of(roles.begin(), roles.end(), [&](const RoleRef& r) { return r.name == name; });
}

struct Roles {
  std::string admin, member, reader;
};

Roles MakeStandardRoles(IdentityManager& m) {
  Roles r;
  r.admin = m.roles().CreateRole(Admin(), {"", "admin", "", ""})->id;
  r.member = m.roles().CreateRole(Admin(), {"", "member", "", ""})->id;
  r.reader = m.roles().CreateRole(Admin(), {"", "reader", "", ""})->id;
  REQUIRE(m.roles().CreateImpliedRole(Admin(), r.admin, r.member).ok());
  REQUIRE(m.roles().CreateImpliedRole(Admin(), r.member, r.reader).ok());
  return r;
}

TEST_CASE("manager: CRUD errors name the field and the resource") {
  auto h = NewStoreHolder();
  ManagerEnv env(h->store());
  IdentityManager& m = *env.manager;
  auto bad = m.projects().CreateProject(Admin(), Project{});
  CHECK(absl::IsInvalidArgument(bad.status()));
  CHECK(bad.status().message().find("'name'") != std::string::npos);
  auto p = m.projects().CreateProject(Admin(), Project{"", "alpha"});
  REQUIRE(p.ok());
  CHECK(p->domain_id == "default");
  CHECK(absl::IsAlreadyExists(m.projects().CreateProject(Admin(), Project{"", "alpha"}).status()));
  CHECK(m.projects().GetProject(Admin(), "nope").status().message() ==
        "Could not find project: nope.");
  CHECK(absl::IsInvalidArgument(
      m.projects().CreateProject(Admin(), Project{"", "t", "", "", "", true, {"a/b"}}).status()));
  // A domain id as parent means "top level".
  auto top = m.projects().CreateProject(Admin(), Project{"", "beta", "", "default"});
  REQUIRE(top.ok());
  CHECK(top->parent_id.empty());
  auto child = m.projects().CreateProject(Admin(), Project{"", "child", "", p->id});
  REQUIRE(child.ok());
  CHECK(child->parent_id == p->id);
  CHECK(absl::IsFailedPrecondition(m.projects().DeleteProject(Admin(), p->id)));

  auto u = m.users().CreateUser(Admin(), User{"", "alice"}, std::string("pw"));
  REQUIRE(u.ok());
  CHECK(absl::IsAlreadyExists(
      m.users().CreateUser(Admin(), User{"", "alice"}, std::string("pw")).status()));
  User bad_user{"", "bob"};
  bad_user.default_project_id = "nope";
  auto bu = m.users().CreateUser(Admin(), bad_user, std::nullopt);
  CHECK(absl::IsInvalidArgument(bu.status()));
  CHECK(bu.status().message().find("default_project_id") != std::string::npos);
  CHECK(absl::IsNotFound(m.users().GetUser(Admin(), "nope").status()));
  UserUpdate rename;
  rename.name = "alice2";
  CHECK(m.users().UpdateUser(Admin(), u->id, rename)->name == "alice2");

  CHECK(absl::IsInvalidArgument(
      m.catalog().CreateEndpoint(Admin(), Endpoint{"", "s", "", "private", "http://x"}).status()));
  CHECK(absl::IsInvalidArgument(m.catalog().CreateService(Admin(), Service{}).status()));
  auto svc = m.catalog().CreateService(Admin(), Service{"", "compute", "nova"});
  REQUIRE(svc.ok());
  CHECK(
      absl::IsNotFound(m.catalog()
                           .CreateEndpoint(Admin(), Endpoint{"", "nope", "", "public", "http://x"})
                           .status()));
  REQUIRE(
      m.catalog()
          .CreateEndpoint(Admin(), Endpoint{"", svc->id, "", "public", "http://h/$(project_id)s"})
          .ok());
  auto cat = m.catalog().Catalog("P1");
  REQUIRE(cat.ok());
  REQUIRE(cat->size() == 1);
  CHECK(cat->at(0).endpoints.at(0).url == "http://h/P1");
  CHECK(m.catalog().Catalog("")->at(0).endpoints.empty());

  auto g = m.users().CreateGroup(Admin(), Group{"", "devs"});
  REQUIRE(g.ok());
  CHECK(absl::IsAlreadyExists(m.users().CreateGroup(Admin(), Group{"", "devs"}).status()));
  auto r = m.roles().CreateRole(Admin(), Role{"", "custom"});
  REQUIRE(r.ok());
  CHECK(absl::IsAlreadyExists(m.roles().CreateRole(Admin(), Role{"", "custom"}).status()));
  CHECK(absl::IsFailedPrecondition(m.roles().CreateImpliedRole(Admin(), r->id, r->id).status()));
}

TEST_CASE(
    "manager: names are at most 255 characters without NUL, descriptions at most 65535 "
    "(issue 16, hole 9)") {
  auto h = NewStoreHolder();
  ManagerEnv env(h->store());
  IdentityManager& m = *env.manager;
  const std::string nul("a\0b", 3);
  const std::string huge(900 * 1024, 'n');
  for (const std::string& name : {std::string(256, 'n'), nul, huge}) {
    CHECK(absl::IsInvalidArgument(m.projects().CreateProject(Admin(), Project{"", name}).status()));
    CHECK(absl::IsInvalidArgument(m.projects().CreateDomain(Admin(), Domain{"", name}).status()));
    CHECK(absl::IsInvalidArgument(
        m.users().CreateUser(Admin(), User{"", name}, std::nullopt).status()));
    CHECK(absl::IsInvalidArgument(m.users().CreateGroup(Admin(), Group{"", name}).status()));
    CHECK(absl::IsInvalidArgument(m.roles().CreateRole(Admin(), {"", name, "", ""}).status()));
  }
  absl::Status s = m.projects().CreateProject(Admin(), Project{"", huge}).status();
  CHECK(s.message().size() < 200);
  CHECK(s.message().find("SQLSTATE") == absl::string_view::npos);
  CHECK(m.users().CreateUser(Admin(), User{"", std::string(255, 'n')}, std::nullopt).ok());
  // Domain and project names stop at 64 characters (Keystone's schema).
  CHECK(m.projects().CreateProject(Admin(), Project{"", std::string(64, 'n')}).ok());
  CHECK(absl::IsInvalidArgument(
      m.projects().CreateProject(Admin(), Project{"", std::string(65, 'n')}).status()));
  CHECK(absl::IsInvalidArgument(
      m.projects().CreateDomain(Admin(), Domain{"", std::string(65, 'n')}).status()));
  Project long_description{"", "described"};
  long_description.description = std::string(65536, 'd');
  CHECK(absl::IsInvalidArgument(m.projects().CreateProject(Admin(), long_description).status()));
  long_description.description = std::string(65535, 'd');
  auto p = m.projects().CreateProject(Admin(), long_description);
  REQUIRE(p.ok());
  ProjectUpdate u;
  u.description = std::string(65536, 'd');
  CHECK(absl::IsInvalidArgument(m.projects().UpdateProject(Admin(), p->id, u).status()));
  u = {};
  u.name = nul;
  CHECK(absl::IsInvalidArgument(m.projects().UpdateProject(Admin(), p->id, u).status()));
}

TEST_CASE("manager: a credential's blob is stored encrypted, never as given") {
  auto h = NewStoreHolder();
  ManagerEnv env(h->store());
  IdentityManager& m = *env.manager;
  auto u = m.users().CreateUser(Admin(), User{"", "u"}, std::nullopt);
  REQUIRE(u.ok());
  Credential c;
  c.user_id = u->id;
  c.type = "totp";
  c.blob = "the-secret-seed";
  auto created = m.credentials().CreateCredential(Admin(), c);
  REQUIRE(created.ok());
  auto stored = h->store().GetCredential(created->id);
  REQUIRE(stored.ok());
  CHECK(stored->encrypted_blob.find("the-secret-seed") == std::string::npos);
  CHECK(stored->encrypted_blob.size() > c.blob.size());
  // Two encryptions of one blob differ (a fresh nonce each).
  auto again = m.credentials().CreateCredential(Admin(), c);
  REQUIRE(again.ok());
  CHECK(h->store().GetCredential(again->id)->encrypted_blob != stored->encrypted_blob);
  CHECK(m.credentials().GetCredential(Admin(), created->id)->blob == "the-secret-seed");
  // A tampered row does not open.
  CredentialRecord bad = *stored;
  bad.encrypted_blob[5] = bad.encrypted_blob[5] == 'A' ? 'B' : 'A';
  REQUIRE(h->store().UpdateCredential(bad).ok());
  CHECK(!m.credentials().GetCredential(Admin(), created->id).ok());
}

TEST_CASE("manager: an enabled domain cannot be deleted") {
  auto h = NewStoreHolder();
  ManagerEnv env(h->store());
  IdentityManager& m = *env.manager;
  auto d = m.projects().CreateDomain(Admin(), Domain{"", "Other"});
  REQUIRE(d.ok());
  REQUIRE(m.projects().CreateProject(Admin(), Project{"", "p", d->id}).ok());
  CHECK(absl::IsPermissionDenied(m.projects().DeleteDomain(Admin(), d->id)));
  DomainUpdate off;
  off.enabled = false;
  REQUIRE(m.projects().UpdateDomain(Admin(), d->id, off).ok());
  REQUIRE(m.projects().DeleteDomain(Admin(), d->id).ok());
  CHECK(absl::IsNotFound(m.projects().GetDomain(Admin(), d->id).status()));
}

TEST_CASE("manager: effective roles via groups, inheritance and implication") {
  auto h = NewStoreHolder();
  ManagerEnv env(h->store());
  IdentityManager& m = *env.manager;
  Roles roles = MakeStandardRoles(m);
  CHECK(absl::IsFailedPrecondition(
      m.roles().CreateImpliedRole(Admin(), roles.reader, roles.admin).status()));
  auto parent = m.projects().CreateProject(Admin(), Project{"", "parent"});
  auto child = m.projects().CreateProject(Admin(), Project{"", "child", "", parent->id});
  auto grandchild = m.projects().CreateProject(Admin(), Project{"", "grandchild", "", child->id});
  auto u = m.users().CreateUser(Admin(), User{"", "alice"}, std::string("pw"));
  auto g = m.users().CreateGroup(Admin(), Group{"", "devs"});
  REQUIRE(m.users().AddUserToGroup(Admin(), u->id, g->id).ok());
  CHECK(*m.users().IsUserInGroup(Admin(), u->id, g->id));

  // Group grant, inherited from the parent: applies to child and grandchild, not parent.
  REQUIRE(
      m.assignments().Grant(Admin(), {roles.member, "", g->id, parent->id, "", false, true}).ok());
  auto on_child = m.auth().Authenticate([&] {
    AuthRequest r = PasswordById(u->id, "pw");
    r.scope = ProjectScope(grandchild->id);
    return r;
  }());
  REQUIRE(on_child.ok());
  CHECK(HasRole(on_child->data.roles, "member"));
  CHECK(HasRole(on_child->data.roles, "reader"));  // implied
  CHECK_FALSE(HasRole(on_child->data.roles, "admin"));
  AuthRequest on_parent = PasswordById(u->id, "pw");
  on_parent.scope = ProjectScope(parent->id);
  CHECK(absl::IsUnauthenticated(m.auth().Authenticate(on_parent).status()));

  // Effective listing: the group grant expands to the user on both sub-projects, with
  // implied roles.
  AssignmentQuery q;
  q.effective = true;
  q.include_names = true;
  q.filter.user_id = u->id;
  auto eff = m.assignments().ListRoleAssignments(Admin(), q);
  REQUIRE(eff.ok());
  CHECK(eff->size() == 4);  // {child, grandchild} x {member, reader}
  for (const auto& v : *eff) {
    CHECK(v.via_group_id == g->id);
    CHECK(v.inherited_from_project_id == parent->id);
    CHECK(v.user_name == "alice");
    CHECK(!v.project_name.empty());
  }
  q.effective = false;
  CHECK(
      m.assignments().ListRoleAssignments(Admin(), q)->empty());  // the direct grant is the group's
  q.filter = {};
  q.filter.group_id = g->id;
  CHECK(m.assignments().ListRoleAssignments(Admin(), q)->size() == 1);

  auto projects = m.assignments().ListUserProjects(Admin(), u->id);
  REQUIRE(projects.ok());
  CHECK(projects->size() == 2);

  // Inherited domain grant: every project in the domain, including the parent.
  REQUIRE(
      m.assignments().Grant(Admin(), {roles.admin, u->id, "", "", "default", false, true}).ok());
  auto admin = m.auth().Authenticate(on_parent);
  REQUIRE(admin.ok());
  CHECK(HasRole(admin->data.roles, "admin"));
  CHECK(HasRole(admin->data.roles, "reader"));

  // Grant validation.
  CHECK(absl::IsInvalidArgument(
      m.assignments().Grant(Admin(), {roles.admin, u->id, g->id, parent->id, "", false, false})));
  CHECK(absl::IsInvalidArgument(m.assignments().Grant(
      Admin(), {roles.admin, u->id, "", parent->id, "default", false, false})));
  CHECK(absl::IsNotFound(
      m.assignments().Grant(Admin(), {roles.admin, u->id, "", "nope", "", false, false})));
  CHECK(absl::IsNotFound(
      m.assignments().Revoke(Admin(), {roles.admin, u->id, "", parent->id, "", false, false})));
}

}  // namespace
}  // namespace gureum::identity::testing
