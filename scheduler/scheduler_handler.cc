#include "scheduler/scheduler_handler.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/time/clock.h"

namespace gureum::scheduler {
namespace {

bool Transient(const absl::Status& s) {
  return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s) || absl::IsAborted(s) ||
         absl::IsResourceExhausted(s);
}

}  // namespace

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
  const absl::Time give_up = clock_.Now() + retry_for_;
  absl::Duration backoff = absl::Milliseconds(200);
  for (;;) {
    absl::StatusOr<Outcome> outcome = scheduler_.Schedule(cast.schedule());
    if (outcome.ok()) return absl::OkStatus();
    const absl::Status& s = outcome.status();
    if (!Transient(s) || clock_.Now() + backoff > give_up) {
      spdlog::warn("scheduling instance {} failed for now (the message is retried): {}",
                   cast.schedule().spec().uuid(), s.ToString());
      return s;
    }
    spdlog::info("scheduling instance {}: {}; trying again in {}", cast.schedule().spec().uuid(),
                 s.ToString(), absl::FormatDuration(backoff));
    clock_.SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

}  // namespace gureum::scheduler
