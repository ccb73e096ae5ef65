// The reconciler's brain: given the HostState the server wants and the ObservedState of
// the host, the steps that make the host match, and nothing else (what is already right
// is left alone, so a re-apply after an agent restart changes nothing and cuts no
// traffic). Steps are grouped in tasks ("network <id>", "firewall", "dhcp <id>",
// "router <id>", "remove ..."): a failing step stops its task only, and a port is ACTIVE
// when every task it depends on succeeded.
//
// Only the agent's own names are ever removed: brq* bridges (not while a foreign tap is
// still plugged in), vxlan-* devices, VLAN devices on mapped interfaces enslaved to a brq
// bridge, and qdhcp-/qrouter- namespaces this agent has a state folder for (with the tap
// ends of their legs).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "network/agent/agent_options.h"
#include "network/agent/host_system.h"
#include "network/agent/observed_state.h"

#include "network.pb.h"

namespace gureum::network_agent {

namespace pb = ::gureum::network::v1;

struct Step {
  enum class Kind { kRun, kWriteFile, kRemovePath, kStopProcess, kSignal };
  Kind kind = Kind::kRun;
  std::vector<std::string> argv;  // kRun
  std::string input;              // kRun: standard input (nft rule files)
  std::string path;               // kWriteFile, kRemovePath
  std::string content;            // kWriteFile
  int pid = 0;                    // kStopProcess (TERM, wait, KILL), kSignal
  int signal = 0;                 // kSignal
  bool may_fail = false;          // the task goes on when this step fails

  std::string ToString() const;  // "ip link add ...", "write <path>", ...
};

struct Task {
  std::string name;
  std::vector<Step> steps;
};

struct Plan {
  std::vector<Task> tasks;
  // Port id -> the tasks that must succeed for it to be ACTIVE.
  std::map<std::string, std::vector<std::string>> port_tasks;
  std::vector<std::string> warnings;  // things the plan could not do (no mapping, ...)

  bool empty() const;
  std::vector<std::string> Commands() const;  // every step's ToString, in order (tests)
};

// Names fixed by the ids (proto/network.proto).
std::string BridgeName(const std::string& network_id);
std::string TapName(const std::string& port_id);
std::string DhcpNamespace(const std::string& network_id);
std::string RouterNamespace(const std::string& router_id);
std::string VxlanName(int vni);

namespace plan_internal {
struct PlanContext;
struct WantedLinks;
}  // namespace plan_internal

class DatapathPlanner {
 public:
  // `host` is read for the agent's state files and dnsmasq processes; never changed.
  DatapathPlanner(const AgentOptions& options, HostSystem& host) : options_(options), host_(host) {}

  // The namespaces whose inside Observe should read for `desired` (desired ones and the
  // ones the agent has state for).
  std::set<std::string> NamespacesOfInterest(const pb::HostState& desired);

  Plan Make(const pb::HostState& desired, const ObservedState& observed);

  std::string DhcpDir(const std::string& network_id) const;
  std::string RouterDir(const std::string& router_id) const;
  std::string FirewallFile() const;

 private:
  // DHCP and router namespaces (datapath_plan_namespaces.cc); adds the namespaces it
  // wants to `want_ns`.
  void PlanNamespaces(const pb::HostState& desired, const ObservedState& observed,
                      const plan_internal::PlanContext& ctx, Plan& plan,
                      std::set<std::string>& want_ns);

  // The pieces of Make (datapath_plan.cc). A network's task: its bridge, then its VXLAN
  // device and forwarding entries or its physical (flat/VLAN) interface; PlanVxlan and
  // PlanPhysical return false when the network cannot be wired (a warning says why).
  Task PlanNetwork(const pb::HostNetwork& hn, const ObservedState& observed,
                   const plan_internal::PlanContext& ctx, plan_internal::WantedLinks& want,
                   std::vector<std::string>& warnings) const;
  bool PlanVxlan(const pb::HostNetwork& hn, const std::string& bridge, int mtu,
                 const ObservedState& observed, plan_internal::WantedLinks& want, Task& task,
                 std::vector<std::string>& warnings) const;
  void PlanForwarding(const pb::HostNetwork& hn, const std::string& dev,
                      const std::set<FdbEntry>& have, Task& task) const;
  bool PlanPhysical(const pb::Network& net, const std::string& bridge,
                    const ObservedState& observed, plan_internal::WantedLinks& want, Task& task,
                    std::vector<std::string>& warnings) const;
  // The "firewall" task: the security groups' nftables rules, applied when they changed.
  Task PlanFirewall(const pb::HostState& desired, const ObservedState& observed,
                    std::vector<std::string>& warnings) const;
  // The agent's own namespaces, VXLAN devices and bridges nobody wants any more.
  void PlanRemovals(const ObservedState& observed, const plan_internal::WantedLinks& want,
                    const std::set<std::string>& want_ns, Plan& plan) const;
  Task PlanRemoveNamespace(const std::string& ns, const ObservedState& observed,
                           const std::set<std::string>& our_taps) const;
  void PlanRemoveBridge(const std::string& name, const ObservedState& observed,
                        const plan_internal::WantedLinks& want,
                        const std::set<std::string>& our_taps, Plan& plan) const;

  const AgentOptions& options_;
  HostSystem& host_;
};

}  // namespace gureum::network_agent
