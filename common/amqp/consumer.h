// Consumes one queue from RabbitMQ and hands each message to a Handler, on a thread of
// its own. The guarantees a service builds on:
//
//  - A message is acked only after its handler returned OK, so work committed by the
//    handler is never lost, and a consumer that dies mid-message (crash, kill, lost
//    connection) gets it redelivered (to itself or another consumer, redelivered=true).
//  - A handler error republishes the message with attempt+1 (confirmed) and acks the
//    original; after max_attempts the message is rejected, and the broker dead-letters it
//    to `<queue>.dead` (exclusive queues have no dead-letter queue: it is dropped).
//  - When the connection drops (broker restart), the consumer reconnects with
//    exponential backoff and declares its queue, exchange and binding again.
//
// Messages are handled one at a time in arrival order per Consumer; run several
// Consumers on the same queue for parallel work. Handlers must be idempotent.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/backoff.h"
#include "common/amqp/bus.h"
#include "common/amqp/connection_options.h"
#include "common/amqp/publisher.h"

namespace gureum::amqp {

namespace internal {
class Connection;
struct Delivery;
}  // namespace internal

class Consumer {
 public:
  // InvalidArgument for inconsistent options. Does not connect: Start() does.
  static absl::StatusOr<std::unique_ptr<Consumer>> Create(const ConnectionOptions& connection,
                                                          const ConsumerOptions& options,
                                                          Handler handler);
  ~Consumer();  // Stop()
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Starts the consuming thread; it connects and keeps reconnecting until Stop().
  void Start();
  // True once the queue is declared, bound and consumed (again after a reconnect); false
  // if that did not happen within `timeout`. Publish to a fanout only after this.
  bool WaitUntilConsuming(absl::Duration timeout);
  // Waits for the handler in progress, then closes the connection; the broker requeues
  // messages it had pushed ahead and that were not handled yet. Idempotent.
  void Stop();

  // The queue consumed: options.queue, or the server-chosen name of an exclusive queue
  // (empty until first consuming).
  std::string queue() const;

 private:
  Consumer(const ConnectionOptions& connection, const ConsumerOptions& options, Handler handler,
           std::unique_ptr<Publisher> retry);
  void Run();
  absl::StatusOr<std::unique_ptr<internal::Connection>> Subscribe();
  // Runs the handler, then acks, retries or dead-letters. An error means the connection
  // broke.
  absl::Status Handle(internal::Connection& conn, const internal::Delivery& delivery);
  // Sends the ack (multiple) for the handled messages not acked yet.
  absl::Status FlushAcks(internal::Connection& conn);
  bool stopping() const;
  void SleepUnlessStopping(absl::Duration d);

  const ConnectionOptions connection_;
  const ConsumerOptions options_;
  const Handler handler_;
  // Republishes failed messages: a confirmed publish before the original is acked.
  const std::unique_ptr<Publisher> retry_;
  std::thread thread_;
  // Handled messages whose ack has not been sent (consuming thread only).
  struct PendingAcks {
    uint64_t tag = 0;
    int count = 0;
  } acks_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool consuming_ ABSL_GUARDED_BY(mu_) = false;
  std::string queue_ ABSL_GUARDED_BY(mu_);
};

// `count` consumers of the same queue (a service's workers), each started; the first that
// cannot be made is the error (InvalidArgument for inconsistent options).
absl::StatusOr<std::vector<std::unique_ptr<Consumer>>> StartConsumers(
    const ConnectionOptions& connection, const ConsumerOptions& options, int count,
    const Handler& handler);

}  // namespace gureum::amqp
