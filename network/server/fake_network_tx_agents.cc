// FakeTx: quotas, floating IPs, agents and DHCP bindings.
#include <set>

#include "common/status/macros.h"
#include "network/server/fake_network_tx.h"

namespace gureum::network::fake_internal {

absl::StatusOr<std::optional<int64_t>> FakeTx::GetQuotaLimit(const std::string& project,
                                                             const std::string& resource) {
  auto it = t_.quotas.find({project, resource});
  if (it == t_.quotas.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::map<std::string, int64_t>> FakeTx::ListQuotaLimits(const std::string& project) {
  std::map<std::string, int64_t> out;
  for (const auto& [key, limit] : t_.quotas) {
    if (key.first == project) out[key.second] = limit;
  }
  return out;
}

absl::Status FakeTx::SetQuotaLimit(const std::string& project, const std::string& resource,
                                   int64_t limit) {
  GUREUM_RETURN_IF_ERROR(Writable());
  t_.quotas[{project, resource}] = limit;
  return absl::OkStatus();
}

absl::Status FakeTx::DeleteQuotaLimits(const std::string& project) {
  GUREUM_RETURN_IF_ERROR(Writable());
  for (auto it = t_.quotas.begin(); it != t_.quotas.end();) {
    it = it->first.first == project ? t_.quotas.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FakeTx::QuotaProjects() {
  std::set<std::string> projects;
  for (const auto& [key, limit] : t_.quotas) projects.insert(key.first);
  return std::vector<std::string>(projects.begin(), projects.end());
}

// Transactions already run one at a time.
absl::Status FakeTx::LockQuota(const std::string&, const std::string&) { return absl::OkStatus(); }

absl::StatusOr<int64_t> FakeTx::CountOwned(const std::string& project,
                                           const std::string& resource) {
  if (std::find(std::begin(kQuotaResources), std::end(kQuotaResources), resource) ==
      std::end(kQuotaResources))
    return absl::InvalidArgumentError("unknown quota resource '" + resource + "'");
  int64_t n = 0;
  if (resource == "security_group") {
    for (const auto& [id, g] : t_.groups) n += g.project_id == project;
  } else if (resource == "security_group_rule") {
    for (const auto& [id, r] : t_.rules) n += r.project_id == project;
  } else if (resource == "network") {
    for (const auto& [id, x] : t_.networks) n += x.project_id == project;
  } else if (resource == "subnet") {
    for (const auto& [id, x] : t_.subnets) n += x.project_id == project;
  } else if (resource == "router") {
    for (const auto& [id, x] : t_.routers) n += x.project_id == project;
  } else if (resource == "floatingip") {
    for (const auto& [id, x] : t_.floating_ips) n += x.project_id == project;
  } else if (resource == "port") {
    for (const auto& [id, x] : t_.ports) n += x.project_id == project;
  }
  return n;
}

absl::StatusOr<std::optional<FloatingIp>> FakeTx::GetFloatingIp(const std::string& id) {
  auto it = t_.floating_ips.find(id);
  if (it == t_.floating_ips.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<FloatingIp>> FakeTx::ListFloatingIps(const std::string& project,
                                                                const Filters& f) {
  std::vector<FloatingIp> out;
  for (const auto& [id, x] : t_.floating_ips) {
    if (!project.empty() && x.project_id != project) continue;
    if (!Passes(f, "id", x.id) || !Passes(f, "project_id", x.project_id) ||
        !Passes(f, "tenant_id", x.project_id) ||
        !Passes(f, "floating_network_id", x.floating_network_id) ||
        !Passes(f, "floating_ip_address", x.floating_ip_address) ||
        !PassesNullable(f, "port_id", x.port_id) ||
        !PassesNullable(f, "fixed_ip_address", x.fixed_ip_address) ||
        !PassesNullable(f, "router_id", x.router_id) || !Passes(f, "status", x.status))
      continue;
    out.push_back(x);
  }
  std::sort(out.begin(), out.end(), Earlier<FloatingIp>);
  return out;
}

absl::Status FakeTx::InsertFloatingIp(const FloatingIp& fip) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (!t_.networks.count(fip.floating_network_id))
    return absl::FailedPreconditionError("network " + fip.floating_network_id);
  if (t_.floating_ips.count(fip.id)) return absl::AlreadyExistsError("floating ip " + fip.id);
  FloatingIp row = fip;
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.floating_ips[fip.id] = row;
  return absl::OkStatus();
}

absl::Status FakeTx::UpdateFloatingIp(const FloatingIp& fip, absl::Time at) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.floating_ips.find(fip.id);
  if (it == t_.floating_ips.end()) return absl::OkStatus();
  FloatingIp& row = it->second;
  row.port_id = fip.port_id;
  row.fixed_ip_address = fip.fixed_ip_address;
  row.router_id = fip.router_id;
  row.status = fip.status;
  row.description = fip.description;
  row.stamps.updated_at = at;
  ++row.stamps.revision_number;
  return absl::OkStatus();
}

absl::StatusOr<bool> FakeTx::DeleteFloatingIp(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.floating_ips.find(id);
  if (it == t_.floating_ips.end()) return false;
  ErasePort(it->second.floating_port_id);
  t_.floating_ips.erase(it);
  return true;
}

absl::StatusOr<std::string> FakeTx::FloatingIpOn(const std::string& port_id,
                                                 const std::string& fixed_ip,
                                                 const std::string& except_id) {
  for (const auto& [id, x] : t_.floating_ips) {
    if (x.port_id == port_id && x.fixed_ip_address == fixed_ip && id != except_id) return id;
  }
  return std::string();
}

absl::StatusOr<std::optional<Agent>> FakeTx::GetAgentByHost(const std::string& host) {
  auto it = t_.agents.find(host);
  if (it == t_.agents.end()) return std::nullopt;
  return it->second;
}

absl::Status FakeTx::PutAgent(const Agent& a) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.agents.find(a.host);
  if (it == t_.agents.end()) {
    t_.agents[a.host] = a;
    return absl::OkStatus();
  }
  Agent& row = it->second;
  row.local_ip = a.local_ip;
  row.physical_interfaces = a.physical_interfaces;
  row.dhcp = a.dhcp;
  row.l3 = a.l3;
  row.version = a.version;
  row.heartbeat_at = a.heartbeat_at;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Agent>> FakeTx::ListAgents(const Filters& f) {
  std::vector<Agent> out;
  for (const auto& [host, a] : t_.agents) {  // by host already
    if (Passes(f, "id", a.id) && Passes(f, "host", a.host)) out.push_back(a);
  }
  return out;
}

absl::Status FakeTx::SetAgentAdminState(const std::string& id, bool admin_state_up) {
  GUREUM_RETURN_IF_ERROR(Writable());
  for (auto& [host, a] : t_.agents) {
    if (a.id != id) continue;
    a.admin_state_up = admin_state_up;
    return absl::OkStatus();
  }
  return absl::NotFoundError("Agent " + id + " could not be found.");
}

absl::StatusOr<std::string> FakeTx::DhcpHostOf(const std::string& network_id) {
  auto it = t_.dhcp_bindings.find(network_id);
  return it == t_.dhcp_bindings.end() ? std::string() : it->second;
}

absl::Status FakeTx::BindDhcp(const std::string& network_id, const std::string& host) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (!t_.networks.count(network_id)) return absl::FailedPreconditionError("network " + network_id);
  if (!t_.dhcp_bindings.emplace(network_id, host).second)
    return absl::AlreadyExistsError("dhcp binding " + network_id);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Agent>> FakeTx::PickDhcpAgent(absl::Time alive_after) {
  std::optional<Agent> best;
  size_t best_load = 0;
  for (const auto& [host, a] : t_.agents) {  // by host: the first among equals wins
    if (!LiveDhcp(a, alive_after)) continue;
    size_t load = 0;
    for (const auto& [net, h] : t_.dhcp_bindings) load += h == host;
    if (!best || load < best_load) {
      best = a;
      best_load = load;
    }
  }
  return best;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> FakeTx::ReleaseDeadDhcp(
    const std::string& keep, absl::Time alive_after) {
  GUREUM_RETURN_IF_ERROR(Writable());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = t_.dhcp_bindings.begin(); it != t_.dhcp_bindings.end();) {
    auto agent = t_.agents.find(it->second);
    const bool live = agent != t_.agents.end() && LiveDhcp(agent->second, alive_after);
    if (it->second == keep || live) {
      ++it;
      continue;
    }
    out.emplace_back(it->first, it->second);
    it = t_.dhcp_bindings.erase(it);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> FakeTx::UnboundDhcpNetworks() {
  std::set<std::string> out;
  for (const auto& [id, s] : t_.subnets) {
    if (s.enable_dhcp && !t_.dhcp_bindings.count(s.network_id)) out.insert(s.network_id);
  }
  return std::vector<std::string>(out.begin(), out.end());
}

absl::Status FakeTx::BumpGeneration() {
  GUREUM_RETURN_IF_ERROR(Writable());
  ++t_.generation;
  return absl::OkStatus();
}

}  // namespace gureum::network::fake_internal
