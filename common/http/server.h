// The REST server behind every OpenStack-compatible API (Keystone v3, Nova v2.1, ...),
// event-driven on Boost.Beast/Asio (confined to server.cc). It adds what every Gureum
// API needs: routes with named parameters ("/v3/projects/{project_id}"), the request id
// (X-Openstack-Request-Id in and out), JSON error bodies in the API's OpenStack envelope
// for every failure (400 for a path that is not UTF-8, 404 for unknown routes, 405, 413
// for oversized bodies), keep-alive and pipelining, streaming bodies for large uploads
// and downloads, per-route metrics, /healthz, and /metrics (on its own listener, or on
// the API port only when asked).
//
// Connections are held by one I/O thread without a thread each, so idle keep-alive
// connections and slow clients cost memory, not workers: the request head must arrive
// within head_timeout of its first byte, a body within body_timeout plus its size at
// body_min_bytes_per_second, an idle connection is closed after idle_timeout, and the
// number of connections is capped per client address and in total (503 above). A body
// shorter than its Content-Length never reaches a handler.
//
// Handlers run on a pool of `threads` workers and may block (SQL, gRPC calls).
// Stop() stops accepting, closes idle connections, lets in-flight requests finish within
// shutdown_grace and then closes the rest.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/http/request.h"
#include "common/http/router.h"
#include "common/metrics/metrics.h"
#include "common/status/status.h"

namespace gureum::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 0;  // 0 picks a free port
  int threads = 16;
  size_t max_body_bytes = 1 << 20;       // buffered (JSON) bodies; larger -> 413
  size_t max_stream_bytes = 1ull << 40;  // streamed bodies
  ErrorStyle error_style = ErrorStyle::kPlain;
  metrics::Metrics* metrics = nullptr;  // may be null; then no /metrics anywhere

  // /metrics is kept off the public API port unless asked for: either here (e.g. a
  // test, or an API port that is not public), or on a listener of its own.
  bool expose_metrics_on_api = false;
  std::string metrics_host = "127.0.0.1";
  int metrics_port = -1;  // -1: no metrics listener; 0 picks a free port

  // Slow and idle clients (see the header comment).
  std::chrono::milliseconds head_timeout{10000};   // the whole head, from its first byte
  std::chrono::milliseconds idle_timeout{15000};   // keep-alive: wait for the next request
  std::chrono::milliseconds body_timeout{10000};   // the body: this much ...
  size_t body_min_bytes_per_second = 16 * 1024;    // ... plus its size at this rate
  std::chrono::milliseconds write_timeout{60000};  // each write of a response
  std::chrono::milliseconds shutdown_grace{10000};
  int max_connections = 8192;
  int max_connections_per_client = 512;  // per remote address
  int max_requests_per_connection = 10000;
  size_t max_header_bytes = 64 * 1024;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers a route. `pattern` segments in braces are parameters; method is GET, POST,
  // PUT, PATCH, DELETE, HEAD or COPY (GET routes also answer HEAD; COPY is Swift's). Register
  // before Start().
  void Route(const std::string& method, const std::string& pattern, Handler handler,
             RouteOptions options = {});

  // Binds and starts serving on a background thread; returns the bound port.
  absl::StatusOr<int> Start();
  // Stops accepting, finishes in-flight requests (within shutdown_grace) and closes
  // every connection. Idempotent.
  void Stop();

  // The bound port of the metrics listener after Start(), or -1 when there is none.
  int metrics_port() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gureum::http
