// NetworkClient in memory for tests (test-only target compute_clients_fake), answering as
// gureum-network does for both of compute's sides. Thread-safe.
//
// Reads: a token mapped to a project (SetTokenProject) sees that project's networks, ports,
// floating IPs and security groups and the shared or external networks; an unmapped token
// (an admin, or kAsService) sees everything. SetUnavailable fails the list calls.
//
// The agent's port calls: AllocatePort makes a port (idempotent per device, network and
// NIC; addresses 10.0.0.<n> on subnet "subnet-<network>"), BindPort binds a port added
// with AddPort; a bound port stays DOWN for `gets_until_active` GetPort calls (-1: for
// ever) and then turns ACTIVE, as a network agent would make it. GetSubnet answers any id
// with 10.0.0.0/24.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "compute/clients/network_client.h"

namespace gureum::compute {

class FakeNetworkClient final : public NetworkClient {
 public:
  absl::StatusOr<Network> GetNetwork(const std::string& token, const std::string& id) override;
  absl::StatusOr<Port> GetPort(const std::string& token, const std::string& id) override;
  absl::StatusOr<Subnet> GetSubnet(const std::string& token, const std::string& id) override;
  absl::StatusOr<std::vector<Network>> ListNetworks(const std::string& token) override;
  absl::StatusOr<std::vector<FloatingIp>> ListFloatingIps(const std::string& token) override;
  absl::StatusOr<std::vector<SecurityGroup>> ListSecurityGroups(
      const std::string& token, const std::string& project_id) override;
  absl::StatusOr<Port> AllocatePort(const PortAllocation& request) override;
  absl::StatusOr<Port> BindPort(const PortBinding& request) override;
  absl::Status ReleasePorts(const std::string& device_id,
                            const std::vector<std::string>& keep_port_ids) override;

  void SetTokenProject(const std::string& token, const std::string& project);
  void AddNetwork(Network network);
  void AddPort(Port port);
  // Associates a floating IP with a port added before.
  void AddFloatingIp(FloatingIp floating_ip);
  void AddSecurityGroup(SecurityGroup group);
  // ListFloatingIps and ListSecurityGroups answer Unavailable while `down`.
  void SetUnavailable(bool down);
  // The next AllocatePort returns `status` (after recording the request).
  void FailNextAllocate(absl::Status status);

  struct Release {
    std::string device_id;
    std::vector<std::string> keep_port_ids;
  };

  // What the agent's tests read and set directly, under `mu`.
  absl::Mutex mu;
  int gets_until_active ABSL_GUARDED_BY(mu) = 0;
  std::map<std::string, Port> ports ABSL_GUARDED_BY(mu);
  std::map<std::string, int> gets ABSL_GUARDED_BY(mu);  // GetPort calls since the binding
  std::vector<PortAllocation> allocations ABSL_GUARDED_BY(mu);
  std::vector<Release> releases ABSL_GUARDED_BY(mu);

 private:
  bool SeesProject(const std::string& token, const std::string& project) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  bool Sees(const std::string& token, const Network& n) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // `p` bound to `host` as the network agent there would see it (DOWN until wired).
  Port Wire(Port p, const std::string& host) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  std::map<std::string, std::string> token_project_ ABSL_GUARDED_BY(mu);
  std::map<std::string, Network> networks_ ABSL_GUARDED_BY(mu);
  std::vector<FloatingIp> floating_ips_ ABSL_GUARDED_BY(mu);
  std::vector<SecurityGroup> security_groups_ ABSL_GUARDED_BY(mu);
  bool down_ ABSL_GUARDED_BY(mu) = false;
  std::deque<absl::Status> allocate_failures_ ABSL_GUARDED_BY(mu);
  std::map<std::string, int> nic_index_ ABSL_GUARDED_BY(mu);  // allocated port -> its NIC
  int next_ip_ ABSL_GUARDED_BY(mu) = 10;
};

}  // namespace gureum::compute
