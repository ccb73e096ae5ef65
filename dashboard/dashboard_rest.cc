#include "dashboard/dashboard_rest.h"

#include "absl/strings/match.h"
#include "common/http/json_reader.h"

#include "dashboard/cookies.h"
#include "spdlog/spdlog.h"

namespace gureum::dashboard {

using nlohmann::json;

namespace {

bool IsRead(const std::string& method) { return method == "GET" || method == "HEAD"; }

std::string SessionId(const http::Request& req) {
  return CookieValue(req.Header("Cookie"), kSessionCookie);
}

void SecurityHeaders(http::Response& res) {
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("X-Frame-Options", "DENY");
}

}  // namespace

json SessionJson(const Session& s) {
  json projects = json::array();
  for (const auto& p : s.projects) {
    projects.push_back({{"id", p.id}, {"name", p.name}, {"domain_id", p.domain_id}});
  }
  json services = json::array();
  for (const auto& [type, url] : s.scoped.endpoints) services.push_back(type);
  return {{"user",
           {{"id", s.unscoped.user_id},
            {"name", s.unscoped.user_name},
            {"domain_id", s.unscoped.domain_id}}},
          {"project", {{"id", s.scoped.project.id}, {"name", s.scoped.project.name}}},
          {"projects", projects},
          {"roles", s.scoped.roles},
          {"is_admin", s.scoped.HasRole("admin")},
          {"services", services},
          {"csrf_token", s.csrf_token}};
}

DashboardRest::DashboardRest(Deps deps, DashboardRestOptions options)
    : deps_(deps), options_(std::move(options)) {}

http::ServerOptions DashboardRest::ServerOptions(metrics::Metrics* metrics, int threads) {
  http::ServerOptions o;
  o.metrics = metrics;
  o.threads = threads;
  o.error_style = ErrorStyle::kPlain;
  o.max_body_bytes = 4 << 20;
  o.shutdown_grace = std::chrono::milliseconds(3000);
  return o;
}

http::Handler DashboardRest::WithSession(SessionHandler handler) const {
  return [this, handler = std::move(handler)](http::Request& req, http::Response& res) {
    SecurityHeaders(res);
    absl::StatusOr<Session> s = deps_.sessions.Find(SessionId(req));
    absl::Status status = s.status();
    if (s.ok() && !IsRead(req.method)) {
      status = SessionManager::CheckCsrf(*s, req.Header("X-CSRF-Token"));
    }
    if (status.ok()) status = handler(*s, req, res);
    if (!status.ok()) res.Error(status);
  };
}

absl::Status DashboardRest::Login(http::Request& req, http::Response& res) {
  // Only a JSON body: another site's form cannot send one (that needs a CORS preflight),
  // so it cannot log the browser in to an account of its choosing (login CSRF).
  if (!absl::StartsWith(req.Header("Content-Type"), "application/json")) {
    return absl::InvalidArgumentError("Log in with a JSON body (Content-Type: application/json).");
  }
  absl::StatusOr<json> body = req.JsonBody();
  if (!body.ok()) return body.status();
  Credentials c;
  std::string project_id;
  http::JsonReader r(*body, "login");
  r.String("domain", &c.domain, {.max_length = 255});
  r.String("user", &c.user, {.max_length = 255});
  r.String("password", &c.password, {.max_length = 4096});
  r.String("application_credential_id", &c.application_credential_id, {.max_length = 64});
  r.String("application_credential_secret", &c.application_credential_secret, {.max_length = 4096});
  r.String("project_id", &project_id, {.max_length = 64});
  if (absl::Status s = r.Finish(); !s.ok()) return s;
  if (c.application_credential_id.empty() && c.user.empty()) {
    return absl::InvalidArgumentError(
        "Log in with a user name and password, or an application credential's id and secret.");
  }
  if (c.domain.empty()) c.domain = "Default";
  absl::StatusOr<Session> s = deps_.sessions.Login(c, project_id);
  if (!s.ok()) return s.status();
  res.SetHeader("Set-Cookie", SessionCookie(s->id, options_.secure_cookie));
  res.Json(200, SessionJson(*s));
  return absl::OkStatus();
}

absl::Status DashboardRest::Logout(http::Request& req, http::Response& res) {
  // A logout without a live session still clears the cookie; with one it needs the CSRF
  // token (no other site may log the user out).
  const std::string id = SessionId(req);
  absl::StatusOr<Session> s = deps_.sessions.Find(id);
  if (s.ok()) {
    if (absl::Status c = SessionManager::CheckCsrf(*s, req.Header("X-CSRF-Token")); !c.ok()) {
      return c;
    }
    if (absl::Status out = deps_.sessions.Logout(id); !out.ok()) return out;
  }
  res.SetHeader("Set-Cookie", ClearedSessionCookie(options_.secure_cookie));
  res.Empty(204);
  return absl::OkStatus();
}

absl::Status DashboardRest::SwitchProject(Session& s, http::Request& req, http::Response& res) {
  absl::StatusOr<json> body = req.JsonBody();
  if (!body.ok()) return body.status();
  std::string project_id;
  http::JsonReader r(*body, "session");
  r.String("project_id", &project_id, {.required = true, .allow_empty = false, .max_length = 64});
  if (absl::Status st = r.Finish(); !st.ok()) return st;
  absl::StatusOr<Session> next = deps_.sessions.SwitchProject(s.id, project_id);
  if (!next.ok()) return next.status();
  res.Json(200, SessionJson(*next));
  return absl::OkStatus();
}

void DashboardRest::Register(http::Server& server) {
  auto pub = [](auto fn) {
    return [fn](http::Request& req, http::Response& res) {
      SecurityHeaders(res);
      if (absl::Status s = fn(req, res); !s.ok()) res.Error(s);
    };
  };
  server.Route("POST", "/api/login",
               pub([this](http::Request& q, http::Response& r) { return Login(q, r); }));
  server.Route("POST", "/api/logout",
               pub([this](http::Request& q, http::Response& r) { return Logout(q, r); }));
  server.Route("GET", "/api/session",
               WithSession([](Session& s, http::Request&, http::Response& res) {
                 res.Json(200, SessionJson(s));
                 return absl::OkStatus();
               }));
  server.Route("POST", "/api/session/project",
               WithSession([this](Session& s, http::Request& q, http::Response& r) {
                 return SwitchProject(s, q, r);
               }));
  server.Route("GET", "/api/events",
               WithSession([this](Session& s, http::Request& q, http::Response& r) {
                 return Events(s, q, r);
               }));
  auto proxy = WithSession(
      [this](Session& s, http::Request& q, http::Response& r) { return Proxy(s, q, r); });
  std::string pattern = "/api/svc/{type}";
  for (int depth = 0; depth <= 8; ++depth) {
    if (depth > 0) pattern += "/{p" + std::to_string(depth) + "}";
    for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      server.Route(m, pattern, proxy, {.stream_body = true});
    }
  }
  RegisterStatic(server);
}

}  // namespace gureum::dashboard
