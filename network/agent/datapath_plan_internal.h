// Internal to the planner (datapath_plan*.cc): step builders, the leg reconciler, and
// what the planner's parts share about the desired state.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "network/agent/datapath_plan.h"

namespace gureum::network_agent::plan_internal {

Step Run(std::vector<std::string> argv, bool may_fail = false);
Step Write(const std::string& path, const std::string& content);
Step Remove(const std::string& path);
Step Stop(int pid);  // TERM, wait, KILL
Step Hup(int pid);

std::string Prefix11(const std::string& id);
// Ids become device, namespace and file names: letters, digits and '-' only (so no id
// can reach outside the state folder or name something else).
bool PlainId(const std::string& id);

// "ip/len" of a port's fixed ips (len from the subnet's CIDR; /32 or /128 if unknown).
std::vector<std::string> PortCidrs(const pb::Port& port,
                                   const std::map<std::string, pb::Subnet>& subnets);

// What the planner's parts share about the desired state.
struct PlanContext {
  explicit PlanContext(const pb::HostState& desired);
  std::map<std::string, pb::Subnet> subnets;  // from everywhere the state has them
  std::map<std::string, const pb::Network*> networks;
  std::string BridgeOf(const std::string& network_id) const;
  int MtuOf(const std::string& network_id, int fallback) const;
};

// The agent's own links the desired state keeps (the rest of its own are removed).
struct WantedLinks {
  std::set<std::string> bridges;
  std::set<std::string> vxlans;
  std::set<std::string> vlans;
};

struct LegSpec {
  std::string ns;
  std::string inner;  // ns-/qr-/qg- + port[0:11]
  std::string tap;    // tap + port[0:11], on the bridge
  std::string bridge;
  std::string mac;
  int mtu = 1500;
  std::vector<std::string> addresses;  // "ip/len"
};

// A veth leg of a namespace on a bridge, converged step by step.
void EnsureLeg(const LegSpec& leg, const ObservedState& obs, bool ns_is_new,
               std::vector<Step>& steps);
// Legs in a namespace that are no longer wanted (by prefix), with their tap ends.
void RemoveStaleLegs(const std::string& ns, const std::set<std::string>& wanted,
                     const ObservedState& obs, std::vector<Step>& steps);

}  // namespace gureum::network_agent::plan_internal
