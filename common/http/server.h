// The REST server behind every OpenStack-compatible API (Keystone v3, Nova v2.1, ...),
// built on cpp-httplib. It adds what every Gureum API needs on top of the library:
// routes with named parameters ("/v3/projects/{project_id}"), the request id
// (X-Openstack-Request-Id in and out), JSON error bodies in the API's OpenStack
// envelope for every failure (404 for unknown routes, 405, 413 for oversized bodies),
// keep-alive, streaming bodies for large uploads and downloads, per-route metrics, and
// /metrics + /healthz.
//
// Handlers run on the server's worker threads and may block (SQL, gRPC calls).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "common/http/request.h"
#include "common/metrics/metrics.h"
#include "common/status/status.h"

namespace httplib {
class Server;
}

namespace gureum::http {

using Handler = std::function<void(Request&, Response&)>;

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 0;  // 0 picks a free port
  int threads = 16;
  size_t max_body_bytes = 1 << 20;           // buffered (JSON) bodies; larger -> 413
  size_t max_stream_bytes = 1ull << 40;      // streamed bodies
  ErrorStyle error_style = ErrorStyle::kPlain;
  metrics::Metrics* metrics = nullptr;        // may be null; then /metrics is 404
};

struct RouteOptions {
  bool stream_body = false;  // the handler reads the body with Request::ReadBody
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers a route. `pattern` segments in braces are parameters; method is GET, POST,
  // PUT, PATCH, DELETE or HEAD (GET routes also answer HEAD). Register before Start().
  void Route(const std::string& method, const std::string& pattern, Handler handler,
             RouteOptions options = {});

  // Binds and starts serving on a background thread; returns the bound port.
  absl::StatusOr<int> Start();
  // Stops accepting and waits for the serving thread. Idempotent.
  void Stop();

 private:
  struct RouteEntry;
  void Dispatch(const RouteEntry& route, const void* raw_req, void* raw_res,
                const void* content_reader);

  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::vector<std::unique_ptr<RouteEntry>> routes_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace gureum::http
