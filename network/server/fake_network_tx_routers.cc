// FakeTx: routers and their scheduling onto l3 agents.
#include "common/status/macros.h"
#include "network/server/fake_network_tx.h"

namespace gureum::network::fake_internal {

absl::StatusOr<std::optional<Router>> FakeTx::GetRouter(const std::string& id) {
  auto it = t_.routers.find(id);
  if (it == t_.routers.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<Router>> FakeTx::ListRouters(const std::string& project,
                                                        const Filters& f) {
  std::vector<Router> out;
  for (const auto& [id, r] : t_.routers) {
    if (!project.empty() && r.project_id != project) continue;
    if (!Passes(f, "id", r.id) || !Passes(f, "name", r.name) ||
        !Passes(f, "project_id", r.project_id) || !Passes(f, "tenant_id", r.project_id))
      continue;
    out.push_back(r);
  }
  std::sort(out.begin(), out.end(), Earlier<Router>);
  return out;
}

absl::StatusOr<std::vector<Router>> FakeTx::RoutersOn(const std::string& host) {
  std::vector<Router> out;
  for (const auto& [id, r] : t_.routers) {  // by id
    if (r.host == host) out.push_back(r);
  }
  return out;
}

absl::Status FakeTx::InsertRouter(const Router& router) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (!router.gateway_network_id.empty() && !t_.networks.count(router.gateway_network_id))
    return absl::FailedPreconditionError("network " + router.gateway_network_id);
  if (t_.routers.count(router.id)) return absl::AlreadyExistsError("router " + router.id);
  Router row = router;
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.routers[router.id] = row;
  return absl::OkStatus();
}

absl::Status FakeTx::UpdateRouter(const Router& router, absl::Time at) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.routers.find(router.id);
  if (it == t_.routers.end()) return absl::OkStatus();
  Router& row = it->second;
  row.name = router.name;
  row.description = router.description;
  row.admin_state_up = router.admin_state_up;
  row.routes = router.routes;
  row.tags = router.tags;
  row.stamps.updated_at = at;
  ++row.stamps.revision_number;
  return absl::OkStatus();
}

absl::Status FakeTx::SetRouterGateway(const std::string& id, const std::string& network_id,
                                      bool enable_snat) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.routers.find(id);
  if (it == t_.routers.end()) return absl::OkStatus();
  if (!network_id.empty() && !t_.networks.count(network_id))
    return absl::FailedPreconditionError("network " + network_id);
  it->second.gateway_network_id = network_id;
  if (!network_id.empty()) it->second.enable_snat = enable_snat;
  return absl::OkStatus();
}

absl::Status FakeTx::SetRouterHost(const std::string& id, const std::string& host) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.routers.find(id);
  if (it != t_.routers.end()) it->second.host = host;
  return absl::OkStatus();
}

absl::Status FakeTx::DeleteRouter(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  t_.routers.erase(id);
  return absl::OkStatus();
}

absl::StatusOr<bool> FakeTx::RouterHasFloatingIps(const std::string& id) {
  for (const auto& [fid, f] : t_.floating_ips) {
    if (f.router_id == id) return true;
  }
  return false;
}

bool FakeTx::LiveL3(const Agent& a, absl::Time alive_after) {
  return a.l3 && a.admin_state_up && a.heartbeat_at > alive_after;
}

absl::StatusOr<std::optional<Agent>> FakeTx::PickL3Agent(absl::Time alive_after) {
  std::optional<Agent> best;
  size_t best_load = 0;
  for (const auto& [host, a] : t_.agents) {  // by host: the first among equals wins
    if (!LiveL3(a, alive_after)) continue;
    size_t load = 0;
    for (const auto& [id, r] : t_.routers) load += r.host == host;
    if (!best || load < best_load) {
      best = a;
      best_load = load;
    }
  }
  return best;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> FakeTx::ReleaseDeadRouters(
    const std::string& keep, absl::Time alive_after) {
  GUREUM_RETURN_IF_ERROR(Writable());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [id, r] : t_.routers) {
    if (r.host.empty() || r.host == keep) continue;
    auto agent = t_.agents.find(r.host);
    if (agent != t_.agents.end() && LiveL3(agent->second, alive_after)) continue;
    out.emplace_back(id, r.host);
    r.host.clear();
  }
  return out;
}

}  // namespace gureum::network::fake_internal
