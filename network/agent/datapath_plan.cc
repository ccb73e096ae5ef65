#include "network/agent/datapath_plan.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "network/agent/datapath_plan_internal.h"
#include "network/agent/firewall.h"

namespace gureum::network_agent {

using namespace plan_internal;  // NOLINT

namespace {
constexpr char kZeroMac[] = "00:00:00:00:00:00";
constexpr int kVxlanPort = 4789;
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
  for (const std::string& id : host_.ListDir(options_.state_path + "/dhcp"))
    out.insert(DhcpNamespace(id));
  for (const std::string& id : host_.ListDir(options_.state_path + "/routers"))
    out.insert(RouterNamespace(id));
  return out;
}

Plan DatapathPlanner::Make(const pb::HostState& desired, const ObservedState& obs) {
  Plan plan;
  const PlanContext ctx(desired);
  WantedLinks want;
  for (const auto& hn : desired.networks()) {
    if (!PlainId(hn.network().id())) {
      plan.warnings.push_back(
          absl::StrCat("network id '", hn.network().id(), "' is not usable; skipped"));
      continue;
    }
    plan.tasks.push_back(PlanNetwork(hn, obs, ctx, want, plan.warnings));
  }
  for (const auto& p : desired.ports()) {
    plan.port_tasks[p.id()] = {"network " + p.network_id(), "firewall"};
  }
  plan.tasks.push_back(PlanFirewall(desired, obs, plan.warnings));
  std::set<std::string> want_ns;
  PlanNamespaces(desired, obs, ctx, plan, want_ns);
  PlanRemovals(obs, want, want_ns, plan);
  return plan;
}

// ------------------------------------------------------------ bridges and tunnels

Task DatapathPlanner::PlanNetwork(const pb::HostNetwork& hn, const ObservedState& obs,
                                  const PlanContext& ctx, WantedLinks& want,
                                  std::vector<std::string>& warnings) const {
  const pb::Network& net = hn.network();
  Task task{"network " + net.id(), {}};
  const std::string bridge = ctx.BridgeOf(net.id());
  const int mtu = ctx.MtuOf(net.id(), 0);
  want.bridges.insert(bridge);
  auto b = obs.links.find(bridge);
  if (b != obs.links.end() && b->second.kind != "bridge") {
    warnings.push_back(absl::StrCat("network ", net.id(), ": ", bridge,
                                    " exists and is not a bridge (", b->second.kind,
                                    "); left alone"));
    task.steps.push_back(Run({"false"}));  // the task fails; its ports stay DOWN
    return task;
  }
  if (b == obs.links.end())
    task.steps.push_back(Run({"ip", "link", "add", bridge, "type", "bridge"}));
  if (b == obs.links.end() || b->second.mtu != mtu || !b->second.up) {
    task.steps.push_back(Run({"ip", "link", "set", bridge, "mtu", std::to_string(mtu), "up"}));
  }
  bool wired = true;
  if (net.network_type() == "vxlan") {
    wired = PlanVxlan(hn, bridge, mtu, obs, want, task, warnings);
  } else if (net.network_type() == "flat" || net.network_type() == "vlan") {
    wired = PlanPhysical(net, bridge, obs, want, task, warnings);
  }
  if (!wired) task.steps.push_back(Run({"false"}));  // the task fails; its ports stay DOWN
  return task;
}

bool DatapathPlanner::PlanVxlan(const pb::HostNetwork& hn, const std::string& bridge, int mtu,
                                const ObservedState& obs, WantedLinks& want, Task& task,
                                std::vector<std::string>& warnings) const {
  const pb::Network& net = hn.network();
  const std::string dev = VxlanName(net.segmentation_id());
  want.vxlans.insert(dev);
  if (options_.local_ip.empty()) {
    warnings.push_back(
        absl::StrCat("network ", net.id(), ": no local_ip for VXLAN ([network_agent] local_ip)"));
    return false;
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
    task.steps.push_back(
        Run({"ip", "link", "add", dev, "type", "vxlan", "id", std::to_string(net.segmentation_id()),
             "local", options_.local_ip, "dstport", std::to_string(kVxlanPort), "nolearning"}));
  }
  if (fresh || v->second.master != bridge || v->second.mtu != mtu || !v->second.up) {
    task.steps.push_back(
        Run({"ip", "link", "set", dev, "master", bridge, "mtu", std::to_string(mtu), "up"}));
  }
  std::set<FdbEntry> have;
  if (!fresh) {
    if (auto f = obs.fdb.find(dev); f != obs.fdb.end()) have = f->second;
  }
  PlanForwarding(hn, dev, have, task);
  return true;
}

void DatapathPlanner::PlanForwarding(const pb::HostNetwork& hn, const std::string& dev,
                                     const std::set<FdbEntry>& have, Task& task) const {
  std::set<FdbEntry> want;
  for (const std::string& peer : hn.peer_ips()) {
    if (peer != options_.local_ip) want.insert({kZeroMac, peer});
  }
  for (const auto& [mac, ip] : hn.remote_macs()) {
    if (ip != options_.local_ip) want.insert({absl::AsciiStrToLower(mac), ip});
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
}

bool DatapathPlanner::PlanPhysical(const pb::Network& net, const std::string& bridge,
                                   const ObservedState& obs, WantedLinks& want, Task& task,
                                   std::vector<std::string>& warnings) const {
  auto m = options_.physical_interfaces.find(net.physical_network());
  if (m == options_.physical_interfaces.end()) {
    warnings.push_back(absl::StrCat("network ", net.id(), ": physical network '",
                                    net.physical_network(), "' has no interface in ",
                                    "[network_agent] physical_interface_mappings"));
    return false;
  }
  std::string dev = m->second;
  if (!obs.links.count(dev)) {
    warnings.push_back(absl::StrCat("network ", net.id(), ": interface ", dev, " does not exist"));
    return false;
  }
  if (net.network_type() == "vlan") {
    std::string vdev = absl::StrCat(m->second, ".", net.segmentation_id());
    if (vdev.size() > 15)
      vdev =
          absl::StrCat(m->second.substr(0, 15 - 1 - std::to_string(net.segmentation_id()).size()),
                       ".", net.segmentation_id());
    want.vlans.insert(vdev);
    if (!obs.links.at(dev).up) task.steps.push_back(Run({"ip", "link", "set", dev, "up"}));
    if (!obs.links.count(vdev)) {
      task.steps.push_back(Run({"ip", "link", "add", "link", dev, "name", vdev, "type", "vlan",
                                "id", std::to_string(net.segmentation_id())}));
    }
    dev = vdev;
  }
  auto l = obs.links.find(dev);
  if (l == obs.links.end() || l->second.master != bridge || !l->second.up) {
    task.steps.push_back(Run({"ip", "link", "set", dev, "master", bridge, "up"}));
  }
  return true;
}

// ------------------------------------------------------------ security groups

Task DatapathPlanner::PlanFirewall(const pb::HostState& desired, const ObservedState& obs,
                                   std::vector<std::string>& warnings) const {
  Task task{"firewall", {}};
  std::string rules = FirewallRules(desired, &warnings);
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
  return task;
}

// ------------------------------------------------------------ removals

void DatapathPlanner::PlanRemovals(const ObservedState& obs, const WantedLinks& want,
                                   const std::set<std::string>& want_ns, Plan& plan) const {
  // Our taps: the host ends of the legs of our namespaces (also those being removed).
  std::set<std::string> our_taps;
  for (const auto& [ns, inside] : obs.inside) {
    for (const auto& [name, link] : inside.links) {
      if (absl::StartsWith(name, "ns-") || absl::StartsWith(name, "qr-") ||
          absl::StartsWith(name, "qg-")) {
        our_taps.insert("tap" + name.substr(3));
      }
    }
  }
  std::set<std::string> managed;  // namespaces with a state folder of this agent
  for (const std::string& id : host_.ListDir(options_.state_path + "/dhcp"))
    managed.insert(DhcpNamespace(id));
  for (const std::string& id : host_.ListDir(options_.state_path + "/routers"))
    managed.insert(RouterNamespace(id));
  for (const std::string& ns : managed) {
    if (!want_ns.count(ns)) plan.tasks.push_back(PlanRemoveNamespace(ns, obs, our_taps));
  }
  for (const auto& [name, link] : obs.links) {
    if (absl::StartsWith(name, "vxlan-") && link.kind == "vxlan" && !want.vxlans.count(name)) {
      plan.tasks.push_back({"remove " + name, {Run({"ip", "link", "del", name})}});
    }
  }
  for (const auto& [name, link] : obs.links) {
    if (!absl::StartsWith(name, "brq") || link.kind != "bridge" || want.bridges.count(name))
      continue;
    PlanRemoveBridge(name, obs, want, our_taps, plan);
  }
}

Task DatapathPlanner::PlanRemoveNamespace(const std::string& ns, const ObservedState& obs,
                                          const std::set<std::string>& our_taps) const {
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
  return task;
}

void DatapathPlanner::PlanRemoveBridge(const std::string& name, const ObservedState& obs,
                                       const WantedLinks& want,
                                       const std::set<std::string>& our_taps, Plan& plan) const {
  std::set<std::string> mapped;
  for (const auto& [physnet, iface] : options_.physical_interfaces) mapped.insert(iface);
  Task task{"remove " + name, {}};
  bool foreign = false;
  for (const auto& [member, m] : obs.links) {
    if (m.master != name) continue;
    if (absl::StartsWith(member, "tap") && !our_taps.count(member)) {
      plan.warnings.push_back(absl::StrCat(name, " is kept: ", member, " is still plugged in"));
      foreign = true;
    }
    if (m.kind == "vlan" && mapped.count(m.parent) && !want.vlans.count(member)) {
      task.steps.push_back(Run({"ip", "link", "del", member}, true));
    }
  }
  if (foreign) return;
  task.steps.push_back(Run({"ip", "link", "del", name}));
  plan.tasks.push_back(std::move(task));
}

}  // namespace gureum::network_agent
