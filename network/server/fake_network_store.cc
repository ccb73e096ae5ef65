// FakeNetworkStore: the tables in maps; see fake_network_store.h.
#include "network/server/fake_network_store.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/status/macros.h"

namespace gureum::network {

namespace {

using Tables = FakeNetworkStore::Tables;

// Creation order, as the store's lists promise.
template <typename T>
bool Earlier(const T& a, const T& b) {
  return std::tie(a.stamps.created_at, a.id) < std::tie(b.stamps.created_at, b.id);
}

// Whether `value` passes the filter `key` (absent or empty: everything passes).
bool Passes(const Filters& f, const std::string& key, const std::string& value) {
  auto it = f.find(key);
  if (it == f.end() || it->second.empty()) return true;
  return std::find(it->second.begin(), it->second.end(), value) != it->second.end();
}

bool SameRule(const SecurityGroupRule& a, const SecurityGroupRule& b) {
  return std::tie(a.security_group_id, a.direction, a.ethertype, a.protocol, a.port_range_min,
                  a.port_range_max, a.remote_ip_prefix, a.remote_group_id) ==
         std::tie(b.security_group_id, b.direction, b.ethertype, b.protocol, b.port_range_min,
                  b.port_range_max, b.remote_ip_prefix, b.remote_group_id);
}

const char* const kQuotaResources[] = {
    "network", "subnet", "port", "router", "floatingip", "security_group", "security_group_rule"};

class FakeTx final : public NetworkTx {
 public:
  FakeTx(Tables& t, bool read_only) : t_(t), read_only_(read_only) {}

  absl::StatusOr<std::optional<Network>> GetNetwork(const std::string& id,
                                                    bool with_subnet_ids) override {
    auto it = t_.networks.find(id);
    if (it == t_.networks.end()) return std::nullopt;
    Network n = it->second;
    if (with_subnet_ids) n.subnet_ids = SubnetIdsOf(id);
    return n;
  }

  absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& project,
                                                    const Filters& f) override {
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

  absl::Status InsertNetwork(const Network& n) override {
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

  absl::Status UpdateNetwork(const Network& n, absl::Time at) override {
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

  absl::Status DeleteNetwork(const std::string& id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    for (auto it = t_.subnets.begin(); it != t_.subnets.end();) {
      it = it->second.network_id == id ? t_.subnets.erase(it) : std::next(it);
    }
    t_.networks.erase(id);
    t_.dhcp_bindings.erase(id);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<int>> FreeVni(int lo, int hi, int from) override {
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

  absl::StatusOr<bool> SegmentInUse(const std::string& type, const std::string& physical_network,
                                    int segment) override {
    for (const auto& [id, n] : t_.networks) {
      if (n.network_type != type || n.physical_network != physical_network) continue;
      if (type == "flat" || n.segmentation_id == segment) return true;
    }
    return false;
  }

  absl::StatusOr<bool> NetworkHasPorts(const std::string&) override { return false; }
  absl::StatusOr<bool> NetworkIsGateway(const std::string&) override { return false; }

  absl::StatusOr<std::optional<Subnet>> GetSubnet(const std::string& id) override {
    auto it = t_.subnets.find(id);
    if (it == t_.subnets.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::vector<Subnet>> ListSubnets(const std::string& project,
                                                  const Filters& f) override {
    std::vector<Subnet> out;
    for (const auto& [id, s] : t_.subnets) {
      if (!project.empty() && s.project_id != project) {
        auto n = t_.networks.find(s.network_id);
        if (n == t_.networks.end() || (!n->second.shared && !n->second.router_external)) continue;
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

  absl::StatusOr<std::vector<Subnet>> SubnetsOf(const std::string& network_id) override {
    std::vector<Subnet> out;
    for (const auto& [id, s] : t_.subnets) {
      if (s.network_id == network_id) out.push_back(s);
    }
    std::sort(out.begin(), out.end(), Earlier<Subnet>);
    return out;
  }

  absl::Status InsertSubnet(const Subnet& s) override {
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

  absl::Status UpdateSubnet(const Subnet& s, absl::Time at) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    auto it = t_.subnets.find(s.id);
    if (it == t_.subnets.end()) return absl::OkStatus();
    Subnet& row = it->second;
    row.name = s.name;
    row.description = s.description;
    row.enable_dhcp = s.enable_dhcp;
    row.dns_nameservers = s.dns_nameservers;
    row.host_routes = s.host_routes;
    row.tags = s.tags;
    row.stamps.updated_at = at;
    ++row.stamps.revision_number;
    return absl::OkStatus();
  }

  absl::StatusOr<bool> SubnetHasPorts(const std::string&) override { return false; }

  absl::Status DeleteSubnet(const std::string& id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    t_.subnets.erase(id);
    return absl::OkStatus();
  }

  absl::Status DeleteDhcpPorts(const std::string& network_id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    t_.dhcp_bindings.erase(network_id);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<SecurityGroup>> GetGroup(const std::string& id) override {
    auto it = t_.groups.find(id);
    if (it == t_.groups.end()) return std::nullopt;
    return WithRules(it->second);
  }

  absl::StatusOr<std::vector<SecurityGroup>> ListGroups(const std::string& project,
                                                        const Filters& f) override {
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

  absl::Status InsertGroup(const SecurityGroup& g) override {
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

  absl::StatusOr<std::string> FindDefaultGroup(const std::string& project) override {
    for (const auto& [id, g] : t_.groups) {
      if (g.project_id == project && g.is_default) return id;
    }
    return std::string();
  }

  absl::StatusOr<bool> InsertDefaultGroup(const SecurityGroup& g) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    GUREUM_ASSIGN_OR_RETURN(std::string def, FindDefaultGroup(g.project_id));
    if (!def.empty()) return false;
    SecurityGroup row = g;
    row.is_default = true;
    GUREUM_RETURN_IF_ERROR(InsertGroup(row));
    return true;
  }

  absl::Status UpdateGroup(const SecurityGroup& g, absl::Time at) override {
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

  absl::Status TouchGroup(const std::string& id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    auto it = t_.groups.find(id);
    if (it != t_.groups.end()) ++it->second.stamps.revision_number;
    return absl::OkStatus();
  }

  absl::Status DeleteGroup(const std::string& id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    t_.groups.erase(id);
    for (auto it = t_.rules.begin(); it != t_.rules.end();) {
      it = it->second.security_group_id == id ? t_.rules.erase(it) : std::next(it);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<bool> GroupHasPorts(const std::string&) override { return false; }

  absl::StatusOr<bool> GroupIsRemoteOfOthers(const std::string& id) override {
    for (const auto& [rid, r] : t_.rules) {
      if (r.remote_group_id == id && r.security_group_id != id) return true;
    }
    return false;
  }

  absl::StatusOr<std::vector<std::string>> HostsOfGroup(const std::string&) override {
    return std::vector<std::string>{};
  }

  absl::StatusOr<std::optional<SecurityGroupRule>> GetRule(const std::string& id) override {
    auto it = t_.rules.find(id);
    if (it == t_.rules.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::vector<SecurityGroupRule>> ListRules(const std::string& project,
                                                           const Filters& f) override {
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

  absl::StatusOr<std::optional<std::string>> InsertRule(const SecurityGroupRule& r) override {
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

  absl::Status DeleteRule(const std::string& id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    t_.rules.erase(id);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<int64_t>> GetQuotaLimit(const std::string& project,
                                                       const std::string& resource) override {
    auto it = t_.quotas.find({project, resource});
    if (it == t_.quotas.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::map<std::string, int64_t>> ListQuotaLimits(
      const std::string& project) override {
    std::map<std::string, int64_t> out;
    for (const auto& [key, limit] : t_.quotas) {
      if (key.first == project) out[key.second] = limit;
    }
    return out;
  }

  absl::Status SetQuotaLimit(const std::string& project, const std::string& resource,
                             int64_t limit) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    t_.quotas[{project, resource}] = limit;
    return absl::OkStatus();
  }

  absl::Status DeleteQuotaLimits(const std::string& project) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    for (auto it = t_.quotas.begin(); it != t_.quotas.end();) {
      it = it->first.first == project ? t_.quotas.erase(it) : std::next(it);
    }
    return absl::OkStatus();
  }

  // Transactions already run one at a time.
  absl::Status LockQuota(const std::string&, const std::string&) override {
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> CountOwned(const std::string& project,
                                     const std::string& resource) override {
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
    } else if (resource == "floatingip") {
      for (const auto& [id, x] : t_.floating_ips) n += x.project_id == project;
    }
    return n;  // the other resources are not in the store yet
  }

  absl::StatusOr<std::optional<FloatingIp>> GetFloatingIp(const std::string& id) override {
    auto it = t_.floating_ips.find(id);
    if (it == t_.floating_ips.end()) return std::nullopt;
    return it->second;
  }

  absl::StatusOr<std::vector<FloatingIp>> ListFloatingIps(const std::string& project,
                                                          const Filters& f) override {
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

  absl::Status InsertFloatingIp(const FloatingIp& fip) override {
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

  absl::Status UpdateFloatingIp(const FloatingIp& fip, absl::Time at) override {
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

  absl::StatusOr<bool> DeleteFloatingIp(const std::string& id) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    return t_.floating_ips.erase(id) > 0;  // no ports here: the floating port is not kept
  }

  absl::StatusOr<std::string> FloatingIpOn(const std::string& port_id, const std::string& fixed_ip,
                                           const std::string& except_id) override {
    for (const auto& [id, x] : t_.floating_ips) {
      if (x.port_id == port_id && x.fixed_ip_address == fixed_ip && id != except_id) return id;
    }
    return std::string();
  }

  absl::StatusOr<std::optional<Agent>> GetAgentByHost(const std::string& host) override {
    auto it = t_.agents.find(host);
    if (it == t_.agents.end()) return std::nullopt;
    return it->second;
  }

  absl::Status PutAgent(const Agent& a) override {
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

  absl::StatusOr<std::vector<Agent>> ListAgents(const Filters& f) override {
    std::vector<Agent> out;
    for (const auto& [host, a] : t_.agents) {  // by host already
      if (Passes(f, "id", a.id) && Passes(f, "host", a.host)) out.push_back(a);
    }
    return out;
  }

  absl::StatusOr<std::string> DhcpHostOf(const std::string& network_id) override {
    auto it = t_.dhcp_bindings.find(network_id);
    return it == t_.dhcp_bindings.end() ? std::string() : it->second;
  }

  absl::Status BindDhcp(const std::string& network_id, const std::string& host) override {
    GUREUM_RETURN_IF_ERROR(Writable());
    if (!t_.networks.count(network_id))
      return absl::FailedPreconditionError("network " + network_id);
    if (!t_.dhcp_bindings.emplace(network_id, host).second)
      return absl::AlreadyExistsError("dhcp binding " + network_id);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Agent>> PickDhcpAgent(absl::Time alive_after) override {
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

  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReleaseDeadDhcp(
      const std::string& keep, absl::Time alive_after) override {
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

  absl::StatusOr<std::vector<std::string>> UnboundDhcpNetworks() override {
    std::set<std::string> out;
    for (const auto& [id, s] : t_.subnets) {
      if (s.enable_dhcp && !t_.dhcp_bindings.count(s.network_id)) out.insert(s.network_id);
    }
    return std::vector<std::string>(out.begin(), out.end());
  }

  absl::Status BumpGeneration() override {
    GUREUM_RETURN_IF_ERROR(Writable());
    ++t_.generation;
    return absl::OkStatus();
  }

 private:
  absl::Status Writable() const {
    if (read_only_) return absl::InternalError("write in a read-only transaction");
    return absl::OkStatus();
  }

  static std::string Bool(bool b) { return b ? "true" : "false"; }

  // A column that is NULL when "": NULL matches no filter value.
  static bool PassesNullable(const Filters& f, const std::string& key, const std::string& value) {
    auto it = f.find(key);
    if (it == f.end() || it->second.empty()) return true;
    return !value.empty() && Passes(f, key, value);
  }

  static bool LiveDhcp(const Agent& a, absl::Time alive_after) {
    return a.dhcp && a.admin_state_up && a.heartbeat_at > alive_after;
  }

  std::vector<std::string> SubnetIdsOf(const std::string& network_id) const {
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

  SecurityGroup WithRules(SecurityGroup g) const {
    g.rules.clear();
    for (const auto& [id, r] : t_.rules) {
      if (r.security_group_id == g.id) g.rules.push_back(r);
    }
    std::sort(g.rules.begin(), g.rules.end(), Earlier<SecurityGroupRule>);
    return g;
  }

  Tables& t_;
  bool read_only_;
};

}  // namespace

absl::Status FakeNetworkStore::Run(const TxFn& fn, bool read_only) {
  absl::MutexLock l(&mu_);
  if (!fail_next_.ok()) return std::exchange(fail_next_, absl::OkStatus());
  Tables copy = tables_;
  FakeTx tx(copy, read_only);
  GUREUM_RETURN_IF_ERROR(fn(tx));
  tables_ = std::move(copy);
  return absl::OkStatus();
}

absl::Status FakeNetworkStore::Transact(const TxFn& fn) { return Run(fn, false); }
absl::Status FakeNetworkStore::ReadOnly(const TxFn& fn) { return Run(fn, true); }

void FakeNetworkStore::FailNext(absl::Status status) {
  absl::MutexLock l(&mu_);
  fail_next_ = std::move(status);
}

int64_t FakeNetworkStore::generation() const {
  absl::MutexLock l(&mu_);
  return tables_.generation;
}

}  // namespace gureum::network
