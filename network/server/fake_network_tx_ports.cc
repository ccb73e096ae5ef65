// FakeTx: ports, their addresses and groups, and the host state's queries.
#include <set>

#include "common/status/macros.h"
#include "network/server/fake_network_tx.h"

namespace gureum::network::fake_internal {

Port FakeTx::Filled(Port p) const {
  p.fixed_ips.clear();
  for (const auto& [key, port_id] : t_.addresses) {
    if (port_id == p.id) p.fixed_ips.push_back({key.first, key.second});
  }
  // The subnet's IP version, then its creation, then the address, as PostgreSQL orders them.
  auto rank = [&](const FixedAddress& a) {
    auto s = t_.subnets.find(a.subnet_id);
    int version = s == t_.subnets.end() ? 0 : s->second.ip_version;
    absl::Time created = s == t_.subnets.end() ? absl::UnixEpoch() : s->second.stamps.created_at;
    return std::make_tuple(version, created, a.subnet_id, a.ip_address);
  };
  std::sort(p.fixed_ips.begin(), p.fixed_ips.end(),
            [&](const FixedAddress& a, const FixedAddress& b) { return rank(a) < rank(b); });
  std::sort(p.security_group_ids.begin(), p.security_group_ids.end());
  auto n = t_.networks.find(p.network_id);
  p.mtu = n == t_.networks.end() ? 0 : n->second.mtu;
  return p;
}

void FakeTx::ErasePort(const std::string& id) {
  t_.ports.erase(id);
  for (auto it = t_.addresses.begin(); it != t_.addresses.end();) {
    it = it->second == id ? t_.addresses.erase(it) : std::next(it);
  }
}

absl::StatusOr<std::optional<Port>> FakeTx::GetPort(const std::string& id) {
  auto it = t_.ports.find(id);
  if (it == t_.ports.end()) return std::nullopt;
  return Filled(it->second);
}

absl::StatusOr<std::vector<Port>> FakeTx::ListPorts(const std::string& project, const Filters& f) {
  std::vector<Port> out;
  for (const auto& [id, p] : t_.ports) {
    if (!project.empty() && p.project_id != project) continue;
    if (!Passes(f, "id", p.id) || !Passes(f, "name", p.name) ||
        !Passes(f, "project_id", p.project_id) || !Passes(f, "tenant_id", p.project_id) ||
        !Passes(f, "network_id", p.network_id) || !Passes(f, "device_id", p.device_id) ||
        !Passes(f, "device_owner", p.device_owner) || !Passes(f, "mac_address", p.mac_address) ||
        !Passes(f, "status", p.status) || !Passes(f, "binding:host_id", p.binding_host))
      continue;
    if (auto g = f.find("security_groups"); g != f.end() && !g->second.empty()) {
      bool member = false;
      for (const auto& want : g->second) {
        member = member || std::find(p.security_group_ids.begin(), p.security_group_ids.end(),
                                     want) != p.security_group_ids.end();
      }
      if (!member) continue;
    }
    out.push_back(Filled(p));
  }
  std::sort(out.begin(), out.end(), Earlier<Port>);
  return out;
}

absl::Status FakeTx::InsertPort(const Port& port) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (t_.ports.count(port.id)) return absl::AlreadyExistsError("port " + port.id);
  if (!t_.networks.count(port.network_id))
    return absl::FailedPreconditionError("network " + port.network_id);
  for (const auto& [id, p] : t_.ports) {
    if (p.network_id == port.network_id && p.mac_address == port.mac_address)
      return absl::AlreadyExistsError("mac address " + port.mac_address);
  }
  Port row = port;
  row.fixed_ips.clear();
  std::sort(row.security_group_ids.begin(), row.security_group_ids.end());
  row.security_group_ids.erase(
      std::unique(row.security_group_ids.begin(), row.security_group_ids.end()),
      row.security_group_ids.end());
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.ports[port.id] = row;
  return absl::OkStatus();
}

absl::Status FakeTx::UpdatePort(const Port& port, absl::Time at) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.ports.find(port.id);
  if (it == t_.ports.end()) return absl::OkStatus();
  Port& row = it->second;
  row.name = port.name;
  row.description = port.description;
  row.admin_state_up = port.admin_state_up;
  row.device_id = port.device_id;
  row.device_owner = port.device_owner;
  row.binding_host = port.binding_host;
  row.vif_type = port.vif_type;
  row.status = port.status;
  row.port_security_enabled = port.port_security_enabled;
  row.allowed_address_pairs = port.allowed_address_pairs;
  row.extra_dhcp_opts = port.extra_dhcp_opts;
  row.tags = port.tags;
  row.stamps.updated_at = at;
  ++row.stamps.revision_number;
  return absl::OkStatus();
}

absl::Status FakeTx::SetPortStatus(const std::string& id, const std::string& host,
                                   const std::string& status) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.ports.find(id);
  if (it != t_.ports.end() && it->second.binding_host == host) it->second.status = status;
  return absl::OkStatus();
}

absl::Status FakeTx::SetPortGroups(const std::string& id,
                                   const std::vector<std::string>& group_ids) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.ports.find(id);
  if (it == t_.ports.end()) return absl::OkStatus();
  std::set<std::string> unique(group_ids.begin(), group_ids.end());
  it->second.security_group_ids.assign(unique.begin(), unique.end());
  return absl::OkStatus();
}

absl::Status FakeTx::DeletePort(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  for (auto& [fid, fip] : t_.floating_ips) {
    if (fip.port_id != id) continue;
    fip.port_id = fip.fixed_ip_address = fip.router_id = "";
    fip.status = "DOWN";
  }
  ErasePort(id);
  return absl::OkStatus();
}

absl::StatusOr<bool> FakeTx::AllocateIp(const std::string& port_id, const FixedAddress& address) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (!t_.ports.count(port_id)) return false;
  return t_.addresses.emplace(std::make_pair(address.subnet_id, address.ip_address), port_id)
      .second;
}

absl::StatusOr<std::vector<std::string>> FakeTx::AllocatedIps(const std::string& subnet_id) {
  std::vector<std::string> out;
  for (const auto& [key, port_id] : t_.addresses) {
    if (key.first == subnet_id) out.push_back(key.second);
  }
  return out;
}

absl::Status FakeTx::ReleaseIps(const std::string& port_id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  for (auto it = t_.addresses.begin(); it != t_.addresses.end();) {
    it = it->second == port_id ? t_.addresses.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FakeTx::HostsOfNetwork(const std::string& network_id) {
  std::set<std::string> hosts;
  for (const auto& [id, p] : t_.ports) {
    if (p.network_id == network_id && !p.binding_host.empty()) hosts.insert(p.binding_host);
  }
  if (auto b = t_.dhcp_bindings.find(network_id); b != t_.dhcp_bindings.end() && !b->second.empty())
    hosts.insert(b->second);
  return std::vector<std::string>(hosts.begin(), hosts.end());
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> FakeTx::RemoteMacs(
    const std::string& network_id, const std::string& host) {
  std::vector<std::pair<std::string, std::string>> out;  // (local IP, MAC) while sorting
  for (const auto& [id, p] : t_.ports) {
    if (p.network_id != network_id || p.binding_host == host) continue;
    auto a = t_.agents.find(p.binding_host);
    if (a == t_.agents.end() || a->second.local_ip.empty()) continue;
    out.emplace_back(a->second.local_ip, p.mac_address);
  }
  std::sort(out.begin(), out.end());
  for (auto& [ip, mac] : out) std::swap(ip, mac);
  return out;
}

absl::StatusOr<std::vector<std::string>> FakeTx::MemberAddresses(const std::string& group_id) {
  std::vector<Port> members;
  std::set<std::string> member_ids;
  for (const auto& [id, p] : t_.ports) {
    const auto& groups = p.security_group_ids;
    if (std::find(groups.begin(), groups.end(), group_id) == groups.end()) continue;
    members.push_back(p);
    member_ids.insert(id);
  }
  std::vector<std::string> out;
  for (const auto& [key, port_id] : t_.addresses) {
    if (member_ids.count(port_id)) out.push_back(key.second);
  }
  std::sort(out.begin(), out.end());
  std::sort(members.begin(), members.end(), Earlier<Port>);
  for (const Port& p : members) {
    for (const auto& pair : p.allowed_address_pairs) out.push_back(pair.ip_address);
  }
  return out;
}

absl::StatusOr<std::string> FakeTx::RouterBetween(const std::string& subnet_id,
                                                  const std::string& external_network_id) {
  std::vector<Router> found;
  for (const auto& [key, port_id] : t_.addresses) {
    if (key.first != subnet_id) continue;
    const Port& p = t_.ports.at(port_id);
    if (p.device_owner != "network:router_interface") continue;
    auto r = t_.routers.find(p.device_id);
    if (r != t_.routers.end() && r->second.gateway_network_id == external_network_id)
      found.push_back(r->second);
  }
  if (found.empty()) return std::string();
  return std::min_element(found.begin(), found.end(), Earlier<Router>)->id;
}

absl::StatusOr<std::vector<std::string>> FakeTx::DhcpNetworksOn(const std::string& host) {
  std::vector<std::string> out;
  for (const auto& [network_id, h] : t_.dhcp_bindings) {
    if (h == host) out.push_back(network_id);
  }
  return out;  // the map's order: by network id
}

absl::StatusOr<int64_t> FakeTx::Generation() { return t_.generation; }

}  // namespace gureum::network::fake_internal
