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
//
// Nova's proxies (fake_network_client_proxies.cc): security groups, their rules, ports'
// groups and floating IPs as gureum-network keeps them, scoped by the token as the reads
// are; new ids are UUIDs, new floating IPs 172.24.4.<n> of an external network. Deleting
// a project's "default" group (not as an admin) or a group a port uses is
// FailedPrecondition, as gureum-network's 409s are; so is a duplicate rule. Every proxy
// call records its token in `proxy_tokens`.
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
  absl::StatusOr<SecurityGroup> GetSecurityGroup(const std::string& token,
                                                 const std::string& id) override;
  absl::StatusOr<SecurityGroup> CreateSecurityGroup(const std::string& token,
                                                    const SecurityGroup& group) override;
  absl::StatusOr<SecurityGroup> UpdateSecurityGroup(const std::string& token,
                                                    const SecurityGroup& group) override;
  absl::Status DeleteSecurityGroup(const std::string& token, const std::string& id) override;
  absl::StatusOr<SecurityGroupRule> CreateSecurityGroupRule(const std::string& token,
                                                            const SecurityGroupRule& rule) override;
  absl::Status DeleteSecurityGroupRule(const std::string& token, const std::string& id) override;
  absl::StatusOr<std::vector<Port>> ListDevicePorts(const std::string& token,
                                                    const std::string& device_id) override;
  absl::StatusOr<Port> UpdatePortSecurityGroups(
      const std::string& token, const std::string& port_id,
      const std::vector<std::string>& security_group_ids) override;
  absl::StatusOr<std::vector<FloatingIp>> ListAllFloatingIps(const std::string& token) override;
  absl::StatusOr<FloatingIp> GetFloatingIp(const std::string& token,
                                           const std::string& id) override;
  absl::StatusOr<FloatingIp> CreateFloatingIp(const std::string& token,
                                              const std::string& network_id) override;
  absl::StatusOr<FloatingIp> UpdateFloatingIpPort(const std::string& token, const std::string& id,
                                                  const std::string& port_id,
                                                  const std::string& fixed_ip_address) override;
  absl::Status DeleteFloatingIp(const std::string& token, const std::string& id) override;
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
  std::vector<std::string> proxy_tokens ABSL_GUARDED_BY(mu);

 private:
  bool SeesProject(const std::string& token, const std::string& project) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  bool Sees(const std::string& token, const Network& n) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // `p` bound to `host` as the network agent there would see it (DOWN until wired).
  Port Wire(Port p, const std::string& host) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // The project a token acts for ("" for an unmapped one: an admin).
  std::string ProjectOf(const std::string& token) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  bool IsAdminToken(const std::string& token) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  std::string NewUuid() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  SecurityGroup* FindGroup(const std::string& token, const std::string& id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  FloatingIp* FindFloatingIp(const std::string& token, const std::string& id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // A floating IP's project: its own, else its port's.
  std::string FloatingIpProject(const FloatingIp& f) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  std::map<std::string, std::string> token_project_ ABSL_GUARDED_BY(mu);
  std::map<std::string, Network> networks_ ABSL_GUARDED_BY(mu);
  std::vector<FloatingIp> floating_ips_ ABSL_GUARDED_BY(mu);
  std::vector<SecurityGroup> security_groups_ ABSL_GUARDED_BY(mu);
  bool down_ ABSL_GUARDED_BY(mu) = false;
  std::deque<absl::Status> allocate_failures_ ABSL_GUARDED_BY(mu);
  std::map<std::string, int> nic_index_ ABSL_GUARDED_BY(mu);  // allocated port -> its NIC
  int next_ip_ ABSL_GUARDED_BY(mu) = 10;
  int next_uuid_ ABSL_GUARDED_BY(mu) = 1;
  int next_floating_ ABSL_GUARDED_BY(mu) = 10;
};

}  // namespace gureum::compute
