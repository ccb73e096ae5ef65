// The identity REST adapter: discovery and /v3/auth/* (token issue, validate, revoke with
// every method and scope; every kind of bad token; malformed bodies).
#include <unistd.h>

#include <regex>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/auth/token.h"
#include "identity/tests/rest_test_util.h"

namespace gureum::identity::testing {
namespace {

bool HasRole(const json& token, const std::string& name) {
  for (const json& r : token["roles"]) {
    if (r["name"] == name) return true;
  }
  return false;
}

const json* FindService(const json& catalog, const std::string& type) {
  for (const json& s : catalog) {
    if (s["type"] == type) return &s;
  }
  return nullptr;
}

TEST_CASE("REST discovery: / is 300 with versions.values, /v3 is 200 with version") {
  RestEnv env;
  Reply root = env.Get("/", "");
  REQUIRE(root.status == 300);
  CHECK(root.Header("Location") == "http://ctl:5000/v3/");
  const json& v = root.body["versions"]["values"][0];
  CHECK(v["id"] == "v3.14");
  CHECK(v["status"] == "stable");
  CHECK(v["updated"] == "2020-04-07T00:00:00Z");
  CHECK(v["links"][0]["rel"] == "self");
  CHECK(v["links"][0]["href"] == "http://ctl:5000/v3/");
  CHECK(v["media-types"][0]["type"] == "application/vnd.openstack.identity-v3+json");

  for (const char* path : {"/v3", "/v3/"}) {
    Reply r = env.Get(path, "");
    REQUIRE(r.status == 200);
    CHECK(r.body["version"] == v);
  }
}

TEST_CASE("REST token issue: password by name, project scope by name (openstack token issue)") {
  RestEnv env;
  json body =
      RestEnv::PasswordAuth("admin", kAdminPassword,
                            {{"project", {{"name", "admin"}, {"domain", {{"name", "Default"}}}}}});
  Reply r = env.Post("/v3/auth/tokens", "", body);
  INFO(r.raw);
  REQUIRE(r.status == 201);
  CHECK(!r.Header("X-Subject-Token").empty());
  CHECK(r.Header("Vary") == "X-Auth-Token");
  CHECK(r.Header("X-Openstack-Request-Id").rfind("req-", 0) == 0);
  const json& t = r.body["token"];
  CHECK(t["methods"] == json::array({"password"}));
  REQUIRE(t["audit_ids"].size() == 1);
  CHECK(t["audit_ids"][0].get<std::string>().size() == 22);
  std::regex time_re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");
  CHECK(std::regex_match(t["expires_at"].get<std::string>(), time_re));
  CHECK(std::regex_match(t["issued_at"].get<std::string>(), time_re));
  CHECK(t["is_domain"] == false);
  CHECK(t["user"]["id"] == env.boot.admin_user_id);
  CHECK(t["user"]["name"] == "admin");
  CHECK(t["user"]["domain"] == json{{"id", "default"}, {"name", "Default"}});
  CHECK(t["user"]["password_expires_at"].is_null());
  CHECK(t["project"]["id"] == env.boot.admin_project_id);
  CHECK(t["project"]["name"] == "admin");
  CHECK(t["project"]["domain"] == json{{"id", "default"}, {"name", "Default"}});
  CHECK(t["is_admin_project"] == true);  // as Keystone: admin-openrc's project is the admin one
  CHECK(HasRole(t, "admin"));
  CHECK(HasRole(t, "member"));  // implied
  CHECK(HasRole(t, "reader"));
  const json* identity = FindService(t["catalog"], "identity");
  REQUIRE(identity != nullptr);
  CHECK((*identity)["name"] == "keystone");
  bool public_found = false;
  for (const json& e : (*identity)["endpoints"]) {
    CHECK(e.contains("id"));
    CHECK(e["region"] == "RegionOne");
    CHECK(e["region_id"] == "RegionOne");
    if (e["interface"] == "public") {
      public_found = true;
      CHECK(e["url"] == "http://ctl:5000/v3");
    }
  }
  CHECK(public_found);
  // $(project_id)s is substituted for the token's project.
  const json* object_store = FindService(t["catalog"], "object-store");
  REQUIRE(object_store != nullptr);
  CHECK((*object_store)["endpoints"][0]["url"].get<std::string>().find(
            "AUTH_" + env.boot.admin_project_id) != std::string::npos);

  Reply nocatalog = env.Post("/v3/auth/tokens?nocatalog", "", body);
  REQUIRE(nocatalog.status == 201);
  CHECK(!nocatalog.body["token"].contains("catalog"));
}

TEST_CASE("REST token issue: user by id, domain, system, unscoped and default scopes") {
  RestEnv env;
  json by_id = {
      {"auth",
       {{"identity",
         {{"methods", {"password"}},
          {"password",
           {{"user", {{"id", env.boot.admin_user_id}, {"password", kAdminPassword}}}}}}}}}};
  SECTION("no scope: the default project") {
    Reply r = env.Post("/v3/auth/tokens", "", by_id);
    REQUIRE(r.status == 201);
    CHECK(r.body["token"]["project"]["id"] == env.boot.admin_project_id);
  }
  SECTION("unscoped: no roles, no catalog") {
    by_id["auth"]["scope"] = "unscoped";
    Reply r = env.Post("/v3/auth/tokens", "", by_id);
    REQUIRE(r.status == 201);
    CHECK(!r.body["token"].contains("project"));
    CHECK(!r.body["token"].contains("roles"));
    CHECK(!r.body["token"].contains("catalog"));
  }
  SECTION("system scope") {
    by_id["auth"]["scope"] = RestEnv::SystemScope();
    Reply r = env.Post("/v3/auth/tokens", "", by_id);
    REQUIRE(r.status == 201);
    CHECK(r.body["token"]["system"] == json{{"all", true}});
    CHECK(HasRole(r.body["token"], "admin"));
  }
  SECTION("domain scope, by name; 401 without a role there") {
    by_id["auth"]["scope"] = {{"domain", {{"name", "Default"}}}};
    Reply denied = env.Post("/v3/auth/tokens", "", by_id);
    CHECK(denied.status == 401);
    env.GrantDomain("admin", env.boot.admin_user_id, "default");
    Reply r = env.Post("/v3/auth/tokens", "", by_id);
    REQUIRE(r.status == 201);
    CHECK(r.body["token"]["domain"] == json{{"id", "default"}, {"name", "Default"}});
  }
}

TEST_CASE("REST token issue: token method re-scopes, keeping the audit chain") {
  RestEnv env;
  Reply unscoped =
      env.Post("/v3/auth/tokens", "", RestEnv::PasswordAuth("admin", kAdminPassword, "unscoped"));
  REQUIRE(unscoped.status == 201);
  json body = {
      {"auth",
       {{"identity",
         {{"methods", {"token"}}, {"token", {{"id", unscoped.Header("X-Subject-Token")}}}}},
        {"scope", RestEnv::ProjectScope(env.boot.admin_project_id)}}}};
  Reply r = env.Post("/v3/auth/tokens", "", body);
  INFO(r.raw);
  REQUIRE(r.status == 201);
  CHECK(r.body["token"]["project"]["id"] == env.boot.admin_project_id);
  REQUIRE(r.body["token"]["audit_ids"].size() == 2);
  CHECK(r.body["token"]["audit_ids"][1] == unscoped.body["token"]["audit_ids"][0]);

  body["auth"]["identity"]["token"]["id"] = "not-a-token";
  CHECK(env.Post("/v3/auth/tokens", "", body).status == 401);
}

TEST_CASE("REST application credentials: create (secret once), authenticate, list, delete") {
  RestEnv env;
  std::string project = env.MakeProject("apps");
  std::string user_id;
  std::string token = env.UserToken("alice", "member", project, &user_id);
  const std::string base = "/v3/users/" + user_id + "/application_credentials";

  Reply created = env.Post(base, token, {{"application_credential", {{"name", "ci"}}}});
  INFO(created.raw);
  REQUIRE(created.status == 201);
  const json& cred = created.body["application_credential"];
  std::string secret = cred["secret"];
  std::string id = cred["id"];
  CHECK(!secret.empty());
  CHECK(cred["project_id"] == project);
  CHECK(cred["unrestricted"] == false);
  CHECK(cred["links"]["self"] == "http://ctl:5000" + base + "/" + id);
  CHECK(env.Post(base, token, {{"application_credential", {{"name", "ci"}}}}).status == 409);

  Reply list = env.Get(base, token);
  REQUIRE(list.status == 200);
  REQUIRE(list.body["application_credentials"].size() == 1);
  CHECK(!list.body["application_credentials"][0].contains("secret"));
  Reply show = env.Get(base + "/" + id, token);
  REQUIRE(show.status == 200);
  CHECK(!show.body["application_credential"].contains("secret"));
  CHECK(env.Get(base + "?name=ci", token).body["application_credentials"].size() == 1);
  CHECK(env.Get(base + "?name=other", token).body["application_credentials"].empty());

  json by_id = {{"auth",
                 {{"identity",
                   {{"methods", {"application_credential"}},
                    {"application_credential", {{"id", id}, {"secret", secret}}}}}}}};
  Reply auth = env.Post("/v3/auth/tokens", "", by_id);
  INFO(auth.raw);
  REQUIRE(auth.status == 201);
  CHECK(auth.body["token"]["methods"] == json::array({"application_credential"}));
  CHECK(auth.body["token"]["project"]["id"] == project);
  CHECK(auth.body["token"]["application_credential"] ==
        json{{"id", id}, {"name", "ci"}, {"restricted", true}});

  json by_name = {{"auth",
                   {{"identity",
                     {{"methods", {"application_credential"}},
                      {"application_credential",
                       {{"name", "ci"},
                        {"user", {{"name", "alice"}, {"domain", {{"id", "default"}}}}},
                        {"secret", secret}}}}}}}};
  CHECK(env.Post("/v3/auth/tokens", "", by_name).status == 201);
  by_name["auth"]["identity"]["application_credential"]["secret"] = "wrong";
  Reply wrong = env.Post("/v3/auth/tokens", "", by_name);
  CHECK(wrong.status == 401);
  CHECK(wrong.ErrorMessage() == "The request you have made requires authentication.");

  std::string from_credential = auth.Header("X-Subject-Token");
  REQUIRE(!from_credential.empty());
  CHECK(env.Get("/v3/auth/tokens", from_credential).status != 401);
  CHECK(env.Delete(base + "/" + id, token).status == 204);
  // Deleting it revokes the tokens made from it, not alice's others (as Keystone).
  CHECK(env.Get(base + "/" + id, token).status == 404);
  CHECK(env.Get(base, from_credential).status == 401);
  CHECK(env.Get(base + "/" + id, env.AdminToken()).status == 404);
  CHECK(env.Post("/v3/auth/tokens", "", by_id).status == 401);
}

TEST_CASE("REST token issue: wrong password gives the same 401 for known and unknown users") {
  RestEnv env;
  Reply known = env.Post("/v3/auth/tokens", "", RestEnv::PasswordAuth("admin", "wrong"));
  Reply unknown = env.Post("/v3/auth/tokens", "", RestEnv::PasswordAuth("nobody", "wrong"));
  json expected = {{"error",
                    {{"code", 401},
                     {"title", "Unauthorized"},
                     {"message", "The request you have made requires authentication."}}}};
  CHECK(known.status == 401);
  CHECK(unknown.status == 401);
  CHECK(known.body == expected);
  CHECK(unknown.body == expected);
  // An unknown project in the scope is no different.
  Reply scope = env.Post(
      "/v3/auth/tokens", "",
      RestEnv::PasswordAuth("admin", kAdminPassword, RestEnv::ProjectScope("no-such-project")));
  CHECK(scope.status == 401);
  CHECK(scope.body == expected);
}

TEST_CASE("REST tokens: validate (GET/HEAD), revoke (DELETE), then 404 and 401") {
  RestEnv env;
  std::string admin = env.AdminToken();
  std::string project = env.MakeProject("p");
  std::string subject = env.UserToken("bob", "member", project);

  Reply v = env.Send("GET", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", subject}});
  INFO(v.raw);
  REQUIRE(v.status == 200);
  CHECK(v.Header("X-Subject-Token") == subject);
  CHECK(v.body["token"]["user"]["name"] == "bob");
  CHECK(v.body["token"]["project"]["id"] == project);
  CHECK(v.body["token"].contains("catalog"));
  CHECK(!env.Send("GET", "/v3/auth/tokens?nocatalog", admin, std::nullopt,
                  {{"X-Subject-Token", subject}})
             .body["token"]
             .contains("catalog"));
  CHECK(env.Send("HEAD", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", subject}})
            .status == 200);
  // A user validates their own token.
  CHECK(env.Send("GET", "/v3/auth/tokens", subject, std::nullopt, {{"X-Subject-Token", subject}})
            .status == 200);
  CHECK(env.Send("GET", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", "junk"}})
            .status == 404);
  CHECK(env.Send("HEAD", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", "junk"}})
            .status == 404);
  CHECK(env.Get("/v3/auth/tokens", admin).status == 400);  // no X-Subject-Token

  CHECK(env.Send("DELETE", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", subject}})
            .status == 204);
  CHECK(env.Send("GET", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", subject}})
            .status == 404);
  CHECK(env.Send("DELETE", "/v3/auth/tokens", admin, std::nullopt, {{"X-Subject-Token", subject}})
            .status == 404);
  Reply revoked = env.Get("/v3/projects/" + project, subject);
  CHECK(revoked.status == 401);
  CHECK(revoked.ErrorMessage() == "The request you have made requires authentication.");
}

TEST_CASE("REST tokens: missing, malformed, tampered, unknown-key and expired tokens are 401") {
  RestEnv env;
  std::string admin = env.AdminToken();
  REQUIRE(env.Get("/v3/projects", admin).status == 200);

  std::string tampered = admin;
  size_t last_dot = tampered.rfind('.');
  REQUIRE(last_dot != std::string::npos);
  tampered[last_dot + 2] = tampered[last_dot + 2] == 'A' ? 'B' : 'A';

  auto claims = env.manager().tokens().VerifyToken(admin);
  REQUIRE(claims.ok());
  // Signed by a key we do not have, under our key id and under an unknown one.
  std::string foreign = auth::SignToken(*claims, auth::GenerateKeyPair("k1"));
  std::string unknown_key = auth::SignToken(*claims, auth::GenerateKeyPair("k9"));

  for (const std::string& bad : {std::string(), std::string("garbage"), std::string("g1.a.b.c"),
                                 tampered, foreign, unknown_key}) {
    INFO(bad);
    Reply r = env.Get("/v3/projects", bad);
    CHECK(r.status == 401);
    CHECK(r.body["error"]["title"] == "Unauthorized");
    CHECK(r.ErrorMessage() == "The request you have made requires authentication.");
  }

  env.clock().Advance(absl::Hours(2));  // past the 1 h token lifetime
  CHECK(env.Get("/v3/projects", admin).status == 401);
  CHECK(env.Get("/v3/auth/catalog", admin).status == 401);
}

TEST_CASE("REST token issue: malformed bodies are 400 naming the field") {
  RestEnv env;
  auto message = [&](const json& body) {
    Reply r = env.Post("/v3/auth/tokens", "", body);
    INFO(r.raw);
    CHECK(r.status == 400);
    CHECK(r.body["error"]["code"] == 400);
    CHECK(r.body["error"]["title"] == "Bad Request");
    return r.ErrorMessage();
  };
  CHECK(message(json::object()) == "'auth' is a required property");
  CHECK(message({{"auth", json::object()}}) == "'identity' is a required property");
  CHECK(message({{"auth", {{"identity", json::object()}}}}) == "'methods' is a required property");
  CHECK(message({{"auth", {{"identity", {{"methods", {"password"}}}}}}}) ==
        "'password' is a required property");
  CHECK(message({{"auth",
                  {{"identity",
                    {{"methods", {"password"}},
                     {"password", {{"user", {{"name", "admin"}, {"password", "x"}}}}}}}}}}) ==
        "'domain' is a required property");
  CHECK(message({{"auth",
                  {{"identity",
                    {{"methods", {"password"}}, {"password", {{"user", {{"id", "u"}}}}}}}}}}) ==
        "'password' is a required property");
  CHECK(message({{"auth", {{"identity", {{"methods", {"token"}}, {"token", json::object()}}}}}}) ==
        "Invalid input for field 'id' of 'token': it is required.");
  CHECK(message({{"auth", {{"identity", {{"methods", "password"}}}}}}).find("methods") !=
        std::string::npos);

  Reply invalid = env.PostRaw("/v3/auth/tokens", "", "{not json");
  CHECK(invalid.status == 400);
  CHECK(invalid.body["error"]["message"] == "The request body is not valid JSON.");
  Reply array = env.PostRaw("/v3/auth/tokens", "", "[1,2]");
  CHECK(array.status == 400);
  Reply method =
      env.Post("/v3/auth/tokens", "", {{"auth", {{"identity", {{"methods", {"kerberos"}}}}}}});
  CHECK(method.status == 401);
}

// Sends only the headers of a request declaring `length` body bytes and returns the
// status line of the answer. (Sending a real oversized body races the server closing the
// connection after its 413; the server answers from Content-Length without reading.)
std::string StatusLineForDeclaredLength(int port, long long length) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  std::string request =
      "POST /v3/auth/tokens HTTP/1.1\r\nHost: ctl\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(length) + "\r\n\r\n";
  REQUIRE(send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buf[4096];
  while (answer.find("\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return answer.substr(0, answer.find("\r\n"));
}

TEST_CASE("REST: oversized bodies are 413, unknown routes 404, both in Keystone's envelope") {
  RestEnv env;
  CHECK(StatusLineForDeclaredLength(env.port(), (1 << 20) + 1) == "HTTP/1.1 413 Payload Too Large");
  Reply missing = env.Get("/v3/no-such-thing", env.AdminToken());
  CHECK(missing.status == 404);
  CHECK(missing.body["error"]["code"] == 404);
}

TEST_CASE("REST /v3/auth: catalog, projects, domains, system") {
  RestEnv env;
  std::string project = env.MakeProject("mine");
  std::string user_id;
  std::string token = env.UserToken("carol", "member", project, &user_id);

  Reply catalog = env.Get("/v3/auth/catalog", token);
  REQUIRE(catalog.status == 200);
  CHECK(FindService(catalog.body["catalog"], "compute") != nullptr);

  Reply projects = env.Get("/v3/auth/projects", token);
  REQUIRE(projects.status == 200);
  REQUIRE(projects.body["projects"].size() == 1);
  CHECK(projects.body["projects"][0]["id"] == project);
  CHECK(projects.body["links"]["self"] == "http://ctl:5000/v3/auth/projects");

  CHECK(env.Get("/v3/auth/domains", token).body["domains"].empty());
  CHECK(env.Get("/v3/auth/system", token).body["system"].empty());
  env.GrantDomain("reader", user_id, "default");
  Reply domains = env.Get("/v3/auth/domains", token);
  REQUIRE(domains.body["domains"].size() == 1);
  CHECK(domains.body["domains"][0]["id"] == "default");

  std::string admin = env.AdminToken();
  CHECK(env.Get("/v3/auth/system", admin).body["system"] == json::array({{{"all", true}}}));
}

TEST_CASE("REST: /metrics counts requests by route") {
  RestEnv env;
  env.Get("/v3", "");
  Reply m = env.Get("/metrics", "");
  REQUIRE(m.status == 200);
  CHECK(m.raw.find("gureum_http_requests_total") != std::string::npos);
  CHECK(m.raw.find("route=\"/v3\"") != std::string::npos);
}

}  // namespace
}  // namespace gureum::identity::testing
