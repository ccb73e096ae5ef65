// The RabbitMQ implementation of Bus: persistent messages on a confirm-mode channel.
//
// One connection serves every thread. Callers publish under a lock and then wait for
// their confirms together: one waiting caller at a time reads the socket (without the
// lock while it waits for input), so many concurrent Casts share each round trip to the
// broker. That is what makes confirmed casts fast without giving up "OK means stored".
//
// When the connection breaks (broker restart, network), the next caller reconnects,
// waiting initial_backoff doubling to max_backoff between attempts, and every
// unconfirmed message is published again on the new connection. A message can thus
// arrive twice, never be lost once confirmed. Timeouts guard real network I/O, so they
// use the real clock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/backoff.h"
#include "common/amqp/bus.h"
#include "common/amqp/connection_options.h"

namespace gureum::amqp {

namespace internal {
class Connection;
}

class Publisher final : public Bus {
 public:
  // Does not connect yet: the first call does, so a service can start before RabbitMQ.
  static absl::StatusOr<std::unique_ptr<Publisher>> Create(const ConnectionOptions& options);
  ~Publisher() override;

  absl::Status Cast(const std::string& queue, const Message& message) override;
  absl::Status CastBatch(const std::string& queue, const std::vector<Message>& messages) override;
  absl::Status DeclareExchange(const std::string& exchange, ExchangeType type) override;
  absl::Status Publish(const std::string& exchange, const std::string& routing_key,
                       const Message& message) override;

  // Deletes a queue and its messages; for tests and administration, not for services.
  absl::Status DeleteQueue(const std::string& queue);

 private:
  struct Outgoing {
    const std::string* exchange;
    const std::string* routing_key;
    const Message* message;
  };

  explicit Publisher(const ConnectionOptions& options);
  // Publishes `items` (after declaring `queue` unless empty) and waits for all confirms.
  absl::Status Send(const std::string& queue, const std::vector<Outgoing>& items);
  // Runs `op` on a healthy connection, reconnecting as needed, until the deadline.
  absl::Status WithConnection(const std::function<absl::Status(internal::Connection&)>& op);
  absl::Status EnsureConnectedLocked(absl::Time deadline) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ResetLocked(const absl::Status& why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads confirms as the one reader, or waits for the reader; returns with mu_ held.
  // Reads confirms, or, while another caller reads them, waits until `settled` holds
  // (this caller's messages are confirmed or must go again) or the reader leaves.
  void AwaitConfirmsLocked(const std::function<bool()>& settled) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ConnectionOptions options_;
  absl::Mutex mu_;
  absl::CondVar cv_;
  std::unique_ptr<internal::Connection> conn_ ABSL_GUARDED_BY(mu_);
  // Bumped for every new connection; publish tags are only meaningful within one.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_tag_ ABSL_GUARDED_BY(mu_) = 0;
  std::set<uint64_t> unconfirmed_ ABSL_GUARDED_BY(mu_);
  std::set<uint64_t> nacked_ ABSL_GUARDED_BY(mu_);
  absl::Time last_progress_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> declared_queues_ ABSL_GUARDED_BY(mu_);  // on this connection
  std::map<std::string, ExchangeType> exchanges_ ABSL_GUARDED_BY(mu_);
  Backoff backoff_ ABSL_GUARDED_BY(mu_);
  absl::Time next_connect_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::amqp
