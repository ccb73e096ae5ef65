// The AMQP handler of the `scheduler` queue: decodes a Cast (compute_casts.proto) and
// hands its ScheduleRequest to the Scheduler. Other casts, and bodies that do not parse,
// are logged and acked (retrying cannot fix them).
//
// A transient error from the Scheduler (database, broker or compute-api unavailable) is
// retried here with backoff for up to `retry_for` before it is returned: the consumer's
// own retries are immediate and end in the dead-letter queue after a few attempts, which
// would leave the instance in `scheduling` for good after a short outage.
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"
#include "scheduler/scheduler_manager.h"

namespace gureum::scheduler {

class SchedulerHandler {
 public:
  // `clock` times the retries (an outage of a real peer: the real clock in the service).
  SchedulerHandler(Scheduler& scheduler, const Clock& clock,
                   absl::Duration retry_for = absl::Seconds(30))
      : scheduler_(scheduler), clock_(clock), retry_for_(retry_for) {}
  absl::Status Handle(const amqp::Message& message);

 private:
  Scheduler& scheduler_;
  const Clock& clock_;
  const absl::Duration retry_for_;
};

}  // namespace gureum::scheduler
