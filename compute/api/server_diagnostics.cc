// ServerManager: a server's diagnostics, asked of its host's agent (a DIAGNOSTICS cast)
// and read back from what the conductor stored of the agent's answer.
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "compute/api/server_access.h"
#include "compute/api/server_manager.h"

namespace gureum::compute {

absl::StatusOr<std::map<std::string, int64_t>> ServerManager::GetDiagnostics(
    const RequestContext& ctx, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, id));
  GUREUM_RETURN_IF_ERROR(policy_.Enforce(ctx, "os_compute_api:os-server-diagnostics"));
  if (i.host.empty()) {
    return absl::FailedPreconditionError("Instance " + i.uuid + " is not ready: it has no host");
  }
  // The database keeps microseconds: an answer stamped in the same one still counts.
  const absl::Time asked = clock_.Now() - absl::Microseconds(1);
  GUREUM_RETURN_IF_ERROR(casts_.CastAction(ctx, i, v1::InstanceAction::DIAGNOSTICS, ""));
  const absl::Time deadline = asked + options_.diagnostics_timeout;
  while (clock_.Now() < deadline) {
    clock_.SleepFor(absl::Milliseconds(100));
    GUREUM_ASSIGN_OR_RETURN(Instance now, store_.GetInstance(id));
    if (!now.diagnostics_at || *now.diagnostics_at < asked) continue;
    if (now.diagnostics.empty()) {
      // Nova's InstanceInvalidState: only a running guest has statistics.
      return absl::FailedPreconditionError(
          absl::StrCat("Instance ", id, " in power state ", PowerStateName(now.power_state),
                       ". Cannot get_diagnostics while the instance is in this state."));
    }
    return now.diagnostics;
  }
  return absl::DeadlineExceededError("The diagnostics of instance " + id + " did not come from " +
                                     i.host + " in time");
}

}  // namespace gureum::compute
