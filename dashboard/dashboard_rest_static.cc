// DashboardRest: the web app's files and the vendored libraries, read from disk.
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

#include "dashboard/dashboard_rest.h"

namespace gureum::dashboard {
namespace {

// Names are letters, digits, '.', '-' and '_', not starting with '.': nothing outside
// the served directories can be named.
bool SafeName(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

// The page may load only what this server serves; nothing inline except styles set by
// Bootstrap's and Chart.js's scripts.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

void ServeFile(const std::string& dir, const std::vector<std::string>& parts, bool cache,
               http::Response& res) {
  std::string path = dir;
  for (const auto& p : parts) {
    if (!SafeName(p)) return res.Error(absl::NotFoundError("No such file."));
    absl::StrAppend(&path, "/", p);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return res.Error(absl::NotFoundError("No such file."));
  std::ostringstream data;
  data << in.rdbuf();
  res.status = 200;
  res.content_type = ContentTypeOf(parts.back());
  res.body = data.str();
  res.SetHeader("Cache-Control", cache ? "public, max-age=86400" : "no-cache");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("Referrer-Policy", "same-origin");
}

}  // namespace

std::string ContentTypeOf(const std::string& name) {
  if (absl::EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(name, ".js") || absl::EndsWith(name, ".mjs")) {
    return "text/javascript; charset=utf-8";
  }
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(name, ".json") || absl::EndsWith(name, ".map")) return "application/json";
  if (absl::EndsWith(name, ".svg")) return "image/svg+xml";
  if (absl::EndsWith(name, ".png")) return "image/png";
  return "application/octet-stream";
}

void DashboardRest::RegisterStatic(http::Server& server) const {
  const DashboardRestOptions& o = options_;
  server.Route("GET", "/", [&o](http::Request&, http::Response& res) {
    ServeFile(o.web_root, {"index.html"}, false, res);
  });
  server.Route("GET", "/static/{a}", [&o](http::Request& req, http::Response& res) {
    ServeFile(o.web_root, {req.PathParam("a")}, false, res);
  });
  server.Route("GET", "/static/{a}/{b}", [&o](http::Request& req, http::Response& res) {
    ServeFile(o.web_root, {req.PathParam("a"), req.PathParam("b")}, false, res);
  });
  server.Route("GET", "/vendor/bootstrap/{a}/{b}", [&o](http::Request& req, http::Response& res) {
    ServeFile(o.bootstrap_dir, {req.PathParam("a"), req.PathParam("b")}, true, res);
  });
  server.Route("GET", "/vendor/chart.js/{a}", [&o](http::Request& req, http::Response& res) {
    ServeFile(o.chartjs_dir, {req.PathParam("a")}, true, res);
  });
}

}  // namespace gureum::dashboard
