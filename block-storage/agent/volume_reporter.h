// The agent's heartbeat: a BackendReport per backend (capacity, the ids it holds) cast to
// the API's queue at start and every interval, timed on the injected Clock.
#pragma once

#include <string>

#include "absl/synchronization/notification.h"
#include "block-storage/agent/volume_agent_manager.h"
#include "common/amqp/bus.h"
#include "common/base/clock.h"

namespace gureum::volume_agent {

struct VolumeReporterOptions {
  std::string availability_zone = "nova";
  std::string report_queue = "block-storage";
  absl::Duration interval = absl::Seconds(10);
};

class VolumeReporter {
 public:
  VolumeReporter(VolumeAgentManager& manager, amqp::Bus& bus, const Clock& clock,
                 VolumeReporterOptions options)
      : manager_(manager), bus_(bus), clock_(clock), options_(std::move(options)) {}

  // One round of reports; the first error (the rest are still sent).
  absl::Status ReportOnce();
  // ReportOnce now and every interval until `stopping` is notified.
  void Run(const absl::Notification& stopping);

 private:
  VolumeAgentManager& manager_;
  amqp::Bus& bus_;
  const Clock& clock_;
  const VolumeReporterOptions options_;
};

}  // namespace gureum::volume_agent
