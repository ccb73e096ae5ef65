// NetworkProxyManager's floating IPs (os-floating-ips, os-floating-ip-pools, addFloatingIp,
// removeFloatingIp) and networks (os-networks, os-tenant-networks), as Nova's neutron
// proxy answers them.
#include <map>

#include "absl/strings/match.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/network_proxy_manager.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

absl::Status FloatingIpNotFound(const std::string& id) {
  return absl::NotFoundError("Floating IP not found for ID " + id);
}

absl::Status NotFoundForAddress(const std::string& address) {
  return absl::NotFoundError("Floating IP not found for address " + address + ".");
}

// The network service's 404 or 400 (a malformed id) as `not_found`.
absl::Status NotFoundAs(absl::Status s, const absl::Status& not_found) {
  if (absl::IsNotFound(s) || absl::IsInvalidArgument(s)) return not_found;
  return s;
}

std::string PoolName(const std::map<std::string, Network>& nets, const std::string& id) {
  auto it = nets.find(id);
  if (it == nets.end() || it->second.name.empty()) return id;
  return it->second.name;
}

}  // namespace

absl::StatusOr<std::vector<NovaFloatingIp>> NetworkProxyManager::ToNova(
    const RequestContext& ctx, const std::vector<FloatingIp>& ips) {
  std::map<std::string, Network> nets;
  GUREUM_ASSIGN_OR_RETURN(std::vector<Network> all, networks_->ListNetworks(ctx.token));
  for (Network& n : all) nets[n.id] = std::move(n);
  std::vector<NovaFloatingIp> out;
  for (const FloatingIp& f : ips) {
    NovaFloatingIp n{.id = f.id,
                     .ip = f.floating_ip_address,
                     .pool = PoolName(nets, f.floating_network_id),
                     .fixed_ip = f.fixed_ip_address};
    if (!f.port_id.empty()) {
      // The instance is the port's device; a port the caller cannot see shows none.
      absl::StatusOr<Port> port = networks_->GetPort(ctx.token, f.port_id);
      if (port.ok() && absl::StartsWith(port->device_owner, "compute:"))
        n.instance_id = port->device_id;
    }
    out.push_back(std::move(n));
  }
  return out;
}

absl::StatusOr<std::vector<NovaFloatingIp>> NetworkProxyManager::ListFloatingIps(
    const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ips:list"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(std::vector<FloatingIp> ips, client->ListAllFloatingIps(ctx.token));
  // Nova lists the caller's project's only, also for an admin.
  std::vector<FloatingIp> own;
  for (const FloatingIp& f : ips) {
    if (f.project_id == ctx.caller.project_id) own.push_back(f);
  }
  return ToNova(ctx, own);
}

absl::StatusOr<NovaFloatingIp> NetworkProxyManager::GetFloatingIp(const RequestContext& ctx,
                                                                  const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ips:show"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  absl::StatusOr<FloatingIp> f = client->GetFloatingIp(ctx.token, id);
  if (!f.ok()) return NotFoundAs(f.status(), FloatingIpNotFound(id));
  GUREUM_ASSIGN_OR_RETURN(std::vector<NovaFloatingIp> out, ToNova(ctx, {*f}));
  return out.front();
}

absl::StatusOr<NovaFloatingIp> NetworkProxyManager::CreateFloatingIp(const RequestContext& ctx,
                                                                     const std::string& pool) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ips:create"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(std::vector<Network> nets, client->ListNetworks(ctx.token));
  const Network* chosen = nullptr;
  for (const Network& n : nets) {
    if (n.router_external && n.name == pool && chosen == nullptr) chosen = &n;
  }
  for (const Network& n : nets) {
    if (n.router_external && n.id == pool && chosen == nullptr) chosen = &n;
  }
  if (chosen == nullptr) return absl::NotFoundError("Floating IP pool not found.");
  absl::StatusOr<FloatingIp> f = client->CreateFloatingIp(ctx.token, chosen->id);
  if (absl::IsResourceExhausted(f.status())) {
    return WithHttpStatus(
        absl::ResourceExhaustedError("IP allocation over quota in pool " + pool + "."), 403);
  }
  if (!f.ok()) return f.status();
  GUREUM_ASSIGN_OR_RETURN(std::vector<NovaFloatingIp> out, ToNova(ctx, {*f}));
  return out.front();
}

absl::Status NetworkProxyManager::DeleteFloatingIp(const RequestContext& ctx,
                                                   const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ips:delete"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  absl::Status s = client->DeleteFloatingIp(ctx.token, id);
  return s.ok() ? s : NotFoundAs(s, FloatingIpNotFound(id));
}

absl::StatusOr<std::vector<std::string>> NetworkProxyManager::ListPools(const RequestContext& ctx) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ip-pools:list"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(std::vector<Network> nets, client->ListNetworks(ctx.token));
  std::vector<std::string> out;
  for (const Network& n : nets) {
    if (n.router_external) out.push_back(n.name.empty() ? n.id : n.name);
  }
  return out;
}

absl::StatusOr<FloatingIp> NetworkProxyManager::FloatingIpByAddress(const RequestContext& ctx,
                                                                    const std::string& address) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<FloatingIp> ips, networks_->ListAllFloatingIps(ctx.token));
  for (const FloatingIp& f : ips) {
    if (f.floating_ip_address == address) return f;
  }
  return NotFoundForAddress(address);
}

// Nova's addFloatingIp: the server's fixed address (the given one, which it must have, or
// its first IPv4 one), its port, then the floating IP moved there (any other failure 400).
absl::Status NetworkProxyManager::AddFloatingIp(const RequestContext& ctx,
                                                const std::string& server_id,
                                                const std::string& address,
                                                const std::string& fixed_address) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ips:add"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, server_id));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Port> ports, client->ListDevicePorts(ctx.token, i.uuid));
  std::string port_id, fixed;
  for (const Port& p : ports) {
    for (const FixedIp& ip : p.fixed_ips) {
      const bool wanted = fixed_address.empty() ? ip.ip_address.find(':') == std::string::npos
                                                : ip.ip_address == fixed_address;
      if (wanted && port_id.empty()) {
        port_id = p.id;
        fixed = ip.ip_address;
      }
    }
  }
  if (port_id.empty() && !fixed_address.empty())
    return absl::InvalidArgumentError("Specified fixed address not assigned to instance");
  if (port_id.empty()) {
    return absl::InvalidArgumentError("Unable to associate floating IP " + address +
                                      " to any fixed IPs for instance " + i.uuid +
                                      ". Instance has no fixed IPv4 addresses to associate.");
  }
  GUREUM_ASSIGN_OR_RETURN(FloatingIp f, FloatingIpByAddress(ctx, address));
  absl::Status s = client->UpdateFloatingIpPort(ctx.token, f.id, port_id, fixed).status();
  if (s.ok() || absl::IsUnavailable(s)) return s;
  return absl::InvalidArgumentError("Unable to associate floating IP " + address + " to fixed IP " +
                                    fixed + " for instance " + i.uuid +
                                    ". Error: " + std::string(s.message()));
}

absl::Status NetworkProxyManager::RemoveFloatingIp(const RequestContext& ctx,
                                                   const std::string& server_id,
                                                   const std::string& address) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-floating-ips:remove"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, server_id));
  GUREUM_ASSIGN_OR_RETURN(FloatingIp f, FloatingIpByAddress(ctx, address));
  bool ours = false;
  if (!f.port_id.empty()) {
    GUREUM_ASSIGN_OR_RETURN(std::vector<Port> ports, client->ListDevicePorts(ctx.token, i.uuid));
    for (const Port& p : ports) ours = ours || p.id == f.port_id;
  }
  if (!ours) {
    return absl::FailedPreconditionError("Floating IP " + address +
                                         " is not associated with instance " + i.uuid + ".");
  }
  return client->UpdateFloatingIpPort(ctx.token, f.id, "", "").status();
}

// ---- networks ----

absl::StatusOr<std::vector<NovaNetwork>> NetworkProxyManager::ListNetworks(
    const RequestContext& ctx, const std::string& rule_prefix) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, rule_prefix + ":list"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(std::vector<Network> nets, client->ListNetworks(ctx.token));
  std::vector<NovaNetwork> out;
  for (const Network& n : nets) out.push_back({.id = n.id, .label = n.name});
  return out;
}

absl::StatusOr<NovaNetwork> NetworkProxyManager::GetNetwork(const RequestContext& ctx,
                                                            const std::string& id,
                                                            const std::string& rule_prefix) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, rule_prefix + ":show"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  absl::StatusOr<Network> n = client->GetNetwork(ctx.token, id);
  if (!n.ok()) {
    return NotFoundAs(n.status(), absl::NotFoundError("Network " + id + " could not be found."));
  }
  return NovaNetwork{.id = n->id, .label = n->name};
}

}  // namespace gureum::compute
