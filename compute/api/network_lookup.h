// How compute-api checks a server's requested networks, ports and security groups:
// gureum-network's gRPC API (GetNetwork, GetPort, ListNetworks, ListSecurityGroups,
// ListFloatingIps) with the user's own token, so a user can only attach what they may see. The gRPC
// one is in grpc_clients.cc; FakeNetworkLookup serves tests. When no network service is configured
// the manager has none (nullptr).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gureum::compute {

struct NetworkInfo {
  std::string id;
  std::string name;
  std::string project_id;
  bool shared = false;
  bool router_external = false;
};

// A floating IP associated with a port (Neutron's floatingip with a port_id).
struct FloatingIpInfo {
  std::string port_id;
  std::string fixed_ip_address;
  std::string floating_ip_address;
};

struct SecurityGroupInfo {
  std::string id;
  std::string name;
  std::string project_id;
};

struct PortInfo {
  std::string id;
  std::string network_id;
  std::string project_id;
  std::string device_id;  // "" when free
  std::string device_owner;
};

class NetworkLookup {
 public:
  virtual ~NetworkLookup() = default;
  // NotFound when the caller cannot see it; Unavailable when the service is down.
  virtual absl::StatusOr<NetworkInfo> GetNetwork(const std::string& token,
                                                 const std::string& id) = 0;
  virtual absl::StatusOr<PortInfo> GetPort(const std::string& token, const std::string& id) = 0;
  // Every network the caller sees (its project's, shared and external ones).
  virtual absl::StatusOr<std::vector<NetworkInfo>> ListNetworks(const std::string& token) = 0;
  // The associated floating IPs the caller sees, to show in servers' addresses.
  virtual absl::StatusOr<std::vector<FloatingIpInfo>> ListFloatingIps(const std::string& token) = 0;
  // The security groups of `project_id` the caller sees (gureum-network makes the
  // project's "default" group when its member lists them, as Neutron does).
  virtual absl::StatusOr<std::vector<SecurityGroupInfo>> ListSecurityGroups(
      const std::string& token, const std::string& project_id) = 0;
};

// Networks and ports in memory. A token mapped to a project (SetTokenProject) sees that
// project's networks and ports and the shared or external networks, as gureum-network
// answers; an unmapped token (an admin) sees everything. Thread-safe.
class FakeNetworkLookup final : public NetworkLookup {
 public:
  void SetTokenProject(const std::string& token, const std::string& project) {
    absl::MutexLock lock(&mu_);
    token_project_[token] = project;
  }
  void AddNetwork(NetworkInfo n) {
    absl::MutexLock lock(&mu_);
    networks_[n.id] = std::move(n);
  }
  void AddPort(PortInfo p) {
    absl::MutexLock lock(&mu_);
    ports_[p.id] = std::move(p);
  }
  // Associates a floating IP with a port added before.
  void AddFloatingIp(FloatingIpInfo f) {
    absl::MutexLock lock(&mu_);
    floating_ips_.push_back(std::move(f));
  }
  void AddSecurityGroup(SecurityGroupInfo g) {
    absl::MutexLock lock(&mu_);
    security_groups_.push_back(std::move(g));
  }
  void SetUnavailable(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  absl::StatusOr<NetworkInfo> GetNetwork(const std::string& token, const std::string& id) override {
    absl::MutexLock lock(&mu_);
    auto it = networks_.find(id);
    if (it == networks_.end() || !Sees(token, it->second)) {
      return absl::NotFoundError("Network " + id + " could not be found.");
    }
    return it->second;
  }
  absl::StatusOr<PortInfo> GetPort(const std::string& token, const std::string& id) override {
    absl::MutexLock lock(&mu_);
    auto it = ports_.find(id);
    if (it == ports_.end() || !SeesProject(token, it->second.project_id)) {
      return absl::NotFoundError("Port id " + id + " could not be found.");
    }
    return it->second;
  }
  absl::StatusOr<std::vector<NetworkInfo>> ListNetworks(const std::string& token) override {
    absl::MutexLock lock(&mu_);
    std::vector<NetworkInfo> out;
    for (const auto& [id, n] : networks_) {
      if (Sees(token, n)) out.push_back(n);
    }
    return out;
  }
  absl::StatusOr<std::vector<FloatingIpInfo>> ListFloatingIps(const std::string& token) override {
    absl::MutexLock lock(&mu_);
    if (down_) return absl::UnavailableError("network service unreachable");
    std::vector<FloatingIpInfo> out;
    for (const FloatingIpInfo& f : floating_ips_) {
      auto port = ports_.find(f.port_id);
      if (port != ports_.end() && SeesProject(token, port->second.project_id)) out.push_back(f);
    }
    return out;
  }
  absl::StatusOr<std::vector<SecurityGroupInfo>> ListSecurityGroups(
      const std::string& token, const std::string& project_id) override {
    absl::MutexLock lock(&mu_);
    if (down_) return absl::UnavailableError("network service unreachable");
    std::vector<SecurityGroupInfo> out;
    for (const SecurityGroupInfo& g : security_groups_) {
      if (SeesProject(token, g.project_id) && (project_id.empty() || g.project_id == project_id)) {
        out.push_back(g);
      }
    }
    return out;
  }

 private:
  bool SeesProject(const std::string& token, const std::string& project) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = token_project_.find(token);
    return it == token_project_.end() || it->second == project;
  }
  bool Sees(const std::string& token, const NetworkInfo& n) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return n.shared || n.router_external || SeesProject(token, n.project_id);
  }

  absl::Mutex mu_;
  std::map<std::string, std::string> token_project_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, NetworkInfo> networks_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, PortInfo> ports_ ABSL_GUARDED_BY(mu_);
  std::vector<FloatingIpInfo> floating_ips_ ABSL_GUARDED_BY(mu_);
  std::vector<SecurityGroupInfo> security_groups_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace gureum::compute
