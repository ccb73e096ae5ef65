// The dashboard's HTTP face (port 8000), on common/http:
//
//   GET  /                       the web app's page shell (web/index.html)
//   GET  /static/...             the web app's modules and styles ([dashboard] web_root)
//   GET  /vendor/bootstrap/...   Bootstrap 5 from Debian's libjs-bootstrap5
//   GET  /vendor/chart.js/...    Chart.js from Debian's libjs-chart.js
//   POST /api/login              {domain, user, password, project_id?} -> session + cookie
//   GET  /api/session            who, which project, roles, catalog types, CSRF token
//   POST /api/session/project    {project_id}: switch project
//   POST /api/logout             ends the session, revokes its tokens
//   GET  /api/events             Server-Sent Events: the project's notifications
//   *    /api/svc/<type>/<path>  the service proxy (service_proxy.h)
//
// Every /api route but login needs the session cookie (else 401); every non-GET one also
// the session's CSRF token in X-CSRF-Token (else 403). Errors are {"error": {"code",
// "message"}}; proxied answers are the service's own.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/http/server.h"

#include "dashboard/event_hub.h"
#include "dashboard/service_proxy.h"
#include "dashboard/session_manager.h"

namespace gureum::dashboard {

struct DashboardRestOptions {
  std::string web_root;                          // the web app (dashboard/web)
  std::string bootstrap_dir;                     // /usr/share/javascript/bootstrap5
  std::string chartjs_dir;                       // /usr/share/javascript/chart.js
  bool secure_cookie = false;                    // add Secure (the dashboard is behind TLS)
  absl::Duration heartbeat = absl::Seconds(15);  // SSE comment when no event came
};

class DashboardRest {
 public:
  struct Deps {
    SessionManager& sessions;
    ServiceProxy& proxy;
    EventHub& events;
  };
  DashboardRest(Deps deps, DashboardRestOptions options);

  // Server options for the dashboard: event streams hold a worker each, so more workers.
  static http::ServerOptions ServerOptions(metrics::Metrics* metrics, int threads);
  void Register(http::Server& server);

 private:
  using SessionHandler = std::function<absl::Status(Session&, http::Request&, http::Response&)>;
  // Runs `handler` with the request's live session: 401 without one, 403 for a non-GET
  // without the CSRF token; an error status becomes the error body.
  http::Handler WithSession(SessionHandler handler) const;

  absl::Status Login(http::Request& req, http::Response& res);
  absl::Status Logout(http::Request& req, http::Response& res);
  absl::Status SwitchProject(Session& s, http::Request& req, http::Response& res);
  absl::Status Proxy(Session& s, http::Request& req, http::Response& res);
  absl::Status Events(Session& s, http::Request& req, http::Response& res);
  void RegisterStatic(http::Server& server) const;

  Deps deps_;
  const DashboardRestOptions options_;
};

// The session as /api/session shows it to the page (no token, ever).
nlohmann::json SessionJson(const Session& session);

// A static file's Content-Type from its name.
std::string ContentTypeOf(const std::string& name);

}  // namespace gureum::dashboard
