// An instance's ports on gureum-network, for the compute agent. At build each requested
// network gets a port (AllocatePort, idempotent per instance, network and NIC) and each of
// the user's ports is bound here (BindPort); the domain starts once every port is ACTIVE,
// i.e. the network agent of this host has made the bridge, the VXLAN links and the
// security-group rules. At delete the ports go (ReleasePorts keeps the user's own, unbound).
//
// Thread-safe as far as its NetworkClient is: it keeps no state of its own. Calls go as the
// agent's service user (compute::kAsService).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "compute/agent/agent_options.h"
#include "compute/agent/hypervisor.h"
#include "compute/agent/instance_files.h"
#include "compute/clients/network_client.h"

#include "compute_casts.pb.h"

namespace gureum::compute_agent {

class InstancePorts {
 public:
  // `network` is gureum-network ([compute] network_grpc), or null when this host has no
  // network service: then an instance that asks for networks fails here (and is
  // rescheduled), and one that has ports keeps them at delete. Collaborators must outlive
  // this object.
  InstancePorts(const AgentOptions& options, compute::NetworkClient* network, const Clock& clock);

  // Allocates or binds the instance's ports into record.vifs (cleared first).
  absl::Status Plug(const pb::InstanceSpec& spec, InstanceRecord& record);
  // The instance's ports (record.vifs) bound back to this host, e.g. on the source host of
  // a reverted move, and waited for until ACTIVE.
  absl::Status Rebind(const std::string& uuid, const InstanceRecord& record);
  // Until every port is ACTIVE: ERROR, or options.vif_plugging_timeout, fail.
  absl::Status WaitActive(const std::vector<VifRecord>& vifs);
  // ReleasePorts for the instance, keeping the user's own ports.
  absl::Status Unplug(const std::string& uuid, const pb::InstanceSpec& spec,
                      const std::vector<VifRecord>& vifs);

  // One NIC the instance asks for: a network (and maybe a fixed IP) or the user's port.
  struct Wanted {
    std::string network_id;
    std::string port_id;
    std::string fixed_ip;
  };

 private:
  // Network names and subnets already read during one Plug.
  struct Names {
    std::map<std::string, std::string> networks;
    std::map<std::string, compute::Subnet> subnets;
  };

  std::string ZoneOf(const pb::InstanceSpec& spec) const;
  absl::StatusOr<compute::Port> BindUserPort(const pb::InstanceSpec& spec,
                                             const std::string& port_id);
  absl::StatusOr<compute::Port> AllocatePort(const pb::InstanceSpec& spec, const Wanted& w,
                                             size_t nic);
  // The VifRecord of a port: its MAC, bridge, tap, network name and addresses.
  absl::Status Describe(const compute::Port& port, Names& names, VifRecord& vif);

  const AgentOptions& options_;
  compute::NetworkClient* const network_;  // may be null (see the constructor)
  const Clock& clock_;
};

// The instance asks for network interfaces.
bool HasNetworks(const pb::InstanceSpec& spec);
// The domain's interfaces for these ports, in order.
std::vector<InterfaceSpec> Interfaces(const std::vector<VifRecord>& vifs);
// InstanceUpdate.vifs (has_network_info) from these ports.
void AddVifs(pb::InstanceUpdate& u, const std::vector<VifRecord>& vifs);

}  // namespace gureum::compute_agent
