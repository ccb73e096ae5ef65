#include "compute/clients/fake_network_client.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace gureum::compute {

// ---- reads, scoped by token ----

bool FakeNetworkClient::SeesProject(const std::string& token, const std::string& project) const {
  auto it = token_project_.find(token);
  return it == token_project_.end() || it->second == project;
}

bool FakeNetworkClient::Sees(const std::string& token, const Network& n) const {
  return n.shared || n.router_external || SeesProject(token, n.project_id);
}

absl::StatusOr<Network> FakeNetworkClient::GetNetwork(const std::string& token,
                                                      const std::string& id) {
  absl::MutexLock l(&mu);
  auto it = networks_.find(id);
  if (it == networks_.end() || !Sees(token, it->second)) {
    return absl::NotFoundError("Network " + id + " could not be found.");
  }
  return it->second;
}

absl::StatusOr<Port> FakeNetworkClient::GetPort(const std::string& token, const std::string& id) {
  absl::MutexLock l(&mu);
  auto it = ports.find(id);
  if (it == ports.end() || !SeesProject(token, it->second.project_id)) {
    return absl::NotFoundError("Port " + id + " could not be found.");
  }
  int n = gets[id]++;
  if (!it->second.binding_host.empty() && gets_until_active >= 0 && n >= gets_until_active) {
    it->second.status = "ACTIVE";
  }
  return it->second;
}

absl::StatusOr<Subnet> FakeNetworkClient::GetSubnet(const std::string&, const std::string& id) {
  return Subnet{.id = id, .cidr = "10.0.0.0/24", .gateway_ip = "10.0.0.1", .ip_version = 4};
}

absl::StatusOr<std::vector<Network>> FakeNetworkClient::ListNetworks(const std::string& token) {
  absl::MutexLock l(&mu);
  std::vector<Network> out;
  for (const auto& [id, n] : networks_) {
    if (Sees(token, n)) out.push_back(n);
  }
  return out;
}

absl::StatusOr<std::vector<FloatingIp>> FakeNetworkClient::ListFloatingIps(
    const std::string& token) {
  absl::MutexLock l(&mu);
  if (down_) return absl::UnavailableError("network service unreachable");
  std::vector<FloatingIp> out;
  for (const FloatingIp& f : floating_ips_) {
    auto port = ports.find(f.port_id);
    if (port != ports.end() && SeesProject(token, port->second.project_id)) out.push_back(f);
  }
  return out;
}

absl::StatusOr<std::vector<SecurityGroup>> FakeNetworkClient::ListSecurityGroups(
    const std::string& token, const std::string& project_id) {
  absl::MutexLock l(&mu);
  if (down_) return absl::UnavailableError("network service unreachable");
  std::vector<SecurityGroup> out;
  for (const SecurityGroup& g : security_groups_) {
    if (SeesProject(token, g.project_id) && (project_id.empty() || g.project_id == project_id)) {
      out.push_back(g);
    }
  }
  return out;
}

// ---- the agent's port calls ----

Port FakeNetworkClient::Wire(Port p, const std::string& host) {
  p.binding_host = host;
  p.vif_type = "bridge";
  p.bridge_name = "brq" + p.network_id.substr(0, 11);
  p.tap_name = "tap" + p.id.substr(0, 11);
  p.mtu = 1450;
  p.status = "DOWN";
  gets[p.id] = 0;
  return p;
}

absl::StatusOr<Port> FakeNetworkClient::AllocatePort(const PortAllocation& req) {
  absl::MutexLock l(&mu);
  allocations.push_back(req);
  if (!allocate_failures_.empty()) {
    absl::Status s = allocate_failures_.front();
    allocate_failures_.pop_front();
    return s;
  }
  if (networks_.count(req.network_id) == 0) {
    return absl::NotFoundError("Network " + req.network_id + " could not be found.");
  }
  for (auto& [id, p] : ports) {
    if (p.device_id == req.device_id && p.network_id == req.network_id &&
        nic_index_.count(id) != 0 && nic_index_[id] == req.nic_index) {
      p = Wire(p, req.host);
      return p;
    }
  }
  Port p;
  // Unique in its first 11 characters, as UUIDs are: tap names are made from them.
  p.id = absl::StrCat(absl::Hex(ports.size() + 1, absl::kZeroPad8), "-a0b1-4c2d-8e4f-port");
  p.network_id = req.network_id;
  p.project_id = req.project_id;
  p.device_id = req.device_id;
  p.device_owner = req.device_owner;
  p.mac_address = absl::StrCat("fa:16:3e:00:00:", absl::Hex(next_ip_, absl::kZeroPad2));
  p.fixed_ips.push_back(
      {.subnet_id = "subnet-" + req.network_id,
       .ip_address = req.fixed_ip.empty() ? absl::StrCat("10.0.0.", next_ip_) : req.fixed_ip});
  ++next_ip_;
  p.security_group_ids = req.security_group_names;
  p = Wire(p, req.host);
  ports[p.id] = p;
  nic_index_[p.id] = req.nic_index;
  return p;
}

absl::StatusOr<Port> FakeNetworkClient::BindPort(const PortBinding& req) {
  absl::MutexLock l(&mu);
  auto it = ports.find(req.port_id);
  if (it == ports.end() || it->second.project_id != req.project_id) {
    return absl::NotFoundError("Port " + req.port_id + " could not be found.");
  }
  if (!it->second.device_id.empty() && it->second.device_id != req.device_id) {
    return absl::FailedPreconditionError("Port " + req.port_id + " is still in use.");
  }
  it->second.device_id = req.device_id;
  it->second.device_owner = req.device_owner;
  it->second = Wire(it->second, req.host);
  return it->second;
}

absl::Status FakeNetworkClient::ReleasePorts(const std::string& device_id,
                                             const std::vector<std::string>& keep_port_ids) {
  absl::MutexLock l(&mu);
  releases.push_back({device_id, keep_port_ids});
  std::set<std::string> keep(keep_port_ids.begin(), keep_port_ids.end());
  for (auto it = ports.begin(); it != ports.end();) {
    if (it->second.device_id != device_id) {
      ++it;
    } else if (keep.count(it->first)) {
      it->second.device_id.clear();
      it->second.device_owner.clear();
      it->second.binding_host.clear();
      it->second.status = "DOWN";
      ++it;
    } else {
      it = ports.erase(it);
    }
  }
  return absl::OkStatus();
}

// ---- set-up ----

void FakeNetworkClient::SetTokenProject(const std::string& token, const std::string& project) {
  absl::MutexLock l(&mu);
  token_project_[token] = project;
}

void FakeNetworkClient::AddNetwork(Network network) {
  absl::MutexLock l(&mu);
  std::string id = network.id;
  networks_[id] = std::move(network);
}

void FakeNetworkClient::AddPort(Port port) {
  absl::MutexLock l(&mu);
  std::string id = port.id;
  ports[id] = std::move(port);
}

void FakeNetworkClient::AddFloatingIp(FloatingIp floating_ip) {
  absl::MutexLock l(&mu);
  floating_ips_.push_back(std::move(floating_ip));
}

void FakeNetworkClient::AddSecurityGroup(SecurityGroup group) {
  absl::MutexLock l(&mu);
  security_groups_.push_back(std::move(group));
}

void FakeNetworkClient::SetUnavailable(bool down) {
  absl::MutexLock l(&mu);
  down_ = down;
}

void FakeNetworkClient::FailNextAllocate(absl::Status status) {
  absl::MutexLock l(&mu);
  allocate_failures_.push_back(std::move(status));
}

}  // namespace gureum::compute
