// Nova REST: the network proxies over NetworkProxyManager, which Nova serves up to
// microversion 2.35 (404 from 2.36 on): os-security-groups, os-security-group-rules,
// os-floating-ips, os-floating-ip-pools, os-networks, os-tenant-networks; and, at every
// microversion, GET servers/{id}/os-security-groups and the actions addSecurityGroup and
// removeSecurityGroup (addFloatingIp and removeFloatingIp up to 2.43).
#include "common/status/macros.h"
#include "compute/api/compute_rest_internal.h"

namespace gureum::compute {
// Named, not anonymous: the adapter's files are built as one unit, where these names
// would meet others'.
namespace netproxy {

constexpr int kLastProxyMinor = 35;      // os-security-groups & co. end at 2.35
constexpr int kLastFloatingAction = 43;  // addFloatingIp/removeFloatingIp end at 2.43

absl::Status NoSuchResource() { return absl::NotFoundError("The resource could not be found."); }

// A proxy route: 404 from 2.36 on, as Nova's.
CallHandler UpTo235(absl::Status (*handler)(Call&)) {
  return [handler](Call& call) -> absl::Status {
    if (call.version.minor > kLastProxyMinor) return NoSuchResource();
    return handler(call);
  };
}

NetworkProxyManager& Proxies(Call& call) { return call.managers().network_proxies(); }

// A JSON string member as text; nullopt when absent, null or not a string.
std::optional<std::string> TextOf(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return std::nullopt;
  return obj[key].get<std::string>();
}

// A port or an id given as a JSON integer or string.
std::optional<std::string> ScalarOf(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || obj[key].is_null()) return std::nullopt;
  if (obj[key].is_number_integer()) return std::to_string(obj[key].get<int64_t>());
  if (obj[key].is_string()) return obj[key].get<std::string>();
  return obj[key].dump();
}

json NullIfEmptyText(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json IntOrNull(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }

json RuleJson(const NovaRule& r) {
  json j = {{"id", r.id},
            {"parent_group_id", r.parent_group_id},
            {"ip_protocol", NullIfEmptyText(r.ip_protocol)},
            {"from_port", IntOrNull(r.from_port)},
            {"to_port", IntOrNull(r.to_port)},
            {"group", json::object()},
            {"ip_range", json::object()}};
  if (r.group_name) {
    j["group"] = {{"name", *r.group_name}, {"tenant_id", r.group_tenant_id}};
  } else {
    j["ip_range"] = {{"cidr", r.cidr}};
  }
  return j;
}

json SecurityGroupJson(const NovaSecurityGroup& g) {
  json rules = json::array();
  for (const NovaRule& r : g.rules) rules.push_back(RuleJson(r));
  return {{"id", g.id},
          {"name", g.name},
          {"description", g.description},
          {"tenant_id", g.tenant_id},
          {"rules", rules}};
}

json ProxyGroupsJson(const std::vector<NovaSecurityGroup>& groups) {
  json list = json::array();
  for (const NovaSecurityGroup& g : groups) list.push_back(SecurityGroupJson(g));
  return {{"security_groups", list}};
}

json FloatingIpJson(const NovaFloatingIp& f) {
  return {{"id", f.id},
          {"ip", f.ip},
          {"pool", NullIfEmptyText(f.pool)},
          {"fixed_ip", NullIfEmptyText(f.fixed_ip)},
          {"instance_id", NullIfEmptyText(f.instance_id)}};
}

// ---- os-security-groups ----

absl::Status ListSecurityGroups(Call& call) {
  const bool all = call.req.Query("all_tenants").has_value();
  GUREUM_ASSIGN_OR_RETURN(std::vector<NovaSecurityGroup> groups,
                          Proxies(call).ListGroups(call.rc, all));
  call.res.Json(200, ProxyGroupsJson(groups));
  return absl::OkStatus();
}

absl::Status ShowSecurityGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(NovaSecurityGroup g, Proxies(call).GetGroup(call.rc, call.Param("id")));
  call.res.Json(200, {{"security_group", SecurityGroupJson(g)}});
  return absl::OkStatus();
}

absl::Status CreateSecurityGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "security_group"));
  GUREUM_ASSIGN_OR_RETURN(
      NovaSecurityGroup g,
      Proxies(call).CreateGroup(call.rc, TextOf(body, "name"), TextOf(body, "description")));
  call.res.Json(200, {{"security_group", SecurityGroupJson(g)}});
  return absl::OkStatus();
}

absl::Status UpdateSecurityGroup(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "security_group"));
  GUREUM_ASSIGN_OR_RETURN(NovaSecurityGroup g,
                          Proxies(call).UpdateGroup(call.rc, call.Param("id"), TextOf(body, "name"),
                                                    TextOf(body, "description")));
  call.res.Json(200, {{"security_group", SecurityGroupJson(g)}});
  return absl::OkStatus();
}

absl::Status DeleteSecurityGroup(Call& call) {
  GUREUM_RETURN_IF_ERROR(Proxies(call).DeleteGroup(call.rc, call.Param("id")));
  call.res.Empty(202);
  return absl::OkStatus();
}

absl::Status CreateSecurityGroupRule(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(json body, BodyEntity(call.req, "security_group_rule"));
  NovaRuleRequest req{.parent_group_id = ScalarOf(body, "parent_group_id"),
                      .ip_protocol = ScalarOf(body, "ip_protocol"),
                      .from_port = ScalarOf(body, "from_port"),
                      .to_port = ScalarOf(body, "to_port"),
                      .cidr = ScalarOf(body, "cidr"),
                      .group_id = ScalarOf(body, "group_id")};
  GUREUM_ASSIGN_OR_RETURN(NovaRule r, Proxies(call).CreateRule(call.rc, req));
  call.res.Json(200, {{"security_group_rule", RuleJson(r)}});
  return absl::OkStatus();
}

absl::Status DeleteSecurityGroupRule(Call& call) {
  GUREUM_RETURN_IF_ERROR(Proxies(call).DeleteRule(call.rc, call.Param("id")));
  call.res.Empty(202);
  return absl::OkStatus();
}

absl::Status ListServerSecurityGroups(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<NovaSecurityGroup> groups,
                          Proxies(call).ServerGroups(call.rc, call.Param("id")));
  call.res.Json(200, ProxyGroupsJson(groups));
  return absl::OkStatus();
}

// ---- os-floating-ips, os-floating-ip-pools ----

absl::Status ListFloatingIps(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<NovaFloatingIp> ips, Proxies(call).ListFloatingIps(call.rc));
  json list = json::array();
  for (const NovaFloatingIp& f : ips) list.push_back(FloatingIpJson(f));
  call.res.Json(200, {{"floating_ips", list}});
  return absl::OkStatus();
}

absl::Status ShowFloatingIp(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(NovaFloatingIp f, Proxies(call).GetFloatingIp(call.rc, call.Param("id")));
  call.res.Json(200, {{"floating_ip", FloatingIpJson(f)}});
  return absl::OkStatus();
}

// POST {"pool": name} (the body and the pool are optional: Nova's default pool "nova").
absl::Status CreateFloatingIp(Call& call) {
  std::string pool = "nova";
  if (!call.req.body().empty()) {
    GUREUM_ASSIGN_OR_RETURN(json body, call.req.JsonBody());
    if (auto p = TextOf(body, "pool")) pool = *p;
  }
  GUREUM_ASSIGN_OR_RETURN(NovaFloatingIp f, Proxies(call).CreateFloatingIp(call.rc, pool));
  call.res.Json(200, {{"floating_ip", FloatingIpJson(f)}});
  return absl::OkStatus();
}

absl::Status DeleteFloatingIp(Call& call) {
  GUREUM_RETURN_IF_ERROR(Proxies(call).DeleteFloatingIp(call.rc, call.Param("id")));
  call.res.Empty(202);
  return absl::OkStatus();
}

absl::Status ListFloatingIpPools(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> pools, Proxies(call).ListPools(call.rc));
  json list = json::array();
  for (const std::string& p : pools) list.push_back({{"name", p}});
  call.res.Json(200, {{"floating_ip_pools", list}});
  return absl::OkStatus();
}

// ---- os-networks, os-tenant-networks ----

// os-networks: Nova's network_dict of a neutron network (id and label; the other fields
// of nova-network null, the admin's too).
json OsNetworkJson(Call& call, const NovaNetwork& n) {
  json j = {{"id", n.id}, {"label", n.label}};
  for (const char* k : {"cidr", "netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6",
                        "gateway_v6", "netmask_v6"}) {
    j[k] = nullptr;
  }
  if (call.managers().policy().IsAdmin(call.rc)) {
    for (const char* k : {"created_at",
                          "updated_at",
                          "deleted_at",
                          "deleted",
                          "injected",
                          "bridge",
                          "vlan",
                          "vpn_public_address",
                          "vpn_public_port",
                          "vpn_private_address",
                          "dhcp_start",
                          "project_id",
                          "host",
                          "bridge_interface",
                          "multi_host",
                          "priority",
                          "rxtx_base",
                          "mtu",
                          "dhcp_server",
                          "enable_dhcp",
                          "share_address"}) {
      j[k] = nullptr;
    }
  }
  return j;
}

// os-tenant-networks: {id, cidr, label}, cidr "None" as Nova prints a neutron network's.
json TenantNetworkJson(const NovaNetwork& n) {
  return {{"id", n.id}, {"cidr", "None"}, {"label", n.label}};
}

template <bool kTenant>
absl::Status ListNetworks(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<NovaNetwork> nets,
      Proxies(call).ListNetworks(call.rc, kTenant ? "os-tenant-networks" : "os-networks"));
  json list = json::array();
  for (const NovaNetwork& n : nets)
    list.push_back(kTenant ? TenantNetworkJson(n) : OsNetworkJson(call, n));
  call.res.Json(200, {{"networks", list}});
  return absl::OkStatus();
}

template <bool kTenant>
absl::Status ShowNetwork(Call& call) {
  GUREUM_ASSIGN_OR_RETURN(NovaNetwork n,
                          Proxies(call).GetNetwork(call.rc, call.Param("id"),
                                                   kTenant ? "os-tenant-networks" : "os-networks"));
  call.res.Json(200, {{"network", kTenant ? TenantNetworkJson(n) : OsNetworkJson(call, n)}});
  return absl::OkStatus();
}

// A required string member `key` of an action's argument (400 as Nova's schema).
absl::StatusOr<std::string> RequiredText(const json& arg, const std::string& action,
                                         const char* key) {
  std::optional<std::string> v = TextOf(arg, key);
  if (!v || v->empty()) {
    return absl::InvalidArgumentError("Invalid input for field/attribute " + action + ". Value: " +
                                      arg.dump() + ". '" + key + "' is a required property");
  }
  return *v;
}

absl::Status Action(Call& call, const std::string& key, const json& arg) {
  const std::string& id = call.Param("id");
  const bool floating = key == "addFloatingIp" || key == "removeFloatingIp";
  if (floating && call.version.minor > kLastFloatingAction)
    return absl::InvalidArgumentError("There is no such action: " + key);
  if (!arg.is_object())
    return absl::InvalidArgumentError("Invalid input for field/attribute " + key);
  absl::Status done;
  if (floating) {
    GUREUM_ASSIGN_OR_RETURN(std::string address, RequiredText(arg, key, "address"));
    if (key == "addFloatingIp") {
      const std::string fixed = TextOf(arg, "fixed_address").value_or("");
      done = Proxies(call).AddFloatingIp(call.rc, id, address, fixed);
    } else {
      done = Proxies(call).RemoveFloatingIp(call.rc, id, address);
    }
  } else {
    GUREUM_ASSIGN_OR_RETURN(std::string name, RequiredText(arg, key, "name"));
    done = key == "addSecurityGroup" ? Proxies(call).AddServerGroup(call.rc, id, name)
                                     : Proxies(call).RemoveServerGroup(call.rc, id, name);
  }
  GUREUM_RETURN_IF_ERROR(done);
  call.res.Empty(202);
  return absl::OkStatus();
}

void Register(NovaRoutes& routes) {
  routes.Add("GET", "/v2.1/os-security-groups", UpTo235(ListSecurityGroups));
  routes.Add("POST", "/v2.1/os-security-groups", UpTo235(CreateSecurityGroup));
  routes.Add("GET", "/v2.1/os-security-groups/{id}", UpTo235(ShowSecurityGroup));
  routes.Add("PUT", "/v2.1/os-security-groups/{id}", UpTo235(UpdateSecurityGroup));
  routes.Add("DELETE", "/v2.1/os-security-groups/{id}", UpTo235(DeleteSecurityGroup));
  // DELETE without an id: Nova's router has no such route (404, not 405).
  routes.Add("DELETE", "/v2.1/os-security-groups",
             [](Call&) -> absl::Status { return NoSuchResource(); });
  routes.Add("POST", "/v2.1/os-security-group-rules", UpTo235(CreateSecurityGroupRule));
  routes.Add("DELETE", "/v2.1/os-security-group-rules/{id}", UpTo235(DeleteSecurityGroupRule));
  routes.Add("GET", "/v2.1/servers/{id}/os-security-groups", ListServerSecurityGroups);
  routes.Add("GET", "/v2.1/os-floating-ips", UpTo235(ListFloatingIps));
  routes.Add("POST", "/v2.1/os-floating-ips", UpTo235(CreateFloatingIp));
  routes.Add("GET", "/v2.1/os-floating-ips/{id}", UpTo235(ShowFloatingIp));
  routes.Add("DELETE", "/v2.1/os-floating-ips/{id}", UpTo235(DeleteFloatingIp));
  routes.Add("GET", "/v2.1/os-floating-ip-pools", UpTo235(ListFloatingIpPools));
  routes.Add("GET", "/v2.1/os-networks", UpTo235(ListNetworks<false>));
  routes.Add("GET", "/v2.1/os-networks/{id}", UpTo235(ShowNetwork<false>));
  routes.Add("GET", "/v2.1/os-tenant-networks", UpTo235(ListNetworks<true>));
  routes.Add("GET", "/v2.1/os-tenant-networks/{id}", UpTo235(ShowNetwork<true>));
}

}  // namespace netproxy

bool IsNetworkProxyAction(const std::string& key) {
  return key == "addSecurityGroup" || key == "removeSecurityGroup" || key == "addFloatingIp" ||
         key == "removeFloatingIp";
}

absl::Status NetworkProxyAction(Call& call, const std::string& key, const json& arg) {
  return netproxy::Action(call, key, arg);
}

void RegisterNetworkProxyRoutes(NovaRoutes& routes) { netproxy::Register(routes); }

}  // namespace gureum::compute
