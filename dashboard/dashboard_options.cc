#include "dashboard/dashboard_options.h"

#include "common/http/metrics_listener.h"

#ifndef GUREUM_DASHBOARD_WEB_ROOT
#define GUREUM_DASHBOARD_WEB_ROOT "/usr/share/gureum/dashboard"
#endif

namespace gureum::dashboard {

void AddDashboardOptions(config::Schema& schema) {
  const std::string s = "dashboard";
  schema.String(s, "host", "0.0.0.0", "Address the dashboard listens on.");
  schema.Int(s, "rest_port", 8000, 1, 65535, "The dashboard's HTTP port.");
  schema.Int(s, "threads", 64, 4, 4096,
             "HTTP worker threads; each open page's event stream holds one.");
  schema.String(s, "identity_url", "http://127.0.0.1:5000",
                "Identity's Keystone v3 REST API (login, projects, token revocation).");
  schema.String(s, "web_root", GUREUM_DASHBOARD_WEB_ROOT, "Directory of the web app's files.");
  schema.String(s, "bootstrap_dir", "/usr/share/javascript/bootstrap5",
                "Bootstrap 5 (Debian's libjs-bootstrap5).");
  schema.String(s, "chartjs_dir", "/usr/share/javascript/chart.js",
                "Chart.js (Debian's libjs-chart.js).");
  schema.Bool(s, "secure_cookie", false,
              "Mark the session cookie Secure (set when the dashboard is served over TLS).");
  schema.Duration(s, "session_idle_timeout", "30m",
                  "A session unused this long ends (its tokens are revoked).");
  schema.String(s, "session_file", "",
                "Keep sessions in this file (sealed with a key in <file>.key) so that they "
                "survive a restart; empty: in memory only.");
  schema.Duration(s, "session_touch_interval", "1m",
                  "With session_file: a session's last use is written at most this often.");
  schema.Duration(s, "event_heartbeat", "15s",
                  "An event stream without events sends a comment this often.");
  schema.Bool(s, "live_events", true,
              "Consume the notifications exchange and push events to open pages.");
  http::AddMetricsListenerOptions(schema, s);
}

DashboardRestOptions DashboardRestOptionsFromConfig(const config::Config& cfg) {
  return {.web_root = cfg.GetString("dashboard", "web_root"),
          .bootstrap_dir = cfg.GetString("dashboard", "bootstrap_dir"),
          .chartjs_dir = cfg.GetString("dashboard", "chartjs_dir"),
          .secure_cookie = cfg.GetBool("dashboard", "secure_cookie"),
          .heartbeat = cfg.GetDuration("dashboard", "event_heartbeat")};
}

SessionOptions SessionOptionsFromConfig(const config::Config& cfg) {
  return {.idle_timeout = cfg.GetDuration("dashboard", "session_idle_timeout")};
}

}  // namespace gureum::dashboard
