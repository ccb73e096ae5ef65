// Internal to common/amqp: one AMQP connection with one channel, in our words. This is
// the only place that touches rabbitmq-c (connection.cc); Publisher and Consumer build
// on it. Not thread-safe: the owner serializes every call (rabbitmq-c state is shared
// by reads and writes).
//
// Any error leaves the connection broken (healthy() false); the owner drops it and
// opens a new one. Channel-level errors are treated the same way, which keeps the
// recovery path single.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/amqp/bus.h"
#include "common/amqp/connection_options.h"

struct amqp_connection_state_t_;

namespace gureum::amqp::internal {

// A publisher confirm: the broker acked (stored) or nacked message `tag`, and with
// `multiple` every earlier unconfirmed one too.
struct Confirm {
  bool ack = true;
  uint64_t tag = 0;
  bool multiple = false;
};

struct Delivery {
  Message message;
  uint64_t delivery_tag = 0;
};

class Connection {
 public:
  // Connects, logs in and opens channel 1. Unavailable if the broker cannot be reached,
  // PermissionDenied for bad credentials.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool healthy() const { return healthy_; }

  // Puts the channel in confirm mode; publish tags then count from 1.
  absl::Status EnableConfirms();

  // Declares `queue` durable with dead-lettering to `<queue>.dead` (declared too). A
  // name ending in ".dead" is declared plain, so the same call serves both.
  absl::Status DeclareWorkQueue(const std::string& queue);
  absl::Status DeclareExchange(const std::string& exchange, ExchangeType type);
  // Declares the queue a ConsumerOptions with an exchange describes, binds it, and
  // returns its name (server-chosen for an exclusive queue).
  absl::StatusOr<std::string> DeclareBoundQueue(const ConsumerOptions& options);
  absl::Status DeleteQueue(const std::string& queue);

  // Sends a persistent message; does not wait for anything.
  absl::Status Publish(const std::string& exchange, const std::string& routing_key,
                       const Message& message);

  // Holds back (true) or sends (false) what Publish writes, so that several messages
  // leave in full TCP segments and the broker reads them together (TCP_CORK).
  void Cork(bool on);

  // The socket, to poll for input without holding the owner's lock.
  int fd() const;
  // Frames already read from the socket but not yet handled.
  bool HasBufferedInput() const;
  // Appends the confirms that can be read without blocking.
  absl::Status ReadConfirms(std::vector<Confirm>* out);

  // basic.qos + basic.consume on `queue` with manual acks.
  absl::Status Consume(const std::string& queue, int prefetch);
  // The next delivery, or nullopt if none came within `timeout`.
  absl::StatusOr<std::optional<Delivery>> NextDelivery(absl::Duration timeout);
  // Acks one delivery, or with `multiple` every unsettled one up to it.
  absl::Status Ack(uint64_t delivery_tag, bool multiple = false);
  // Nack of one delivery: requeued, or (requeue false) dead-lettered or dropped.
  absl::Status Reject(uint64_t delivery_tag, bool requeue);

 private:
  explicit Connection(amqp_connection_state_t_* conn) : conn_(conn) {}
  absl::Status CheckReply(const char* what);
  absl::Status Fail(absl::Status status);

  amqp_connection_state_t_* conn_;
  bool healthy_ = true;
  bool corked_ = false;
};

}  // namespace gureum::amqp::internal
