// What identity keeps without acting on it, over REST (issue 21): policy blobs, OAuth1
// consumers, endpoint groups and domain configurations, cloud admin only.
#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

// A project member's token (no cloud reader).
std::string MemberToken(RestEnv& env) {
  std::string project = env.MakeProject("p");
  std::string uid = env.MakeUser("m", "pw");
  env.GrantProject("member", uid, project);
  return env.Login("m", "pw", RestEnv::ProjectScope(project));
}

TEST_CASE("REST policies: blobs stored as given") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply created = env.Post("/v3/policies", admin,
                           {{"policy", {{"type", "application/json"}, {"blob", "{\"a\": 1}"}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  std::string id = created.body["policy"]["id"];
  CHECK(created.body["policy"]["blob"] == "{\"a\": 1}");
  CHECK(env.Post("/v3/policies", admin, {{"policy", {{"type", "t"}}}}).status == 400);
  Reply patched = env.Patch("/v3/policies/" + id, admin, {{"policy", {{"type", "text/x"}}}});
  REQUIRE(patched.status == 200);
  Reply shown = env.Get("/v3/policies/" + id, admin);
  CHECK(shown.body["policy"]["type"] == "text/x");
  CHECK(shown.body["policy"]["blob"] == "{\"a\": 1}");
  CHECK(env.Get("/v3/policies", admin).body["policies"].size() == 1);
  CHECK(env.Get("/v3/policies?type=nope", admin).body["policies"].empty());
  CHECK(env.Post("/v3/policies", MemberToken(env), {{"policy", {{"type", "t"}, {"blob", "b"}}}})
            .status == 403);
  CHECK(env.Delete("/v3/policies/" + id, admin).status == 204);
  CHECK(env.Get("/v3/policies/" + id, admin).status == 404);
}

TEST_CASE("REST OAuth1 consumers: CRUD, the secret shown once") {
  RestEnv env;
  std::string admin = env.AdminToken();
  Reply created =
      env.Post("/v3/OS-OAUTH1/consumers", admin, {{"consumer", {{"description", "d1"}}}});
  REQUIRE(created.status == 201);
  std::string id = created.body["consumer"]["id"];
  CHECK(!created.body["consumer"]["secret"].get<std::string>().empty());
  Reply shown = env.Get("/v3/OS-OAUTH1/consumers/" + id, admin);
  CHECK(shown.body["consumer"]["description"] == "d1");
  CHECK(!shown.body["consumer"].contains("secret"));
  CHECK(shown.body["consumer"]["links"] == created.body["consumer"]["links"]);
  REQUIRE(env.Patch("/v3/OS-OAUTH1/consumers/" + id, admin, {{"consumer", {{"description", "d2"}}}})
              .status == 200);
  CHECK(env.Get("/v3/OS-OAUTH1/consumers/" + id, admin).body["consumer"]["description"] == "d2");
  CHECK(env.Get("/v3/OS-OAUTH1/consumers", admin).body["consumers"].size() == 1);
  CHECK(env.Get("/v3/OS-OAUTH1/consumers", MemberToken(env)).status == 403);
  CHECK(env.Delete("/v3/OS-OAUTH1/consumers/" + id, admin).status == 204);
  CHECK(env.Get("/v3/OS-OAUTH1/consumers/" + id, admin).status == 404);
}

TEST_CASE("REST endpoint groups: CRUD, HEAD, filters checked") {
  RestEnv env;
  std::string admin = env.AdminToken();
  const std::string base = "/v3/OS-EP-FILTER/endpoint_groups";
  Reply created = env.Post(base, admin,
                           {{"endpoint_group",
                             {{"name", "g"},
                              {"description", "d"},
                              {"filters", {{"service_id", "s1"}, {"interface", "public"}}}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  std::string id = created.body["endpoint_group"]["id"];
  Reply listed = env.Get(base, admin);
  REQUIRE(listed.body["endpoint_groups"].size() == 1);
  CHECK(listed.body["endpoint_groups"][0] == created.body["endpoint_group"]);
  CHECK(env.Head(base + "/" + id, admin).status == 200);
  CHECK(env.Post(base, admin, {{"endpoint_group", {{"name", "g"}, {"filters", {{"x", "y"}}}}}})
            .status == 400);
  Reply patched =
      env.Patch(base + "/" + id, admin,
                {{"endpoint_group", {{"name", "g2"}, {"filters", {{"service_id", "s2"}}}}}});
  REQUIRE(patched.status == 200);
  CHECK(patched.body["endpoint_group"]["filters"] == json{{"service_id", "s2"}});
  CHECK(env.Get(base + "/" + id, admin).body["endpoint_group"]["name"] == "g2");
  CHECK(env.Delete(base + "/" + id, admin).status == 204);
  CHECK(env.Get(base + "/" + id, admin).status == 404);
}

TEST_CASE("REST domain configuration: whole, group and option, defaults") {
  RestEnv env;
  std::string admin = env.AdminToken();
  const std::string base = "/v3/domains/default/config";
  json config = {{"identity", {{"driver", "ldap"}}},
                 {"ldap", {{"url", "ldap://x:389/"}, {"user_tree_dn", "ou=Users"}}}};
  Reply put = env.Put(base, admin, {{"config", config}});
  INFO(put.raw);
  REQUIRE(put.status == 201);
  CHECK(put.body["config"] == config);
  CHECK(env.Put(base, admin, {{"config", config}}).status == 200);
  CHECK(env.Put(base, admin, {{"config", {{"nova", {{"a", "b"}}}}}}).status == 400);
  CHECK(env.Get(base, admin).body["config"] == config);
  CHECK(env.Get(base + "/ldap", admin).body["config"] == json{{"ldap", config["ldap"]}});
  CHECK(env.Get(base + "/ldap/url", admin).body["config"] == json{{"url", "ldap://x:389/"}});

  Reply group = env.Patch(base + "/identity", admin,
                          {{"config", {{"identity", {{"driver", "d2"}, {"list_limit", 5}}}}}});
  REQUIRE(group.status == 200);
  CHECK(group.body["config"]["identity"]["list_limit"] == 5);
  Reply option = env.Patch(base + "/identity/driver", admin, {{"config", {{"driver", "d3"}}}});
  REQUIRE(option.status == 200);
  CHECK(option.body["config"]["identity"]["driver"] == "d3");
  CHECK(option.body["config"]["ldap"] == config["ldap"]);

  CHECK(env.Delete(base + "/identity/driver", admin).status == 204);
  CHECK(env.Get(base + "/identity/driver", admin).status == 404);
  CHECK(env.Delete(base + "/identity", admin).status == 204);
  CHECK(env.Get(base + "/identity", admin).status == 404);
  CHECK(env.Delete(base, admin).status == 204);
  CHECK(env.Get(base, admin).status == 404);

  Reply defaults = env.Get("/v3/domains/config/default", admin);
  REQUIRE(defaults.status == 200);
  CHECK(defaults.body["config"].contains("ldap"));
  CHECK(env.Get("/v3/domains/config/identity/default", admin)
            .body["config"]["identity"]
            .contains("list_limit"));
  CHECK(env.Get("/v3/domains/config/identity/driver/default", admin).body["config"]["driver"] ==
        "sql");
  CHECK(env.Get("/v3/domains/default/config", MemberToken(env)).status == 403);
}

}  // namespace
}  // namespace gureum::identity::testing
