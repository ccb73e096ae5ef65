// The identity REST adapter's resources as a cloud admin (the admin-openrc token): Keystone
// shapes, status codes, name resolution, filters and paging.
#include <set>

#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

std::set<std::string> Ids(const json& list) {
  std::set<std::string> ids;
  for (const json& e : list) ids.insert(e["id"].get<std::string>());
  return ids;
}

TEST_CASE("REST projects: create, show, name fallback, list, update, delete") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply created = env.Post("/v3/projects", admin,
                           {{"project",
                             {{"name", "P"},
                              {"domain_id", "default"},
                              {"description", ""},
                              {"enabled", true},
                              {"unknown_field", "ignored"}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  const json& p = created.body["project"];
  std::string id = p["id"];
  CHECK(p["name"] == "P");
  CHECK(p["domain_id"] == "default");
  CHECK(p["parent_id"] == "default");
  CHECK(p["is_domain"] == false);
  CHECK(p["enabled"] == true);
  CHECK(p["tags"] == json::array());
  CHECK(p["options"] == json::object());
  CHECK(p["links"]["self"] == "http://ctl:5000/v3/projects/" + id);

  Reply dup = env.Post("/v3/projects", admin, {{"project", {{"name", "P"}}}});
  CHECK(dup.status == 409);
  CHECK(dup.body["error"]["title"] == "Conflict");

  CHECK(env.Get("/v3/projects/" + id, admin).body["project"] == p);
  // osc find_resource: GET by name is 404, then ?name= finds exactly one.
  Reply by_name = env.Get("/v3/projects/P", admin);
  CHECK(by_name.status == 404);
  CHECK(by_name.ErrorMessage() == "Could not find project: P.");
  Reply list = env.Get("/v3/projects?name=P&domain_id=default", admin);
  REQUIRE(list.status == 200);
  REQUIRE(list.body["projects"].size() == 1);
  CHECK(list.body["projects"][0]["id"] == id);
  CHECK(list.body["links"]["self"] == "http://ctl:5000/v3/projects?domain_id=default&name=P");
  CHECK(list.body["links"]["previous"].is_null());
  CHECK(list.body["links"]["next"].is_null());

  Reply patched =
      env.Patch("/v3/projects/" + id, admin,
                {{"project", {{"description", "d"}, {"enabled", false}, {"tags", {"a", "b"}}}}});
  REQUIRE(patched.status == 200);
  CHECK(patched.body["project"]["description"] == "d");
  CHECK(patched.body["project"]["enabled"] == false);
  CHECK(patched.body["project"]["tags"] == json::array({"a", "b"}));
  CHECK(env.Get("/v3/projects?enabled=false", admin).body["projects"].size() == 1);
  CHECK(env.Patch("/v3/projects/" + id, admin, {{"project", {{"domain_id", "other"}}}}).status ==
        400);

  // Tags.
  CHECK(env.Get("/v3/projects/" + id + "/tags", admin).body["tags"] == json::array({"a", "b"}));
  CHECK(env.Put("/v3/projects/" + id + "/tags/c", admin).status == 201);
  CHECK(env.Head("/v3/projects/" + id + "/tags/c", admin).status == 204);
  CHECK(env.Delete("/v3/projects/" + id + "/tags/a", admin).status == 204);
  CHECK(env.Get("/v3/projects/" + id + "/tags/a", admin).status == 404);
  CHECK(env.Put("/v3/projects/" + id + "/tags", admin, {{"tags", {"x"}}}).body["tags"] ==
        json::array({"x"}));
  CHECK(env.Delete("/v3/projects/" + id + "/tags", admin).status == 204);
  CHECK(env.Get("/v3/projects/" + id + "/tags", admin).body["tags"].empty());

  // Children: created under a parent, which then cannot be deleted.
  Reply child = env.Post("/v3/projects", admin, {{"project", {{"name", "C"}, {"parent_id", id}}}});
  REQUIRE(child.status == 201);
  CHECK(child.body["project"]["parent_id"] == id);
  CHECK(env.Get("/v3/projects?parent_id=" + id, admin).body["projects"].size() == 1);
  CHECK(env.Delete("/v3/projects/" + id, admin).status == 409);
  CHECK(
      env.Delete("/v3/projects/" + child.body["project"]["id"].get<std::string>(), admin).status ==
      204);
  CHECK(env.Delete("/v3/projects/" + id, admin).status == 204);
  CHECK(env.Get("/v3/projects/" + id, admin).status == 404);
  CHECK(env.Delete("/v3/projects/" + id, admin).status == 404);
}

TEST_CASE("REST: bad input is 400 naming the field, never 5xx") {
  RestEnv env;
  std::string admin = env.AdminToken();
  auto bad = [&](const std::string& method, const std::string& path, const json& body,
                 const std::string& field) {
    Reply r = env.Send(method, path, admin, body);
    INFO(method << " " << path << " " << r.raw);
    CHECK(r.status == 400);
    CHECK(r.ErrorMessage().find(field) != std::string::npos);
  };
  bad("POST", "/v3/projects", json::object(), "'project' is a required property");
  bad("POST", "/v3/projects", {{"project", json::object()}}, "'name' of 'project': it is required");
  bad("POST", "/v3/projects", {{"project", {{"name", 5}}}}, "name");
  bad("POST", "/v3/projects", {{"project", {{"name", "x"}, {"enabled", "yes"}}}}, "enabled");
  bad("POST", "/v3/projects", {{"project", {{"name", "x"}, {"tags", "t"}}}}, "tags");
  bad("POST", "/v3/projects",
      {{"project", {{"name", "x"}, {"is_domain", true}, {"domain_id", "default"}}}}, "is_domain");
  bad("POST", "/v3/projects", {{"project", "x"}}, "project");
  bad("POST", "/v3/users", {{"user", {{"name", ""}}}}, "name");
  bad("POST", "/v3/users", {{"user", {{"name", "u"}, {"options", 3}}}}, "options");
  bad("POST", "/v3/domains", {{"domain", {{"enabled", true}}}},
      "'name' of 'domain': it is required");
  bad("POST", "/v3/roles", {{"role", json::object()}}, "'name' of 'role': it is required");
  bad("POST", "/v3/services", {{"service", {{"name", "n"}}}},
      "'type' of 'service': it is required");
  bad("POST", "/v3/endpoints", {{"endpoint", {{"service_id", "s"}, {"url", "http://x"}}}},
      "'interface' of 'endpoint': it is required");
  bad("POST", "/v3/groups", {{"group", {{"name", 1}}}}, "name");
  CHECK(env.PostRaw("/v3/projects", admin, "{oops").status == 400);
  CHECK(env.PostRaw("/v3/projects", admin, "").status == 400);
  CHECK(env.Get("/v3/projects?limit=x", admin).status == 400);
  CHECK(env.Get("/v3/projects?enabled=maybe", admin).status == 400);
}

TEST_CASE("REST lists: marker/limit paging with links.next, filters") {
  RestEnv env;
  std::string admin = env.AdminToken();
  for (int i = 0; i < 5; ++i) env.MakeProject("page-" + std::to_string(i));
  Reply all = env.Get("/v3/projects", admin);
  REQUIRE(all.status == 200);
  const size_t total = all.body["projects"].size();  // 5 + the admin project
  REQUIRE(total == 6);

  std::set<std::string> seen;
  std::string next = "/v3/projects?limit=2";
  int pages = 0;
  while (!next.empty() && pages < 10) {
    Reply page = env.Get(next, admin);
    REQUIRE(page.status == 200);
    CHECK(page.body["projects"].size() <= 2);
    for (const json& p : page.body["projects"]) CHECK(seen.insert(p["id"]).second);
    const json& link = page.body["links"]["next"];
    next =
        link.is_null() ? "" : link.get<std::string>().substr(std::string("http://ctl:5000").size());
    ++pages;
  }
  CHECK(seen.size() == total);
  CHECK(seen == Ids(all.body["projects"]));

  CHECK(env.Get("/v3/projects?name=page-3", admin).body["projects"].size() == 1);
  CHECK(env.Get("/v3/projects?domain_id=nope", admin).body["projects"].empty());
  CHECK(env.Get("/v3/users?name=admin", admin).body["users"].size() == 1);
  CHECK(env.Get("/v3/services?type=compute", admin).body["services"].size() == 1);
  CHECK(env.Get("/v3/endpoints?interface=public", admin).body["endpoints"].size() == 8);
}

TEST_CASE("REST domains: CRUD, an enabled domain cannot be deleted") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply d = env.Post("/v3/domains", admin, {{"domain", {{"name", "D1"}, {"description", "x"}}}});
  REQUIRE(d.status == 201);
  std::string id = d.body["domain"]["id"];
  CHECK(d.body["domain"]["enabled"] == true);
  CHECK(d.body["domain"]["links"]["self"] == "http://ctl:5000/v3/domains/" + id);
  CHECK(env.Post("/v3/domains", admin, {{"domain", {{"name", "D1"}}}}).status == 409);
  CHECK(env.Get("/v3/domains/D1", admin).status == 404);
  CHECK(env.Get("/v3/domains?name=D1", admin).body["domains"].size() == 1);
  CHECK(env.Get("/v3/domains/default", admin).body["domain"]["name"] == "Default");
  CHECK(env.Delete("/v3/domains/" + id, admin).status == 403);
  CHECK(env.Patch("/v3/domains/" + id, admin, {{"domain", {{"enabled", false}}}})
            .body["domain"]["enabled"] == false);
  CHECK(env.Delete("/v3/domains/" + id, admin).status == 204);
  CHECK(env.Get("/v3/domains/" + id, admin).status == 404);
}

TEST_CASE("REST users: never echo the password, own password change, projects and groups") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string project = env.MakeProject("home");
  Reply created = env.Post("/v3/users", admin,
                           {{"user",
                             {{"name", "U"},
                              {"domain_id", "default"},
                              {"password", "pw-one"},
                              {"default_project_id", project},
                              {"enabled", true},
                              {"email", "u@example.com"}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  const json& u = created.body["user"];
  std::string uid = u["id"];
  CHECK(created.raw.find("pw-one") == std::string::npos);
  CHECK(!u.contains("password"));
  CHECK(u["password_expires_at"].is_null());
  CHECK(u["options"] == json::object());
  CHECK(u["default_project_id"] == project);
  CHECK(u["email"] == "u@example.com");
  CHECK(u["links"]["self"] == "http://ctl:5000/v3/users/" + uid);
  CHECK(env.Post("/v3/users", admin, {{"user", {{"name", "U"}}}}).status == 409);
  CHECK(env.Get("/v3/users/U", admin).status == 404);

  CHECK(
      env.Put("/v3/projects/" + project + "/users/" + uid + "/roles/" + env.RoleId("member"), admin)
          .status == 204);
  std::string token = env.Login("U", "pw-one", RestEnv::ProjectScope(project));
  // A user reads themselves and their projects.
  CHECK(env.Get("/v3/users/" + uid, token).status == 200);
  Reply projects = env.Get("/v3/users/" + uid + "/projects", token);
  REQUIRE(projects.status == 200);
  CHECK(Ids(projects.body["projects"]) == std::set<std::string>{project});

  // Own password change: wrong original is 401; success revokes the token in use.
  CHECK(env.Post("/v3/users/" + uid + "/password", token,
                 {{"user", {{"original_password", "nope"}, {"password", "pw-two"}}}})
            .status == 401);
  CHECK(env.Post("/v3/users/" + uid + "/password", token, {{"user", {{"password", "pw-two"}}}})
            .status == 400);
  CHECK(env.Post("/v3/users/" + uid + "/password", token,
                 {{"user", {{"original_password", "pw-one"}, {"password", "pw-two"}}}})
            .status == 204);
  CHECK(env.Post("/v3/auth/tokens", "", RestEnv::PasswordAuth("U", "pw-one")).status == 401);
  CHECK(env.Post("/v3/auth/tokens", "", RestEnv::PasswordAuth("U", "pw-two")).status == 201);

  Reply patched = env.Patch(
      "/v3/users/" + uid, admin,
      {{"user", {{"enabled", false}, {"options", {{"ignore_lockout_failure_attempts", true}}}}}});
  REQUIRE(patched.status == 200);
  CHECK(patched.body["user"]["enabled"] == false);
  CHECK(patched.body["user"]["options"]["ignore_lockout_failure_attempts"] == true);
  CHECK(env.Post("/v3/auth/tokens", "", RestEnv::PasswordAuth("U", "pw-two")).status == 401);
  CHECK(env.Delete("/v3/users/" + uid, admin).status == 204);
  CHECK(env.Get("/v3/users/" + uid, admin).status == 404);
}

TEST_CASE("REST groups and membership") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string uid = env.MakeUser("m", "pw");
  Reply g = env.Post("/v3/groups", admin, {{"group", {{"name", "G"}, {"description", "d"}}}});
  REQUIRE(g.status == 201);
  std::string gid = g.body["group"]["id"];
  CHECK(g.body["group"]["domain_id"] == "default");
  CHECK(env.Post("/v3/groups", admin, {{"group", {{"name", "G"}}}}).status == 409);
  CHECK(env.Get("/v3/groups/G", admin).status == 404);
  CHECK(env.Get("/v3/groups?name=G", admin).body["groups"].size() == 1);

  const std::string member = "/v3/groups/" + gid + "/users/" + uid;
  CHECK(env.Head(member, admin).status == 404);
  CHECK(env.Put(member, admin).status == 204);
  CHECK(env.Head(member, admin).status == 204);
  CHECK(Ids(env.Get("/v3/groups/" + gid + "/users", admin).body["users"]) ==
        std::set<std::string>{uid});
  CHECK(Ids(env.Get("/v3/users/" + uid + "/groups", admin).body["groups"]) ==
        std::set<std::string>{gid});
  CHECK(env.Put("/v3/groups/" + gid + "/users/nobody", admin).status == 404);
  CHECK(env.Delete(member, admin).status == 204);
  CHECK(env.Delete(member, admin).status == 404);
  CHECK(
      env.Patch("/v3/groups/" + gid, admin, {{"group", {{"name", "G2"}}}}).body["group"]["name"] ==
      "G2");
  CHECK(env.Delete("/v3/groups/" + gid, admin).status == 204);
  CHECK(env.Get("/v3/groups/" + gid, admin).status == 404);
}

TEST_CASE("REST roles and implied roles") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply r = env.Post("/v3/roles", admin, {{"role", {{"name", "R"}}}});
  REQUIRE(r.status == 201);
  std::string rid = r.body["role"]["id"];
  CHECK(r.body["role"]["domain_id"].is_null());
  CHECK(r.body["role"]["links"]["self"] == "http://ctl:5000/v3/roles/" + rid);
  CHECK(env.Post("/v3/roles", admin, {{"role", {{"name", "R"}}}}).status == 409);
  CHECK(env.Get("/v3/roles/R", admin).status == 404);
  CHECK(env.Get("/v3/roles?name=R", admin).body["roles"].size() == 1);
  CHECK(env.Get("/v3/roles", admin).body["roles"].size() == 4);

  std::string reader = env.RoleId("reader");
  const std::string rule = "/v3/roles/" + rid + "/implies/" + reader;
  CHECK(env.Head(rule, admin).status == 404);
  Reply created = env.Put(rule, admin);
  REQUIRE(created.status == 201);
  CHECK(created.body["role_inference"]["prior_role"]["id"] == rid);
  CHECK(created.body["role_inference"]["implies"]["name"] == "reader");
  CHECK(created.body["links"]["self"] == "http://ctl:5000" + rule);
  CHECK(env.Get(rule, admin).status == 200);
  CHECK(env.Head(rule, admin).status == 204);
  Reply by_prior = env.Get("/v3/roles/" + rid + "/implies", admin);
  REQUIRE(by_prior.status == 200);
  CHECK(by_prior.body["role_inference"]["implies"].size() == 1);
  Reply inferences = env.Get("/v3/role_inferences", admin);
  REQUIRE(inferences.status == 200);
  CHECK(inferences.body["role_inferences"].size() == 3);  // admin->member, member->reader, R
  // A cycle is a conflict.
  CHECK(env.Put("/v3/roles/" + reader + "/implies/" + rid, admin).status == 409);
  CHECK(env.Delete(rule, admin).status == 204);
  CHECK(env.Get(rule, admin).status == 404);
  CHECK(env.Patch("/v3/roles/" + rid, admin, {{"role", {{"description", "x"}}}})
            .body["role"]["description"] == "x");
  CHECK(env.Delete("/v3/roles/" + rid, admin).status == 204);
  CHECK(env.Get("/v3/roles/" + rid, admin).status == 404);
}

TEST_CASE("REST grants: project, domain, system, inherited, role_assignments") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string project = env.MakeProject("gp");
  std::string uid = env.MakeUser("g-user", "pw");
  std::string member = env.RoleId("member");
  const std::string grant = "/v3/projects/" + project + "/users/" + uid + "/roles/" + member;

  CHECK(env.Head(grant, admin).status == 404);
  CHECK(env.Put(grant, admin).status == 204);
  CHECK(env.Put(grant, admin).status == 204);  // idempotent
  CHECK(env.Head(grant, admin).status == 204);
  CHECK(env.Put("/v3/projects/" + project + "/users/" + uid + "/roles/nope", admin).status == 404);
  CHECK(env.Put("/v3/projects/nope/users/" + uid + "/roles/" + member, admin).status == 404);
  Reply roles = env.Get("/v3/projects/" + project + "/users/" + uid + "/roles", admin);
  REQUIRE(roles.status == 200);
  REQUIRE(roles.body["roles"].size() == 1);
  CHECK(roles.body["roles"][0]["name"] == "member");

  Reply ra = env.Get("/v3/role_assignments?user.id=" + uid + "&scope.project.id=" + project +
                         "&include_names=True",
                     admin);
  INFO(ra.raw);
  REQUIRE(ra.status == 200);
  REQUIRE(ra.body["role_assignments"].size() == 1);
  const json& a = ra.body["role_assignments"][0];
  CHECK(a["role"]["id"] == member);
  CHECK(a["role"]["name"] == "member");
  CHECK(a["user"]["id"] == uid);
  CHECK(a["user"]["name"] == "g-user");
  CHECK(a["user"]["domain"] == json{{"id", "default"}, {"name", "Default"}});
  CHECK(a["scope"]["project"]["id"] == project);
  CHECK(a["scope"]["project"]["name"] == "gp");
  CHECK(a["links"]["assignment"] == "http://ctl:5000" + grant);
  // Effective: member implies reader.
  Reply eff = env.Get("/v3/role_assignments?user.id=" + uid + "&effective", admin);
  REQUIRE(eff.status == 200);
  CHECK(eff.body["role_assignments"].size() == 2);

  // Domain and system grants, by group and by user.
  Reply g = env.Post("/v3/groups", admin, {{"group", {{"name", "ops"}}}});
  std::string gid = g.body["group"]["id"];
  std::string reader = env.RoleId("reader");
  CHECK(env.Put("/v3/domains/default/groups/" + gid + "/roles/" + reader, admin).status == 204);
  CHECK(env.Get("/v3/domains/default/groups/" + gid + "/roles", admin).body["roles"].size() == 1);
  CHECK(env.Put("/v3/system/users/" + uid + "/roles/" + reader, admin).status == 204);
  CHECK(env.Head("/v3/system/users/" + uid + "/roles/" + reader, admin).status == 204);
  CHECK(env.Get("/v3/system/users/" + uid + "/roles", admin).body["roles"].size() == 1);
  Reply sys = env.Get("/v3/role_assignments?scope.system=all&user.id=" + uid, admin);
  REQUIRE(sys.body["role_assignments"].size() == 1);
  CHECK(sys.body["role_assignments"][0]["scope"] == json{{"system", {{"all", true}}}});
  CHECK(sys.body["role_assignments"][0]["links"]["assignment"] ==
        "http://ctl:5000/v3/system/users/" + uid + "/roles/" + reader);
  CHECK(env.Delete("/v3/system/users/" + uid + "/roles/" + reader, admin).status == 204);

  // Inherited to the domain's projects: listed with OS-INHERIT, effective on each project.
  const std::string inherited =
      "/v3/OS-INHERIT/domains/default/users/" + uid + "/roles/" + reader + "/inherited_to_projects";
  CHECK(env.Put(inherited, admin).status == 204);
  CHECK(env.Head(inherited, admin).status == 204);
  Reply inh = env.Get("/v3/role_assignments?scope.OS-INHERIT:inherited_to=projects", admin);
  REQUIRE(inh.status == 200);
  REQUIRE(inh.body["role_assignments"].size() == 1);
  CHECK(inh.body["role_assignments"][0]["scope"]["OS-INHERIT:inherited_to"] == "projects");
  CHECK(inh.body["role_assignments"][0]["links"]["assignment"] == "http://ctl:5000" + inherited);
  Reply reach = env.Get("/v3/role_assignments?effective&user.id=" + uid +
                            "&scope.project.id=" + env.boot.admin_project_id,
                        admin);
  INFO(reach.raw);
  REQUIRE(reach.body["role_assignments"].size() == 1);
  CHECK(reach.body["role_assignments"][0]["links"]["assignment"] == "http://ctl:5000" + inherited);
  CHECK(env.Delete(inherited, admin).status == 204);

  CHECK(env.Delete(grant, admin).status == 204);
  CHECK(env.Delete(grant, admin).status == 404);
  CHECK(env.Head(grant, admin).status == 404);
  CHECK(env.Get("/v3/role_assignments?group.id=" + gid + "&effective", admin).status == 400);
}

TEST_CASE("REST catalog: regions, services, endpoints") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply region = env.Post("/v3/regions", admin, {{"region", {{"id", "RegionTwo"}}}});
  REQUIRE(region.status == 201);
  CHECK(region.body["region"]["parent_region_id"].is_null());
  CHECK(env.Post("/v3/regions", admin, {{"region", {{"id", "RegionTwo"}}}}).status == 409);
  CHECK(env.Put("/v3/regions/RegionThree", admin, {{"region", {{"description", "3"}}}}).status ==
        201);
  CHECK(env.Get("/v3/regions", admin).body["regions"].size() == 3);

  Reply svc =
      env.Post("/v3/services", admin, {{"service", {{"type", "dns"}, {"name", "designate"}}}});
  REQUIRE(svc.status == 201);
  std::string sid = svc.body["service"]["id"];
  CHECK(svc.body["service"]["enabled"] == true);
  Reply ep = env.Post("/v3/endpoints", admin,
                      {{"endpoint",
                        {{"service_id", sid},
                         {"interface", "public"},
                         {"url", "http://ctl:9001"},
                         {"region_id", "RegionTwo"}}}});
  INFO(ep.raw);
  REQUIRE(ep.status == 201);
  std::string eid = ep.body["endpoint"]["id"];
  CHECK(ep.body["endpoint"]["region"] == "RegionTwo");
  CHECK(ep.body["endpoint"]["region_id"] == "RegionTwo");
  CHECK(env.Post("/v3/endpoints", admin,
                 {{"endpoint",
                   {{"service_id", sid}, {"interface", "sideways"}, {"url", "http://x"}}}})
            .status == 400);
  CHECK(env.Post("/v3/endpoints", admin,
                 {{"endpoint",
                   {{"service_id", "nope"}, {"interface", "public"}, {"url", "http://x"}}}})
            .status == 404);
  CHECK(env.Get("/v3/endpoints?service_id=" + sid, admin).body["endpoints"].size() == 1);
  CHECK(env.Patch("/v3/endpoints/" + eid, admin, {{"endpoint", {{"url", "http://ctl:9002"}}}})
            .body["endpoint"]["url"] == "http://ctl:9002");
  // In use: the region cannot go.
  CHECK(env.Delete("/v3/regions/RegionTwo", admin).status == 409);
  CHECK(env.Delete("/v3/endpoints/" + eid, admin).status == 204);
  CHECK(env.Get("/v3/endpoints/" + eid, admin).status == 404);
  CHECK(env.Patch("/v3/services/" + sid, admin, {{"service", {{"enabled", false}}}})
            .body["service"]["enabled"] == false);
  CHECK(env.Delete("/v3/services/" + sid, admin).status == 204);
  CHECK(env.Delete("/v3/regions/RegionTwo", admin).status == 204);
  CHECK(env.Get("/v3/regions/RegionTwo", admin).status == 404);
}

}  // namespace
}  // namespace gureum::identity::testing
