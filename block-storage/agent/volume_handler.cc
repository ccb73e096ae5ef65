#include "block-storage/agent/volume_handler.h"

#include <spdlog/spdlog.h>

namespace gureum::volume_agent {

amqp::Message ReportMessage(const pb::AgentReport& report) {
  amqp::Message m;
  report.SerializeToString(&m.body);
  m.content_type = "application/x-protobuf";
  return m;
}

absl::Status VolumeHandler::Handle(const amqp::Message& message) {
  pb::VolumeCast cast;
  if (!cast.ParseFromString(message.body) || cast.op_case() == pb::VolumeCast::OP_NOT_SET) {
    spdlog::error("dropping a message that is not a VolumeCast ({} bytes, attempt {})",
                  message.body.size(), message.attempt);
    return absl::OkStatus();
  }
  CastOutcome outcome = manager_.Handle(cast);
  if (outcome.transient && message.attempt < options_.max_attempts) {
    return absl::UnavailableError("transient failure: the cast is tried again");
  }
  return bus_.Cast(options_.report_queue, ReportMessage(outcome.report));
}

}  // namespace gureum::volume_agent
