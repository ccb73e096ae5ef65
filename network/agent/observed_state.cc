#include "network/agent/observed_state.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "network/agent/firewall.h"

namespace gureum::network_agent {
namespace {

using json = nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

absl::StatusOr<json> ParseArray(const std::string& text, const char* what) {
  if (absl::StripAsciiWhitespace(text).empty()) return json::array();
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not a JSON array: ", text.substr(0, 200)));
  }
  return j;
}

absl::StatusOr<std::string> Output(HostSystem& host, const std::vector<std::string>& argv) {
  auto r = host.Run(argv);
  if (!r.ok()) return r.status();
  if (r->exit_code != 0) {
    return absl::InternalError(absl::StrCat(argv[0], " ", argv.size() > 1 ? argv[1] : "",
                                            " failed: ", r->output.substr(0, 300)));
  }
  return r->output;
}

}  // namespace

absl::StatusOr<std::map<std::string, Link>> ParseLinks(const std::string& ip_json) {
  auto arr = ParseArray(ip_json, "ip link");
  if (!arr.ok()) return arr.status();
  std::map<std::string, Link> out;
  for (const json& j : *arr) {
    Link l;
    l.name = Str(j, "ifname");
    if (l.name.empty()) continue;
    l.master = Str(j, "master");
    l.mtu = j.value("mtu", 0);
    l.mac = Str(j, "address");
    if (auto f = j.find("flags"); f != j.end() && f->is_array()) {
      for (const json& flag : *f) {
        if (flag.is_string() && flag.get<std::string>() == "UP") l.up = true;
      }
    }
    l.parent = Str(j, "link");
    if (auto li = j.find("linkinfo"); li != j.end() && li->is_object()) {
      l.kind = Str(*li, "info_kind");
      if (auto d = li->find("info_data"); d != li->end() && d->is_object()) {
        if (l.kind == "vxlan") {
          l.vxlan_id = d->value("id", -1);
          l.vxlan_local = Str(*d, "local");
          l.vxlan_port = d->value("port", 0);
          l.vxlan_learning = d->value("learning", false);
        } else if (l.kind == "vlan") {
          l.vlan_id = d->value("id", -1);
        }
      }
    }
    if (auto a = j.find("addr_info"); a != j.end() && a->is_array()) {
      for (const json& addr : *a) {
        if (Str(addr, "scope") != "global") continue;
        l.addresses.push_back(absl::StrCat(Str(addr, "local"), "/", addr.value("prefixlen", 0)));
      }
    }
    out[l.name] = std::move(l);
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::set<FdbEntry>>> ParseFdb(const std::string& bridge_json) {
  auto arr = ParseArray(bridge_json, "bridge fdb");
  if (!arr.ok()) return arr.status();
  std::map<std::string, std::set<FdbEntry>> out;
  for (const json& j : *arr) {
    std::string dev = Str(j, "ifname"), dst = Str(j, "dst");
    if (dev.empty() || dst.empty()) continue;
    out[dev].insert({Str(j, "mac"), dst});
  }
  return out;
}

absl::StatusOr<std::vector<Route>> ParseRoutes(const std::string& ip_json) {
  auto arr = ParseArray(ip_json, "ip route");
  if (!arr.ok()) return arr.status();
  std::vector<Route> out;
  for (const json& j : *arr) out.push_back({Str(j, "dst"), Str(j, "gateway"), Str(j, "dev")});
  return out;
}

std::set<std::string> ParseNamespaces(const std::string& ip_json) {
  std::set<std::string> out;
  auto arr = ParseArray(ip_json, "ip netns");
  if (!arr.ok()) return out;
  for (const json& j : *arr) {
    if (std::string n = Str(j, "name"); !n.empty()) out.insert(n);
  }
  return out;
}

absl::StatusOr<ObservedState> Observe(HostSystem& host, const std::set<std::string>& namespaces) {
  ObservedState s;
  auto links = Output(host, {"ip", "-d", "-j", "link", "show"});
  if (!links.ok()) return links.status();
  auto parsed = ParseLinks(*links);
  if (!parsed.ok()) return parsed.status();
  s.links = *std::move(parsed);
  bool any_vxlan = false;
  for (const auto& [name, l] : s.links) any_vxlan |= l.kind == "vxlan";
  if (any_vxlan) {
    auto fdb = Output(host, {"bridge", "-j", "fdb", "show"});
    if (!fdb.ok()) return fdb.status();
    auto f = ParseFdb(*fdb);
    if (!f.ok()) return f.status();
    s.fdb = *std::move(f);
  }
  auto ns = Output(host, {"ip", "-j", "netns", "list"});
  if (!ns.ok()) return ns.status();
  s.namespaces = ParseNamespaces(*ns);
  // The firewall's tables, each by one small chain: `nft list tables` would read the
  // whole ruleset (tens of milliseconds with a few hundred ports).
  for (const auto& [family, chain] : {std::pair<std::string, std::string>{"bridge", "port_in"},
                                      std::pair<std::string, std::string>{"inet", "zone"}}) {
    auto r = host.Run({"nft", "list", "chain", family, kFirewallTable, chain});
    if (!r.ok()) return r.status();
    if (r->exit_code == 0) s.nft_tables.insert(absl::StrCat(family, " ", kFirewallTable));
  }
  for (const std::string& name : namespaces) {
    if (!s.namespaces.count(name)) continue;
    NamespaceState inside;
    auto addrs = Output(host, {"ip", "-n", name, "-d", "-j", "addr", "show"});
    if (!addrs.ok()) return addrs.status();
    auto l = ParseLinks(*addrs);
    if (!l.ok()) return l.status();
    inside.links = *std::move(l);
    if (absl::StartsWith(name, "qrouter-")) {
      auto routes = Output(host, {"ip", "-n", name, "-j", "route", "show"});
      if (!routes.ok()) return routes.status();
      auto r = ParseRoutes(*routes);
      if (!r.ok()) return r.status();
      inside.routes = *std::move(r);
    }
    s.inside[name] = std::move(inside);
  }
  return s;
}

}  // namespace gureum::network_agent
