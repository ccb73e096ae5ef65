// The AMQP side of the agent: each message on compute.<host> is a binary `Cast`
// (compute_casts.proto) handed to ComputeManager. A body that does not parse is logged
// and acknowledged (retrying cannot fix it); an error from the manager makes the consumer
// retry the message (the handlers are idempotent).
#pragma once

#include "common/amqp/bus.h"
#include "compute/agent/compute_manager.h"

namespace gureum::compute_agent {

absl::Status HandleComputeMessage(ComputeManager& manager, const amqp::Message& message);

}  // namespace gureum::compute_agent
