// One QMP command on a qemu(-storage-daemon) monitor socket: connect, negotiate
// capabilities, send the command, return its "return" value (events are skipped).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace gureum::volume_agent {

// Unavailable when the socket does not answer (no daemon, or it timed out); Internal with
// QMP's error description when the command failed.
absl::StatusOr<nlohmann::json> QmpCall(const std::string& socket_path, const std::string& command,
                                       const nlohmann::json& arguments, absl::Duration timeout,
                                       const Clock& clock);

}  // namespace gureum::volume_agent
