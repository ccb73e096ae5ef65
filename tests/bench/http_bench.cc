// common/http's server alone (issue 16): GET of a small JSON document at concurrency 8
// over keep-alive loopback connections (cpp-httplib clients), with and without
// --slow-connections N clients trickling request heads at the same server. The handler
// does next to nothing, so the figure is the HTTP layer's own cost (client included);
// identity_bench shows it under a real handler.
#include <httplib.h>

#include <chrono>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "common/http/server.h"
#include "common/log/log.h"
#include "tests/bench/harness.h"
#include "tests/bench/slow_clients.h"

namespace gureum {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"common/http server benchmark"};
  long long requests = 100000;
  int concurrency = 8;
  int slow_connections = 0;
  int slow_interval_ms = 1000;
  app.add_option("--requests", requests, "Requests per row");
  app.add_option("--concurrency", concurrency, "Client threads, one keep-alive connection each");
  app.add_option("--slow-connections", slow_connections,
                 "Also run while this many slow clients trickle request heads (loopback)");
  app.add_option("--slow-interval-ms", slow_interval_ms, "A slow client sends one byte this often");
  CLI11_PARSE(app, argc, argv);
  (void)log::Init({.service = "http_bench", .level = "warn"});

  http::ServerOptions options;
  options.host = "127.0.0.1";
  http::Server server(options);
  server.Route("GET", "/v3/projects/{project_id}", [](http::Request& req, http::Response& res) {
    res.Json(200, {{"project",
                    {{"id", req.PathParam("project_id")},
                     {"name", "demo"},
                     {"domain_id", "default"},
                     {"enabled", true}}}});
  });
  auto port = server.Start();
  if (!port.ok()) return (std::cerr << port.status() << "\n", 1);

  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < concurrency; ++i) {
    clients.push_back(std::make_unique<httplib::Client>("127.0.0.1", *port));
    clients.back()->set_keep_alive(true);
    clients.back()->set_read_timeout(5, 0);  // a stalled server shows as errors
  }
  auto call = [&](int t) {
    auto r = clients[t]->Get("/v3/projects/p1", {{"X-Auth-Token", "t"}});
    return r && r->status == 200 ? absl::OkStatus()
                                 : absl::InternalError(r ? std::to_string(r->status) : "no answer");
  };
  std::vector<bench::Row> rows;
  rows.push_back(bench::RunClosedLoop("GET small JSON", requests, concurrency, call, ""));
  std::string summary;
  if (slow_connections > 0) {
    bench::SlowClients slow({.port = *port,
                             .connections = slow_connections,
                             .byte_interval = std::chrono::milliseconds(slow_interval_ms),
                             .max_duration = std::chrono::seconds(600)});
    slow.WaitUntilOpen();
    // New connections, as clients that arrive during an attack have: a server with a
    // thread per connection serves the ones it had before and queues these.
    for (auto& c : clients) {
      c = std::make_unique<httplib::Client>("127.0.0.1", *port);
      c->set_keep_alive(true);
      c->set_read_timeout(5, 0);
    }
    rows.push_back(
        bench::RunClosedLoop(absl::StrCat("GET small JSON + ", slow_connections, " slow conns"),
                             requests, concurrency, call, "same as without"));
    slow.Stop();
    summary = slow.Summary();
  }
  bench::PrintTable("common/http: server alone (client and server on the same 2 cores)", rows);
  if (!summary.empty()) std::cout << summary << "\n";
  server.Stop();
  return 0;
}

}  // namespace
}  // namespace gureum

int main(int argc, char** argv) { return gureum::Main(argc, argv); }
