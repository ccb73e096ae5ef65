// Live updates for open pages: the AMQP consumer of the `notifications` topic exchange
// hands every notification body to Publish; each open event stream (GET /api/events)
// holds a Subscription for its session's project and receives only the events whose
// payload.tenant_id is that project. Thread-safe.
//
// A subscriber that falls behind loses its oldest events (at most kQueueLimit are kept):
// a page that misses an event shows the state of its last fetch until the next event or
// reload, never blocks the consumer or other pages.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include "dashboard/model.h"

namespace gureum::dashboard {

// The event in a notification body (common/amqp/notifier.h's shape); InvalidArgument for
// a body that is not such a notification or whose payload lacks tenant_id.
absl::StatusOr<Event> ParseNotification(const std::string& body);

// One Server-Sent Events frame: "event: <type>\ndata: <payload JSON>\n\n".
std::string SseFrame(const Event& event);

class EventHub {
 public:
  static constexpr size_t kQueueLimit = 256;

  class Subscription {
   public:
    explicit Subscription(std::string project_id) : project_id_(std::move(project_id)) {}
    const std::string& project_id() const { return project_id_; }
    // The next event, or nullopt after `timeout` without one. Waits on a condition
    // with a deadline (real time: Clock has no condition wait; the caller's timeout
    // only paces heartbeats).
    std::optional<Event> Next(absl::Duration timeout);
    void Push(const Event& event);

   private:
    const std::string project_id_;
    absl::Mutex mu_;
    std::deque<Event> queue_ ABSL_GUARDED_BY(mu_);
  };

  // Dispatches one notification; always OK (a body that is not one is logged and dropped,
  // never retried).
  absl::Status Publish(const std::string& body);
  void Dispatch(const Event& event);

  // A subscription for `project_id`'s events; it ends when the caller drops it.
  std::shared_ptr<Subscription> Subscribe(const std::string& project_id);
  size_t subscribers() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::weak_ptr<Subscription>> subscriptions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::dashboard
