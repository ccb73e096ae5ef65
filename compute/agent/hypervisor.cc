#include "compute/agent/hypervisor.h"

namespace gureum::compute_agent {

const char* PowerStateName(PowerState state) {
  switch (state) {
    case PowerState::kRunning:
      return "running";
    case PowerState::kPaused:
      return "paused";
    case PowerState::kShutdown:
      return "shutdown";
    case PowerState::kCrashed:
      return "crashed";
    case PowerState::kSuspended:
      return "suspended";
    case PowerState::kNoState:
      break;
  }
  return "nostate";
}

}  // namespace gureum::compute_agent
