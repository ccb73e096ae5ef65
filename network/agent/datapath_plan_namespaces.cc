// The planner's namespaces: DHCP (qdhcp-, a leg on the bridge, dnsmasq) and routers
// (qrouter-, qr-/qg- legs, routes, NAT).
#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "network/agent/datapath_plan_internal.h"
#include "network/agent/dhcp_config.h"
#include "network/agent/firewall.h"
#include "network/agent/router_nat.h"

namespace gureum::network_agent {

using namespace plan_internal;  // NOLINT

void DatapathPlanner::PlanNamespaces(const pb::HostState& desired, const ObservedState& obs,
                                     const PlanContext& ctx, Plan& plan,
                                     std::set<std::string>& want_ns) {
  // ------------------------------------------------------------ DHCP
  for (const auto& d : desired.dhcp()) {
    if (d.dhcp_port().id().empty()) {
      // The server has not bound a DHCP port here yet: nothing to serve with (next cast).
      plan.warnings.push_back(
          absl::StrCat("DHCP of network ", d.network_id(), ": no DHCP port bound here yet"));
      if (PlainId(d.network_id())) want_ns.insert(DhcpNamespace(d.network_id()));  // left as it is
      continue;
    }
    if (!PlainId(d.network_id()) || !PlainId(d.dhcp_port().id())) {
      plan.warnings.push_back(
          absl::StrCat("DHCP of network '", d.network_id(), "': ids not usable; skipped"));
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
    LegSpec leg{ns,
                "ns-" + Prefix11(port.id()),
                TapName(port.id()),
                ctx.BridgeOf(d.network_id()),
                port.mac_address(),
                ctx.MtuOf(d.network_id(), port.mtu()),
                PortCidrs(port, ctx.subnets)};
    if (!ns_new) RemoveStaleLegs(ns, {leg.inner}, obs, task.steps);
    EnsureLeg(leg, obs, ns_new, task.steps);

    DhcpPaths paths{DhcpDir(d.network_id())};
    std::string hosts = DhcpHostsFile(d), opts = DhcpOptsFile(d, leg.mtu);
    std::vector<std::string> args =
        DnsmasqArgs(d, paths, leg.inner, options_.dhcp_lease_seconds, options_.dnsmasq_binary,
                    options_.dnsmasq_user, options_.dnsmasq_group);
    int pid = 0;
    std::optional<std::string> running;
    if (auto pid_text = host_.ReadFile(paths.pid());
        pid_text && absl::SimpleAtoi(std::string(absl::StripAsciiWhitespace(*pid_text)), &pid)) {
      running = host_.ProcessCommandLine(pid);
      if (running && !absl::StrContains(*running, paths.pid())) running.reset();  // pid reused
    }
    bool files_changed =
        host_.ReadFile(paths.hosts()) != hosts || host_.ReadFile(paths.opts()) != opts;
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
      legs.push_back({ns, "qr-" + Prefix11(p.id()), TapName(p.id()), ctx.BridgeOf(p.network_id()),
                      p.mac_address(), ctx.MtuOf(p.network_id(), p.mtu()),
                      PortCidrs(p, ctx.subnets)});
      plan.port_tasks[p.id()] = {"network " + p.network_id(), task.name};
    }
    std::string qg;
    std::vector<std::string> internal_cidrs;
    for (const auto& leg : r.interfaces()) {
      for (const auto& ip : leg.port().fixed_ips()) {
        auto s = ctx.subnets.find(ip.subnet_id());
        if (s != ctx.subnets.end() && AddressFamily(s->second.cidr()) == 4)
          internal_cidrs.push_back(s->second.cidr());
      }
    }
    std::string gateway_address;
    if (r.has_gateway() && !r.gateway().port().id().empty()) {
      const pb::Port& p = r.gateway().port();
      qg = "qg-" + Prefix11(p.id());
      LegSpec g{ns,
                qg,
                TapName(p.id()),
                ctx.BridgeOf(p.network_id()),
                p.mac_address(),
                ctx.MtuOf(p.network_id(), p.mtu()),
                PortCidrs(p, ctx.subnets)};
      for (const auto& ip : p.fixed_ips()) {
        if (AddressFamily(ip.ip_address()) == 4 && gateway_address.empty())
          gateway_address = ip.ip_address();
      }
      for (const auto& f : r.floating_ips()) {
        if (AddressFamily(f.floating_ip_address()) == 4)
          g.addresses.push_back(f.floating_ip_address() + "/32");
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
      if (!want_routes.count(dst))
        task.steps.push_back(Run({"ip", "-n", ns, "route", "del", dst}, true));
    }

    // NAT: SNAT of the internal subnets out of qg-, DNAT/SNAT per floating IP.
    std::string nat = RouterNatRules(r, qg, gateway_address, internal_cidrs);
    const std::string nat_file = RouterDir(id) + "/nat.nft";
    auto applied = host_.ReadFile(nat_file);
    if (ns_new || !applied || *applied != nat) {
      task.steps.push_back(
          Run({"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1"}));
      Step s = Run({"ip", "netns", "exec", ns, "nft", "-f", "-"});
      s.input = RouterNatTransaction(nat);
      task.steps.push_back(s);
      task.steps.push_back(Write(nat_file, nat));
    }
    plan.tasks.push_back(std::move(task));
  }
}

}  // namespace gureum::network_agent
