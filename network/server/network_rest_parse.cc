// Neutron request bodies -> proto for every resource of the REST adapter, read as
// Neutron's attribute map does (Reader).
#include <limits>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "network/server/network_errors.h"
#include "network/server/network_rest.h"

namespace gureum::network {

using nlohmann::json;

namespace {

// Field readers: each checks the JSON type and records the field as given.
// Reads a resource body's attributes as Neutron's attribute map does: each accessor names
// the key it reads, and status() refuses any key none of them read ("Unrecognized
// attribute(s)", 400), a string holding a NUL, a null where the attribute has no null, and
// an integer out of range.
class Reader {
 public:
  Reader(const json& j, Fields* given) : j_(j), given_(given) {}
  // The first error met, else 400 for keys nobody read.
  absl::Status status() const {
    if (!status_.ok()) return status_;
    std::string unknown;
    int n = 0;
    for (const auto& [key, value] : j_.items()) {
      if (seen_.count(key)) continue;
      if (n++ < 5) absl::StrAppend(&unknown, unknown.empty() ? "" : ", ", key.substr(0, 64));
    }
    if (n > 5) absl::StrAppend(&unknown, " and ", n - 5, " more");
    if (n > 0) return BadRequest("Unrecognized attribute(s) '" + unknown + "'");
    return absl::OkStatus();
  }
  // Keys a parser handles by hand, or accepts and ignores.
  void Known(std::initializer_list<const char*> keys) {
    for (const char* k : keys) seen_.insert(k);
  }

  bool Has(const char* key) {
    seen_.insert(key);
    return j_.contains(key);
  }
  // `nullable`: null clears the attribute (gateway_ip, port_id ...); elsewhere it is 400.
  void Str(const char* key, const char* field, std::string* out, bool nullable = false) {
    seen_.insert(key);
    if (!j_.contains(key)) return;
    const json& v = j_[key];
    if (v.is_null() && nullable) {
      out->clear();
    } else if (v.is_string()) {
      if (v.get_ref<const std::string&>().find('\0') != std::string::npos) {
        return Fail(key, "a string without NUL characters");
      }
      *out = v.get<std::string>();
    } else {
      return Fail(key, "a string");
    }
    given_->insert(field);
  }
  // project_id, or its older name tenant_id (both: the same value).
  void Project(std::string* out) {
    std::string project, tenant;
    Str("project_id", "project_id", &project);
    Str("tenant_id", "project_id", &tenant);
    if (!project.empty() && !tenant.empty() && project != tenant) {
      return Fail("tenant_id", "the same as project_id when both are given");
    }
    *out = project.empty() ? tenant : project;
  }
  void Bool(const char* key, const char* field, std::function<void(bool)> set) {
    seen_.insert(key);
    if (!j_.contains(key)) return;
    const json& v = j_[key];
    if (v.is_boolean()) {
      set(v.get<bool>());
    } else if (v.is_string() && (absl::AsciiStrToLower(v.get<std::string>()) == "true" ||
                                 absl::AsciiStrToLower(v.get<std::string>()) == "false")) {
      set(absl::AsciiStrToLower(v.get<std::string>()) == "true");
    } else {
      return Fail(key, "a boolean");
    }
    given_->insert(field);
  }
  // An integer in [min, max] (a JSON number or a string of digits, as Neutron converts);
  // null gives `null_value` when the attribute has a null (nullopt: 400).
  void Int(const char* key, const char* field, std::function<void(int)> set,
           std::optional<int> null_value, int64_t min = 0,
           int64_t max = std::numeric_limits<int>::max()) {
    seen_.insert(key);
    if (!j_.contains(key)) return;
    const json& v = j_[key];
    int64_t n = 0;
    if (v.is_null() && null_value) {
      set(*null_value);
      given_->insert(field);
      return;
    } else if (v.is_number_integer() && v.is_number_unsigned()) {
      const uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(max)) return Fail(key, "an integer in range");
      n = static_cast<int64_t>(u);
    } else if (v.is_number_integer()) {
      n = v.get<int64_t>();
    } else if (!v.is_string() || !absl::SimpleAtoi(v.get<std::string>(), &n)) {
      return Fail(key, "an integer");
    }
    if (n < min || n > max)
      return Fail(key, absl::StrCat("an integer from ", min, " to ", max).c_str());
    set(static_cast<int>(n));
    given_->insert(field);
  }
  void Strings(const char* key, const char* field,
               google::protobuf::RepeatedPtrField<std::string>* out) {
    seen_.insert(key);
    if (!j_.contains(key)) return;
    const json& v = j_[key];
    out->Clear();
    if (v.is_null()) {
      given_->insert(field);
      return;
    }
    if (!v.is_array()) return Fail(key, "a list of strings");
    for (const auto& s : v) {
      if (!s.is_string()) return Fail(key, "a list of strings");
      if (s.get_ref<const std::string&>().find('\0') != std::string::npos) {
        return Fail(key, "a list of strings without NUL characters");
      }
      out->Add(s.get<std::string>());
    }
    given_->insert(field);
  }
  void Routes(const char* key, const char* field,
              google::protobuf::RepeatedPtrField<v1::HostRoute>* out) {
    seen_.insert(key);
    if (!j_.contains(key)) return;
    const json& v = j_[key];
    out->Clear();
    if (!v.is_null() && !v.is_array()) return Fail(key, "a list of {destination, nexthop}");
    if (v.is_array()) {
      for (const auto& r : v) {
        if (!r.is_object() || !r.value("destination", json()).is_string() ||
            !r.value("nexthop", json()).is_string()) {
          return Fail(key, "a list of {destination, nexthop}");
        }
        auto* o = out->Add();
        o->set_destination(r["destination"].get<std::string>());
        o->set_nexthop(r["nexthop"].get<std::string>());
      }
    }
    given_->insert(field);
  }
  void FixedIps(const char* key, const char* field,
                google::protobuf::RepeatedPtrField<v1::FixedIp>* out) {
    seen_.insert(key);
    if (!j_.contains(key)) return;
    const json& v = j_[key];
    out->Clear();
    if (!v.is_null() && !v.is_array()) return Fail(key, "a list of {subnet_id, ip_address}");
    if (v.is_array()) {
      for (const auto& f : v) {
        if (!f.is_object()) return Fail(key, "a list of {subnet_id, ip_address}");
        auto* o = out->Add();
        if (f.contains("subnet_id") && f["subnet_id"].is_string())
          o->set_subnet_id(f["subnet_id"].get<std::string>());
        if (f.contains("ip_address") && f["ip_address"].is_string())
          o->set_ip_address(f["ip_address"].get<std::string>());
      }
    }
    given_->insert(field);
  }
  void Fail(const char* key, const char* what) {
    if (status_.ok()) {
      status_ = InvalidInput(std::string("'") + key + "' must be " + what + ".");
    }
  }

 private:
  const json& j_;
  Fields* given_;
  absl::Status status_;
  std::set<std::string, std::less<>> seen_;
};

absl::Status NeedObject(const json& j) {
  if (!j.is_object()) return BadRequest("The resource in the request body must be a JSON object.");
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseNetwork(const json& j, v1::Network* n, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  std::string s;
  r.Str("name", "name", n->mutable_name());
  r.Str("description", "description", n->mutable_description());
  r.Project(n->mutable_project_id());
  r.Bool("admin_state_up", "admin_state_up", [&](bool v) { n->set_admin_state_up(v); });
  r.Bool("shared", "shared", [&](bool v) { n->set_shared(v); });
  r.Bool("router:external", "router_external", [&](bool v) { n->set_router_external(v); });
  r.Bool("port_security_enabled", "port_security_enabled",
         [&](bool v) { n->set_port_security_enabled(v); });
  r.Str("provider:network_type", "network_type", n->mutable_network_type());
  r.Str("provider:physical_network", "physical_network", n->mutable_physical_network());
  r.Int(
      "provider:segmentation_id", "segmentation_id", [&](int v) { n->set_segmentation_id(v); }, 0,
      0, (1 << 24) - 1);
  r.Int(
      "mtu", "mtu", [&](int v) { n->set_mtu(v); }, std::nullopt, 68, 65535);
  r.Known({"availability_zone_hints"});  // accepted and ignored: one zone
  r.Strings("tags", "tags", n->mutable_tags());
  return r.status();
}

absl::Status ParseSubnet(const json& j, v1::Subnet* s, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  r.Str("name", "name", s->mutable_name());
  r.Str("description", "description", s->mutable_description());
  r.Project(s->mutable_project_id());
  r.Str("network_id", "network_id", s->mutable_network_id());
  r.Int(
      "ip_version", "ip_version", [&](int v) { s->set_ip_version(v); }, std::nullopt, 4, 6);
  r.Str("cidr", "cidr", s->mutable_cidr());
  r.Str("gateway_ip", "gateway_ip", s->mutable_gateway_ip(), /*nullable=*/true);
  r.Bool("enable_dhcp", "enable_dhcp", [&](bool v) { s->set_enable_dhcp(v); });
  r.Strings("dns_nameservers", "dns_nameservers", s->mutable_dns_nameservers());
  r.Routes("host_routes", "host_routes", s->mutable_host_routes());
  r.Str("ipv6_ra_mode", "ipv6_ra_mode", s->mutable_ipv6_ra_mode(), /*nullable=*/true);
  r.Str("ipv6_address_mode", "ipv6_address_mode", s->mutable_ipv6_address_mode(),
        /*nullable=*/true);
  r.Strings("tags", "tags", s->mutable_tags());
  r.Known({"allocation_pools", "subnetpool_id"});
  if (j.contains("allocation_pools") && !j["allocation_pools"].is_null()) {
    if (!j["allocation_pools"].is_array())
      return InvalidInput("'allocation_pools' must be a list of {start, end}.");
    for (const auto& p : j["allocation_pools"]) {
      if (!p.is_object() || !p.value("start", json()).is_string() ||
          !p.value("end", json()).is_string()) {
        return InvalidInput("'allocation_pools' must be a list of {start, end}.");
      }
      auto* o = s->add_allocation_pools();
      o->set_start(p["start"].get<std::string>());
      o->set_end(p["end"].get<std::string>());
    }
    g->insert("allocation_pools");
  }
  if (j.contains("subnetpool_id") && !j["subnetpool_id"].is_null()) {
    return BadRequest("Subnet pools are not supported; give a cidr.");
  }
  return r.status();
}

// Neutron's extra_dhcp_opts: [{"opt_name", "opt_value" (null: remove it, on an update),
// "ip_version" (4 or 6, default 4)}].
absl::Status ParseDhcpOptions(const json& j, v1::Port* p, Fields* g) {
  if (!j.contains("extra_dhcp_opts")) return absl::OkStatus();
  const json& a = j["extra_dhcp_opts"];
  if (!a.is_null() && !a.is_array()) return InvalidInput("'extra_dhcp_opts' must be a list.");
  for (const auto& x : a.is_array() ? a : json::array()) {
    if (!x.is_object() || !x.value("opt_name", json()).is_string())
      return InvalidInput("each extra DHCP option needs an opt_name.");
    const json value = x.value("opt_value", json());
    if (!value.is_null() && !value.is_string())
      return InvalidInput("opt_value of an extra DHCP option must be a string or null.");
    const json version = x.value("ip_version", json(4));
    int v = 0;
    if (version.is_number_integer()) {
      v = version.get<int>();
    } else if (!version.is_string() || !absl::SimpleAtoi(version.get<std::string>(), &v)) {
      v = 0;
    }
    if (v != 4 && v != 6) return InvalidInput("ip_version of an extra DHCP option must be 4 or 6.");
    auto* o = p->add_extra_dhcp_opts();
    o->set_opt_name(x["opt_name"].get<std::string>());
    o->set_opt_value(value.is_string() ? value.get<std::string>() : "");
    o->set_ip_version(v);
  }
  g->insert("extra_dhcp_opts");
  return absl::OkStatus();
}

absl::Status ParsePort(const json& j, v1::Port* p, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  r.Str("name", "name", p->mutable_name());
  r.Str("description", "description", p->mutable_description());
  r.Project(p->mutable_project_id());
  r.Str("network_id", "network_id", p->mutable_network_id());
  r.Str("mac_address", "mac_address", p->mutable_mac_address());
  r.Str("device_id", "device_id", p->mutable_device_id());
  r.Str("device_owner", "device_owner", p->mutable_device_owner());
  r.Str("binding:host_id", "binding_host", p->mutable_binding_host());
  r.Bool("admin_state_up", "admin_state_up", [&](bool v) { p->set_admin_state_up(v); });
  r.Bool("port_security_enabled", "port_security_enabled",
         [&](bool v) { p->set_port_security_enabled(v); });
  r.Strings("security_groups", "security_group_ids", p->mutable_security_group_ids());
  r.FixedIps("fixed_ips", "fixed_ips", p->mutable_fixed_ips());
  r.Strings("tags", "tags", p->mutable_tags());
  // binding's vnic type and profile: accepted, not acted on (the extension is listed for the
  // clients that send them by default).
  r.Known({"allowed_address_pairs", "extra_dhcp_opts", "binding:vnic_type", "binding:profile"});
  GUREUM_RETURN_IF_ERROR(ParseDhcpOptions(j, p, g));
  if (j.contains("allowed_address_pairs")) {
    const json& a = j["allowed_address_pairs"];
    if (!a.is_null() && !a.is_array())
      return InvalidInput("'allowed_address_pairs' must be a list.");
    if (a.is_array()) {
      for (const auto& x : a) {
        if (!x.is_object() || !x.value("ip_address", json()).is_string()) {
          return InvalidInput("each allowed address pair needs an ip_address.");
        }
        auto* o = p->add_allowed_address_pairs();
        o->set_ip_address(x["ip_address"].get<std::string>());
        if (x.value("mac_address", json()).is_string())
          o->set_mac_address(x["mac_address"].get<std::string>());
      }
    }
    g->insert("allowed_address_pairs");
  }
  return r.status();
}

absl::Status ParseGroup(const json& j, v1::SecurityGroup* s, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  r.Str("name", "name", s->mutable_name());
  r.Str("description", "description", s->mutable_description());
  r.Project(s->mutable_project_id());
  r.Strings("tags", "tags", s->mutable_tags());
  r.Known({"stateful"});  // security groups are always stateful here
  return r.status();
}

absl::Status ParseRule(const json& j, v1::SecurityGroupRule* x, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  r.Str("security_group_id", "security_group_id", x->mutable_security_group_id());
  r.Str("direction", "direction", x->mutable_direction());
  r.Str("ethertype", "ethertype", x->mutable_ethertype());
  if (j.contains("protocol") && j["protocol"].is_number()) {
    r.Int(
        "protocol", "protocol", [&](int v) { x->set_protocol(std::to_string(v)); }, std::nullopt, 0,
        255);
  } else {
    r.Str("protocol", "protocol", x->mutable_protocol(), /*nullable=*/true);  // null: any protocol
  }
  x->set_port_range_min(-1);
  x->set_port_range_max(-1);
  // Neutron's attribute check of a port (or ICMP type/code) value, with its words.
  for (const char* k : {"port_range_min", "port_range_max"}) {
    if (j.contains(k) && j[k].is_number_integer() &&
        (j[k].get<int64_t>() < 0 || j[k].get<int64_t>() > 65535)) {
      return InvalidInput(absl::StrCat("Invalid value for port ", j[k].dump(), "."));
    }
  }
  r.Int(
      "port_range_min", "port_range_min", [&](int v) { x->set_port_range_min(v); }, -1, 0, 65535);
  r.Int(
      "port_range_max", "port_range_max", [&](int v) { x->set_port_range_max(v); }, -1, 0, 65535);
  r.Str("remote_ip_prefix", "remote_ip_prefix", x->mutable_remote_ip_prefix(), /*nullable=*/true);
  r.Str("remote_group_id", "remote_group_id", x->mutable_remote_group_id(), /*nullable=*/true);
  r.Str("description", "description", x->mutable_description());
  r.Project(x->mutable_project_id());
  r.Known({"remote_address_group_id"});
  if (j.contains("remote_address_group_id") && !j["remote_address_group_id"].is_null()) {
    return BadRequest("Address groups are not supported.");
  }
  return r.status();
}

absl::Status ParseRouter(const json& j, v1::Router* x, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  r.Str("name", "name", x->mutable_name());
  r.Str("description", "description", x->mutable_description());
  r.Project(x->mutable_project_id());
  r.Bool("admin_state_up", "admin_state_up", [&](bool v) { x->set_admin_state_up(v); });
  r.Routes("routes", "routes", x->mutable_routes());
  r.Known({"external_gateway_info", "availability_zone_hints"});
  r.Strings("tags", "tags", x->mutable_tags());
  if (j.contains("external_gateway_info")) {
    const json& gw = j["external_gateway_info"];
    g->insert("external_gateway");
    if (gw.is_object() && !gw.empty()) {
      if (!gw.value("network_id", json()).is_string()) {
        return InvalidInput("external_gateway_info needs a network_id.");
      }
      auto* o = x->mutable_external_gateway();
      o->set_network_id(gw["network_id"].get<std::string>());
      if (gw.contains("enable_snat") && gw["enable_snat"].is_boolean()) {
        o->set_enable_snat(gw["enable_snat"].get<bool>());
        g->insert("enable_snat");
      }
      if (gw.contains("external_fixed_ips") && gw["external_fixed_ips"].is_array()) {
        for (const auto& f : gw["external_fixed_ips"]) {
          auto* ip = o->add_external_fixed_ips();
          if (f.value("subnet_id", json()).is_string())
            ip->set_subnet_id(f["subnet_id"].get<std::string>());
          if (f.value("ip_address", json()).is_string())
            ip->set_ip_address(f["ip_address"].get<std::string>());
        }
      }
    } else if (!gw.is_null() && !gw.is_object()) {
      return InvalidInput("external_gateway_info must be an object or null.");
    }
  }
  return r.status();
}

absl::Status ParseFloatingIp(const json& j, v1::FloatingIp* f, Fields* g) {
  GUREUM_RETURN_IF_ERROR(NeedObject(j));
  Reader r(j, g);
  r.Str("floating_network_id", "floating_network_id", f->mutable_floating_network_id());
  r.Str("floating_ip_address", "floating_ip_address", f->mutable_floating_ip_address(),
        /*nullable=*/true);
  r.Str("port_id", "port_id", f->mutable_port_id(), /*nullable=*/true);
  r.Str("fixed_ip_address", "fixed_ip_address", f->mutable_fixed_ip_address(), /*nullable=*/true);
  r.Project(f->mutable_project_id());
  r.Str("description", "description", f->mutable_description());
  r.Strings("tags", "tags", f->mutable_tags());
  r.Known({"subnet_id"});
  if (j.contains("subnet_id") && !j["subnet_id"].is_null()) {
    return BadRequest(
        "Choosing the floating IP's subnet is not supported; give floating_ip_address.");
  }
  return r.status();
}

}  // namespace gureum::network
