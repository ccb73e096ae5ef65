// FakeTx: networks, subnets, security groups and rules, and the shared helpers.
#include "network/server/fake_network_tx.h"

#include <set>

#include "common/status/macros.h"

namespace gureum::network::fake_internal {

absl::StatusOr<std::optional<Network>> FakeTx::GetNetwork(const std::string& id,
                                                          bool with_subnet_ids) {
  auto it = t_.networks.find(id);
  if (it == t_.networks.end()) return std::nullopt;
  Network n = it->second;
  if (with_subnet_ids) n.subnet_ids = SubnetIdsOf(id);
  return n;
}

absl::StatusOr<std::vector<Network>> FakeTx::ListNetworks(const std::string& project,
                                                          const Filters& f) {
  std::vector<Network> out;
  for (const auto& [id, n] : t_.networks) {
    if (!project.empty() && n.project_id != project && !n.shared && !n.router_external) continue;
    if (!Passes(f, "id", n.id) || !Passes(f, "name", n.name) ||
        !Passes(f, "project_id", n.project_id) || !Passes(f, "tenant_id", n.project_id) ||
        !Passes(f, "shared", Bool(n.shared)) ||
        !Passes(f, "router:external", Bool(n.router_external)))
      continue;
    out.push_back(n);
    out.back().subnet_ids = SubnetIdsOf(id);
  }
  std::sort(out.begin(), out.end(), Earlier<Network>);
  return out;
}

absl::Status FakeTx::InsertNetwork(const Network& n) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (t_.networks.count(n.id)) return absl::AlreadyExistsError("network " + n.id);
  if (n.network_type == "vxlan") {
    for (const auto& [id, o] : t_.networks) {
      if (o.network_type == "vxlan" && o.segmentation_id == n.segmentation_id)
        return absl::AlreadyExistsError("vni");
    }
  }
  Network row = n;
  row.subnet_ids.clear();
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.networks[n.id] = row;
  return absl::OkStatus();
}

absl::Status FakeTx::UpdateNetwork(const Network& n, absl::Time at) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.networks.find(n.id);
  if (it == t_.networks.end()) return absl::OkStatus();
  Network& row = it->second;
  row.name = n.name;
  row.description = n.description;
  row.admin_state_up = n.admin_state_up;
  row.shared = n.shared;
  row.router_external = n.router_external;
  row.port_security_enabled = n.port_security_enabled;
  row.tags = n.tags;
  row.stamps.updated_at = at;
  ++row.stamps.revision_number;
  return absl::OkStatus();
}

absl::Status FakeTx::DeleteNetwork(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  for (auto it = t_.subnets.begin(); it != t_.subnets.end();) {
    it = it->second.network_id == id ? t_.subnets.erase(it) : std::next(it);
  }
  std::vector<std::string> ports;
  for (const auto& [pid, p] : t_.ports) {
    if (p.network_id == id) ports.push_back(pid);
  }
  for (const auto& pid : ports) ErasePort(pid);
  t_.networks.erase(id);
  t_.dhcp_bindings.erase(id);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<int>> FakeTx::FreeVni(int lo, int hi, int from) {
  std::set<int> used;
  for (const auto& [id, n] : t_.networks) {
    if (n.network_type == "vxlan") used.insert(n.segmentation_id);
  }
  for (int v = std::max(lo, from); v <= hi; ++v) {
    if (!used.count(v)) return std::optional<int>(v);
  }
  for (int v = lo; v <= hi && v < from; ++v) {
    if (!used.count(v)) return std::optional<int>(v);
  }
  return std::optional<int>();
}

absl::StatusOr<bool> FakeTx::SegmentInUse(const std::string& type,
                                          const std::string& physical_network, int segment) {
  for (const auto& [id, n] : t_.networks) {
    if (n.network_type != type || n.physical_network != physical_network) continue;
    if (type == "flat" || n.segmentation_id == segment) return true;
  }
  return false;
}

absl::StatusOr<bool> FakeTx::NetworkHasPorts(const std::string& id) {
  for (const auto& [pid, p] : t_.ports) {
    if (p.network_id == id && p.device_owner != "network:dhcp") return true;
  }
  return false;
}

absl::StatusOr<bool> FakeTx::NetworkIsGateway(const std::string& id) {
  for (const auto& [rid, r] : t_.routers) {
    if (r.gateway_network_id == id) return true;
  }
  return false;
}

absl::StatusOr<std::optional<Subnet>> FakeTx::GetSubnet(const std::string& id) {
  auto it = t_.subnets.find(id);
  if (it == t_.subnets.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<Subnet>> FakeTx::ListSubnets(const std::string& project,
                                                        const Filters& f) {
  std::vector<Subnet> out;
  for (const auto& [id, s] : t_.subnets) {
    if (!project.empty() && s.project_id != project) {
      auto n = t_.networks.find(s.network_id);
      if (n == t_.networks.end() || !n->second.shared) continue;
    }
    if (!Passes(f, "id", s.id) || !Passes(f, "name", s.name) ||
        !Passes(f, "project_id", s.project_id) || !Passes(f, "tenant_id", s.project_id) ||
        !Passes(f, "network_id", s.network_id) || !Passes(f, "cidr", s.cidr) ||
        !Passes(f, "ip_version", std::to_string(s.ip_version)) ||
        !Passes(f, "enable_dhcp", Bool(s.enable_dhcp)))
      continue;
    out.push_back(s);
  }
  std::sort(out.begin(), out.end(), Earlier<Subnet>);
  return out;
}

absl::StatusOr<std::vector<Subnet>> FakeTx::SubnetsOf(const std::string& network_id) {
  std::vector<Subnet> out;
  for (const auto& [id, s] : t_.subnets) {
    if (s.network_id == network_id) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), Earlier<Subnet>);
  return out;
}

absl::Status FakeTx::InsertSubnet(const Subnet& s) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (!t_.networks.count(s.network_id))
    return absl::FailedPreconditionError("network " + s.network_id);
  if (t_.subnets.count(s.id)) return absl::AlreadyExistsError("subnet " + s.id);
  Subnet row = s;
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.subnets[s.id] = row;
  return absl::OkStatus();
}

absl::Status FakeTx::UpdateSubnet(const Subnet& s, absl::Time at) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.subnets.find(s.id);
  if (it == t_.subnets.end()) return absl::OkStatus();
  Subnet& row = it->second;
  row.name = s.name;
  row.description = s.description;
  row.enable_dhcp = s.enable_dhcp;
  row.gateway_ip = s.gateway_ip;
  row.dns_nameservers = s.dns_nameservers;
  row.host_routes = s.host_routes;
  row.tags = s.tags;
  row.stamps.updated_at = at;
  ++row.stamps.revision_number;
  return absl::OkStatus();
}

absl::StatusOr<bool> FakeTx::SubnetHasPorts(const std::string& id) {
  for (const auto& [key, port_id] : t_.addresses) {
    auto p = t_.ports.find(port_id);
    if (key.first == id && p != t_.ports.end() && p->second.device_owner != "network:dhcp")
      return true;
  }
  return false;
}

absl::Status FakeTx::DeleteSubnet(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  t_.subnets.erase(id);
  for (auto it = t_.addresses.begin(); it != t_.addresses.end();) {
    it = it->first.first == id ? t_.addresses.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::Status FakeTx::DeleteDhcpPorts(const std::string& network_id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  std::vector<std::string> ports;
  for (const auto& [pid, p] : t_.ports) {
    if (p.network_id == network_id && p.device_owner == "network:dhcp") ports.push_back(pid);
  }
  for (const auto& pid : ports) ErasePort(pid);
  t_.dhcp_bindings.erase(network_id);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SecurityGroup>> FakeTx::GetGroup(const std::string& id) {
  auto it = t_.groups.find(id);
  if (it == t_.groups.end()) return std::nullopt;
  return WithRules(it->second);
}

absl::StatusOr<std::optional<std::string>> FakeTx::GetGroupProject(const std::string& id) {
  auto it = t_.groups.find(id);
  if (it == t_.groups.end()) return std::nullopt;
  return it->second.project_id;
}

absl::StatusOr<std::vector<SecurityGroup>> FakeTx::ListGroups(const std::string& project,
                                                              const Filters& f) {
  std::vector<SecurityGroup> out;
  for (const auto& [id, g] : t_.groups) {
    if (!project.empty() && g.project_id != project) continue;
    if (!Passes(f, "id", g.id) || !Passes(f, "name", g.name) ||
        !Passes(f, "project_id", g.project_id) || !Passes(f, "tenant_id", g.project_id))
      continue;
    out.push_back(WithRules(g));
  }
  std::sort(out.begin(), out.end(), Earlier<SecurityGroup>);
  return out;
}

absl::Status FakeTx::InsertGroup(const SecurityGroup& g) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (t_.groups.count(g.id)) return absl::AlreadyExistsError("security group " + g.id);
  if (g.is_default) {
    GUREUM_ASSIGN_OR_RETURN(std::string def, FindDefaultGroup(g.project_id));
    if (!def.empty()) return absl::AlreadyExistsError("default security group");
  }
  SecurityGroup row = g;
  row.rules.clear();
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.groups[g.id] = row;
  for (const SecurityGroupRule& r : g.rules) {
    SecurityGroupRule rule = r;
    rule.security_group_id = g.id;
    rule.project_id = g.project_id;
    GUREUM_ASSIGN_OR_RETURN(std::optional<std::string> dup, InsertRule(rule));
    if (dup) return absl::AlreadyExistsError("security group rule");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FakeTx::FindDefaultGroup(const std::string& project) {
  for (const auto& [id, g] : t_.groups) {
    if (g.project_id == project && g.is_default) return id;
  }
  return std::string();
}

absl::StatusOr<bool> FakeTx::InsertDefaultGroup(const SecurityGroup& g) {
  GUREUM_RETURN_IF_ERROR(Writable());
  GUREUM_ASSIGN_OR_RETURN(std::string def, FindDefaultGroup(g.project_id));
  if (!def.empty()) return false;
  SecurityGroup row = g;
  row.is_default = true;
  GUREUM_RETURN_IF_ERROR(InsertGroup(row));
  return true;
}

absl::Status FakeTx::UpdateGroup(const SecurityGroup& g, absl::Time at) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.groups.find(g.id);
  if (it == t_.groups.end()) return absl::OkStatus();  // as an UPDATE of no row
  it->second.name = g.name;
  it->second.description = g.description;
  it->second.tags = g.tags;
  it->second.stamps.updated_at = at;
  ++it->second.stamps.revision_number;
  return absl::OkStatus();
}

absl::Status FakeTx::TouchGroup(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  auto it = t_.groups.find(id);
  if (it != t_.groups.end()) ++it->second.stamps.revision_number;
  return absl::OkStatus();
}

absl::Status FakeTx::DeleteGroup(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  t_.groups.erase(id);
  for (auto it = t_.rules.begin(); it != t_.rules.end();) {
    it = it->second.security_group_id == id ? t_.rules.erase(it) : std::next(it);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> FakeTx::GroupHasPorts(const std::string& id) {
  for (const auto& [pid, p] : t_.ports) {
    const auto& g = p.security_group_ids;
    if (std::find(g.begin(), g.end(), id) != g.end()) return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> FakeTx::HostsOfGroup(const std::string& id) {
  std::set<std::string> groups = {id};  // and those whose rules name it as remote
  for (const auto& [rid, r] : t_.rules) {
    if (r.remote_group_id == id) groups.insert(r.security_group_id);
  }
  std::set<std::string> hosts;
  for (const auto& [pid, p] : t_.ports) {
    if (p.binding_host.empty()) continue;
    for (const auto& g : p.security_group_ids) {
      if (groups.count(g)) hosts.insert(p.binding_host);
    }
  }
  return std::vector<std::string>(hosts.begin(), hosts.end());
}

absl::StatusOr<std::optional<SecurityGroupRule>> FakeTx::GetRule(const std::string& id) {
  auto it = t_.rules.find(id);
  if (it == t_.rules.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<std::vector<SecurityGroupRule>> FakeTx::ListRules(const std::string& project,
                                                                 const Filters& f) {
  std::vector<SecurityGroupRule> out;
  for (const auto& [id, r] : t_.rules) {
    if (!project.empty() && r.project_id != project) continue;
    if (!Passes(f, "id", r.id) || !Passes(f, "security_group_id", r.security_group_id) ||
        !Passes(f, "project_id", r.project_id) || !Passes(f, "tenant_id", r.project_id) ||
        !Passes(f, "direction", r.direction) || !Passes(f, "ethertype", r.ethertype) ||
        !Passes(f, "protocol", r.protocol) || !Passes(f, "remote_group_id", r.remote_group_id))
      continue;
    out.push_back(r);
  }
  std::sort(out.begin(), out.end(), Earlier<SecurityGroupRule>);
  return out;
}

absl::StatusOr<std::optional<std::string>> FakeTx::InsertRule(const SecurityGroupRule& r) {
  GUREUM_RETURN_IF_ERROR(Writable());
  if (!t_.groups.count(r.security_group_id))  // the foreign key
    return absl::FailedPreconditionError("security group " + r.security_group_id);
  for (const auto& [id, other] : t_.rules) {
    if (SameRule(other, r)) return std::optional<std::string>(id);
  }
  // PostgreSQL's ON CONFLICT DO NOTHING covers the id too: nothing inserted, no equal rule.
  if (t_.rules.count(r.id)) return std::optional<std::string>(std::string());
  SecurityGroupRule row = r;
  row.stamps.updated_at = row.stamps.created_at;
  row.stamps.revision_number = 1;
  t_.rules[r.id] = row;
  return std::optional<std::string>();
}

absl::Status FakeTx::DeleteRule(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Writable());
  t_.rules.erase(id);
  return absl::OkStatus();
}

absl::Status FakeTx::Writable() const {
  if (read_only_) return absl::InternalError("write in a read-only transaction");
  return absl::OkStatus();
}

std::string FakeTx::Bool(bool b) { return b ? "true" : "false"; }

// A column that is NULL when "": NULL matches no filter value.
bool FakeTx::PassesNullable(const Filters& f, const std::string& key, const std::string& value) {
  auto it = f.find(key);
  if (it == f.end() || it->second.empty()) return true;
  return !value.empty() && Passes(f, key, value);
}

bool FakeTx::LiveDhcp(const Agent& a, absl::Time alive_after) {
  return a.dhcp && a.admin_state_up && a.heartbeat_at > alive_after;
}

std::vector<std::string> FakeTx::SubnetIdsOf(const std::string& network_id) const {
  std::vector<const Subnet*> subs;
  for (const auto& [id, s] : t_.subnets) {
    if (s.network_id == network_id) subs.push_back(&s);
  }
  std::sort(subs.begin(), subs.end(),
            [](const Subnet* a, const Subnet* b) { return Earlier(*a, *b); });
  std::vector<std::string> out;
  for (const Subnet* s : subs) out.push_back(s->id);
  return out;
}

SecurityGroup FakeTx::WithRules(SecurityGroup g) const {
  g.rules.clear();
  for (const auto& [id, r] : t_.rules) {
    if (r.security_group_id == g.id) g.rules.push_back(r);
  }
  std::sort(g.rules.begin(), g.rules.end(), Earlier<SecurityGroupRule>);
  return g;
}

}  // namespace gureum::network::fake_internal
