#include "scheduler/scheduler_handler.h"

#include <spdlog/spdlog.h>

namespace gureum::scheduler {

absl::Status SchedulerHandler::Handle(const amqp::Message& message) {
  gureum::compute::v1::Cast cast;
  if (!cast.ParseFromString(message.body)) {
    spdlog::error("scheduler queue: a message of {} bytes is not a Cast: dropped",
                  message.body.size());
    return absl::OkStatus();
  }
  if (!cast.has_schedule()) {
    spdlog::error("scheduler queue: unexpected cast (kind {}): dropped",
                  static_cast<int>(cast.kind_case()));
    return absl::OkStatus();
  }
  absl::StatusOr<Outcome> outcome = scheduler_.Schedule(cast.schedule());
  if (!outcome.ok()) {
    spdlog::warn("scheduling instance {} failed for now (will retry): {}",
                 cast.schedule().spec().uuid(), outcome.status().ToString());
  }
  return outcome.status();
}

}  // namespace gureum::scheduler
