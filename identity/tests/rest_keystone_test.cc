// Keystone behaviours Tempest's identity tests rely on (issue 21): a user's extra attributes,
// projects acting as domains, the region filter by parent, endpoints creating their region,
// domain-specific roles in implications and effective assignments, application credentials
// with a role granted after the token, and the 64-character names of domains and projects.
#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

TEST_CASE("REST users keep and return attributes beyond Keystone's schema (project_id)") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string p1 = env.MakeProject("p1");
  std::string p2 = env.MakeProject("p2");
  Reply created = env.Post("/v3/users", admin, {{"user", {{"name", "U"}, {"project_id", p1}}}});
  REQUIRE(created.status == 201);
  std::string uid = created.body["user"]["id"];
  CHECK(created.body["user"]["project_id"] == p1);
  CHECK(env.Get("/v3/users/" + uid, admin).body["user"]["project_id"] == p1);
  Reply patched = env.Patch("/v3/users/" + uid, admin,
                            {{"user", {{"project_id", p2}, {"email", "u@example.com"}}}});
  REQUIRE(patched.status == 200);
  CHECK(patched.body["user"]["project_id"] == p2);
  CHECK(patched.body["user"]["email"] == "u@example.com");
  Reply shown = env.Get("/v3/users/" + uid, admin);
  CHECK(shown.body["user"]["project_id"] == p2);
  CHECK(shown.body["user"]["name"] == "U");
  // A null removes one.
  env.Patch("/v3/users/" + uid, admin, {{"user", {{"project_id", nullptr}}}});
  CHECK(!env.Get("/v3/users/" + uid, admin).body["user"].contains("project_id"));
}

TEST_CASE("REST projects acting as domains (is_domain) and name lengths") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply created =
      env.Post("/v3/projects", admin, {{"project", {{"name", "dom"}, {"is_domain", true}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  std::string id = created.body["project"]["id"];
  CHECK(created.body["project"]["is_domain"] == true);
  CHECK(env.Get("/v3/domains/" + id, admin).body["domain"]["name"] == "dom");
  Reply listed = env.Get("/v3/projects?is_domain=true", admin);
  REQUIRE(listed.status == 200);
  bool found = false;
  for (const json& p : listed.body["projects"]) found = found || p["id"] == id;
  CHECK(found);
  CHECK(env.Get("/v3/projects/" + id, admin).body["project"]["is_domain"] == true);
  CHECK(env.Patch("/v3/projects/" + id, admin, {{"project", {{"enabled", false}}}})
            .body["project"]["enabled"] == false);
  CHECK(env.Delete("/v3/projects/" + id, admin).status == 204);
  CHECK(env.Get("/v3/domains/" + id, admin).status == 404);
  CHECK(env.Delete("/v3/projects/" + id, admin).status == 404);

  CHECK(env.Post("/v3/projects", admin, {{"project", {{"name", std::string(65, 'p')}}}}).status ==
        400);
  CHECK(env.Post("/v3/domains", admin, {{"domain", {{"name", std::string(65, 'd')}}}}).status ==
        400);
  CHECK(env.Post("/v3/users", admin, {{"user", {{"name", "x"}, {"domain_id", "nope"}}}}).status ==
        404);
}

TEST_CASE("REST regions by parent, and an endpoint creates the region it names") {
  RestEnv env;
  std::string admin = env.AdminToken();
  REQUIRE(env.Post("/v3/regions", admin, {{"region", {{"id", "Top"}}}}).status == 201);
  REQUIRE(env.Post("/v3/regions", admin, {{"region", {{"id", "Sub"}, {"parent_region_id", "Top"}}}})
              .status == 201);
  Reply subs = env.Get("/v3/regions?parent_region_id=Top", admin);
  REQUIRE(subs.body["regions"].size() == 1);
  CHECK(subs.body["regions"][0]["id"] == "Sub");

  Reply svc = env.Post("/v3/services", admin, {{"service", {{"type", "t"}, {"name", "n"}}}});
  REQUIRE(svc.status == 201);
  Reply ep = env.Post("/v3/endpoints", admin,
                      {{"endpoint",
                        {{"service_id", svc.body["service"]["id"]},
                         {"interface", "public"},
                         {"url", "http://x"},
                         {"region", "Fresh"}}}});
  INFO(ep.raw);
  REQUIRE(ep.status == 201);
  CHECK(env.Get("/v3/regions/Fresh", admin).status == 200);
  std::string ep_id = ep.body["endpoint"]["id"];
  CHECK(env.Patch("/v3/endpoints/" + ep_id, admin, {{"endpoint", {{"enabled", "False"}}}}).status ==
        400);
  CHECK(
      env.Patch("/v3/endpoints/" + ep_id, admin, {{"endpoint", {{"region_id", "Other"}}}}).status ==
      200);
  CHECK(env.Get("/v3/regions/Other", admin).status == 200);
}

TEST_CASE("REST domain-specific roles: no global-to-domain implication, hidden when effective") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply role = env.Post("/v3/roles", admin, {{"role", {{"name", "dr"}, {"domain_id", "default"}}}});
  REQUIRE(role.status == 201);
  std::string dr = role.body["role"]["id"];
  std::string member = env.RoleId("member");
  CHECK(env.Put("/v3/roles/" + dr + "/implies/" + member, admin).status == 201);
  CHECK(env.Put("/v3/roles/" + env.RoleId("reader") + "/implies/" + dr, admin).status == 403);

  std::string project = env.MakeProject("p");
  std::string uid = env.MakeUser("u", "pw");
  REQUIRE(env.Put("/v3/projects/" + project + "/users/" + uid + "/roles/" + dr, admin).status ==
          204);
  Reply eff = env.Get(
      "/v3/role_assignments?effective&scope.project.id=" + project + "&user.id=" + uid, admin);
  REQUIRE(eff.status == 200);
  for (const json& a : eff.body["role_assignments"]) CHECK(a["role"]["id"] != dr);
  Reply direct =
      env.Get("/v3/role_assignments?scope.project.id=" + project + "&user.id=" + uid, admin);
  CHECK(direct.body["role_assignments"].size() == 1);
}

TEST_CASE("REST an application credential may carry a role granted after the token") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string project = env.MakeProject("p");
  std::string uid = env.MakeUser("u", "pw");
  env.GrantProject("reader", uid, project);
  std::string token = env.Login("u", "pw", RestEnv::ProjectScope(project));
  std::string member = env.RoleId("member");
  const std::string path = "/v3/users/" + uid + "/application_credentials";
  json body = {{"application_credential", {{"name", "c"}, {"roles", {{{"id", member}}}}}}};
  CHECK(env.Post(path, token, body).status == 403);
  env.GrantProject("member", uid, project);
  Reply ok = env.Post(path, token, body);
  INFO(ok.raw);
  CHECK(ok.status == 201);
}

}  // namespace
}  // namespace gureum::identity::testing
