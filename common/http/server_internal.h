// Inside common/http's server, shared by server.cc (listening, accepting, stopping) and
// connection.cc (one client connection: reading requests, running handlers, writing
// answers). Boost.Asio appears here and in those two files only: the public headers do
// not include it, so the REST adapters do not compile against Boost.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/http/router.h"
#include "common/http/server.h"

namespace gureum::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace server_internal {

// What the server needs of a connection: to close it when stopping. Its operations run on
// the connection's strand (executor()).
class ConnectionHandle {
 public:
  virtual ~ConnectionHandle() = default;
  // Begins reading requests (once, after the server has registered the connection).
  virtual void Start() = 0;
  virtual asio::any_io_executor executor() = 0;
  // Stop(): a connection between requests (or in the middle of a head) is closed now; one
  // with a request in flight finishes it and closes after the response.
  virtual void CloseIfIdle() = 0;
  virtual void Close() = 0;
};

}  // namespace server_internal

class Server::Impl {
 public:
  explicit Impl(ServerOptions o) : options(std::move(o)), io(std::max(1, options.threads)) {}

  absl::StatusOr<int> Listen(tcp::acceptor& acceptor, const std::string& host, int port);
  void Accept(tcp::acceptor& acceptor, bool metrics_only);
  // Counts a new connection from `client`; false when a cap is reached.
  bool Admit(const std::string& client);
  void Release(server_internal::ConnectionHandle* connection, const std::string& client);
  // Runs `fn` on every open connection, on its strand.
  template <class Fn>
  void ForEachConnection(Fn fn);
  size_t OpenConnections() {
    std::lock_guard<std::mutex> lock(mu);
    return total;
  }

  ServerOptions options;
  Router router;
  std::atomic<bool> stopping{false};
  bool started = false;
  int bound_metrics_port = -1;

  // Open connections, by address and in total. Connections are destroyed on any thread.
  std::mutex mu;
  std::condition_variable closed;
  std::unordered_map<server_internal::ConnectionHandle*,
                     std::weak_ptr<server_internal::ConnectionHandle>>
      connections;
  absl::flat_hash_map<std::string, int> per_client;
  size_t total = 0;

  // Declared after what the connections use: destroying the I/O context destroys the
  // handlers still queued on it, and with them their connections.
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  asio::strand<asio::io_context::executor_type> accept_strand = asio::make_strand(io);
  std::optional<tcp::acceptor> api_acceptor;
  std::optional<tcp::acceptor> metrics_acceptor;
  std::vector<std::thread> threads;
};

namespace server_internal {

// A connection for `socket` (admitted by Server::Impl::Admit), not started yet; it calls
// Release when it ends.
std::shared_ptr<ConnectionHandle> NewConnection(Server::Impl& server, tcp::socket socket,
                                                std::string client, bool metrics_only);

}  // namespace server_internal
}  // namespace gureum::http
