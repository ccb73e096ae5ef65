// The AMQP handler of the `scheduler` queue: decodes a Cast (compute_casts.proto) and
// hands its ScheduleRequest to the Scheduler. Other casts, and bodies that do not parse,
// are logged and acked (retrying cannot fix them). An error from the Scheduler
// (database or broker unavailable) is returned, so the consumer retries the message.
#pragma once

#include "absl/status/status.h"
#include "common/amqp/bus.h"
#include "scheduler/scheduler_manager.h"

namespace gureum::scheduler {

class SchedulerHandler {
 public:
  explicit SchedulerHandler(Scheduler& scheduler) : scheduler_(scheduler) {}
  absl::Status Handle(const amqp::Message& message);

 private:
  Scheduler& scheduler_;
};

}  // namespace gureum::scheduler
