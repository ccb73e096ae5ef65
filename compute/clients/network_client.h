// compute's client of gureum-network. compute-api checks a server's requested networks,
// ports and security groups with the user's own token, so a user can only attach what they
// may see, and shows associated floating IPs in servers' addresses; the agent, as its
// service user, gives an instance its ports on its host (AllocatePort for a requested
// network, BindPort for the user's own port, ReleasePorts at delete), waits for them to be
// wired (GetPort until ACTIVE) and describes them (GetNetwork for the name, GetSubnet for
// the config drive). Who the calls run as: client_options.h. NewGrpcNetworkClient is the
// real one (the only code that sees network.proto); FakeNetworkClient
// (fake_network_client.h) serves tests. Where no network service is configured the API and
// the agent have none (nullptr).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"

namespace gureum::compute {

struct Network {
  std::string id;
  std::string name;
  std::string project_id;
  bool shared = false;
  bool router_external = false;
};

struct Subnet {
  std::string id;
  std::string network_id;
  std::string cidr;
  std::string gateway_ip;  // "" when none
  int ip_version = 4;
};

struct FixedIp {
  std::string subnet_id;
  std::string ip_address;
};

struct Port {
  std::string id;
  std::string network_id;
  std::string project_id;
  std::string device_id;     // "" when free; else the instance (or router, DHCP) using it
  std::string device_owner;  // compute:<zone>, network:dhcp, ...
  std::string mac_address;
  std::string status;  // DOWN until the network agent of binding_host wired it, then ACTIVE
  std::vector<FixedIp> fixed_ips;
  std::vector<std::string> security_group_ids;
  // The binding: the host it is bound to ("" unbound) and how that host's network agent
  // wires it (the VIF details).
  std::string binding_host;
  std::string vif_type;  // "bridge" once bound
  std::string bridge_name;
  std::string tap_name;
  int mtu = 0;
};

// A floating IP (Neutron's floatingip); port_id "" when it is not associated.
struct FloatingIp {
  std::string port_id;
  std::string fixed_ip_address;
  std::string floating_ip_address;
  std::string id;
  std::string project_id;
  std::string floating_network_id;  // the external network (pool) it was taken from
};

struct SecurityGroupRule {
  std::string id;
  std::string security_group_id;
  std::string project_id;
  std::string direction = "ingress";  // ingress | egress
  std::string ethertype = "IPv4";     // IPv4 | IPv6
  std::string protocol;               // "" any, tcp, udp, icmp, ...
  int port_range_min = -1;            // -1: none (any). icmp: type
  int port_range_max = -1;            // -1: none (any). icmp: code
  std::string remote_ip_prefix;       // "" none
  std::string remote_group_id;        // "" none
};

struct SecurityGroup {
  std::string id;
  std::string name;
  std::string project_id;
  std::string description;
  std::vector<SecurityGroupRule> rules;
};

// A new port for one NIC of an instance, bound to `host` (AllocatePort).
struct PortAllocation {
  std::string network_id;
  std::string project_id;    // the instance's: the port belongs to it
  std::string device_id;     // the instance
  std::string device_owner;  // compute:<zone>
  std::string host;
  // The NIC's place in the server's networks: two NICs on one network get two ports, and
  // asking again for the same instance, network and NIC answers the same port.
  int nic_index = 0;
  std::vector<std::string> security_group_names;  // empty: "default"
  std::string fixed_ip;                           // "" any
};

// The user's own port bound to an instance on `host` (BindPort).
struct PortBinding {
  std::string port_id;
  std::string project_id;  // the instance's: the port must belong to it
  std::string device_id;
  std::string device_owner;
  std::string host;
};

// Thread-safe. Reads answer NotFound (or PermissionDenied, InvalidArgument for a malformed
// id) when `token`'s caller cannot see the thing; every call answers Unavailable when the
// service is down.
class NetworkClient {
 public:
  virtual ~NetworkClient() = default;

  virtual absl::StatusOr<Network> GetNetwork(const std::string& token, const std::string& id) = 0;
  virtual absl::StatusOr<Port> GetPort(const std::string& token, const std::string& id) = 0;
  virtual absl::StatusOr<Subnet> GetSubnet(const std::string& token, const std::string& id) = 0;
  // Every network the caller sees (its project's, shared and external ones).
  virtual absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& token) = 0;
  // The floating IPs the caller sees that are associated with a port.
  virtual absl::StatusOr<std::vector<FloatingIp>> ListFloatingIps(const std::string& token) = 0;
  // The security groups of `project_id` the caller sees (gureum-network makes the
  // project's "default" group when its member lists them, as Neutron does).
  virtual absl::StatusOr<std::vector<SecurityGroup>> ListSecurityGroups(
      const std::string& token, const std::string& project_id) = 0;

  // Nova's network proxies (os-security-groups, os-security-group-rules, os-floating-ips,
  // server security groups), with the user's token: gureum-network scopes them to what the
  // caller may see and change.
  virtual absl::StatusOr<SecurityGroup> GetSecurityGroup(const std::string& token,
                                                         const std::string& id) = 0;
  // `group`'s name and description (the id, project and rules are the service's).
  virtual absl::StatusOr<SecurityGroup> CreateSecurityGroup(const std::string& token,
                                                            const SecurityGroup& group) = 0;
  // Changes the name and description of group.id.
  virtual absl::StatusOr<SecurityGroup> UpdateSecurityGroup(const std::string& token,
                                                            const SecurityGroup& group) = 0;
  virtual absl::Status DeleteSecurityGroup(const std::string& token, const std::string& id) = 0;
  virtual absl::StatusOr<SecurityGroupRule> CreateSecurityGroupRule(
      const std::string& token, const SecurityGroupRule& rule) = 0;
  virtual absl::Status DeleteSecurityGroupRule(const std::string& token, const std::string& id) = 0;
  // The ports of `device_id` (an instance) the caller sees.
  virtual absl::StatusOr<std::vector<Port>> ListDevicePorts(const std::string& token,
                                                            const std::string& device_id) = 0;
  // Sets the security groups of a port.
  virtual absl::StatusOr<Port> UpdatePortSecurityGroups(
      const std::string& token, const std::string& port_id,
      const std::vector<std::string>& security_group_ids) = 0;
  // Every floating IP the caller sees, associated or not.
  virtual absl::StatusOr<std::vector<FloatingIp>> ListAllFloatingIps(const std::string& token) = 0;
  virtual absl::StatusOr<FloatingIp> GetFloatingIp(const std::string& token,
                                                   const std::string& id) = 0;
  // A new floating IP of the caller's project from the external network `network_id`.
  virtual absl::StatusOr<FloatingIp> CreateFloatingIp(const std::string& token,
                                                      const std::string& network_id) = 0;
  // Associates floating IP `id` with `port_id` at `fixed_ip_address` ("" the port's first);
  // port_id "" disassociates it.
  virtual absl::StatusOr<FloatingIp> UpdateFloatingIpPort(const std::string& token,
                                                          const std::string& id,
                                                          const std::string& port_id,
                                                          const std::string& fixed_ip_address) = 0;
  virtual absl::Status DeleteFloatingIp(const std::string& token, const std::string& id) = 0;

  // The agent's port calls (gureum.network.v1.ComputeNetworking), as the service user.
  virtual absl::StatusOr<Port> AllocatePort(const PortAllocation& request) = 0;
  virtual absl::StatusOr<Port> BindPort(const PortBinding& request) = 0;
  // Deletes the ports of `device_id`, but unbinds those in `keep_port_ids` (the user's own).
  virtual absl::Status ReleasePorts(const std::string& device_id,
                                    const std::vector<std::string>& keep_port_ids) = 0;
};

// gureum.network.v1 (Networks, ComputeNetworking) at options.target (host:19696).
std::unique_ptr<NetworkClient> NewGrpcNetworkClient(const GrpcClientOptions& options);

}  // namespace gureum::compute
