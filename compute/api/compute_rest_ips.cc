// Nova REST: GET /v2.1/servers/{id}/ips and /ips/{network}, over ServerIpsManager. Each
// address is {"addr", "version"}, as Nova lists them there.
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
namespace {

json IpsJson(const std::vector<VifIp>& ips) {
  json list = json::array();
  for (const VifIp& ip : ips) list.push_back({{"addr", ip.address}, {"version", ip.version}});
  return list;
}

absl::Status ListIps(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(AddressesByNetwork all,
                          call.managers().ips().List(call.rc, call.Param("id")));
  json addresses = json::object();
  for (const auto& [network, ips] : all) addresses[network] = IpsJson(ips);
  call.res.Json(200, {{"addresses", addresses}});
  return absl::OkStatus();
}

absl::Status ShowIps(Call& call) {
  const std::string network = call.Param("network");
  GUREUM_ASSIGN_OR_RETURN(std::vector<VifIp> ips,
                          call.managers().ips().Get(call.rc, call.Param("id"), network));
  call.res.Json(200, {{network, IpsJson(ips)}});
  return absl::OkStatus();
}

}  // namespace

void RegisterServerIpsRoutes(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/servers/{id}/ips", ListIps);
  routes.Add("GET", "/v2.1/servers/{id}/ips/{network}", ShowIps);
}

}  // namespace gureum::compute
