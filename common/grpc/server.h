// gRPC server bootstrap shared by every Gureum service: listens on the configured
// address (port 0 picks a free one), serves the standard grpc.health.v1 service, and
// shuts down gracefully: in-flight calls get `grace` to finish, then are cancelled.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gureum::grpcx {

struct ServerOptions {
  std::string listen_address = "0.0.0.0:0";  // host:port
  int max_message_bytes = 16 << 20;
  // Further integer channel arguments, e.g. {GRPC_ARG_HTTP2_BDP_PROBE, 0} to bound how
  // much a streaming client may have in flight (image uploads).
  std::vector<std::pair<std::string, int>> int_channel_args;
};

class Server {
 public:
  // Starts serving `services` (not owned; they must outlive the Server). Fails with
  // Unavailable if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                       const std::vector<grpc::Service*>& services);
  ~Server();

  int port() const { return port_; }
  // Marks the health service NOT_SERVING, then stops accepting calls and waits up to
  // `grace` for in-flight ones. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  Server(std::unique_ptr<grpc::Server> server, int port)
      : server_(std::move(server)), port_(port) {}
  std::unique_ptr<grpc::Server> server_;
  int port_;
  bool stopped_ = false;
};

}  // namespace gureum::grpcx
