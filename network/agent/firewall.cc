#include "network/agent/firewall.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>

#include <arpa/inet.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace gureum::network_agent {
namespace {

struct Prefix {
  int family = 0;
  std::array<uint8_t, 16> bytes{};
  int len = 0;
  std::string text;
};

bool ParsePrefix(const std::string& text, Prefix* out) {
  std::string addr = text;
  int len = -1;
  if (size_t slash = text.find('/'); slash != std::string::npos) {
    addr = text.substr(0, slash);
    if (!absl::SimpleAtoi(text.substr(slash + 1), &len)) return false;
  }
  if (inet_pton(AF_INET, addr.c_str(), out->bytes.data()) == 1) {
    out->family = 4;
    if (len < 0) len = 32;
    if (len > 32) return false;
  } else if (inet_pton(AF_INET6, addr.c_str(), out->bytes.data()) == 1) {
    out->family = 6;
    if (len < 0) len = 128;
    if (len > 128) return false;
  } else {
    return false;
  }
  out->len = len;
  // Host bits cleared: nftables refuses a prefix with host bits set.
  int total = out->family == 4 ? 4 : 16;
  for (int i = 0; i < total; ++i) {
    int keep = std::clamp(len - 8 * i, 0, 8);
    out->bytes[i] &= static_cast<uint8_t>(0xff << (8 - keep));
  }
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(out->family == 4 ? AF_INET : AF_INET6, out->bytes.data(), buf, sizeof(buf));
  out->text =
      (len == (out->family == 4 ? 32 : 128)) ? std::string(buf) : absl::StrCat(buf, "/", len);
  return true;
}

bool Contains(const Prefix& outer, const Prefix& inner) {
  if (outer.family != inner.family || outer.len > inner.len) return false;
  for (int bit = 0; bit < outer.len; ++bit) {
    int mask = 0x80 >> (bit % 8);
    if ((outer.bytes[bit / 8] & mask) != (inner.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

std::string Quote(const std::string& s) { return absl::StrCat("\"", s, "\""); }

// Everything from the server that lands in the rule text is checked, so a strange id or
// name can never inject nftables syntax: names and ids of [A-Za-z0-9_.:-], MACs in the
// colon form.
bool SafeToken(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' &&
        c != ':') {
      return false;
    }
  }
  return true;
}

bool SafeMac(const std::string& mac) {
  if (mac.size() != 17) return false;
  for (size_t i = 0; i < mac.size(); ++i) {
    bool colon = i % 3 == 2;
    if (colon ? mac[i] != ':' : !absl::ascii_isxdigit(static_cast<unsigned char>(mac[i])))
      return false;
  }
  return true;
}

std::string SetOf(const std::vector<std::string>& elements) {
  return absl::StrCat("{ ", absl::StrJoin(elements, ", "), " }");
}

std::string SetName(const std::string& group_id, int family) {
  return absl::StrCat("rg_", absl::StrReplaceAll(group_id, {{"-", "_"}}), "_v", family);
}

const std::map<std::string, int>& ProtocolNumbers() {
  static const auto* m = new std::map<std::string, int>{
      {"icmp", 1},  {"igmp", 2},   {"ipip", 4},   {"tcp", 6},       {"egp", 8},        {"udp", 17},
      {"gre", 47},  {"esp", 50},   {"ah", 51},    {"icmpv6", 58},   {"ipv6-icmp", 58}, {"ospf", 89},
      {"pim", 103}, {"vrrp", 112}, {"sctp", 132}, {"udplite", 136}, {"dccp", 33}};
  return *m;
}

// One security group rule as an nftables match; false (with a warning) when it cannot be
// expressed.
bool RuleMatch(const pb::SecurityGroupRule& r, std::string* out, std::string* why) {
  std::vector<std::string> parts;
  int family = r.ethertype() == "IPv6" ? 6 : 4;
  parts.push_back(family == 4 ? "meta nfproto ipv4" : "meta nfproto ipv6");
  std::string proto = absl::AsciiStrToLower(r.protocol());
  int number = -1;
  if (proto.empty() || proto == "any") {
    number = -1;
  } else if (auto it = ProtocolNumbers().find(proto); it != ProtocolNumbers().end()) {
    number = it->second;
  } else if (!absl::SimpleAtoi(proto, &number) || number < 0 || number > 255) {
    *why = absl::StrCat("unknown protocol '", r.protocol(), "'");
    return false;
  }
  if (number == 1 && family == 6) number = 58;  // Neutron: icmp on IPv6 means icmpv6
  int lo = r.port_range_min(), hi = r.port_range_max();
  if (number == 6 || number == 17 || number == 132 || number == 33 || number == 136) {
    std::string name = number == 6     ? "tcp"
                       : number == 17  ? "udp"
                       : number == 132 ? "sctp"
                       : number == 33  ? "dccp"
                                       : "udplite";
    parts.push_back(absl::StrCat("meta l4proto ", name));
    if (lo > 0 || hi > 0) {
      if (lo <= 0) lo = hi;
      if (hi <= 0) hi = lo;
      if (lo > 65535 || hi > 65535 || lo > hi) {
        *why = absl::StrCat("bad port range ", r.port_range_min(), "-", r.port_range_max());
        return false;
      }
      parts.push_back(lo == hi ? absl::StrCat("th dport ", lo)
                               : absl::StrCat("th dport ", lo, "-", hi));
    }
  } else if (number == 1 || number == 58) {
    std::string kw = number == 1 ? "icmp" : "icmpv6";
    parts.push_back(absl::StrCat("meta l4proto ", number == 1 ? "icmp" : "ipv6-icmp"));
    if (lo >= 0) {
      if (lo > 255 || hi > 255) {
        *why = absl::StrCat("bad ICMP type/code ", lo, "/", hi);
        return false;
      }
      parts.push_back(absl::StrCat(kw, " type ", lo));
      if (hi >= 0) parts.push_back(absl::StrCat(kw, " code ", hi));
    }
  } else if (number >= 0) {
    parts.push_back(absl::StrCat("meta l4proto ", number));
  }
  const std::string ip = family == 4 ? "ip" : "ip6";
  const std::string side = r.direction() == "ingress" ? "saddr" : "daddr";
  if (!r.remote_ip_prefix().empty()) {
    Prefix p;
    if (!ParsePrefix(r.remote_ip_prefix(), &p) || p.family != family) {
      *why = absl::StrCat("remote_ip_prefix '", r.remote_ip_prefix(), "' is not an ", r.ethertype(),
                          " prefix");
      return false;
    }
    parts.push_back(absl::StrCat(ip, " ", side, " ", p.text));
  } else if (!r.remote_group_id().empty()) {
    parts.push_back(absl::StrCat(ip, " ", side, " @", SetName(r.remote_group_id(), family)));
  }
  *out = absl::StrJoin(parts, " ");
  return true;
}

std::string PortMacs(const pb::Port& p) {
  std::set<std::string> macs = {absl::AsciiStrToLower(p.mac_address())};
  for (const auto& pair : p.allowed_address_pairs()) {
    if (SafeMac(pair.mac_address())) macs.insert(absl::AsciiStrToLower(pair.mac_address()));
  }
  return SetOf(std::vector<std::string>(macs.begin(), macs.end()));
}

std::vector<std::string> PortAddresses(const pb::Port& p, int family) {
  std::vector<std::string> all;
  for (const auto& ip : p.fixed_ips()) all.push_back(ip.ip_address());
  for (const auto& pair : p.allowed_address_pairs()) all.push_back(pair.ip_address());
  std::vector<std::string> out;
  for (const std::string& a : MergePrefixes(all)) {
    if (AddressFamily(a) == family) out.push_back(a);
  }
  return out;
}

using GroupIndex = std::map<std::string, const pb::SecurityGroupState*>;

// The ports that get rules, by id; a port whose tap, id or MAC could inject nftables
// syntax gets a warning instead.
std::vector<const pb::Port*> UsablePorts(const pb::HostState& state,
                                         std::vector<std::string>* warnings) {
  std::vector<const pb::Port*> ports;
  for (const auto& p : state.ports()) {
    if (p.tap_name().empty()) continue;
    if (!SafeToken(p.tap_name()) || p.tap_name().size() > 15 || !SafeToken(p.id()) ||
        !SafeMac(p.mac_address())) {
      warnings->push_back(
          absl::StrCat("port '", p.id(), "': tap name, id or MAC not usable (no rules)"));
      continue;
    }
    ports.push_back(&p);
  }
  std::sort(ports.begin(), ports.end(),
            [](const pb::Port* a, const pb::Port* b) { return a->id() < b->id(); });
  return ports;
}

// The anti-spoofing chain of a secured port (bridge table).
std::string SpoofChain(const pb::Port& p, int index, const std::string& mark) {
  std::vector<std::string> v4 = PortAddresses(p, 4), v6 = PortAddresses(p, 6);
  std::vector<std::string> arp = v4;
  arp.push_back("0.0.0.0");
  v6.push_back("fe80::/10");
  v6.push_back("::");
  return absl::StrCat(
      "  chain spoof_", index, " {\n", "    # port ", p.id(), "\n", "    meta mark set ", mark,
      "\n", "    ether saddr != ", PortMacs(p), " drop\n",
      "    ether type arp arp saddr ether != ", PortMacs(p), " drop\n",
      "    ether type arp arp saddr ip != ", SetOf(MergePrefixes(arp)), " drop\n",
      "    ether type ip udp sport 67 drop\n",
      "    ether type ip ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp dport 67 return\n",
      v4.empty() ? "    ether type ip drop\n"
                 : absl::StrCat("    ether type ip ip saddr != ", SetOf(v4), " drop\n"),
      "    ether type ip6 udp sport 547 drop\n",
      "    ether type ip6 ip6 saddr != ", SetOf(MergePrefixes(v6)), " drop\n", "  }\n");
}

// The egress (from the VM) and ingress (to the VM) chains of one set of groups.
std::string EgressChain(int k, const std::string& key, const std::string& rules) {
  return absl::StrCat("  chain egress_", k, " {\n", "    # groups ", key.empty() ? "(none)" : key,
                      "\n", "    ct state established,related return\n",
                      "    ct state invalid drop\n",
                      "    meta nfproto ipv4 udp sport 68 udp dport 67 return\n",
                      "    meta nfproto ipv6 udp sport 546 udp dport 547 return\n",
                      "    icmpv6 type { nd-router-solicit, nd-neighbor-solicit, "
                      "nd-neighbor-advert, mld-listener-report, mld2-listener-report } return\n",
                      rules, "    drop\n  }\n");
}

std::string IngressChain(int k, const std::string& key, const std::string& rules) {
  return absl::StrCat("  chain ingress_", k, " {\n", "    # groups ", key.empty() ? "(none)" : key,
                      "\n", "    ct state established,related return\n",
                      "    ct state invalid drop\n",
                      "    meta nfproto ipv4 udp sport 67 udp dport 68 return\n",
                      "    meta nfproto ipv6 udp sport 547 udp dport 546 return\n",
                      "    icmpv6 type { nd-router-advert, nd-neighbor-solicit, "
                      "nd-neighbor-advert, mld-listener-query } return\n",
                      rules, "    drop\n  }\n");
}

// The named sets of the remote groups' member addresses, one per family.
std::string RemoteGroupSets(const std::set<std::string>& remote_groups, const GroupIndex& groups) {
  std::string sets;
  for (const std::string& gid : remote_groups) {
    std::vector<std::string> members;
    if (auto g = groups.find(gid); g != groups.end()) {
      members.assign(g->second->member_ips().begin(), g->second->member_ips().end());
    }
    std::vector<std::string> merged = MergePrefixes(members);
    for (int family : {4, 6}) {
      std::vector<std::string> mine;
      for (const std::string& m : merged) {
        if (AddressFamily(m) == family) mine.push_back(m);
      }
      sets += absl::StrCat("  set ", SetName(gid, family), " {\n    type ",
                           family == 4 ? "ipv4_addr" : "ipv6_addr", "\n    flags interval\n",
                           mine.empty() ? "" : absl::StrCat("    elements = ", SetOf(mine), "\n"),
                           "  }\n");
    }
  }
  return sets;
}

// One conntrack zone per network, set on what enters its bridge.
std::string ZoneRules(const pb::HostState& state, const std::vector<const pb::Port*>& ports) {
  std::map<std::string, std::string> bridges;  // network id -> bridge
  for (const auto& n : state.networks()) bridges[n.network().id()] = n.network().bridge_name();
  std::string zones;
  std::set<std::string> zoned;
  for (const pb::Port* p : ports) {
    auto b = bridges.find(p->network_id());
    std::string bridge = b != bridges.end() ? b->second : "";
    if (!SafeToken(bridge) || !zoned.insert(bridge).second) continue;
    zones += absl::StrCat("    iifname ", Quote(bridge), " ct zone set ",
                          ConntrackZone(p->network_id()), "\n");
  }
  return zones;
}

// The text of both tables, written port by port.
class RuleWriter {
 public:
  RuleWriter(const GroupIndex& groups, std::vector<std::string>* warnings)
      : groups_(groups), warnings_(warnings) {}

  void AddPort(const pb::Port& p);
  bool empty() const { return in_rules_.empty() && out_rules_.empty(); }
  std::string Tables(const std::string& zones) const;

 private:
  // The group rules of a set of groups, by direction ("ingress" or "egress").
  void AddGroupRules(const pb::Port& p, const std::vector<std::string>& sg_ids, std::string& egress,
                     std::string& ingress);

  const GroupIndex& groups_;
  std::vector<std::string>* warnings_;
  std::string spoof_chains_, in_rules_, out_rules_, egress_chains_, ingress_chains_;
  std::vector<std::string> egress_map_, ingress_map_;
  std::map<std::string, int> group_sets_;  // sorted group ids -> chain number
  std::set<std::string> remote_groups_;
  int index_ = 0;
};

void RuleWriter::AddPort(const pb::Port& p) {
  const std::string tap = Quote(p.tap_name());
  if (!p.admin_state_up()) {
    in_rules_ += absl::StrCat("    iifname ", tap, " drop\n");
    out_rules_ += absl::StrCat("    oifname ", tap, " drop\n");
    return;
  }
  if (!p.port_security_enabled()) return;
  ++index_;
  const std::string mark = absl::StrFormat("0x%08x", index_);
  const std::string out_mark = absl::StrFormat("0x%08x", index_ << 16);
  in_rules_ += absl::StrCat("    iifname ", tap, " jump spoof_", index_, "\n");
  out_rules_ += absl::StrCat("    oifname ", tap, " meta mark set meta mark | ", out_mark, "\n");
  spoof_chains_ += SpoofChain(p, index_, mark);
  // Ports with the same groups share their chains: the rules are written once per
  // set of groups, not once per port.
  std::vector<std::string> sg_ids(p.security_group_ids().begin(), p.security_group_ids().end());
  std::sort(sg_ids.begin(), sg_ids.end());
  sg_ids.erase(std::unique(sg_ids.begin(), sg_ids.end()), sg_ids.end());
  std::string key = absl::StrJoin(sg_ids, ",");
  auto [set_it, fresh] = group_sets_.emplace(key, static_cast<int>(group_sets_.size()) + 1);
  const int k = set_it->second;
  egress_map_.push_back(absl::StrCat(mark, " : jump egress_", k));
  ingress_map_.push_back(absl::StrCat(out_mark, " : jump ingress_", k));
  if (!fresh) return;
  std::string egress, ingress;
  AddGroupRules(p, sg_ids, egress, ingress);
  egress_chains_ += EgressChain(k, key, egress);
  ingress_chains_ += IngressChain(k, key, ingress);
}

void RuleWriter::AddGroupRules(const pb::Port& p, const std::vector<std::string>& sg_ids,
                               std::string& egress, std::string& ingress) {
  for (const std::string& gid : sg_ids) {
    auto g = groups_.find(gid);
    if (!SafeToken(gid)) {
      warnings_->push_back(absl::StrCat("port ", p.id(), ": security group id not usable"));
      continue;
    }
    if (g == groups_.end()) {
      warnings_->push_back(absl::StrCat("port ", p.id(), ": security group ", gid,
                                        " is not in the host state (no rules from it)"));
      continue;
    }
    std::vector<const pb::SecurityGroupRule*> rules;
    for (const auto& r : g->second->group().rules()) rules.push_back(&r);
    std::sort(rules.begin(), rules.end(), [](auto* a, auto* b) { return a->id() < b->id(); });
    for (const pb::SecurityGroupRule* r : rules) {
      std::string match, why;
      if (!SafeToken(r->id()) ||
          (!r->remote_group_id().empty() && !SafeToken(r->remote_group_id()))) {
        warnings_->push_back("a security group rule with an unusable id was skipped");
        continue;
      }
      if (!RuleMatch(*r, &match, &why)) {
        warnings_->push_back(absl::StrCat("security group rule ", r->id(), " skipped: ", why));
        continue;
      }
      if (!r->remote_group_id().empty()) remote_groups_.insert(r->remote_group_id());
      std::string line = absl::StrCat("    ", match, " return  # rule ", r->id(), "\n");
      (r->direction() == "ingress" ? ingress : egress) += line;
    }
  }
}

std::string RuleWriter::Tables(const std::string& zones) const {
  std::string out = absl::StrCat(
      "table bridge ", kFirewallTable, " {\n",
      "  chain port_in {\n    type filter hook prerouting priority -200; policy accept;\n",
      in_rules_, "  }\n",
      "  chain port_out {\n    type filter hook forward priority -200; policy accept;\n",
      out_rules_, "  }\n", spoof_chains_, "}\n");
  absl::StrAppend(
      &out, "table inet ", kFirewallTable, " {\n", RemoteGroupSets(remote_groups_, groups_),
      "  chain zone {\n    type filter hook prerouting priority -300; policy accept;\n", zones,
      "  }\n", "  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
  if (!egress_map_.empty()) {
    absl::StrAppend(&out, "    iifname \"brq*\" meta mark & 0x0000ffff vmap ", SetOf(egress_map_),
                    "\n", "    oifname \"brq*\" meta mark & 0xffff0000 vmap ", SetOf(ingress_map_),
                    "\n");
  }
  absl::StrAppend(&out, "  }\n", egress_chains_, ingress_chains_, "}\n");
  return out;
}

}  // namespace

int AddressFamily(const std::string& address) {
  Prefix p;
  return ParsePrefix(address, &p) ? p.family : 0;
}

std::vector<std::string> MergePrefixes(const std::vector<std::string>& addresses) {
  std::vector<Prefix> parsed;
  for (const std::string& a : addresses) {
    Prefix p;
    if (ParsePrefix(a, &p)) parsed.push_back(p);
  }
  std::set<std::string> kept;
  for (size_t i = 0; i < parsed.size(); ++i) {
    bool inside = false;
    for (size_t j = 0; j < parsed.size() && !inside; ++j) {
      if (i == j) continue;
      // Strictly contained, or a duplicate of an earlier element.
      if (Contains(parsed[j], parsed[i]) && (parsed[j].len < parsed[i].len || j < i)) inside = true;
    }
    if (!inside) kept.insert(parsed[i].text);
  }
  return std::vector<std::string>(kept.begin(), kept.end());
}

int ConntrackZone(const std::string& network_id) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : network_id) {
    h ^= c;
    h *= 16777619u;
  }
  return 1 + static_cast<int>(h % 65000);
}

std::string FirewallRules(const pb::HostState& state, std::vector<std::string>* warnings) {
  GroupIndex groups;
  for (const auto& g : state.security_groups()) groups[g.group().id()] = &g;
  const std::vector<const pb::Port*> ports = UsablePorts(state, warnings);
  RuleWriter writer(groups, warnings);
  for (const pb::Port* p : ports) writer.AddPort(*p);
  if (writer.empty()) return "";
  return writer.Tables(ZoneRules(state, ports));
}

std::string FirewallTransaction(const std::string& rules) {
  std::string out =
      absl::StrCat("table bridge ", kFirewallTable, "\ndelete table bridge ", kFirewallTable,
                   "\ntable inet ", kFirewallTable, "\ndelete table inet ", kFirewallTable, "\n");
  return out + rules;
}

}  // namespace gureum::network_agent
