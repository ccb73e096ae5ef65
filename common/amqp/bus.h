// The message bus seen by Gureum services: casts to durable work queues (`scheduler`,
// `compute.<host>`, `conductor`) and publications to exchanges (the fanout
// `identity.revocations`, the topic exchange `notifications`).
//
// Delivery is at least once: a Cast or Publish that returned OK has been confirmed by the
// broker and is stored (persistent message, durable queue), but it may arrive more than
// once, so handlers must be idempotent.
//
// Implementations: Publisher (publisher.h, RabbitMQ) and FakeBus (fake_bus.h, tests).
// Messages are consumed by Consumer (consumer.h) or FakeBus::Subscribe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gureum::amqp {

// AMQP header carrying how many times a message has been handed to a handler.
inline constexpr char kAttemptHeader[] = "x-gureum-attempt";
// Suffix of the queue that receives what a work queue dead-letters.
inline constexpr char kDeadSuffix[] = ".dead";

struct Message {
  std::string body;
  // Application headers (string values). The request id and attempt travel in their own
  // fields below, not here.
  std::map<std::string, std::string> headers;
  // Sent as the kRequestIdKey header; the consumer sets it as the handler thread's
  // request id (log::ScopedRequestId). Empty: the publisher's CurrentRequestId() is used.
  std::string request_id;
  // 1 for the first delivery; the consumer republishes a failed message with attempt+1.
  int attempt = 1;
  // Set on receipt: the broker delivered it before (a consumer died without acking).
  bool redelivered = false;
  std::string content_type = "application/json";
};

// Returns OK when the message was handled (the consumer then acks it). Any other status
// makes the consumer retry it, up to ConsumerOptions::max_attempts, then dead-letter it.
using Handler = std::function<absl::Status(const Message&)>;

enum class ExchangeType { kFanout, kTopic, kDirect };

// What a consumer reads. Either a work queue (`queue` set, `exchange` empty), or a queue
// bound to an exchange (`exchange` set): a named durable queue when `queue` is set, else
// a server-named exclusive queue that disappears with the consumer's connection.
struct ConsumerOptions {
  std::string queue;
  std::string exchange;
  ExchangeType exchange_type = ExchangeType::kFanout;
  std::string binding_key;  // topic pattern ("compute.#"); ignored for fanout
  int prefetch = 64;        // unacked messages the broker may push ahead (basic.qos)
  int max_attempts = 5;     // handler calls before the message is dead-lettered
};

// Thread-safe. Every call blocks until the broker confirmed the message(s) or gave up.
class Bus {
 public:
  virtual ~Bus() = default;

  // Sends `message` to the durable work queue `queue` (declared on first use, with
  // dead-lettering to `<queue>.dead`) as a persistent message. OK only after the broker
  // confirmed it; Unavailable when that did not happen before the publish deadline
  // (the message may still have arrived: at least once, never "at most once").
  virtual absl::Status Cast(const std::string& queue, const Message& message) = 0;

  // Cast of several messages with one wait for their confirms: the fast path for
  // bursts. OK only if all were confirmed.
  virtual absl::Status CastBatch(const std::string& queue,
                                 const std::vector<Message>& messages) = 0;

  // Declares a durable exchange (idempotent). Publish needs it first.
  virtual absl::Status DeclareExchange(const std::string& exchange, ExchangeType type) = 0;

  // Publishes a persistent message to `exchange` ("" is the default exchange, where the
  // routing key names a queue). FailedPrecondition if this Bus has not declared the
  // exchange. A message no queue is bound for is dropped by the broker, and still OK.
  virtual absl::Status Publish(const std::string& exchange, const std::string& routing_key,
                               const Message& message) = 0;
};

}  // namespace gureum::amqp
