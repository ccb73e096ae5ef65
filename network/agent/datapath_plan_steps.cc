// The planner's shared pieces: step builders, the subnet/network index, and the veth
// legs of the DHCP and router namespaces.
#include <signal.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "network/agent/datapath_plan_internal.h"
#include "network/agent/firewall.h"

namespace gureum::network_agent::plan_internal {

Step Run(std::vector<std::string> argv, bool may_fail) {
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

bool PlainId(const std::string& id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
             std::string::npos;
}

PlanContext::PlanContext(const pb::HostState& st) {
  std::map<std::string, pb::Subnet>& out = subnets;
  for (const auto& hn : st.networks()) networks[hn.network().id()] = &hn.network();
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
}

std::string PlanContext::BridgeOf(const std::string& network_id) const {
  auto n = networks.find(network_id);
  return n != networks.end() && !n->second->bridge_name().empty() ? n->second->bridge_name()
                                                                  : BridgeName(network_id);
}

int PlanContext::MtuOf(const std::string& network_id, int fallback) const {
  auto n = networks.find(network_id);
  int mtu = n != networks.end() ? n->second->mtu() : 0;
  return mtu > 0 ? mtu : (fallback > 0 ? fallback : 1500);
}

std::vector<std::string> PortCidrs(const pb::Port& port,
                                   const std::map<std::string, pb::Subnet>& subnets) {
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

void EnsureLeg(const LegSpec& leg, const ObservedState& obs, bool ns_is_new,
               std::vector<Step>& steps) {
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
    if (!have.count(a))
      steps.push_back(Run({"ip", "-n", leg.ns, "addr", "add", a, "dev", leg.inner}));
  }
  std::set<std::string> want(leg.addresses.begin(), leg.addresses.end());
  for (const std::string& a : have) {
    if (!want.count(a))
      steps.push_back(Run({"ip", "-n", leg.ns, "addr", "del", a, "dev", leg.inner}, true));
  }
}

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

}  // namespace gureum::network_agent::plan_internal
