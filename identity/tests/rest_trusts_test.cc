// OS-TRUST over REST (issue 21): trusts kept and shown, never a token by trust.
#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

TEST_CASE("REST trusts: the trustor delegates held roles, trustee and trustor read") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string project = env.MakeProject("p");
  std::string trustor = env.MakeUser("alice", "pw");
  std::string trustee = env.MakeUser("bob", "pw");
  std::string stranger = env.MakeUser("carol", "pw");
  env.GrantProject("member", trustor, project);
  env.GrantProject("member", stranger, project);
  std::string alice = env.Login("alice", "pw", RestEnv::ProjectScope(project));
  json trust = {{"trustor_user_id", trustor},
                {"trustee_user_id", trustee},
                {"project_id", project},
                {"impersonation", true},
                {"expires_at", "2030-01-01T00:00:00Z"},
                {"roles", {{{"name", "member"}}}}};
  Reply created = env.Post("/v3/OS-TRUST/trusts", alice, {{"trust", trust}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  const json& t = created.body["trust"];
  std::string id = t["id"];
  CHECK(t["expires_at"] == "2030-01-01T00:00:00.000000Z");
  CHECK(t["roles"].size() == 1);
  CHECK(t["roles"][0]["id"] == env.RoleId("member"));

  // Only the trustor, only held roles, a valid expiry.
  CHECK(env.Post("/v3/OS-TRUST/trusts", admin, {{"trust", trust}}).status == 403);
  json admin_role = trust;
  admin_role["roles"] = {{{"name", "admin"}}};
  CHECK(env.Post("/v3/OS-TRUST/trusts", alice, {{"trust", admin_role}}).status == 403);
  json bad_expiry = trust;
  bad_expiry["expires_at"] = "bad.123Z";
  CHECK(env.Post("/v3/OS-TRUST/trusts", alice, {{"trust", bad_expiry}}).status == 400);

  CHECK(env.Get("/v3/OS-TRUST/trusts/" + id, alice).status == 200);
  CHECK(env.Get("/v3/OS-TRUST/trusts?trustor_user_id=" + trustor, alice).body["trusts"].size() ==
        1);
  CHECK(env.Get("/v3/OS-TRUST/trusts", admin).body["trusts"].size() == 1);
  std::string carol = env.Login("carol", "pw", RestEnv::ProjectScope(project));
  CHECK(env.Get("/v3/OS-TRUST/trusts/" + id, carol).status == 403);
  CHECK(env.Get("/v3/OS-TRUST/trusts", carol).body["trusts"].empty());
  Reply roles = env.Get("/v3/OS-TRUST/trusts/" + id + "/roles", alice);
  CHECK(roles.body["roles"].size() == 1);
  CHECK(env.Get("/v3/OS-TRUST/trusts/" + id + "/roles/" + env.RoleId("member"), alice).status ==
        200);
  CHECK(env.Head("/v3/OS-TRUST/trusts/" + id + "/roles/" + env.RoleId("admin"), alice).status ==
        404);

  // No token by trust.
  json by_trust = RestEnv::PasswordAuth("bob", "pw");
  by_trust["auth"]["scope"] = {{"OS-TRUST:trust", {{"id", id}}}};
  CHECK(env.Post("/v3/auth/tokens", "", by_trust).status == 400);

  CHECK(env.Delete("/v3/OS-TRUST/trusts/" + id, carol).status == 403);
  CHECK(env.Delete("/v3/OS-TRUST/trusts/" + id, alice).status == 204);
  CHECK(env.Get("/v3/OS-TRUST/trusts/" + id, alice).status == 404);
}

TEST_CASE("REST trusts: an expired trust is gone") {
  RestEnv env;
  std::string project = env.MakeProject("p");
  std::string trustor = env.MakeUser("alice", "pw");
  std::string trustee = env.MakeUser("bob", "pw");
  env.GrantProject("member", trustor, project);
  std::string alice = env.Login("alice", "pw", RestEnv::ProjectScope(project));
  absl::Time soon = env.clock().Now() + absl::Minutes(5);
  json trust = {{"trustor_user_id", trustor},
                {"trustee_user_id", trustee},
                {"project_id", project},
                {"impersonation", false},
                {"expires_at", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", soon, absl::UTCTimeZone())},
                {"roles", {{{"name", "member"}}}}};
  Reply created = env.Post("/v3/OS-TRUST/trusts", alice, {{"trust", trust}});
  REQUIRE(created.status == 201);
  std::string id = created.body["trust"]["id"];
  CHECK(created.body["trust"]["impersonation"] == false);
  env.clock().Advance(absl::Minutes(6));
  std::string again = env.Login("alice", "pw", RestEnv::ProjectScope(project));
  CHECK(env.Get("/v3/OS-TRUST/trusts/" + id, again).status == 404);
}

}  // namespace
}  // namespace gureum::identity::testing
