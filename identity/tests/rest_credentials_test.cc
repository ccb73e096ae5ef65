// /v3/credentials and OS-EC2 over the REST adapter (issue 21): Keystone's shapes, the
// owner/cloud-admin policy, EC2 ids by access key, and blobs encrypted at rest.
#include "identity/credential_manager.h"
#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

TEST_CASE("REST credentials: create, show, list, update, delete, encrypted at rest") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string p1 = env.MakeProject("p1");
  std::string p2 = env.MakeProject("p2");
  std::string uid = env.MakeUser("u", "pw");
  const std::string blob = R"({"access": "AK1", "secret": "SK1"})";
  Reply created = env.Post(
      "/v3/credentials", admin,
      {{"credential", {{"user_id", uid}, {"project_id", p1}, {"type", "ec2"}, {"blob", blob}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  std::string id = created.body["credential"]["id"];
  CHECK(id == Ec2CredentialId("AK1"));
  CHECK(created.body["credential"]["blob"] == blob);
  CHECK(created.body["credential"]["user_id"] == uid);

  // The store holds the blob sealed.
  auto stored = env.manager().credentials().GetCredential(Admin(), id);
  REQUIRE(stored.ok());
  CHECK(stored->blob == blob);

  Reply other = env.Post("/v3/credentials", admin,
                         {{"credential", {{"user_id", uid}, {"type", "totp"}, {"blob", "seed"}}}});
  REQUIRE(other.status == 201);
  CHECK(other.body["credential"]["project_id"].is_null());
  CHECK(env.Get("/v3/credentials", admin).body["credentials"].size() == 2);
  CHECK(env.Get("/v3/credentials?type=totp", admin).body["credentials"].size() == 1);

  const std::string blob2 = R"({"access": "AK2", "secret": "SK2"})";
  Reply patched = env.Patch("/v3/credentials/" + id, admin,
                            {{"credential", {{"project_id", p2}, {"blob", blob2}}}});
  REQUIRE(patched.status == 200);
  CHECK(patched.body["credential"]["project_id"] == p2);
  CHECK(env.Get("/v3/credentials/" + id, admin).body["credential"]["blob"] == blob2);

  // An ec2 credential needs a project and an access key.
  CHECK(env.Post("/v3/credentials", admin,
                 {{"credential", {{"user_id", uid}, {"type", "ec2"}, {"blob", blob}}}})
            .status == 400);
  CHECK(env.Post("/v3/credentials", admin,
                 {{"credential",
                   {{"user_id", uid}, {"project_id", p1}, {"type", "ec2"}, {"blob", "x"}}}})
            .status == 400);

  // The owner sees theirs only; another user none of them.
  env.GrantProject("member", uid, p1);
  std::string token = env.Login("u", "pw", RestEnv::ProjectScope(p1));
  CHECK(env.Get("/v3/credentials", token).body["credentials"].size() == 2);
  std::string vid = env.MakeUser("v", "pw");
  env.GrantProject("member", vid, p1);
  std::string stranger = env.Login("v", "pw", RestEnv::ProjectScope(p1));
  CHECK(env.Get("/v3/credentials", stranger).body["credentials"].empty());
  CHECK(env.Get("/v3/credentials/" + id, stranger).status == 403);
  CHECK(env.Delete("/v3/credentials/" + id, stranger).status == 403);

  CHECK(env.Delete("/v3/credentials/" + id, token).status == 204);
  CHECK(env.Get("/v3/credentials/" + id, admin).status == 404);
}

TEST_CASE("REST OS-EC2: a user's access and secret pairs") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string project = env.MakeProject("p");
  std::string other_project = env.MakeProject("q");
  std::string uid = env.MakeUser("u", "pw");
  env.GrantProject("member", uid, project);
  std::string token = env.Login("u", "pw", RestEnv::ProjectScope(project));
  const std::string base = "/v3/users/" + uid + "/credentials/OS-EC2";
  Reply created = env.Post(base, token, {{"tenant_id", project}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  const json& c = created.body["credential"];
  std::string access = c["access"];
  CHECK(access.size() == 40);
  CHECK(c["secret"].get<std::string>().size() == 40);
  CHECK(c["user_id"] == uid);
  CHECK(c["tenant_id"] == project);
  CHECK(c["trust_id"].is_null());
  // Only a project the user holds a role on.
  CHECK(env.Post(base, token, {{"tenant_id", other_project}}).status == 403);

  Reply shown = env.Get(base + "/" + access, token);
  REQUIRE(shown.status == 200);
  CHECK(shown.body["credential"]["secret"] == c["secret"]);
  REQUIRE(env.Post(base, token, {{"tenant_id", project}}).status == 201);
  CHECK(env.Get(base, token).body["credentials"].size() == 2);
  // It is a credential of type ec2 in /v3/credentials too.
  Reply as_credential = env.Get("/v3/credentials/" + Ec2CredentialId(access), admin);
  REQUIRE(as_credential.status == 200);
  CHECK(as_credential.body["credential"]["type"] == "ec2");

  std::string vid = env.MakeUser("v", "pw");
  env.GrantProject("member", vid, project);
  std::string stranger = env.Login("v", "pw", RestEnv::ProjectScope(project));
  CHECK(env.Get(base + "/" + access, stranger).status == 403);
  CHECK(env.Get("/v3/users/" + vid + "/credentials/OS-EC2/" + access, stranger).status == 404);

  CHECK(env.Delete(base + "/" + access, token).status == 204);
  CHECK(env.Get(base + "/" + access, token).status == 404);
  CHECK(env.Delete(base + "/" + access, token).status == 404);
}

TEST_CASE("manager: a service finds an EC2 secret by access key, a user cannot") {
  RestEnv env;
  std::string project = env.MakeProject("p");
  std::string uid = env.MakeUser("u", "pw");
  auto created = env.manager().credentials().CreateEc2Credential(Admin(), uid, project);
  REQUIRE(created.ok());
  auto found = env.manager().credentials().FindEc2Credential(Admin(), created->access);
  REQUIRE(found.ok());
  CHECK(found->secret == created->secret);
  CHECK(found->user_id == uid);
  CHECK(found->project_id == project);
  CHECK(
      absl::IsNotFound(env.manager().credentials().FindEc2Credential(Admin(), "unknown").status()));
  Caller user;
  user.user_id = uid;
  user.project_id = project;
  user.roles = {"member", "reader"};
  CHECK(absl::IsPermissionDenied(
      env.manager().credentials().FindEc2Credential(user, created->access).status()));
  Caller service;
  service.user_id = "svc";
  service.roles = {"service"};
  CHECK(env.manager().credentials().FindEc2Credential(service, created->access).ok());
}

}  // namespace
}  // namespace gureum::identity::testing
