// FakeNetworkClient's calls for Nova's network proxies: security groups and their rules,
// ports' groups and floating IPs, scoped by the token as gureum-network scopes them.
#include <algorithm>

#include "absl/strings/str_format.h"
#include "compute/clients/fake_network_client.h"

namespace gureum::compute {

std::string FakeNetworkClient::ProjectOf(const std::string& token) const {
  auto it = token_project_.find(token);
  return it == token_project_.end() ? "" : it->second;
}

bool FakeNetworkClient::IsAdminToken(const std::string& token) const {
  return token_project_.count(token) == 0;
}

std::string FakeNetworkClient::NewUuid() {
  const int n = next_uuid_++;
  return absl::StrFormat("%08x-f00d-4000-8000-%012x", n, n);
}

SecurityGroup* FakeNetworkClient::FindGroup(const std::string& token, const std::string& id) {
  for (SecurityGroup& g : security_groups_) {
    if (g.id == id && SeesProject(token, g.project_id)) return &g;
  }
  return nullptr;
}

std::string FakeNetworkClient::FloatingIpProject(const FloatingIp& f) const {
  if (!f.project_id.empty()) return f.project_id;
  auto port = ports.find(f.port_id);
  return port == ports.end() ? "" : port->second.project_id;
}

FloatingIp* FakeNetworkClient::FindFloatingIp(const std::string& token, const std::string& id) {
  for (FloatingIp& f : floating_ips_) {
    if (!id.empty() && f.id == id && SeesProject(token, FloatingIpProject(f))) return &f;
  }
  return nullptr;
}

// ---- security groups ----

absl::StatusOr<SecurityGroup> FakeNetworkClient::GetSecurityGroup(const std::string& token,
                                                                  const std::string& id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  const SecurityGroup* g = FindGroup(token, id);
  if (g == nullptr) return absl::NotFoundError("Security group " + id + " does not exist");
  return *g;
}

absl::StatusOr<SecurityGroup> FakeNetworkClient::CreateSecurityGroup(const std::string& token,
                                                                     const SecurityGroup& group) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  SecurityGroup g{.id = NewUuid(),
                  .name = group.name,
                  .project_id = ProjectOf(token),
                  .description = group.description};
  security_groups_.push_back(g);
  return g;
}

absl::StatusOr<SecurityGroup> FakeNetworkClient::UpdateSecurityGroup(const std::string& token,
                                                                     const SecurityGroup& group) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  SecurityGroup* g = FindGroup(token, group.id);
  if (g == nullptr) return absl::NotFoundError("Security group " + group.id + " does not exist");
  g->name = group.name;
  g->description = group.description;
  return *g;
}

absl::Status FakeNetworkClient::DeleteSecurityGroup(const std::string& token,
                                                    const std::string& id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  SecurityGroup* g = FindGroup(token, id);
  if (g == nullptr) return absl::NotFoundError("Security group " + id + " does not exist");
  if (g->name == "default" && !IsAdminToken(token)) {
    return absl::FailedPreconditionError("Removing default security group not allowed.");
  }
  for (const auto& [pid, p] : ports) {
    for (const std::string& used : p.security_group_ids) {
      if (used == id) return absl::FailedPreconditionError("Security Group " + id + " in use.");
    }
  }
  security_groups_.erase(security_groups_.begin() + (g - security_groups_.data()));
  return absl::OkStatus();
}

absl::StatusOr<SecurityGroupRule> FakeNetworkClient::CreateSecurityGroupRule(
    const std::string& token, const SecurityGroupRule& rule) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  SecurityGroup* g = FindGroup(token, rule.security_group_id);
  if (g == nullptr) {
    return absl::NotFoundError("Security group " + rule.security_group_id + " does not exist");
  }
  SecurityGroupRule r = rule;
  r.project_id = g->project_id;
  for (const SecurityGroupRule& o : g->rules) {
    r.id = o.id;
    if (o.direction == r.direction && o.ethertype == r.ethertype && o.protocol == r.protocol &&
        o.port_range_min == r.port_range_min && o.port_range_max == r.port_range_max &&
        o.remote_ip_prefix == r.remote_ip_prefix && o.remote_group_id == r.remote_group_id) {
      return absl::FailedPreconditionError("Security group rule already exists. Rule id is " +
                                           o.id + ".");
    }
  }
  r.id = NewUuid();
  g->rules.push_back(r);
  return r;
}

absl::Status FakeNetworkClient::DeleteSecurityGroupRule(const std::string& token,
                                                        const std::string& id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  for (SecurityGroup& g : security_groups_) {
    if (!SeesProject(token, g.project_id)) continue;
    for (auto it = g.rules.begin(); it != g.rules.end(); ++it) {
      if (it->id != id) continue;
      g.rules.erase(it);
      return absl::OkStatus();
    }
  }
  return absl::NotFoundError("Security group rule " + id + " does not exist");
}

// ---- ports' groups ----

absl::StatusOr<std::vector<Port>> FakeNetworkClient::ListDevicePorts(const std::string& token,
                                                                     const std::string& device_id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  std::vector<Port> out;
  for (const auto& [id, p] : ports) {
    if (p.device_id == device_id && SeesProject(token, p.project_id)) out.push_back(p);
  }
  return out;
}

absl::StatusOr<Port> FakeNetworkClient::UpdatePortSecurityGroups(
    const std::string& token, const std::string& port_id,
    const std::vector<std::string>& security_group_ids) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  auto it = ports.find(port_id);
  if (it == ports.end() || !SeesProject(token, it->second.project_id)) {
    return absl::NotFoundError("Port " + port_id + " could not be found.");
  }
  for (const std::string& g : security_group_ids) {
    if (FindGroup(token, g) == nullptr)
      return absl::NotFoundError("Security group " + g + " does not exist");
  }
  it->second.security_group_ids = security_group_ids;
  return it->second;
}

// ---- floating IPs ----

absl::StatusOr<std::vector<FloatingIp>> FakeNetworkClient::ListAllFloatingIps(
    const std::string& token) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  std::vector<FloatingIp> out;
  for (const FloatingIp& f : floating_ips_) {
    if (SeesProject(token, FloatingIpProject(f))) out.push_back(f);
  }
  return out;
}

absl::StatusOr<FloatingIp> FakeNetworkClient::GetFloatingIp(const std::string& token,
                                                            const std::string& id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  const FloatingIp* f = FindFloatingIp(token, id);
  if (f == nullptr) return absl::NotFoundError("Floating IP " + id + " could not be found");
  return *f;
}

absl::StatusOr<FloatingIp> FakeNetworkClient::CreateFloatingIp(const std::string& token,
                                                               const std::string& network_id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  auto net = networks_.find(network_id);
  if (net == networks_.end() || !Sees(token, net->second)) {
    return absl::NotFoundError("Network " + network_id + " could not be found.");
  }
  if (!net->second.router_external) {
    return absl::InvalidArgumentError("Network " + network_id + " is not a valid external network");
  }
  FloatingIp f{.floating_ip_address = absl::StrFormat("172.24.4.%d", next_floating_++),
               .id = NewUuid(),
               .project_id = ProjectOf(token),
               .floating_network_id = network_id};
  floating_ips_.push_back(f);
  return f;
}

absl::StatusOr<FloatingIp> FakeNetworkClient::UpdateFloatingIpPort(
    const std::string& token, const std::string& id, const std::string& port_id,
    const std::string& fixed_ip_address) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  FloatingIp* f = FindFloatingIp(token, id);
  if (f == nullptr) return absl::NotFoundError("Floating IP " + id + " could not be found");
  if (port_id.empty()) {
    f->port_id.clear();
    f->fixed_ip_address.clear();
    return *f;
  }
  auto port = ports.find(port_id);
  if (port == ports.end() || !SeesProject(token, port->second.project_id)) {
    return absl::NotFoundError("Port " + port_id + " could not be found.");
  }
  std::string fixed = fixed_ip_address;
  if (fixed.empty() && !port->second.fixed_ips.empty())
    fixed = port->second.fixed_ips[0].ip_address;
  for (const FloatingIp& o : floating_ips_) {
    if (&o != f && o.port_id == port_id && o.fixed_ip_address == fixed) {
      return absl::FailedPreconditionError("Cannot associate floating IP " +
                                           f->floating_ip_address + " with port " + port_id +
                                           ": the fixed IP already has a floating IP");
    }
  }
  f->port_id = port_id;
  f->fixed_ip_address = fixed;
  return *f;
}

absl::Status FakeNetworkClient::DeleteFloatingIp(const std::string& token, const std::string& id) {
  absl::MutexLock l(&mu);
  proxy_tokens.push_back(token);
  FloatingIp* f = FindFloatingIp(token, id);
  if (f == nullptr) return absl::NotFoundError("Floating IP " + id + " could not be found");
  floating_ips_.erase(floating_ips_.begin() + (f - floating_ips_.data()));
  return absl::OkStatus();
}

}  // namespace gureum::compute
