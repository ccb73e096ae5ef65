#include "block-storage/agent/volume_reporter.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "block-storage/agent/volume_handler.h"

namespace gureum::volume_agent {

absl::Status VolumeReporter::ReportOnce() {
  absl::Status first;
  for (pb::BackendReport& backend : manager_.BackendReports(options_.availability_zone)) {
    pb::AgentReport report;
    *report.mutable_backend() = std::move(backend);
    absl::Status s = bus_.Cast(options_.report_queue, ReportMessage(report));
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

void VolumeReporter::Run(const absl::Notification& stopping) {
  // Waits in short steps on the clock, so a stop is seen soon and a fake clock drives it.
  constexpr absl::Duration kStep = absl::Milliseconds(200);
  while (!stopping.HasBeenNotified()) {
    if (absl::Status s = ReportOnce(); !s.ok()) spdlog::warn("backend report: {}", s.ToString());
    absl::Time next = clock_.Now() + options_.interval;
    while (!stopping.HasBeenNotified() && clock_.Now() < next) {
      clock_.SleepFor(std::min(kStep, next - clock_.Now()));
    }
  }
}

}  // namespace gureum::volume_agent
