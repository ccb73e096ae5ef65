// An in-memory Bus and consumer dispatch for unit tests of services: no broker, no
// threads. Messages wait in queues until the test calls DeliverAll(), which runs the
// subscribed handlers on the calling thread with the same rules as Consumer (request id
// set for the handler, retry with attempt+1, dead-lettering to `<queue>.dead` after
// max_attempts). Fault injection: FailNext() makes the next publish fail.
//
// Thread-safe; handlers may cast from inside DeliverAll().
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/amqp/bus.h"

namespace gureum::amqp {

class FakeBus final : public Bus {
 public:
  absl::Status Cast(const std::string& queue, const Message& message) override;
  absl::Status CastBatch(const std::string& queue, const std::vector<Message>& messages) override;
  absl::Status DeclareExchange(const std::string& exchange, ExchangeType type) override;
  absl::Status Publish(const std::string& exchange, const std::string& routing_key,
                       const Message& message) override;

  // The next Cast, CastBatch or Publish returns `status` and delivers nothing.
  void FailNext(absl::Status status);

  // Subscribes `handler` as Consumer would (declaring and binding the queue); returns the
  // queue name, server-style ("amq.gen-1") for an exclusive queue.
  std::string Subscribe(const ConsumerOptions& options, Handler handler);

  // Hands queued messages to the subscribed handlers until no subscribed queue holds any
  // (bounded, in case handlers keep casting to themselves). Returns the handler calls.
  int DeliverAll();

  // What waits in `queue` (e.g. "scheduler" or "scheduler.dead"), oldest first.
  std::vector<Message> Queued(const std::string& queue) const;

 private:
  struct Binding {
    std::string queue;
    std::string key;
  };
  struct Exchange {
    ExchangeType type;
    std::vector<Binding> bindings;
  };
  struct Subscription {
    ConsumerOptions options;
    std::string queue;
    Handler handler;
    bool exclusive = false;
  };

  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DeclareWorkQueueLocked(const std::string& queue) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RouteLocked(const std::string& exchange, const std::string& routing_key,
                   const Message& message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static Message Stamp(const Message& message);

  mutable absl::Mutex mu_;
  std::map<std::string, std::deque<Message>> queues_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Exchange> exchanges_ ABSL_GUARDED_BY(mu_);
  std::vector<Subscription> subscriptions_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> failures_ ABSL_GUARDED_BY(mu_);
  int next_queue_id_ ABSL_GUARDED_BY(mu_) = 0;
};

// Whether a topic `routing_key` matches `pattern` ("*" one word, "#" any number).
bool TopicMatches(const std::string& pattern, const std::string& routing_key);

}  // namespace gureum::amqp
