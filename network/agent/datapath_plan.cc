#include "network/agent/datapath_plan.h"

#include <signal.h>

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "network/agent/dhcp_config.h"
#include "network/agent/firewall.h"
#include "network/agent/router_nat.h"

namespace gureum::network_agent {
namespace {

constexpr char kZeroMac[] = "00:00:00:00:00:00";
constexpr int kVxlanPort = 4789;

Step Run(std::vector<std::string> argv, bool may_fail = false) {
  Step s;
  s.argv = std::move(argv);
  s.may_fail = may_fail;
  return s;
}

Step Write(const std::string& path, const std::string& content) {
  Step s;
  s.kind = Step::Kind::kWriteFile;
  s.path = path;
  s.content = content;
  return s;
}

Step Remove(const std::string& path) {
  Step s;
  s.kind = Step::Kind::kRemovePath;
  s.path = path;
  return s;
}

Step Stop(int pid) {
  Step s;
  s.kind = Step::Kind::kStopProcess;
  s.pid = pid;
  return s;
}

Step Hup(int pid) {
  Step s;
  s.kind = Step::Kind::kSignal;
  s.pid = pid;
  s.signal = SIGHUP;
  return s;
}

std::string Prefix11(const std::string& id) { return id.substr(0, 11); }

// Ids become device, namespace and file names: letters, digits and '-' only (so no id
// can reach outside the state folder or name something else).
bool PlainId(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
             std::string::npos;
}

// Subnets by id, from everywhere the state mentions them.
std::map<std::string, pb::Subnet> SubnetIndex(const pb::HostState& st) {
  std::map<std::string, pb::Subnet> out;
  for (const auto& n : st.networks()) {
    for (const auto& s : n.subnets()) out[s.id()] = s;
  }
  for (const auto& d : st.dhcp()) {
    for (const auto& s : d.subnets()) out[s.id()] = s;
  }
  for (const auto& r : st.routers()) {
    for (const auto& leg : r.interfaces()) {
      for (const auto& s : leg.subnets()) out[s.id()] = s;
    }
    for (const auto& s : r.gateway().subnets()) out[s.id()] = s;
  }
  return out;
}

// "ip/len" of a port's fixed ips (len from the subnet's CIDR; /32 or /128 if unknown).
std::vector<std::string> PortCidrs(const pb::Port& port, const std::map<std::string, pb::Subnet>& subnets) {
  std::vector<std::string> out;
  for (const auto& ip : port.fixed_ips()) {
    int family = AddressFamily(ip.ip_address());
    if (family == 0) continue;
    std::string len = family == 4 ? "32" : "128";
    if (auto s = subnets.find(ip.subnet_id()); s != subnets.end()) {
      size_t slash = s->second.cidr().find('/');
      if (slash != std::string::npos) len = s->second.cidr().substr(slash + 1);
    }
    out.push_back(absl::StrCat(ip.ip_address(), "/", len));
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct LegSpec {
  std::string ns;
  std::string inner;   // ns-/qr-/qg- + port[0:11]
  std::string tap;     // tap + port[0:11], on the bridge
  std::string bridge;
  std::string mac;
  int mtu = 1500;
  std::vector<std::string> addresses;  // "ip/len"
};

// A veth leg of a namespace on a bridge, converged step by step.
void EnsureLeg(const LegSpec& leg, const ObservedState& obs, bool ns_is_new, std::vector<Step>& steps) {
  const NamespaceState* inside = nullptr;
  if (!ns_is_new) {
    if (auto it = obs.inside.find(leg.ns); it != obs.inside.end()) inside = &it->second;
  }
  const Link* in_link = nullptr;
  if (inside) {
    if (auto it = inside->links.find(leg.inner); it != inside->links.end()) in_link = &it->second;
  }
  auto tap_it = obs.links.find(leg.tap);
  const Link* tap = tap_it != obs.links.end() ? &tap_it->second : nullptr;
  const std::string mtu = std::to_string(leg.mtu);
  if (!in_link) {
    // A half left behind (the namespace was deleted under us) goes first.
    if (tap) steps.push_back(Run({"ip", "link", "del", leg.tap}, /*may_fail=*/true));
    steps.push_back(Run({"ip", "link", "add", leg.tap, "mtu", mtu, "type", "veth", "peer", "name",
                         leg.inner, "mtu", mtu, "netns", leg.ns}));
    tap = nullptr;
  }
  if (!in_link || absl::AsciiStrToLower(in_link->mac) != absl::AsciiStrToLower(leg.mac) ||
      in_link->mtu != leg.mtu || !in_link->up) {
    std::vector<std::string> set = {"ip", "-n", leg.ns, "link", "set", leg.inner};
    if (!leg.mac.empty()) {
      set.push_back("address");
      set.push_back(absl::AsciiStrToLower(leg.mac));
    }
    set.insert(set.end(), {"mtu", mtu, "up"});
    steps.push_back(Run(set));
  }
  if (!tap || tap->master != leg.bridge || tap->mtu != leg.mtu || !tap->up) {
    steps.push_back(Run({"ip", "link", "set", leg.tap, "master", leg.bridge, "mtu", mtu, "up"}));
  }
  std::set<std::string> have;
  if (in_link) have.insert(in_link->addresses.begin(), in_link->addresses.end());
  for (const std::string& a : leg.addresses) {
    if (!have.count(a)) steps.push_back(Run({"ip", "-n", leg.ns, "addr", "add", a, "dev", leg.inner}));
  }
  std::set<std::string> want(leg.addresses.begin(), leg.addresses.end());
  for (const std::string& a : have) {
    if (!want.count(a)) steps.push_back(Run({"ip", "-n", leg.ns, "addr", "del", a, "dev", leg.inner}, true));
  }
}

// Legs in a namespace that are no longer wanted (by prefix), with their tap ends.
void RemoveStaleLegs(const std::string& ns, const std::set<std::string>& wanted,
                     const ObservedState& obs, std::vector<Step>& steps) {
  auto it = obs.inside.find(ns);
  if (it == obs.inside.end()) return;
  for (const auto& [name, link] : it->second.links) {
    bool ours = absl::StartsWith(name, "ns-") || absl::StartsWith(name, "qr-") ||
                absl::StartsWith(name, "qg-");
    if (!ours || wanted.count(name)) continue;
    std::string tap = "tap" + name.substr(3);
    if (obs.links.count(tap)) steps.push_back(Run({"ip", "link", "del", tap}, true));
    steps.push_back(Run({"ip", "-n", ns, "link", "del", name}, true));
  }
}

}  // namespace

std::string BridgeName(const std::string& network_id) { return "brq" + Prefix11(network_id); }
std::string TapName(const std::string& port_id) { return "tap" + Prefix11(port_id); }
std::string DhcpNamespace(const std::string& network_id) { return "qdhcp-" + network_id; }
std::string RouterNamespace(const std::string& router_id) { return "qrouter-" + router_id; }
std::string VxlanName(int vni) { return absl::StrCat("vxlan-", vni); }

std::string Step::ToString() const {
  switch (kind) {
    case Kind::kRun:
      return absl::StrJoin(argv, " ") + (input.empty() ? "" : " <<input");
    case Kind::kWriteFile:
      return "write " + path;
    case Kind::kRemovePath:
      return "remove " + path;
    case Kind::kStopProcess:
      return absl::StrCat("stop pid ", pid);
    case Kind::kSignal:
      return absl::StrCat("signal ", signal, " pid ", pid);
  }
  return "";
}

bool Plan::empty() const {
  for (const Task& t : tasks) {
    if (!t.steps.empty()) return false;
  }
  return true;
}

std::vector<std::string> Plan::Commands() const {
  std::vector<std::string> out;
  for (const Task& t : tasks) {
    for (const Step& s : t.steps) out.push_back(s.ToString());
  }
  return out;
}

std::string DatapathPlanner::DhcpDir(const std::string& network_id) const {
  return options_.state_path + "/dhcp/" + network_id;
}
std::string DatapathPlanner::RouterDir(const std::string& router_id) const {
  return options_.state_path + "/routers/" + router_id;
}
std::string DatapathPlanner::FirewallFile() const { return options_.state_path + "/firewall.nft"; }

std::set<std::string> DatapathPlanner::NamespacesOfInterest(const pb::HostState& desired) {
  std::set<std::string> out;
  for (const auto& d : desired.dhcp()) out.insert(DhcpNamespace(d.network_id()));
  for (const auto& r : desired.routers()) out.insert(RouterNamespace(r.router().id()));
  for (const std::string& id : host_.ListDir(options_.state_path + "/dhcp")) out.insert(DhcpNamespace(id));
  for (const std::string& id : host_.ListDir(options_.state_path + "/routers")) out.insert(RouterNamespace(id));
  return out;
}

Plan DatapathPlanner::Make(const pb::HostState& desired, const ObservedState& obs) {
  Plan plan;
  const auto subnets = SubnetIndex(desired);

  // ------------------------------------------------------------ bridges and tunnels
  std::map<std::string, const pb::Network*> networks;
  for (const auto& hn : desired.networks()) networks[hn.network().id()] = &hn.network();
  std::set<std::string> want_bridges, want_vxlans, want_vlans;
  auto bridge_of = [&](const std::string& network_id) {
    auto n = networks.find(network_id);
    return n != networks.end() && !n->second->bridge_name().empty() ? n->second->bridge_name()
                                                                    : BridgeName(network_id);
  };
  auto mtu_of = [&](const std::string& network_id, int fallback) {
    auto n = networks.find(network_id);
    int mtu = n != networks.end() ? n->second->mtu() : 0;
    return mtu > 0 ? mtu : (fallback > 0 ? fallback : 1500);
  };
  for (const auto& hn : desired.networks()) {
    const pb::Network& net = hn.network();
    if (!PlainId(net.id())) {
      plan.warnings.push_back(absl::StrCat("network id '", net.id(), "' is not usable; skipped"));
      continue;
    }
    Task task{"network " + net.id(), {}};
    const std::string bridge = bridge_of(net.id());
    const int mtu = mtu_of(net.id(), 0);
    const std::string smtu = std::to_string(mtu);
    want_bridges.insert(bridge);
    auto b = obs.links.find(bridge);
    if (b != obs.links.end() && b->second.kind != "bridge") {
      plan.warnings.push_back(absl::StrCat("network ", net.id(), ": ", bridge,
                                           " exists and is not a bridge (", b->second.kind, "); left alone"));
      task.steps.push_back(Run({"false"}));  // the task fails; its ports stay DOWN
      plan.tasks.push_back(std::move(task));
      continue;
    }
    if (b == obs.links.end()) task.steps.push_back(Run({"ip", "link", "add", bridge, "type", "bridge"}));
    if (b == obs.links.end() || b->second.mtu != mtu || !b->second.up) {
      task.steps.push_back(Run({"ip", "link", "set", bridge, "mtu", smtu, "up"}));
    }
    if (net.network_type() == "vxlan") {
      const std::string dev = VxlanName(net.segmentation_id());
      want_vxlans.insert(dev);
      if (options_.local_ip.empty()) {
        plan.warnings.push_back(absl::StrCat("network ", net.id(),
                                             ": no local_ip for VXLAN ([network_agent] local_ip)"));
        task.steps.push_back(Run({"false"}));
        plan.tasks.push_back(std::move(task));
        continue;
      }
      auto v = obs.links.find(dev);
      bool fresh = v == obs.links.end();
      if (!fresh && (v->second.kind != "vxlan" || v->second.vxlan_id != net.segmentation_id() ||
                     v->second.vxlan_local != options_.local_ip || v->second.vxlan_port != kVxlanPort ||
                     v->second.vxlan_learning)) {
        task.steps.push_back(Run({"ip", "link", "del", dev}));
        fresh = true;
      }
      if (fresh) {
        task.steps.push_back(Run({"ip", "link", "add", dev, "type", "vxlan", "id",
                                  std::to_string(net.segmentation_id()), "local", options_.local_ip,
                                  "dstport", std::to_string(kVxlanPort), "nolearning"}));
      }
      if (fresh || v->second.master != bridge || v->second.mtu != mtu || !v->second.up) {
        task.steps.push_back(Run({"ip", "link", "set", dev, "master", bridge, "mtu", smtu, "up"}));
      }
      std::set<FdbEntry> want;
      for (const std::string& peer : hn.peer_ips()) {
        if (peer != options_.local_ip) want.insert({kZeroMac, peer});
      }
      for (const auto& [mac, ip] : hn.remote_macs()) {
        if (ip != options_.local_ip) want.insert({absl::AsciiStrToLower(mac), ip});
      }
      std::set<FdbEntry> have;
      if (!fresh) {
        if (auto f = obs.fdb.find(dev); f != obs.fdb.end()) have = f->second;
      }
      for (const FdbEntry& e : have) {
        if (want.count(e)) continue;
        task.steps.push_back(Run({"bridge", "fdb", "del", e.mac, "dev", dev, "dst", e.dst}, true));
      }
      for (const FdbEntry& e : want) {
        if (have.count(e)) continue;
        // Head-end replication: one all-zero entry per peer (append); unicast: one each.
        task.steps.push_back(Run({"bridge", "fdb", e.mac == kZeroMac ? "append" : "replace", e.mac,
                                  "dev", dev, "dst", e.dst}));
      }
    } else if (net.network_type() == "flat" || net.network_type() == "vlan") {
      auto m = options_.physical_interfaces.find(net.physical_network());
      if (m == options_.physical_interfaces.end()) {
        plan.warnings.push_back(absl::StrCat("network ", net.id(), ": physical network '",
                                             net.physical_network(), "' has no interface in ",
                                             "[network_agent] physical_interface_mappings"));
        task.steps.push_back(Run({"false"}));
        plan.tasks.push_back(std::move(task));
        continue;
      }
      std::string dev = m->second;
      if (!obs.links.count(dev)) {
        plan.warnings.push_back(absl::StrCat("network ", net.id(), ": interface ", dev, " does not exist"));
        task.steps.push_back(Run({"false"}));
        plan.tasks.push_back(std::move(task));
        continue;
      }
      if (net.network_type() == "vlan") {
        std::string vdev = absl::StrCat(m->second, ".", net.segmentation_id());
        if (vdev.size() > 15) vdev = absl::StrCat(m->second.substr(0, 15 - 1 - std::to_string(net.segmentation_id()).size()), ".", net.segmentation_id());
        want_vlans.insert(vdev);
        if (!obs.links.at(dev).up) task.steps.push_back(Run({"ip", "link", "set", dev, "up"}));
        if (!obs.links.count(vdev)) {
          task.steps.push_back(Run({"ip", "link", "add", "link", dev, "name", vdev, "type", "vlan", "id",
                                    std::to_string(net.segmentation_id())}));
        }
        dev = vdev;
      }
      auto l = obs.links.find(dev);
      if (l == obs.links.end() || l->second.master != bridge || !l->second.up) {
        task.steps.push_back(Run({"ip", "link", "set", dev, "master", bridge, "up"}));
      }
    }
    plan.tasks.push_back(std::move(task));
  }
  for (const auto& p : desired.ports()) {
    plan.port_tasks[p.id()] = {"network " + p.network_id(), "firewall"};
  }

  // ------------------------------------------------------------ security groups
  {
    Task task{"firewall", {}};
    std::string rules = FirewallRules(desired, &plan.warnings);
    auto applied = host_.ReadFile(FirewallFile());
    bool tables = obs.nft_tables.count(absl::StrCat("bridge ", kFirewallTable)) &&
                  obs.nft_tables.count(absl::StrCat("inet ", kFirewallTable));
    bool any_table = obs.nft_tables.count(absl::StrCat("bridge ", kFirewallTable)) ||
                     obs.nft_tables.count(absl::StrCat("inet ", kFirewallTable));
    if (rules.empty()) {
      if (any_table) {
        Step s = Run({"nft", "-f", "-"});
        s.input = FirewallTransaction("");
        task.steps.push_back(s);
      }
      if (applied) task.steps.push_back(Remove(FirewallFile()));
    } else if (!tables || !applied || *applied != rules) {
      // Bridged IPv4/IPv6 must pass the inet hooks for the stateful rules: br_netfilter
      // (a module on Debian's kernels, built in on some: modprobe may fail harmlessly).
      task.steps.push_back(Run({"modprobe", "br_netfilter"}, /*may_fail=*/true));
      task.steps.push_back(Run({"sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1"}));
      task.steps.push_back(Run({"sysctl", "-qw", "net.bridge.bridge-nf-call-ip6tables=1"}));
      Step s = Run({"nft", "-f", "-"});
      s.input = FirewallTransaction(rules);
      task.steps.push_back(s);
      task.steps.push_back(Write(FirewallFile(), rules));
    }
    plan.tasks.push_back(std::move(task));
  }

  // ------------------------------------------------------------ DHCP
  std::set<std::string> want_ns;
  for (const auto& d : desired.dhcp()) {
    if (d.dhcp_port().id().empty()) {
      // The server has not bound a DHCP port here yet: nothing to serve with (next cast).
      plan.warnings.push_back(absl::StrCat("DHCP of network ", d.network_id(), ": no DHCP port bound here yet"));
      if (PlainId(d.network_id())) want_ns.insert(DhcpNamespace(d.network_id()));  // left as it is
      continue;
    }
    if (!PlainId(d.network_id()) || !PlainId(d.dhcp_port().id())) {
      plan.warnings.push_back(absl::StrCat("DHCP of network '", d.network_id(), "': ids not usable; skipped"));
      continue;
    }
    Task task{"dhcp " + d.network_id(), {}};
    const std::string ns = DhcpNamespace(d.network_id());
    want_ns.insert(ns);
    const pb::Port& port = d.dhcp_port();
    plan.port_tasks[port.id()] = {"network " + d.network_id(), task.name};
    bool ns_new = !obs.namespaces.count(ns);
    if (ns_new) {
      task.steps.push_back(Run({"ip", "netns", "add", ns}));
      task.steps.push_back(Run({"ip", "-n", ns, "link", "set", "lo", "up"}));
    }
    LegSpec leg{ns, "ns-" + Prefix11(port.id()), TapName(port.id()), bridge_of(d.network_id()),
                port.mac_address(), mtu_of(d.network_id(), port.mtu()), PortCidrs(port, subnets)};
    if (!ns_new) RemoveStaleLegs(ns, {leg.inner}, obs, task.steps);
    EnsureLeg(leg, obs, ns_new, task.steps);

    DhcpPaths paths{DhcpDir(d.network_id())};
    std::string hosts = DhcpHostsFile(d), opts = DhcpOptsFile(d, leg.mtu);
    std::vector<std::string> args =
        DnsmasqArgs(d, paths, leg.inner, options_.dhcp_lease_seconds, options_.dnsmasq_binary);
    int pid = 0;
    std::optional<std::string> running;
    if (auto pid_text = host_.ReadFile(paths.pid()); pid_text && absl::SimpleAtoi(
            std::string(absl::StripAsciiWhitespace(*pid_text)), &pid)) {
      running = host_.ProcessCommandLine(pid);
      if (running && !absl::StrContains(*running, paths.pid())) running.reset();  // pid reused
    }
    bool files_changed = host_.ReadFile(paths.hosts()) != hosts || host_.ReadFile(paths.opts()) != opts;
    if (files_changed) {
      task.steps.push_back(Write(paths.hosts(), hosts));
      task.steps.push_back(Write(paths.opts(), opts));
    }
    if (running && !ns_new && *running == absl::StrJoin(args, " ")) {
      if (files_changed) task.steps.push_back(Hup(pid));
    } else {
      if (running) task.steps.push_back(Stop(pid));
      std::vector<std::string> argv = {"ip", "netns", "exec", ns};
      argv.insert(argv.end(), args.begin(), args.end());
      task.steps.push_back(Run(argv));
    }
    plan.tasks.push_back(std::move(task));
  }

  // ------------------------------------------------------------ routers
  for (const auto& r : desired.routers()) {
    const std::string id = r.router().id();
    bool plain = PlainId(id) && (!r.has_gateway() || r.gateway().port().id().empty() ||
                                 PlainId(r.gateway().port().id()));
    for (const auto& leg : r.interfaces()) plain &= PlainId(leg.port().id());
    if (!plain) {
      plan.warnings.push_back(absl::StrCat("router '", id, "': ids not usable; skipped"));
      continue;
    }
    Task task{"router " + id, {}};
    const std::string ns = RouterNamespace(id);
    want_ns.insert(ns);
    bool ns_new = !obs.namespaces.count(ns);
    if (ns_new) {
      task.steps.push_back(Write(RouterDir(id) + "/namespace", ns + "\n"));
      task.steps.push_back(Run({"ip", "netns", "add", ns}));
      task.steps.push_back(Run({"ip", "-n", ns, "link", "set", "lo", "up"}));
    }
    std::vector<LegSpec> legs;
    for (const auto& leg : r.interfaces()) {
      const pb::Port& p = leg.port();
      legs.push_back({ns, "qr-" + Prefix11(p.id()), TapName(p.id()), bridge_of(p.network_id()),
                      p.mac_address(), mtu_of(p.network_id(), p.mtu()), PortCidrs(p, subnets)});
      plan.port_tasks[p.id()] = {"network " + p.network_id(), task.name};
    }
    std::string qg;
    std::vector<std::string> internal_cidrs;
    for (const auto& leg : r.interfaces()) {
      for (const auto& ip : leg.port().fixed_ips()) {
        auto s = subnets.find(ip.subnet_id());
        if (s != subnets.end() && AddressFamily(s->second.cidr()) == 4) internal_cidrs.push_back(s->second.cidr());
      }
    }
    std::string gateway_address;
    if (r.has_gateway() && !r.gateway().port().id().empty()) {
      const pb::Port& p = r.gateway().port();
      qg = "qg-" + Prefix11(p.id());
      LegSpec g{ns, qg, TapName(p.id()), bridge_of(p.network_id()), p.mac_address(),
                mtu_of(p.network_id(), p.mtu()), PortCidrs(p, subnets)};
      for (const auto& ip : p.fixed_ips()) {
        if (AddressFamily(ip.ip_address()) == 4 && gateway_address.empty()) gateway_address = ip.ip_address();
      }
      for (const auto& f : r.floating_ips()) {
        if (AddressFamily(f.floating_ip_address()) == 4) g.addresses.push_back(f.floating_ip_address() + "/32");
      }
      std::sort(g.addresses.begin(), g.addresses.end());
      g.addresses.erase(std::unique(g.addresses.begin(), g.addresses.end()), g.addresses.end());
      legs.push_back(g);
      plan.port_tasks[p.id()] = {"network " + p.network_id(), task.name};
    }
    std::set<std::string> wanted;
    for (const LegSpec& l : legs) wanted.insert(l.inner);
    if (!ns_new) RemoveStaleLegs(ns, wanted, obs, task.steps);
    for (const LegSpec& l : legs) EnsureLeg(l, obs, ns_new, task.steps);

    // Routes: the default via the external subnet's gateway, and the router's own routes.
    std::map<std::string, std::string> want_routes;  // destination -> "via dev"
    if (!qg.empty() && !r.gateway_ip().empty()) want_routes["default"] = r.gateway_ip() + " " + qg;
    for (const auto& hr : r.router().routes()) {
      if (AddressFamily(hr.destination()) == 4) want_routes[hr.destination()] = hr.nexthop() + " ";
    }
    std::map<std::string, std::string> have_routes;
    if (!ns_new) {
      if (auto in = obs.inside.find(ns); in != obs.inside.end()) {
        for (const Route& rt : in->second.routes) {
          if (!rt.gateway.empty()) have_routes[rt.destination] = rt.gateway + " " + rt.device;
        }
      }
    }
    for (const auto& [dst, via] : want_routes) {
      auto h = have_routes.find(dst);
      std::string gw = via.substr(0, via.find(' ')), dev = via.substr(via.find(' ') + 1);
      if (h != have_routes.end() && h->second.substr(0, h->second.find(' ')) == gw &&
          (dev.empty() || h->second.substr(h->second.find(' ') + 1) == dev)) {
        continue;
      }
      std::vector<std::string> argv = {"ip", "-n", ns, "route", "replace", dst, "via", gw};
      if (!dev.empty()) argv.insert(argv.end(), {"dev", dev});
      task.steps.push_back(Run(argv));
    }
    for (const auto& [dst, via] : have_routes) {
      if (!want_routes.count(dst)) task.steps.push_back(Run({"ip", "-n", ns, "route", "del", dst}, true));
    }

    // NAT: SNAT of the internal subnets out of qg-, DNAT/SNAT per floating IP.
    std::string nat = RouterNatRules(r, qg, gateway_address, internal_cidrs);
    const std::string nat_file = RouterDir(id) + "/nat.nft";
    auto applied = host_.ReadFile(nat_file);
    if (ns_new || !applied || *applied != nat) {
      task.steps.push_back(Run({"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1"}));
      Step s = Run({"ip", "netns", "exec", ns, "nft", "-f", "-"});
      s.input = RouterNatTransaction(nat);
      task.steps.push_back(s);
      task.steps.push_back(Write(nat_file, nat));
    }
    plan.tasks.push_back(std::move(task));
  }

  // ------------------------------------------------------------ removals
  // Our taps: the host ends of the legs of our namespaces (also those being removed).
  std::set<std::string> our_taps;
  for (const auto& [ns, inside] : obs.inside) {
    for (const auto& [name, link] : inside.links) {
      if (absl::StartsWith(name, "ns-") || absl::StartsWith(name, "qr-") || absl::StartsWith(name, "qg-")) {
        our_taps.insert("tap" + name.substr(3));
      }
    }
  }
  std::set<std::string> managed;  // namespaces with a state folder of this agent
  for (const std::string& id : host_.ListDir(options_.state_path + "/dhcp")) managed.insert(DhcpNamespace(id));
  for (const std::string& id : host_.ListDir(options_.state_path + "/routers")) managed.insert(RouterNamespace(id));
  for (const std::string& ns : managed) {
    if (want_ns.count(ns)) continue;
    Task task{"remove namespace " + ns, {}};
    bool dhcp = absl::StartsWith(ns, "qdhcp-");
    std::string dir = dhcp ? DhcpDir(ns.substr(6)) : RouterDir(ns.substr(8));
    if (dhcp) {
      int pid = 0;
      if (auto pid_text = host_.ReadFile(dir + "/pid");
          pid_text && absl::SimpleAtoi(std::string(absl::StripAsciiWhitespace(*pid_text)), &pid)) {
        auto cmd = host_.ProcessCommandLine(pid);
        if (cmd && absl::StrContains(*cmd, dir + "/pid")) task.steps.push_back(Stop(pid));
      }
    }
    if (obs.namespaces.count(ns)) {
      if (auto in = obs.inside.find(ns); in != obs.inside.end()) {
        for (const auto& [name, link] : in->second.links) {
          std::string tap = "tap" + name.substr(std::min<size_t>(3, name.size()));
          if (our_taps.count(tap) && obs.links.count(tap)) {
            task.steps.push_back(Run({"ip", "link", "del", tap}, true));
          }
        }
      }
      task.steps.push_back(Run({"ip", "netns", "del", ns}));
    }
    task.steps.push_back(Remove(dir));
    plan.tasks.push_back(std::move(task));
  }
  for (const auto& [name, link] : obs.links) {
    if (absl::StartsWith(name, "vxlan-") && link.kind == "vxlan" && !want_vxlans.count(name)) {
      plan.tasks.push_back({"remove " + name, {Run({"ip", "link", "del", name})}});
    }
  }
  std::set<std::string> mapped;
  for (const auto& [physnet, iface] : options_.physical_interfaces) mapped.insert(iface);
  for (const auto& [name, link] : obs.links) {
    if (!absl::StartsWith(name, "brq") || link.kind != "bridge" || want_bridges.count(name)) continue;
    Task task{"remove " + name, {}};
    bool foreign = false;
    for (const auto& [member, m] : obs.links) {
      if (m.master != name) continue;
      if (absl::StartsWith(member, "tap") && !our_taps.count(member)) {
        plan.warnings.push_back(absl::StrCat(name, " is kept: ", member, " is still plugged in"));
        foreign = true;
      }
      if (m.kind == "vlan" && mapped.count(m.parent) && !want_vlans.count(member)) {
        task.steps.push_back(Run({"ip", "link", "del", member}, true));
      }
    }
    if (foreign) continue;
    task.steps.push_back(Run({"ip", "link", "del", name}));
    plan.tasks.push_back(std::move(task));
  }
  return plan;
}

}  // namespace gureum::network_agent
