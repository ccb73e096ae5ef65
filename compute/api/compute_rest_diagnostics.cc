// GET /v2.1/servers/{id}/diagnostics (admins) over ServerManager::GetDiagnostics: Nova's
// 2.1 format, the libvirt statistics as named keys (the 2.48 standard format needs a
// microversion past kMaxMicroversion).
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

absl::Status ShowDiagnostics(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(auto stats,
                          call.managers().servers().GetDiagnostics(call.rc, call.Param("id")));
  json out = json::object();
  for (const auto& [name, value] : stats) out[name] = value;
  call.res.Json(200, out);
  return absl::OkStatus();
}

}  // namespace

void RegisterDiagnosticsRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/servers/{id}/diagnostics", ShowDiagnostics);
}

}  // namespace gureum::compute
