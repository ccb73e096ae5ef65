// The identity REST adapter's default policy: isolation between projects, readers cannot
// write, non-admins cannot create or grant, users manage themselves, domain and project
// admins stay in their scope, and the admin-openrc (admin on the admin project) can do
// everything a system admin can.
#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

// One write of each kind; none may succeed for a caller without admin rights.
struct Write {
  std::string method;
  std::string path;
  json body;
};

std::vector<Write> CloudWrites(RestEnv& env, const std::string& other_project,
                               const std::string& other_user) {
  const std::string member = env.RoleId("member");
  const std::string admin = env.RoleId("admin");
  return {
      {"POST", "/v3/projects", {{"project", {{"name", "x"}}}}},
      {"PATCH", "/v3/projects/" + other_project, {{"project", {{"description", "x"}}}}},
      {"DELETE", "/v3/projects/" + other_project, nullptr},
      {"PUT", "/v3/projects/" + other_project + "/tags/t", json::object()},
      {"POST", "/v3/users", {{"user", {{"name", "x"}, {"password", "p"}}}}},
      {"PATCH", "/v3/users/" + other_user, {{"user", {{"enabled", false}}}}},
      {"DELETE", "/v3/users/" + other_user, nullptr},
      {"POST",
       "/v3/users/" + other_user + "/password",
       {{"user", {{"original_password", "other-pw"}, {"password", "p2"}}}}},
      {"POST", "/v3/groups", {{"group", {{"name", "x"}}}}},
      {"POST", "/v3/domains", {{"domain", {{"name", "x"}}}}},
      {"PATCH", "/v3/domains/default", {{"domain", {{"description", "x"}}}}},
      {"POST", "/v3/roles", {{"role", {{"name", "x"}}}}},
      {"DELETE", "/v3/roles/" + member, nullptr},
      {"PUT", "/v3/roles/" + member + "/implies/" + admin, json::object()},
      {"PUT", "/v3/projects/" + other_project + "/users/" + other_user + "/roles/" + member,
       json::object()},
      {"PUT", "/v3/domains/default/users/" + other_user + "/roles/" + admin, json::object()},
      {"PUT", "/v3/system/users/" + other_user + "/roles/" + admin, json::object()},
      {"PUT",
       "/v3/OS-INHERIT/domains/default/users/" + other_user + "/roles/" + admin +
           "/inherited_to_projects",
       json::object()},
      {"POST", "/v3/regions", {{"region", {{"id", "R9"}}}}},
      {"POST", "/v3/services", {{"service", {{"type", "x"}}}}},
      {"POST",
       "/v3/endpoints",
       {{"endpoint", {{"service_id", "s"}, {"interface", "public"}, {"url", "http://x"}}}}},
      {"POST",
       "/v3/users/" + other_user + "/application_credentials",
       {{"application_credential", {{"name", "steal"}}}}},
  };
}

void RequireAllForbidden(RestEnv& env, const std::string& token, const std::vector<Write>& writes) {
  for (const Write& w : writes) {
    Reply r = env.Send(w.method, w.path, token,
                       w.body.is_null() ? std::nullopt : std::optional<json>(w.body));
    INFO(w.method << " " << w.path << " -> " << r.raw);
    CHECK(r.status == 403);
    CHECK(r.body["error"]["title"] == "Forbidden");
  }
}

TEST_CASE("REST policy: a member of project A cannot see or touch project B's things") {
  RestEnv env;
  std::string a = env.MakeProject("A");
  std::string b = env.MakeProject("B");
  std::string bob_id;
  std::string bob = env.UserToken("bob", "member", b, &bob_id);
  std::string alice_id;
  std::string alice = env.UserToken("alice", "member", a, &alice_id);

  CHECK(env.Get("/v3/projects/" + a, alice).status == 200);
  CHECK(env.Get("/v3/projects/" + b, alice).status == 403);
  CHECK(env.Get("/v3/projects/" + b + "/tags", alice).status == 403);
  CHECK(env.Get("/v3/projects", alice).status == 403);
  CHECK(env.Get("/v3/users/" + bob_id, alice).status == 403);
  CHECK(env.Get("/v3/users/" + bob_id + "/projects", alice).status == 403);
  CHECK(env.Get("/v3/users/" + bob_id + "/groups", alice).status == 403);
  CHECK(env.Get("/v3/users/" + bob_id + "/application_credentials", alice).status == 403);
  CHECK(env.Get("/v3/users", alice).status == 403);
  CHECK(env.Get("/v3/role_assignments?scope.project.id=" + b, alice).status == 403);
  CHECK(env.Get("/v3/role_assignments?user.id=" + bob_id, alice).status == 403);
  CHECK(env.Get("/v3/projects/" + b + "/users/" + bob_id + "/roles", alice).status == 403);
  CHECK(
      env.Send("GET", "/v3/auth/tokens", alice, std::nullopt, {{"X-Subject-Token", bob}}).status ==
      403);
  CHECK(env.Send("DELETE", "/v3/auth/tokens", alice, std::nullopt, {{"X-Subject-Token", bob}})
            .status == 403);
  CHECK(env.Get("/v3/projects/" + b, bob).status == 200);  // bob's token still works

  // What alice may do about herself.
  CHECK(env.Get("/v3/users/" + alice_id, alice).status == 200);
  CHECK(env.Get("/v3/users/" + alice_id + "/projects", alice).body["projects"].size() == 1);
  CHECK(env.Get("/v3/role_assignments?user.id=" + alice_id, alice).status == 200);
  CHECK(env.Get("/v3/auth/projects", alice).body["projects"].size() == 1);
  CHECK(env.Get("/v3/regions", alice).status == 200);
  const std::string creds = "/v3/users/" + alice_id + "/application_credentials";
  Reply cred = env.Post(creds, alice, {{"application_credential", {{"name", "mine"}}}});
  REQUIRE(cred.status == 201);
  CHECK(env.Get(creds, alice).status == 200);
  CHECK(env.Get(creds, bob).status == 403);
  CHECK(env.Delete(creds + "/" + cred.body["application_credential"]["id"].get<std::string>(), bob)
            .status == 403);

  RequireAllForbidden(env, alice, CloudWrites(env, b, bob_id));
}

TEST_CASE("REST policy: a reader gets 403 on every write, project- or system-scoped") {
  RestEnv env;
  std::string p = env.MakeProject("P");
  std::string victim = env.MakeUser("victim", "other-pw");
  std::string reader = env.UserToken("reader-user", "reader", p);
  RequireAllForbidden(env, reader, CloudWrites(env, p, victim));
  CHECK(env.Get("/v3/projects/" + p, reader).status == 200);

  std::string sys_id = env.MakeUser("auditor", "pw");
  env.GrantSystem("reader", sys_id);
  std::string sys_reader = env.Login("auditor", "pw", RestEnv::SystemScope());
  // A system reader reads everything...
  CHECK(env.Get("/v3/projects", sys_reader).status == 200);
  CHECK(env.Get("/v3/users/" + victim, sys_reader).status == 200);
  CHECK(env.Get("/v3/role_assignments", sys_reader).status == 200);
  CHECK(env.Get("/v3/endpoints", sys_reader).status == 200);
  // ...and writes nothing.
  RequireAllForbidden(env, sys_reader, CloudWrites(env, p, victim));
}

TEST_CASE("REST policy: a project admin outside the admin project is no cloud admin") {
  RestEnv env;
  std::string p = env.MakeProject("tenant");
  std::string victim = env.MakeUser("victim", "other-pw");
  std::string padmin_id;
  std::string padmin = env.UserToken("padmin", "admin", p, &padmin_id);
  // Roles are readable (needed to grant), tags of its own project writable.
  CHECK(env.Get("/v3/roles", padmin).status == 200);
  CHECK(env.Put("/v3/projects/" + p + "/tags/mine", padmin).status == 201);
  // No users, projects or grants; never a system role, not even for itself.
  RequireAllForbidden(env, padmin, CloudWrites(env, env.MakeProject("other"), victim));
  CHECK(env.Put("/v3/system/users/" + padmin_id + "/roles/" + env.RoleId("admin"), padmin).status ==
        403);
  CHECK(env.Put("/v3/projects/" + env.boot.admin_project_id + "/users/" + padmin_id + "/roles/" +
                    env.RoleId("admin"),
                padmin)
            .status == 403);
}

TEST_CASE(
    "REST policy: a domain admin manages its domain only, and no system or admin-project "
    "roles") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply d = env.Post("/v3/domains", admin, {{"domain", {{"name", "Acme"}}}});
  REQUIRE(d.status == 201);
  std::string acme = d.body["domain"]["id"];
  std::string dadmin_id = env.MakeUser("dadmin", "pw", acme);
  env.GrantDomain("admin", dadmin_id, acme);
  Reply login = env.Post("/v3/auth/tokens", "",
                         {{"auth",
                           {{"identity",
                             {{"methods", {"password"}},
                              {"password", {{"user", {{"id", dadmin_id}, {"password", "pw"}}}}}}},
                            {"scope", RestEnv::DomainScope(acme)}}}});
  REQUIRE(login.status == 201);
  std::string dadmin = login.Header("X-Subject-Token");

  // In its domain: projects, users, groups, grants.
  Reply p = env.Post("/v3/projects", dadmin, {{"project", {{"name", "acme-p"}}}});
  INFO(p.raw);
  REQUIRE(p.status == 201);
  CHECK(p.body["project"]["domain_id"] == acme);
  std::string project = p.body["project"]["id"];
  Reply u = env.Post("/v3/users", dadmin, {{"user", {{"name", "acme-u"}, {"password", "x"}}}});
  REQUIRE(u.status == 201);
  std::string uid = u.body["user"]["id"];
  CHECK(env.Put("/v3/projects/" + project + "/users/" + uid + "/roles/" + env.RoleId("member"),
                dadmin)
            .status == 204);
  Reply listed = env.Get("/v3/projects", dadmin);  // its own domain's projects
  REQUIRE(listed.status == 200);
  CHECK(listed.body["projects"].size() == 1);
  CHECK(env.Get("/v3/users", dadmin).body["users"].size() == 2);

  // Outside it: the default domain, system roles, the admin project.
  std::string victim = env.MakeUser("victim", "pw");
  CHECK(env.Post("/v3/projects", dadmin, {{"project", {{"name", "x"}, {"domain_id", "default"}}}})
            .status == 403);
  CHECK(env.Get("/v3/projects?domain_id=default", dadmin).status == 403);
  CHECK(env.Get("/v3/users/" + victim, dadmin).status == 403);
  CHECK(env.Delete("/v3/users/" + victim, dadmin).status == 403);
  CHECK(env.Put("/v3/system/users/" + uid + "/roles/" + env.RoleId("admin"), dadmin).status == 403);
  CHECK(env.Put("/v3/projects/" + env.boot.admin_project_id + "/users/" + uid + "/roles/" +
                    env.RoleId("admin"),
                dadmin)
            .status == 403);
  CHECK(env.Post("/v3/roles", dadmin, {{"role", {{"name", "x"}}}}).status == 403);
  CHECK(env.Post("/v3/domains", dadmin, {{"domain", {{"name", "x"}}}}).status == 403);
}

TEST_CASE("REST policy: the admin-openrc and a system admin can do everything") {
  RestEnv env;
  int n = 0;
  for (const std::string& token : {env.AdminToken(), env.SystemAdminToken()}) {
    Reply p = env.Post("/v3/projects", token, {{"project", {{"name", "p" + std::to_string(++n)}}}});
    INFO(p.raw);
    CHECK(p.status == 201);
  }
  std::string admin = env.AdminToken();
  Reply role = env.Post("/v3/roles", admin, {{"role", {{"name", "operator"}}}});
  REQUIRE(role.status == 201);
  std::string uid = env.MakeUser("ops", "pw");
  CHECK(env.Put("/v3/system/users/" + uid + "/roles/" + role.body["role"]["id"].get<std::string>(),
                admin)
            .status == 204);
  CHECK(env.Post("/v3/domains", admin, {{"domain", {{"name", "New"}}}}).status == 201);
  CHECK(env.Get("/v3/role_assignments", admin).status == 200);
  std::string sys = env.SystemAdminToken();
  CHECK(env.Post("/v3/services", sys, {{"service", {{"type", "t"}}}}).status == 201);
  CHECK(env.Get("/v3/users", sys).status == 200);
}

TEST_CASE("REST policy: a renamed admin project no longer makes cloud admins") {
  RestEnv env;
  std::string admin = env.AdminToken();
  CHECK(env.Get("/v3/users", admin).status == 200);
  REQUIRE(env.Patch("/v3/projects/" + env.boot.admin_project_id, admin,
                    {{"project", {{"name", "renamed"}}}})
              .status == 200);
  // The token said is_admin_project: the rename revoked it (every service trusts the
  // token, so it must not outlive the project's admin status).
  CHECK(env.Get("/v3/users", admin).status == 401);
  env.clock().Advance(absl::Seconds(1));  // a token issued after the revocation
  std::string again = env.AdminToken();   // scoped by id to the renamed project
  CHECK(env.Get("/v3/users", again).status == 403);
}

TEST_CASE("REST policy: the admin role on another project is no cloud admin (hole 5)") {
  RestEnv env;
  const std::string project_id = env.MakeProject("ordinary");
  std::string padmin = env.UserToken("padmin", "admin", project_id);
  Reply issued =
      env.Post("/v3/auth/tokens", "",
               RestEnv::PasswordAuth("padmin", "padmin-pw", RestEnv::ProjectScope(project_id)));
  REQUIRE(issued.status == 201);
  CHECK(issued.body["token"]["is_admin_project"] == false);
  CHECK(env.Get("/v3/users", padmin).status == 403);
  CHECK(env.Post("/v3/domains", padmin, {{"domain", {{"name", "Mine"}}}}).status == 403);
  // It still administers its own project (project_admin): its tags.
  CHECK(env.Put("/v3/projects/" + project_id + "/tags/t1", padmin).status == 201);
}

}  // namespace
}  // namespace gureum::identity::testing
