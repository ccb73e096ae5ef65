// HttpIdentityClient: Keystone v3 requests and answers, over the fake HTTP client.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dashboard/http_identity_client.h"
#include "dashboard/tests/fake_http_client.h"

namespace gureum::dashboard {
namespace {

using nlohmann::json;

const char kScopedAnswer[] = R"({"token": {
  "expires_at": "2026-12-07T18:00:00.000000Z",
  "user": {"id": "u1", "name": "alice", "domain": {"id": "default"}},
  "project": {"id": "p1", "name": "demo", "domain": {"id": "default"}},
  "roles": [{"id": "r1", "name": "member"}, {"id": "r2", "name": "reader"}],
  "catalog": [
    {"type": "compute", "endpoints": [
      {"interface": "internal", "url": "http://10.0.0.1:8774/v2.1"},
      {"interface": "public", "url": "http://ctl:8774/v2.1"}]},
    {"type": "image", "endpoints": [{"interface": "public", "url": "http://ctl:9292"}]}]}})";

TEST_CASE("ParseTokenAnswer takes the token, roles and public endpoints") {
  HttpResponse answer{
      .status = 201, .headers = {{"X-Subject-Token", "gAAA"}}, .body = kScopedAnswer};
  auto t = ParseTokenAnswer(answer);
  REQUIRE(t.ok());
  CHECK(t->value == "gAAA");
  CHECK(t->user_id == "u1");
  CHECK(t->project.id == "p1");
  CHECK(t->project.name == "demo");
  CHECK(t->HasRole("member"));
  CHECK_FALSE(t->HasRole("admin"));
  CHECK(t->endpoints.at("compute") == "http://ctl:8774/v2.1");
  CHECK(t->endpoints.at("image") == "http://ctl:9292");
  CHECK(t->expires_at == absl::FromUnixSeconds(1796666400));
}

TEST_CASE("ParseTokenAnswer maps Keystone errors with their message") {
  auto t = ParseTokenAnswer(
      {.status = 401, .headers = {}, .body = R"({"error":{"code":401,"message":"Nope."}})"});
  CHECK(absl::IsUnauthenticated(t.status()));
  CHECK(t.status().message() == "Nope.");
  CHECK(absl::IsUnavailable(ParseTokenAnswer({.status = 503, .headers = {}, .body = ""}).status()));
}

TEST_CASE("HttpIdentityClient sends Keystone's requests") {
  FakeHttpClient http;
  http.SetAnswer([](const HttpRequest& r) -> absl::StatusOr<HttpResponse> {
    if (r.method == "GET") {
      return HttpResponse{
          .status = 200, .headers = {}, .body = R"({"projects":[{"id":"p1","name":"demo"}]})"};
    }
    if (r.method == "DELETE") return HttpResponse{.status = 404, .headers = {}, .body = ""};
    return HttpResponse{
        .status = 201, .headers = {{"x-subject-token", "tok"}}, .body = kScopedAnswer};
  });
  HttpIdentityClient identity(http, "http://ctl:5000/v3/");
  REQUIRE(identity.Login({"Default", "alice", "pw"}).ok());
  auto projects = identity.UserProjects("tok");
  REQUIRE(projects.ok());
  REQUIRE(projects->size() == 1);
  CHECK(projects->front().name == "demo");
  REQUIRE(identity.ScopeTo("tok", "p1").ok());
  CHECK(identity.Revoke("tok").ok());  // already gone is fine

  auto sent = http.requests();
  REQUIRE(sent.size() == 4);
  CHECK(sent[0].url == "http://ctl:5000/v3/auth/tokens");
  json login = json::parse(sent[0].body);
  CHECK(login["auth"]["identity"]["password"]["user"]["name"] == "alice");
  CHECK(login["auth"]["identity"]["password"]["user"]["domain"]["name"] == "Default");
  CHECK(login["auth"]["scope"] == "unscoped");
  CHECK(sent[1].url == "http://ctl:5000/v3/auth/projects");
  json scope = json::parse(sent[2].body);
  CHECK(scope["auth"]["identity"]["token"]["id"] == "tok");
  CHECK(scope["auth"]["scope"]["project"]["id"] == "p1");
  CHECK(sent[3].method == "DELETE");
}

TEST_CASE("HttpIdentityClient logs in with an application credential") {
  FakeHttpClient http;
  http.SetAnswer([](const HttpRequest&) -> absl::StatusOr<HttpResponse> {
    return HttpResponse{
        .status = 201, .headers = {{"X-Subject-Token", "tok"}}, .body = kScopedAnswer};
  });
  HttpIdentityClient identity(http, "http://ctl:5000");
  auto t = identity.Login(
      {.application_credential_id = "ac1", .application_credential_secret = "s3cret"});
  REQUIRE(t.ok());
  CHECK(t->project.id == "p1");
  json body = json::parse(http.requests().at(0).body);
  CHECK(body["auth"]["identity"]["methods"] == json::array({"application_credential"}));
  CHECK(body["auth"]["identity"]["application_credential"]["id"] == "ac1");
  CHECK(body["auth"]["identity"]["application_credential"]["secret"] == "s3cret");
  CHECK_FALSE(body["auth"].contains("scope"));
}

}  // namespace
}  // namespace gureum::dashboard
