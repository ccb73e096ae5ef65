#include "compute/agent/compute_handler.h"

#include <spdlog/spdlog.h>

namespace gureum::compute_agent {

absl::Status HandleComputeMessage(ComputeManager& manager, const amqp::Message& message) {
  pb::Cast cast;
  if (!cast.ParseFromString(message.body)) {
    spdlog::error("dropping a message that is not a Cast ({} bytes, attempt {})",
                  message.body.size(), message.attempt);
    return absl::OkStatus();
  }
  absl::Status s = manager.Handle(cast);
  if (!s.ok()) spdlog::warn("cast not handled yet (attempt {}): {}", message.attempt, s.ToString());
  return s;
}

}  // namespace gureum::compute_agent
