// The AMQP side of the agent: each message on volume.<host> is a binary VolumeCast
// (block_storage.proto) handed to VolumeAgentManager, whose AgentReport is cast to the API's
// queue. A body that does not parse, or names no operation, is logged and acknowledged
// (retrying cannot fix it). A transient failure is retried by the consumer (the casts are
// idempotent) until the last attempt, which reports it as an error, so the API never waits
// for a volume forever. A report that cannot be sent makes the consumer retry the cast.
#pragma once

#include <string>

#include "block-storage/agent/volume_agent_manager.h"
#include "common/amqp/bus.h"

namespace gureum::volume_agent {

struct VolumeHandlerOptions {
  std::string report_queue = "block-storage";
  int max_attempts = 5;  // the consumer's (amqp::ConsumerOptions::max_attempts)
};

class VolumeHandler {
 public:
  VolumeHandler(VolumeAgentManager& manager, amqp::Bus& bus, VolumeHandlerOptions options)
      : manager_(manager), bus_(bus), options_(std::move(options)) {}

  absl::Status Handle(const amqp::Message& message);

 private:
  VolumeAgentManager& manager_;
  amqp::Bus& bus_;
  const VolumeHandlerOptions options_;
};

// An AgentReport as the message the API's consumer reads.
amqp::Message ReportMessage(const pb::AgentReport& report);

}  // namespace gureum::volume_agent
