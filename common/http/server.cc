// The event-driven HTTP/1.1 server on Boost.Asio (Beast parses). A pool of `threads`
// threads runs one io_context: every connection waits for its next request, its head and
// a buffered body with asynchronous operations under deadlines, holding no thread; the
// thread that completes a request runs its handler right there (no hand-off, which on a
// small machine costs more than the parsing), answers with a direct non-blocking send,
// and goes back to the pool. Each connection's operations run on a strand of its own,
// so Stop() can reach a connection without racing its handler. While a handler runs the
// connection is its own: a streamed body is read or written on the socket directly,
// each wait bounded by poll().
#include "common/http/server.h"

#include <boost/beast/core.hpp>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "absl/strings/str_cat.h"
#include "common/http/server_internal.h"

namespace gureum::http {

namespace beast = boost::beast;

// ---- Server::Impl ----

absl::StatusOr<int> Server::Impl::Listen(tcp::acceptor& acceptor, const std::string& host,
                                         int port) {
  auto fail = [&](const beast::error_code& ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", host, ":", port, " (", ec.message(), ")"));
  };
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty()) return fail(ec);
  tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  // SO_REUSEADDR only, never SO_REUSEPORT: a second server on a port in use is an error.
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  acceptor.bind(endpoint, ec);
  if (ec) return fail(ec);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  return static_cast<int>(acceptor.local_endpoint().port());
}

void Server::Impl::Accept(tcp::acceptor& acceptor, bool metrics_only) {
  acceptor.async_accept(asio::make_strand(io), [this, &acceptor, metrics_only](beast::error_code ec,
                                                                               tcp::socket socket) {
    if (stopping || !acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors and the like: try again shortly instead of spinning.
      spdlog::warn("HTTP accept failed: {}", ec.message());
      auto timer =
          std::make_shared<asio::steady_timer>(accept_strand, std::chrono::milliseconds(50));
      timer->async_wait([this, &acceptor, metrics_only, timer](beast::error_code) {
        if (!stopping) Accept(acceptor, metrics_only);
      });
      return;
    }
    beast::error_code ignored;
    const std::string client = socket.remote_endpoint(ignored).address().to_string();
    if (!Admit(client)) {
      // Above a cap: a short 503 if the socket takes it at once, then close.
      static const std::string kBusy = [] {
        std::string body = R"({"error":{"code":503,"message":"Too many connections."}})";
        return absl::StrCat(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
            "application/json\r\nContent-Length: ",
            body.size(), "\r\nConnection: close\r\n\r\n", body);
      }();
      (void)::send(socket.native_handle(), kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true), ignored);
      auto connection =
          server_internal::NewConnection(*this, std::move(socket), client, metrics_only);
      {
        std::lock_guard<std::mutex> lock(mu);
        connections[connection.get()] = connection;
      }
      connection->Start();
    }
    Accept(acceptor, metrics_only);
  });
}

bool Server::Impl::Admit(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu);
  int& mine = per_client[client];
  if (total >= static_cast<size_t>(options.max_connections) ||
      mine >= options.max_connections_per_client) {
    if (mine == 0) per_client.erase(client);
    spdlog::warn("HTTP connection from {} refused: {} open from it, {} in total", client, mine,
                 total);
    return false;
  }
  ++mine;
  ++total;
  return true;
}

void Server::Impl::Release(server_internal::ConnectionHandle* connection,
                           const std::string& client) {
  std::lock_guard<std::mutex> lock(mu);
  connections.erase(connection);
  auto it = per_client.find(client);
  if (it != per_client.end() && --it->second <= 0) per_client.erase(it);
  --total;
  closed.notify_all();
}

template <class Fn>
void Server::Impl::ForEachConnection(Fn fn) {
  std::vector<std::weak_ptr<server_internal::ConnectionHandle>> all;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [ptr, weak] : connections) all.push_back(weak);
  }
  for (const auto& weak : all) {
    if (auto connection = weak.lock()) {
      asio::post(connection->executor(), [connection, fn] { fn(*connection); });
    }
  }
}

// ---- Server ----

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { Stop(); }

void Server::Route(const std::string& method, const std::string& pattern, Handler handler,
                   RouteOptions options) {
  if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" &&
      method != "DELETE" && method != "HEAD" && method != "COPY") {
    std::abort();  // a route with an unknown method is a programming error
  }
  impl_->router.Add(method, pattern, std::move(handler), options);
}

absl::StatusOr<int> Server::Start() {
  Impl& s = *impl_;
  s.api_acceptor.emplace(s.accept_strand);
  absl::StatusOr<int> port = s.Listen(*s.api_acceptor, s.options.host, s.options.port);
  if (!port.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", s.options.host, ":",
                                               s.options.port, " (address in use?)"));
  }
  if (s.options.metrics != nullptr && s.options.metrics_port >= 0) {
    s.metrics_acceptor.emplace(s.accept_strand);
    absl::StatusOr<int> mport =
        s.Listen(*s.metrics_acceptor, s.options.metrics_host, s.options.metrics_port);
    if (!mport.ok()) return mport.status();
    s.bound_metrics_port = *mport;
  }
  s.work.emplace(s.io.get_executor());
  asio::post(s.accept_strand, [&s] {
    s.Accept(*s.api_acceptor, false);
    if (s.metrics_acceptor) s.Accept(*s.metrics_acceptor, true);
  });
  s.started = true;
  for (int i = 0; i < std::max(1, s.options.threads); ++i) {
    s.threads.emplace_back([&s] { s.io.run(); });
  }
  spdlog::info("HTTP listening on {}:{}", s.options.host, *port);
  if (s.bound_metrics_port >= 0) {
    spdlog::info("metrics on http://{}:{}/metrics", s.options.metrics_host, s.bound_metrics_port);
  }
  return port;
}

void Server::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.started = false;
  s.stopping = true;
  asio::post(s.accept_strand, [&s] {
    beast::error_code ignored;
    if (s.api_acceptor) s.api_acceptor->close(ignored);
    if (s.metrics_acceptor) s.metrics_acceptor->close(ignored);
  });
  s.ForEachConnection([](server_internal::ConnectionHandle& c) { c.CloseIfIdle(); });
  {
    std::unique_lock<std::mutex> lock(s.mu);
    s.closed.wait_for(lock, s.options.shutdown_grace, [&s] { return s.total == 0; });
  }
  // Past the grace period: whatever is left is cut off (a handler still running keeps
  // its thread until it returns).
  s.ForEachConnection([](server_internal::ConnectionHandle& c) { c.Close(); });
  {
    std::unique_lock<std::mutex> lock(s.mu);
    s.closed.wait_for(lock, std::chrono::seconds(1), [&s] { return s.total == 0; });
  }
  s.work.reset();
  s.io.stop();
  for (std::thread& t : s.threads) t.join();
  s.threads.clear();
  // The posted close above may not have run if the threads stopped first: close here too
  // (no thread runs now), so the port is free when Stop returns.
  beast::error_code ignored;
  if (s.api_acceptor) s.api_acceptor->close(ignored);
  if (s.metrics_acceptor) s.metrics_acceptor->close(ignored);
}

int Server::metrics_port() const { return impl_->bound_metrics_port; }

}  // namespace gureum::http
