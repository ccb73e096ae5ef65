// Nova's network proxies over gureum-network, as Nova proxies them to Neutron (deprecated
// at microversion 2.36): os-security-groups and os-security-group-rules, a server's
// security groups (list, addSecurityGroup, removeSecurityGroup), os-floating-ips and
// os-floating-ip-pools (addFloatingIp, removeFloatingIp), os-networks and
// os-tenant-networks. Every call goes to the network service with the caller's own token,
// so gureum-network's scoping decides what a project sees and may change; this class adds
// Nova's validation, its error codes and its view of the resources (Nova-style rules:
// ingress only, from_port/to_port, ip_range or group). Policy os_compute_api:os-security-
// groups:*, os-floating-ips, os-floating-ip-pools, os-networks:*, os-tenant-networks:*.
// Without a network service every call is NotFound. Thread-safe; blocking (gRPC, SQL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/clients/network_client.h"

namespace gureum::compute {

// A rule as Nova shows it (only ingress rules are shown).
struct NovaRule {
  std::string id;
  std::string parent_group_id;
  std::string ip_protocol;                // "" null: any
  std::optional<int> from_port, to_port;  // null: none
  std::string cidr;                       // the ip_range, when no group
  std::optional<std::string> group_name;  // set: the remote is a group
  std::string group_tenant_id;
};

struct NovaSecurityGroup {
  std::string id;
  std::string name;
  std::string description;
  std::string tenant_id;
  std::vector<NovaRule> rules;
};

// The body of POST /os-security-group-rules, as given (unset: absent or null).
struct NovaRuleRequest {
  std::optional<std::string> parent_group_id;
  std::optional<std::string> ip_protocol;
  std::optional<std::string> from_port, to_port;  // integers in text, as Nova takes them
  std::optional<std::string> cidr;
  std::optional<std::string> group_id;
};

struct NovaFloatingIp {
  std::string id;
  std::string ip;
  std::string pool;         // the external network's name (its id when it has none)
  std::string fixed_ip;     // "" null
  std::string instance_id;  // "" null
};

// A network as os-networks and os-tenant-networks show it: Nova's neutron proxy knows its
// id and name (label) only.
struct NovaNetwork {
  std::string id;
  std::string label;
};

class NetworkProxyManager {
 public:
  // `store` and `policy` must outlive the manager; `networks` may be null (no network
  // service: every call is NotFound).
  NetworkProxyManager(ComputeStore& store, const ComputePolicy& policy, NetworkClient* networks)
      : store_(store), policy_(policy), networks_(networks) {}

  // ---- security groups ----
  // The caller's project's groups; every project's for an admin with all_tenants.
  absl::StatusOr<std::vector<NovaSecurityGroup>> ListGroups(const RequestContext& ctx,
                                                            bool all_tenants);
  // 400 "Security group id should be uuid" for a malformed id, 404 when not seen.
  absl::StatusOr<NovaSecurityGroup> GetGroup(const RequestContext& ctx, const std::string& id);
  // name and description: strings (nullopt: absent or not a string) of 1 to 255
  // characters once stripped (400).
  absl::StatusOr<NovaSecurityGroup> CreateGroup(const RequestContext& ctx,
                                                const std::optional<std::string>& name,
                                                const std::optional<std::string>& description);
  absl::StatusOr<NovaSecurityGroup> UpdateGroup(const RequestContext& ctx, const std::string& id,
                                                const std::optional<std::string>& name,
                                                const std::optional<std::string>& description);
  // The default group or a group in use: 400, as Nova turns Neutron's 409 into.
  absl::Status DeleteGroup(const RequestContext& ctx, const std::string& id);
  absl::StatusOr<NovaRule> CreateRule(const RequestContext& ctx, const NovaRuleRequest& req);
  absl::Status DeleteRule(const RequestContext& ctx, const std::string& id);

  // ---- a server's security groups (its ports') ----
  absl::StatusOr<std::vector<NovaSecurityGroup>> ServerGroups(const RequestContext& ctx,
                                                              const std::string& server_id);
  // `group`: a name (or id) of the caller's project's groups.
  absl::Status AddServerGroup(const RequestContext& ctx, const std::string& server_id,
                              const std::string& group);
  absl::Status RemoveServerGroup(const RequestContext& ctx, const std::string& server_id,
                                 const std::string& group);

  // ---- floating IPs ----
  absl::StatusOr<std::vector<NovaFloatingIp>> ListFloatingIps(const RequestContext& ctx);
  absl::StatusOr<NovaFloatingIp> GetFloatingIp(const RequestContext& ctx, const std::string& id);
  // From the external network named (or with the id) `pool`; 404 when there is none.
  absl::StatusOr<NovaFloatingIp> CreateFloatingIp(const RequestContext& ctx,
                                                  const std::string& pool);
  absl::Status DeleteFloatingIp(const RequestContext& ctx, const std::string& id);
  // The names of the external networks.
  absl::StatusOr<std::vector<std::string>> ListPools(const RequestContext& ctx);
  // Associates the floating IP `address` with the server's port holding `fixed_address` (""
  // its first IPv4 address); reassociates one associated elsewhere, as Nova does.
  absl::Status AddFloatingIp(const RequestContext& ctx, const std::string& server_id,
                             const std::string& address, const std::string& fixed_address);
  // 409 when `address` is not associated with this server.
  absl::Status RemoveFloatingIp(const RequestContext& ctx, const std::string& server_id,
                                const std::string& address);

  // ---- networks (os-networks: `rule_prefix` "os-networks", os-tenant-networks) ----
  absl::StatusOr<std::vector<NovaNetwork>> ListNetworks(const RequestContext& ctx,
                                                        const std::string& rule_prefix);
  absl::StatusOr<NovaNetwork> GetNetwork(const RequestContext& ctx, const std::string& id,
                                         const std::string& rule_prefix);

 private:
  absl::StatusOr<NetworkClient*> Client() const;
  absl::Status Enforce(const RequestContext& ctx, const std::string& rule) const;
  NovaSecurityGroup ToNova(const SecurityGroup& g, const std::vector<SecurityGroup>& known) const;
  absl::StatusOr<NovaSecurityGroup> WithRemotes(const RequestContext& ctx, const SecurityGroup& g);
  absl::StatusOr<SecurityGroup> FindProjectGroup(const RequestContext& ctx,
                                                 const std::string& project,
                                                 const std::string& name_or_id);
  absl::StatusOr<std::vector<NovaFloatingIp>> ToNova(const RequestContext& ctx,
                                                     const std::vector<FloatingIp>& ips);
  absl::StatusOr<FloatingIp> FloatingIpByAddress(const RequestContext& ctx,
                                                 const std::string& address);

  ComputeStore& store_;
  const ComputePolicy& policy_;
  NetworkClient* const networks_;  // may be null
};

}  // namespace gureum::compute
