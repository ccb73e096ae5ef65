// The supervisor's state file (<state-dir>/supervisor.json) and the status table that
// `gureum-deploy status` prints from it. The supervisor rewrites the file (atomically,
// by rename) whenever it wakes up; readers never talk to the supervisor itself.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "deploy/gureum-deploy/supervisor.h"

namespace gureum::deploy {

struct SupervisorState {
  int supervisor_pid = 0;
  absl::Time updated_at;
  std::vector<ServiceStatus> services;
};

std::string StateToJson(const SupervisorState& state);
absl::StatusOr<SupervisorState> StateFromJson(const std::string& json);

// Writes `state` to `path` through a temporary file and rename, so a reader never sees
// half a file.
absl::Status WriteStateFile(const std::string& path, const SupervisorState& state);
absl::StatusOr<SupervisorState> ReadStateFile(const std::string& path);

// A table with one row per service: SERVICE STATE PID RESTARTS UPTIME LAST-EXIT.
std::string FormatStatusTable(const SupervisorState& state, absl::Time now);

// "3d4h", "2h5m", "4m10s", "12s": the way people read an uptime.
std::string FormatUptime(absl::Duration d);

}  // namespace gureum::deploy
