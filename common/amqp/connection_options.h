// Where and how to reach RabbitMQ, parsed from the URL in the service configuration
// (amqp://user:pass@host:port/vhost, vhost percent-encoded: %2f is "/").
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gureum::amqp {

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  int port = 5672;
  std::string user = "guest";
  std::string password = "guest";
  std::string vhost = "/";

  absl::Duration connect_timeout = absl::Seconds(5);  // TCP connect, handshake, each RPC
  // AMQP heartbeat, so a consumer notices a dead peer; 0 turns it off.
  absl::Duration heartbeat = absl::Seconds(30);
  // Reconnect delays: initial_backoff, doubling up to max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // How long a Cast/Publish keeps retrying (reconnecting, republishing) before it
  // returns Unavailable. Long enough to ride out a broker restart.
  absl::Duration publish_timeout = absl::Seconds(30);
  // A confirm that does not arrive within this is treated as a broken connection.
  absl::Duration confirm_timeout = absl::Seconds(10);

  // "amqp://user:***@host:port/vhost": for logs, never shows the password.
  std::string ToString() const;
};

// Parses `url` (amqp:// only; TLS is not supported yet). InvalidArgument names the
// problem without echoing the password.
absl::StatusOr<ConnectionOptions> ParseUrl(absl::string_view url);

}  // namespace gureum::amqp
