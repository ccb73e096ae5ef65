// DashboardRest over a real common/http server: cookies, CSRF, the proxy, events, files.
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "dashboard/cookies.h"
#include "dashboard/dashboard_rest.h"
#include "dashboard/memory_session_store.h"
#include "dashboard/tests/fake_http_client.h"
#include "dashboard/tests/fake_identity_client.h"

namespace gureum::dashboard {
namespace {

using nlohmann::json;

std::filesystem::path MakeWebRoot() {
  auto web = std::filesystem::temp_directory_path() / ("dash-web-" + std::to_string(::getpid()));
  std::filesystem::create_directories(web / "pages");
  std::ofstream(web / "index.html") << "<!doctype html><title>Gureum</title>";
  std::ofstream(web / "pages" / "a.js") << "export const a = 1;";
  return web;
}

struct RestFixture {
  RestFixture() {
    identity.AddUser("Default", "alice",
                     {.id = "u-alice",
                      .password = "pw",
                      .projects = {{"p1", "one", "default"}},
                      .roles = {"member"}});
    identity.SetEndpoints({{"compute", "http://ctl:8774/v2.1"},
                           {"image", "http://ctl:9292"},
                           {"object-store", "http://ctl:8080/v1/AUTH_p1"}});
    server.Route("GET", "/unused", [](http::Request&, http::Response&) {});
    rest.Register(server);
    port = *server.Start();
  }
  ~RestFixture() {
    server.Stop();
    std::filesystem::remove_all(web);
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(5, 0);
    return c;
  }
  // Logs alice in; returns {cookie header value, csrf token}.
  std::pair<std::string, std::string> Login() {
    auto c = Client();
    auto r = c.Post("/api/login", R"({"domain":"Default","user":"alice","password":"pw"})",
                    "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const std::string set_cookie = r->get_header_value("Set-Cookie");
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    return {cookie, json::parse(r->body)["csrf_token"]};
  }

  FakeIdentityClient identity;
  FakeHttpClient upstream;
  MemorySessionStore store;
  FakeClock clock;
  SequentialIdGenerator ids;
  SessionManager sessions{{.store = store, .identity = identity, .clock = clock, .ids = ids}, {}};
  ServiceProxy proxy{upstream};
  EventHub events;
  std::filesystem::path web = MakeWebRoot();
  http::Server server{DashboardRest::ServerOptions(nullptr, 8)};
  DashboardRest rest{{.sessions = sessions, .proxy = proxy, .events = events},
                     {.web_root = web.string(),
                      .bootstrap_dir = web.string(),
                      .chartjs_dir = web.string(),
                      .heartbeat = absl::Milliseconds(100)}};
  int port = 0;
};

TEST_CASE("Dashboard login sets an HttpOnly SameSite cookie and the session shows no token") {
  RestFixture f;
  auto c = f.Client();
  auto bad = c.Post("/api/login", R"({"user":"alice","password":"no"})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 401);
  CHECK(json::parse(bad->body)["error"]["message"] ==
        "The domain, user name or password is wrong.");
  auto form = c.Post("/api/login", R"({"user":"alice","password":"pw"})", "text/plain");
  REQUIRE(form);
  CHECK(form->status == 400);  // a cross-site form cannot log anyone in
  CHECK(form->get_header_value("Set-Cookie").empty());
  auto r = c.Post("/api/login", R"({"user":"alice","password":"pw"})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string set_cookie = r->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(r->body.find("tok-") == std::string::npos);  // identity's tokens stay on the server
  json s = json::parse(r->body);
  CHECK(s["project"]["id"] == "p1");
  CHECK(s["is_admin"] == false);
  CHECK(s["services"] == json::array({"compute", "image", "object-store"}));
}

TEST_CASE("Dashboard login with an application credential") {
  RestFixture f;
  f.identity.AddAppCredential("ac1", "s3cret", "Default/alice", {"p1", "one", "default"});
  auto c = f.Client();
  auto bad = c.Post("/api/login",
                    R"({"application_credential_id":"ac1","application_credential_secret":"x"})",
                    "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 401);
  CHECK(c.Post("/api/login", R"({"password":"pw"})", "application/json")->status == 400);
  auto r = c.Post("/api/login",
                  R"({"application_credential_id":"ac1","application_credential_secret":"s3cret"})",
                  "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json s = json::parse(r->body);
  CHECK(s["user"]["name"] == "alice");
  CHECK(s["project"]["id"] == "p1");
  CHECK(s["projects"].size() == 1);
  CHECK(r->get_header_value("Set-Cookie").find("HttpOnly") != std::string::npos);
}

TEST_CASE("Dashboard API: 401 without a session, 403 for a write without the CSRF token") {
  RestFixture f;
  auto c = f.Client();
  CHECK(c.Get("/api/session")->status == 401);
  auto [cookie, csrf] = f.Login();
  httplib::Headers h{{"Cookie", cookie}};
  CHECK(c.Get("/api/session", h)->status == 200);
  auto no_csrf = c.Post("/api/svc/compute/servers", h, "{}", "application/json");
  CHECK(no_csrf->status == 403);
  CHECK(json::parse(no_csrf->body)["error"]["message"].get<std::string>().find("CSRF") !=
        std::string::npos);
  CHECK(f.upstream.requests().empty());
  h.emplace("X-CSRF-Token", "wrong");
  CHECK(c.Post("/api/svc/compute/servers", h, "{}", "application/json")->status == 403);
}

TEST_CASE("Dashboard proxy forwards to the catalog endpoint with the session's token") {
  RestFixture f;
  f.upstream.SetAnswer([](const HttpRequest&) -> absl::StatusOr<HttpResponse> {
    return HttpResponse{.status = 403,
                        .headers = {{"Content-Type", "application/json"}},
                        .body = R"({"forbidden":{"code":403,"message":"Policy says no."}})"};
  });
  auto [cookie, csrf] = f.Login();
  auto c = f.Client();
  httplib::Headers h{{"Cookie", cookie},
                     {"X-CSRF-Token", csrf},
                     {"X-OpenStack-Nova-API-Version", "2.79"},
                     {"X-Evil", "1"}};
  auto r = c.Post("/api/svc/compute/servers/abc/action?x=1", h, R"({"os-start":null})",
                  "application/json");
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(json::parse(r->body)["forbidden"]["message"] == "Policy says no.");
  auto sent = f.upstream.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].url == "http://ctl:8774/v2.1/servers/abc/action?x=1");
  CHECK(sent[0].body == R"({"os-start":null})");
  bool token = false, microversion = false, evil = false;
  for (const auto& [k, v] : sent[0].headers) {
    token |= k == "X-Auth-Token" && v.rfind("tok-", 0) == 0;
    microversion |= k == "X-OpenStack-Nova-API-Version" && v == "2.79";
    evil |= k == "X-Evil";
  }
  CHECK(token);
  CHECK(microversion);
  CHECK_FALSE(evil);
}

TEST_CASE("Dashboard proxy passes object storage's read ACL both ways and folder markers") {
  RestFixture f;
  f.upstream.SetAnswer([](const HttpRequest&) -> absl::StatusOr<HttpResponse> {
    return HttpResponse{.status = 204, .headers = {{"X-Container-Read", ".r:*,.rlistings"}}};
  });
  auto [cookie, csrf] = f.Login();
  auto c = f.Client();
  httplib::Headers h{{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"X-Container-Read", ".r:*"}};
  auto r = c.Post("/api/svc/object-store/photos", h, "", "application/json");
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK(r->get_header_value("X-Container-Read") == ".r:*,.rlistings");
  auto folder = c.Put("/api/svc/object-store/photos/2026/", h, "", "application/octet-stream");
  REQUIRE(folder);
  auto sent = f.upstream.requests();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].url == "http://ctl:8080/v1/AUTH_p1/photos");
  bool acl = false;
  for (const auto& [k, v] : sent[0].headers) acl |= k == "X-Container-Read" && v == ".r:*";
  CHECK(acl);
  CHECK(sent[1].url == "http://ctl:8080/v1/AUTH_p1/photos/2026/");
}

TEST_CASE("Dashboard proxy refuses unknown services and paths that leave the endpoint") {
  RestFixture f;
  auto [cookie, csrf] = f.Login();
  auto c = f.Client();
  httplib::Headers h{{"Cookie", cookie}};
  CHECK(c.Get("/api/svc/identity/v3/users", h)->status == 404);
  CHECK(c.Get("/api/svc/compute/servers/%2e%2e/x", h)->status == 400);
  CHECK(c.Get("/api/svc/compute/a/%2F%2Fevil", h)->status >= 400);  // 404: no route matches
  CHECK(f.upstream.requests().empty());
}

TEST_CASE("Dashboard proxy streams an octet-stream upload through") {
  RestFixture f;
  auto [cookie, csrf] = f.Login();
  auto c = f.Client();
  httplib::Headers h{{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  const std::string data(300000, 'x');
  auto r = c.Put("/api/svc/image/v2/images/i1/file", h, data, "application/octet-stream");
  REQUIRE(r);
  CHECK(r->status == 200);
  auto sent = f.upstream.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].url == "http://ctl:9292/v2/images/i1/file");
  CHECK(sent[0].body == data);
  CHECK(sent[0].stream_length == 300000);
}

TEST_CASE("Dashboard project switch: only the user's projects, with the CSRF token") {
  RestFixture f;
  f.identity.AddUser("Default", "bob",
                     {.id = "u-bob",
                      .password = "pw",
                      .projects = {{"p1", "one", "default"}, {"p2", "two", "default"}},
                      .roles = {"member"}});
  auto c = f.Client();
  auto r = c.Post("/api/login", R"({"user":"bob","password":"pw"})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string set_cookie = r->get_header_value("Set-Cookie");
  const std::string csrf = json::parse(r->body)["csrf_token"];
  httplib::Headers h{{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
  CHECK(c.Post("/api/session/project", h, R"({"project_id":"p2"})", "application/json")->status ==
        403);
  h.emplace("X-CSRF-Token", csrf);
  auto other = c.Post("/api/session/project", h, R"({"project_id":"p9"})", "application/json");
  CHECK(other->status == 403);
  auto next = c.Post("/api/session/project", h, R"({"project_id":"p2"})", "application/json");
  REQUIRE(next);
  REQUIRE(next->status == 200);
  CHECK(json::parse(next->body)["project"]["name"] == "two");
  CHECK(json::parse(c.Get("/api/session", h)->body)["project"]["id"] == "p2");
}

TEST_CASE("Dashboard logout revokes: the old cookie gets 401, even with the CSRF token") {
  RestFixture f;
  auto [cookie, csrf] = f.Login();
  auto c = f.Client();
  httplib::Headers h{{"Cookie", cookie}};
  CHECK(c.Post("/api/logout", h, "", "application/json")->status == 403);  // no CSRF
  h.emplace("X-CSRF-Token", csrf);
  auto out = c.Post("/api/logout", h, "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 204);
  CHECK(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(c.Get("/api/session", h)->status == 401);
  CHECK(c.Get("/api/svc/compute/servers", h)->status == 401);
  CHECK(f.identity.live_tokens() == 0);
}

TEST_CASE("Dashboard event stream sends the project's events and ends at logout") {
  RestFixture f;
  auto [cookie, csrf] = f.Login();
  absl::Mutex mu;
  std::string received;  // guarded by mu
  auto text = [&] {
    absl::MutexLock lock(&mu);
    return received;
  };
  std::thread reader([&, cookie = cookie] {
    auto c = f.Client();
    c.Get("/api/events", {{"Cookie", cookie}}, [&](const char* data, size_t n) {
      absl::MutexLock lock(&mu);
      received.append(data, n);
      return true;
    });
  });
  for (int i = 0; i < 500 && f.events.subscribers() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(f.events.subscribers() == 1);
  f.events.Dispatch({.type = "compute.instance.update", .project_id = "p2", .payload = "{}"});
  f.events.Dispatch(
      {.type = "compute.instance.update", .project_id = "p1", .payload = R"({"state":"active"})"});
  // Polled with a deadline: the event and a heartbeat (every 100 ms here).
  auto arrived = [&] {
    const std::string t = text();
    return t.find("\"active\"") != std::string::npos && t.find(": heartbeat") != std::string::npos;
  };
  for (int i = 0; i < 500 && !arrived(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(f.sessions.Logout(cookie.substr(cookie.find('=') + 1)).ok());
  reader.join();  // the stream ends at the next heartbeat after logout
  const std::string received_text = text();
  CHECK(received_text.find("event: compute.instance.update\ndata: {\"state\":\"active\"}\n\n") !=
        std::string::npos);
  CHECK(received_text.find("data: {}\n") == std::string::npos);  // p2's event
  CHECK(received_text.find(": heartbeat") != std::string::npos);
}

TEST_CASE("Dashboard serves the web app's files and nothing outside them") {
  RestFixture f;
  auto c = f.Client();
  auto index = c.Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(index->get_header_value("Content-Security-Policy").find("default-src 'self'") !=
        std::string::npos);
  auto js = c.Get("/static/pages/a.js");
  REQUIRE(js);
  CHECK(js->status == 200);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(c.Get("/static/..%2F..%2Fetc/passwd")->status == 404);
  CHECK(c.Get("/static/.hidden")->status == 404);
  CHECK(c.Get("/static/missing.js")->status == 404);
}

}  // namespace
}  // namespace gureum::dashboard
