#include "compute/api/soft_delete_reclaimer.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace gureum::compute {

SoftDeleteReclaimer::SoftDeleteReclaimer(ServerManager& servers, const Clock& clock,
                                         absl::Duration interval)
    : servers_(servers), clock_(clock), interval_(interval) {
  if (interval_ > absl::ZeroDuration()) thread_ = std::thread([this] { Run(); });
}

SoftDeleteReclaimer::~SoftDeleteReclaimer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void SoftDeleteReclaimer::Run() {
  while (!stop_) {
    // Slept in steps of at most a second, so that a stop does not wait the interval.
    const absl::Time until = clock_.Now() + interval_;
    while (!stop_ && clock_.Now() < until) {
      clock_.SleepFor(std::min(absl::Seconds(1), until - clock_.Now()));
    }
    if (stop_) break;
    absl::StatusOr<int> n = servers_.ReclaimSoftDeleted();
    if (!n.ok()) {
      spdlog::warn("reclaiming soft-deleted servers: {}", n.status().ToString());
    } else if (*n > 0) {
      spdlog::info("reclaimed {} soft-deleted server(s)", *n);
    }
  }
}

}  // namespace gureum::compute
