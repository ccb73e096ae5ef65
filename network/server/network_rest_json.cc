// Neutron JSON for every resource of the REST adapter (proto -> JSON), and the list
// filters (FilterList); the request bodies are read in network_rest_parse.cc.
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "network/server/network_rest.h"

namespace gureum::network {

using nlohmann::json;

namespace {

json Tags(const google::protobuf::RepeatedPtrField<std::string>& t) {
  return json(std::vector<std::string>(t.begin(), t.end()));
}
json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json NullIfNeg(int v) { return v < 0 ? json(nullptr) : json(v); }

json FixedIps(const google::protobuf::RepeatedPtrField<v1::FixedIp>& ips) {
  json a = json::array();
  for (const auto& f : ips)
    a.push_back({{"subnet_id", f.subnet_id()}, {"ip_address", f.ip_address()}});
  return a;
}

json Routes(const google::protobuf::RepeatedPtrField<v1::HostRoute>& routes) {
  json a = json::array();
  for (const auto& r : routes)
    a.push_back({{"destination", r.destination()}, {"nexthop", r.nexthop()}});
  return a;
}

json DhcpOptions(const google::protobuf::RepeatedPtrField<v1::ExtraDhcpOpt>& opts) {
  json a = json::array();
  for (const auto& o : opts) {
    a.push_back(
        {{"opt_name", o.opt_name()}, {"opt_value", o.opt_value()}, {"ip_version", o.ip_version()}});
  }
  return a;
}

}  // namespace

json NetworkJson(const v1::Network& n, bool admin) {
  json j = {{"id", n.id()},
            {"name", n.name()},
            {"tenant_id", n.project_id()},
            {"project_id", n.project_id()},
            {"status", n.status()},
            {"admin_state_up", n.admin_state_up()},
            {"shared", n.shared()},
            {"router:external", n.router_external()},
            {"mtu", n.mtu()},
            {"port_security_enabled", n.port_security_enabled()},
            {"subnets", std::vector<std::string>(n.subnet_ids().begin(), n.subnet_ids().end())},
            {"availability_zones", json::array({"nova"})},
            {"availability_zone_hints", json::array()},
            {"ipv4_address_scope", nullptr},
            {"ipv6_address_scope", nullptr},
            {"is_default", false},
            {"l2_adjacency", true},
            {"description", n.description()},
            {"tags", Tags(n.tags())},
            {"created_at", n.created_at()},
            {"updated_at", n.updated_at()},
            {"revision_number", n.revision_number()}};
  if (admin) {
    j["provider:network_type"] = n.network_type();
    j["provider:physical_network"] = NullIfEmpty(n.physical_network());
    j["provider:segmentation_id"] =
        n.network_type() == "flat" ? json(nullptr) : json(n.segmentation_id());
  }
  return j;
}

json SubnetJson(const v1::Subnet& s) {
  json pools = json::array();
  for (const auto& p : s.allocation_pools())
    pools.push_back({{"start", p.start()}, {"end", p.end()}});
  return {{"id", s.id()},
          {"name", s.name()},
          {"tenant_id", s.project_id()},
          {"project_id", s.project_id()},
          {"network_id", s.network_id()},
          {"ip_version", s.ip_version()},
          {"cidr", s.cidr()},
          {"gateway_ip", NullIfEmpty(s.gateway_ip())},
          {"allocation_pools", pools},
          {"enable_dhcp", s.enable_dhcp()},
          {"dns_nameservers", Tags(s.dns_nameservers())},
          {"host_routes", Routes(s.host_routes())},
          {"ipv6_ra_mode", NullIfEmpty(s.ipv6_ra_mode())},
          {"ipv6_address_mode", NullIfEmpty(s.ipv6_address_mode())},
          {"subnetpool_id", nullptr},
          {"segment_id", nullptr},
          {"service_types", json::array()},
          {"description", s.description()},
          {"tags", Tags(s.tags())},
          {"created_at", s.created_at()},
          {"updated_at", s.updated_at()},
          {"revision_number", s.revision_number()}};
}

json PortJson(const v1::Port& p, bool admin) {
  json pairs = json::array();
  for (const auto& a : p.allowed_address_pairs()) {
    pairs.push_back({{"ip_address", a.ip_address()},
                     {"mac_address", a.mac_address().empty() ? p.mac_address() : a.mac_address()}});
  }
  json j = {{"id", p.id()},
            {"name", p.name()},
            {"tenant_id", p.project_id()},
            {"project_id", p.project_id()},
            {"network_id", p.network_id()},
            {"mac_address", p.mac_address()},
            {"fixed_ips", FixedIps(p.fixed_ips())},
            {"device_id", p.device_id()},
            {"device_owner", p.device_owner()},
            {"status", p.status()},
            {"admin_state_up", p.admin_state_up()},
            {"port_security_enabled", p.port_security_enabled()},
            {"security_groups", Tags(p.security_group_ids())},
            {"allowed_address_pairs", pairs},
            {"extra_dhcp_opts", DhcpOptions(p.extra_dhcp_opts())},
            {"binding:vnic_type", "normal"},
            {"dns_name", ""},
            {"dns_assignment", json::array()},
            {"description", p.description()},
            {"tags", Tags(p.tags())},
            {"created_at", p.created_at()},
            {"updated_at", p.updated_at()},
            {"revision_number", p.revision_number()}};
  if (admin) {
    j["binding:host_id"] = p.binding_host();
    j["binding:vif_type"] = p.vif_type();
    j["binding:vif_details"] =
        p.binding_host().empty()
            ? json::object()
            : json{{"bridge_name", p.bridge_name()}, {"port_filter", true}, {"connectivity", "l2"}};
    j["binding:profile"] = json::object();
  }
  return j;
}

json RuleJson(const v1::SecurityGroupRule& r) {
  return {{"id", r.id()},
          {"security_group_id", r.security_group_id()},
          {"tenant_id", r.project_id()},
          {"project_id", r.project_id()},
          {"direction", r.direction()},
          {"ethertype", r.ethertype()},
          {"protocol", NullIfEmpty(r.protocol())},
          {"port_range_min", NullIfNeg(r.port_range_min())},
          {"port_range_max", NullIfNeg(r.port_range_max())},
          {"remote_ip_prefix", NullIfEmpty(r.remote_ip_prefix())},
          {"remote_group_id", NullIfEmpty(r.remote_group_id())},
          {"remote_address_group_id", nullptr},
          {"normalized_cidr", NullIfEmpty(r.remote_ip_prefix())},
          {"description", r.description()},
          {"created_at", r.created_at()},
          {"updated_at", r.updated_at()},
          {"revision_number", r.revision_number()}};
}

json GroupJson(const v1::SecurityGroup& g) {
  json rules = json::array();
  for (const auto& r : g.rules()) rules.push_back(RuleJson(r));
  return {{"id", g.id()},
          {"name", g.name()},
          {"tenant_id", g.project_id()},
          {"project_id", g.project_id()},
          {"description", g.description()},
          {"security_group_rules", rules},
          {"stateful", true},
          {"shared", false},
          {"tags", Tags(g.tags())},
          {"created_at", g.created_at()},
          {"updated_at", g.updated_at()},
          {"revision_number", g.revision_number()}};
}

json RouterJson(const v1::Router& r) {
  json gw = nullptr;
  if (r.has_external_gateway()) {
    gw = {{"network_id", r.external_gateway().network_id()},
          {"enable_snat", r.external_gateway().enable_snat()},
          {"external_fixed_ips", FixedIps(r.external_gateway().external_fixed_ips())}};
  }
  return {{"id", r.id()},
          {"name", r.name()},
          {"tenant_id", r.project_id()},
          {"project_id", r.project_id()},
          {"status", r.status()},
          {"admin_state_up", r.admin_state_up()},
          {"external_gateway_info", gw},
          {"routes", Routes(r.routes())},
          {"distributed", false},
          {"ha", false},
          {"flavor_id", nullptr},
          {"availability_zones", json::array({"nova"})},
          {"availability_zone_hints", json::array()},
          {"description", r.description()},
          {"tags", Tags(r.tags())},
          {"created_at", r.created_at()},
          {"updated_at", r.updated_at()},
          {"revision_number", r.revision_number()}};
}

json FloatingIpJson(const v1::FloatingIp& f) {
  return {{"id", f.id()},
          {"tenant_id", f.project_id()},
          {"project_id", f.project_id()},
          {"floating_network_id", f.floating_network_id()},
          {"floating_ip_address", f.floating_ip_address()},
          {"port_id", NullIfEmpty(f.port_id())},
          {"fixed_ip_address", NullIfEmpty(f.fixed_ip_address())},
          {"router_id", NullIfEmpty(f.router_id())},
          {"status", f.status()},
          {"port_details", nullptr},
          {"port_forwardings", json::array()},
          {"dns_domain", ""},
          {"dns_name", ""},
          {"qos_policy_id", nullptr},
          {"description", f.description()},
          {"tags", Tags(f.tags())},
          {"created_at", f.created_at()},
          {"updated_at", f.updated_at()},
          {"revision_number", f.revision_number()}};
}

json AgentJson(const v1::Agent& a) {
  return {{"id", a.id()},
          {"host", a.host()},
          {"agent_type", a.agent_type()},
          {"binary", a.binary()},
          {"alive", a.alive()},
          {"admin_state_up", a.admin_state_up()},
          {"availability_zone", nullptr},
          {"topic", "N/A"},
          {"heartbeat_timestamp", a.heartbeat_at()},
          {"description", nullptr},
          {"configurations", {{"tunneling_ip", a.local_ip()}, {"dhcp", a.dhcp()}, {"l3", a.l3()}}}};
}

namespace {

bool MatchValue(const json& v, const std::string& want) {
  if (v.is_string()) return v.get<std::string>() == want;
  if (v.is_boolean()) {
    std::string l = absl::AsciiStrToLower(want);
    return v.get<bool>() == (l == "true" || l == "1");
  }
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>()) == want;
  if (v.is_null()) return want.empty() || want == "None" || want == "null";
  return false;
}

}  // namespace

json FilterList(const json& list, const std::multimap<std::string, std::string>& query) {
  static const std::set<std::string> kSkip = {"fields",   "limit",        "marker", "sort_key",
                                              "sort_dir", "page_reverse", "tags",   "tags-any",
                                              "not-tags", "not-tags-any"};
  // Group values per key: an item matches a key if it matches any of its values.
  std::map<std::string, std::vector<std::string>> wanted;
  for (const auto& [k, v] : query) {
    if (!kSkip.count(k)) wanted[k].push_back(v);
  }
  std::vector<std::string> tags, tags_any;
  for (const auto& [k, v] : query) {
    if (k == "tags")
      for (auto t : absl::StrSplit(v, ',')) tags.emplace_back(t);
    if (k == "tags-any")
      for (auto t : absl::StrSplit(v, ',')) tags_any.emplace_back(t);
  }
  json out = json::array();
  for (const auto& item : list) {
    bool keep = true;
    for (const auto& [key, values] : wanted) {
      if (!item.contains(key)) continue;
      const json& v = item[key];
      bool any = false;
      for (const std::string& want : values) {
        if (key == "fixed_ips") {
          auto eq = want.find('=');
          std::string field = eq == std::string::npos ? "ip_address" : want.substr(0, eq);
          std::string value = eq == std::string::npos ? want : want.substr(eq + 1);
          for (const auto& f : v) {
            if (field == "ip_address_substr") {  // Neutron's substring match of an address
              any = any || f.value("ip_address", "").find(value) != std::string::npos;
            } else {
              any = any || (f.contains(field) && f[field] == value);
            }
          }
        } else if (v.is_array()) {
          for (const auto& e : v) any = any || MatchValue(e, want);
        } else {
          any = any || MatchValue(v, want);
        }
      }
      keep = keep && any;
    }
    if (keep && item.contains("tags")) {
      for (const auto& t : tags)
        keep = keep && std::find(item["tags"].begin(), item["tags"].end(), t) != item["tags"].end();
      if (!tags_any.empty()) {
        bool any = false;
        for (const auto& t : tags_any)
          any = any || std::find(item["tags"].begin(), item["tags"].end(), t) != item["tags"].end();
        keep = keep && any;
      }
    }
    if (!keep) continue;
    auto [lo, hi] = query.equal_range("fields");
    if (lo != hi) {
      json narrowed = json::object();
      for (auto it = lo; it != hi; ++it) {
        for (auto f : absl::StrSplit(it->second, ',')) {
          std::string name(f);
          if (item.contains(name)) narrowed[name] = item[name];
        }
      }
      out.push_back(narrowed);
    } else {
      out.push_back(item);
    }
  }
  return out;
}

}  // namespace gureum::network