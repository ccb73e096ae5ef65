// NetworkProxyManager's security groups: os-security-groups, os-security-group-rules and a
// server's groups, with Nova's checks and messages (nova/api/openstack/compute/
// security_groups.py over nova/network/security_group_api.py). Floating IPs and networks:
// network_proxy_floating.cc.
#include "compute/api/network_proxy_manager.h"

#include <algorithm>
#include <set>

#include <arpa/inet.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/ids.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

absl::Status GroupNotFound(const std::string& id) {
  return absl::NotFoundError("Security group " + id + " not found.");
}

// Nova's validate_id: the neutron driver takes UUIDs only.
absl::Status ValidateGroupId(const std::optional<std::string>& id) {
  if (!id || !IsUuid(*id)) return absl::InvalidArgumentError("Security group id should be uuid");
  return absl::OkStatus();
}

// Nova's validate_property: a string, 1 to 255 characters once stripped (the value is
// kept as given).
absl::StatusOr<std::string> ValidateProperty(const std::optional<std::string>& value,
                                             const std::string& property) {
  if (!value) {
    return absl::InvalidArgumentError("Security group " + property + " is not a string or unicode");
  }
  std::string v(absl::StripAsciiWhitespace(*value));
  if (v.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid input received: ", property,
                                                   " has a minimum character requirement of 1."));
  }
  if (v.size() > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: ", property, " has more than 255 characters."));
  }
  return *value;
}

// The network service's 404 (or 400 for a malformed id) as Nova's not-found of `what`.
absl::Status AsNotFound(absl::Status s, const absl::Status& not_found) {
  if (absl::IsNotFound(s) || absl::IsInvalidArgument(s)) return not_found;
  return s;
}

// Neutron's 409s (the default group, a group in use, a duplicate) are Nova's 400s.
absl::Status ConflictAsBadRequest(absl::Status s) {
  if (absl::IsFailedPrecondition(s) || absl::IsAlreadyExists(s) || absl::IsAborted(s))
    return absl::InvalidArgumentError(std::string(s.message()));
  return s;
}

absl::Status OverQuota(absl::Status s, const std::string& message) {
  if (absl::IsResourceExhausted(s))
    return WithHttpStatus(absl::ResourceExhaustedError(message), 403);
  return s;
}

// A CIDR "a.b.c.d/n" or "x::/n": {address, prefix, version}; false when it is not one.
bool ParseCidrText(const std::string& cidr, std::string* net, int* prefix, int* version) {
  std::vector<std::string> parts = absl::StrSplit(cidr, '/');
  if (parts.empty() || parts.size() > 2) return false;
  unsigned char buf[16];
  if (inet_pton(AF_INET, parts[0].c_str(), buf) == 1) {
    *version = 4;
  } else if (inet_pton(AF_INET6, parts[0].c_str(), buf) == 1) {
    *version = 6;
  } else {
    return false;
  }
  *prefix = *version == 4 ? 32 : 128;
  if (parts.size() == 2 && (!absl::SimpleAtoi(parts[1], prefix) || *prefix < 0 ||
                            *prefix > (*version == 4 ? 32 : 128))) {
    return false;
  }
  // The network's own address, as Neutron keeps a rule's prefix ("10.2.3.124/24" ->
  // "10.2.3.0/24").
  const int bytes = *version == 4 ? 4 : 16;
  for (int b = 0; b < bytes; ++b) {
    const int keep = std::min(8, std::max(0, *prefix - 8 * b));
    buf[b] &= static_cast<unsigned char>(keep == 0 ? 0 : 0xFF << (8 - keep));
  }
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(*version == 4 ? AF_INET : AF_INET6, buf, text, sizeof text) == nullptr)
    return false;
  *net = text;
  return true;
}

absl::Status InvalidPortRange(int from, int to, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("Invalid port range ", from, ":", to, ". ", why));
}

// Nova's _new_ingress_rule: protocol and ports checked together; a CIDR rule needs them.
absl::StatusOr<SecurityGroupRule> NewIngressRule(const NovaRuleRequest& req, bool by_group) {
  SecurityGroupRule r;
  const std::string proto = req.ip_protocol.value_or("");
  if (!proto.empty() && req.from_port && req.to_port) {
    int from = 0, to = 0;
    if (!absl::SimpleAtoi(*req.from_port, &from) || !absl::SimpleAtoi(*req.to_port, &to)) {
      return absl::InvalidArgumentError(
          absl::AsciiStrToUpper(proto) == "ICMP"
              ? "Invalid input received: Type and Code must be integers for ICMP protocol type"
              : "Invalid input received: To and From ports must be integers");
    }
    const std::string p = absl::AsciiStrToUpper(proto);
    if (p != "TCP" && p != "UDP" && p != "ICMP")
      return absl::InvalidArgumentError("Invalid IP protocol " + proto + ".");
    if (p != "ICMP" && from > to)
      return InvalidPortRange(from, to, "Former value cannot be greater than the later");
    if (p != "ICMP" && (from < 1 || to > 65535))
      return InvalidPortRange(from, to, "Valid " + p + " ports should be between 1-65535");
    if (p == "ICMP" && (from < -1 || from > 255 || to < -1 || to > 255))
      return InvalidPortRange(from, to, "For ICMP, the type:code must be valid");
    r.protocol = absl::AsciiStrToLower(proto);
    r.port_range_min = from;
    r.port_range_max = to;
  } else if (!by_group) {
    return absl::InvalidArgumentError("Not enough parameters to build a valid rule.");
  }
  return r;
}

// Nova's rule view of a Neutron rule (_convert_to_nova_security_group_rule_format).
NovaRule RuleToNova(const SecurityGroupRule& r) {
  NovaRule n{.id = r.id, .parent_group_id = r.security_group_id, .ip_protocol = r.protocol};
  if (!r.protocol.empty() && r.port_range_min < 0 && r.port_range_max < 0) {
    const std::string p = absl::AsciiStrToUpper(r.protocol);
    const bool ports = p == "TCP" || p == "UDP";
    n.from_port = ports ? 1 : -1;
    n.to_port = ports ? 65535 : -1;
  } else {
    if (r.port_range_min >= 0 || !r.protocol.empty()) n.from_port = r.port_range_min;
    if (r.port_range_max >= 0 || !r.protocol.empty()) n.to_port = r.port_range_max;
  }
  n.cidr = r.remote_ip_prefix.empty() ? "0.0.0.0/0" : r.remote_ip_prefix;
  return n;
}

}  // namespace

absl::StatusOr<NetworkClient*> NetworkProxyManager::Client() const {
  if (networks_ == nullptr) return absl::NotFoundError("The resource could not be found.");
  return networks_;
}

absl::Status NetworkProxyManager::Enforce(const RequestContext& ctx,
                                          const std::string& rule) const {
  return policy_.Enforce(ctx, "os_compute_api:" + rule);
}

NovaSecurityGroup NetworkProxyManager::ToNova(const SecurityGroup& g,
                                              const std::vector<SecurityGroup>& known) const {
  NovaSecurityGroup out{
      .id = g.id, .name = g.name, .description = g.description, .tenant_id = g.project_id};
  for (const SecurityGroupRule& r : g.rules) {
    if (r.direction != "ingress") continue;
    NovaRule n = RuleToNova(r);
    if (!r.remote_group_id.empty()) {
      const SecurityGroup* remote = nullptr;
      for (const SecurityGroup& k : known) {
        if (k.id == r.remote_group_id) remote = &k;
      }
      if (remote == nullptr) continue;  // Nova leaves out a rule whose group it cannot see
      n.group_name = remote->name;
      n.group_tenant_id = remote->project_id;
    }
    out.rules.push_back(std::move(n));
  }
  return out;
}

// `g` with the groups its rules name looked up (the caller's project's groups).
absl::StatusOr<NovaSecurityGroup> NetworkProxyManager::WithRemotes(const RequestContext& ctx,
                                                                   const SecurityGroup& g) {
  std::vector<SecurityGroup> known = {g};
  for (const SecurityGroupRule& r : g.rules) {
    if (r.remote_group_id.empty() || r.remote_group_id == g.id) continue;
    absl::StatusOr<SecurityGroup> remote =
        networks_->GetSecurityGroup(ctx.token, r.remote_group_id);
    if (remote.ok()) known.push_back(*remote);
  }
  return ToNova(g, known);
}

absl::StatusOr<std::vector<NovaSecurityGroup>> NetworkProxyManager::ListGroups(
    const RequestContext& ctx, bool all_tenants) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:get"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  const bool all = all_tenants && policy_.IsAdmin(ctx);
  GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> groups,
                          client->ListSecurityGroups(ctx.token, all ? "" : ctx.caller.project_id));
  std::vector<NovaSecurityGroup> out;
  for (const SecurityGroup& g : groups) out.push_back(ToNova(g, groups));
  return out;
}

absl::StatusOr<NovaSecurityGroup> NetworkProxyManager::GetGroup(const RequestContext& ctx,
                                                                const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:show"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_RETURN_IF_ERROR(ValidateGroupId(id));
  absl::StatusOr<SecurityGroup> g = client->GetSecurityGroup(ctx.token, id);
  if (!g.ok()) return AsNotFound(g.status(), GroupNotFound(id));
  return WithRemotes(ctx, *g);
}

absl::StatusOr<NovaSecurityGroup> NetworkProxyManager::CreateGroup(
    const RequestContext& ctx, const std::optional<std::string>& name,
    const std::optional<std::string>& description) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:create"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(std::string n, ValidateProperty(name, "name"));
  GUREUM_ASSIGN_OR_RETURN(std::string d, ValidateProperty(description, "description"));
  absl::StatusOr<SecurityGroup> g =
      client->CreateSecurityGroup(ctx.token, {.name = n, .description = d});
  if (!g.ok()) return OverQuota(g.status(), "Quota exceeded, too many security groups.");
  return ToNova(*g, {*g});
}

absl::StatusOr<NovaSecurityGroup> NetworkProxyManager::UpdateGroup(
    const RequestContext& ctx, const std::string& id, const std::optional<std::string>& name,
    const std::optional<std::string>& description) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:update"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_RETURN_IF_ERROR(ValidateGroupId(id));
  GUREUM_ASSIGN_OR_RETURN(std::string n, ValidateProperty(name, "name"));
  GUREUM_ASSIGN_OR_RETURN(std::string d, ValidateProperty(description, "description"));
  absl::StatusOr<SecurityGroup> g =
      client->UpdateSecurityGroup(ctx.token, {.id = id, .name = n, .description = d});
  if (!g.ok()) return ConflictAsBadRequest(AsNotFound(g.status(), GroupNotFound(id)));
  return WithRemotes(ctx, *g);
}

absl::Status NetworkProxyManager::DeleteGroup(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:delete"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_RETURN_IF_ERROR(ValidateGroupId(id));
  absl::Status s = client->DeleteSecurityGroup(ctx.token, id);
  if (!s.ok()) return ConflictAsBadRequest(AsNotFound(s, GroupNotFound(id)));
  return absl::OkStatus();
}

// Nova's create of a rule: the parent (and a source group) checked first, then the
// protocol, ports and CIDR, then Nova's own duplicate check (400).
absl::StatusOr<NovaRule> NetworkProxyManager::CreateRule(const RequestContext& ctx,
                                                         const NovaRuleRequest& req) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:rule:create"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_RETURN_IF_ERROR(ValidateGroupId(req.parent_group_id));
  absl::StatusOr<SecurityGroup> parent = client->GetSecurityGroup(ctx.token, *req.parent_group_id);
  if (!parent.ok()) return AsNotFound(parent.status(), GroupNotFound(*req.parent_group_id));
  std::vector<SecurityGroup> known = {*parent};
  if (req.group_id) {
    GUREUM_RETURN_IF_ERROR(ValidateGroupId(req.group_id));
    absl::StatusOr<SecurityGroup> source = client->GetSecurityGroup(ctx.token, *req.group_id);
    if (!source.ok()) return AsNotFound(source.status(), GroupNotFound(*req.group_id));
    known.push_back(*source);
  }
  GUREUM_ASSIGN_OR_RETURN(SecurityGroupRule rule, NewIngressRule(req, req.group_id.has_value()));
  rule.security_group_id = parent->id;
  std::string cidr;  // as given: Nova answers it so, whereas the rule keeps its network
  if (req.group_id) {
    rule.remote_group_id = *req.group_id;
  } else {
    cidr = req.cidr.value_or("").empty() ? "0.0.0.0/0" : *req.cidr;
    std::string net;
    int prefix = 0, version = 4;
    if (!ParseCidrText(cidr, &net, &prefix, &version))
      return absl::InvalidArgumentError(cidr + " is not a valid IP network.");
    if (!absl::StartsWith(cidr, "0.0.0.0") && !absl::StartsWith(cidr, "::/") && prefix == 0)
      return absl::InvalidArgumentError("Bad prefix for network in cidr " + cidr);
    rule.remote_ip_prefix = absl::StrCat(net, "/", prefix);
    rule.ethertype = version == 6 ? "IPv6" : "IPv4";
  }
  const NovaRule wanted = RuleToNova(rule);
  for (const SecurityGroupRule& r : parent->rules) {
    if (r.direction != "ingress") continue;
    const NovaRule have = RuleToNova(r);
    if (have.ip_protocol == wanted.ip_protocol && have.from_port == wanted.from_port &&
        have.to_port == wanted.to_port && r.remote_group_id == rule.remote_group_id &&
        (!rule.remote_group_id.empty() || have.cidr == wanted.cidr)) {
      return absl::InvalidArgumentError("This rule already exists in group " + parent->id);
    }
  }
  absl::StatusOr<SecurityGroupRule> made = client->CreateSecurityGroupRule(ctx.token, rule);
  if (!made.ok()) {
    absl::Status s = AsNotFound(made.status(), GroupNotFound(parent->id));
    return OverQuota(ConflictAsBadRequest(s), "Quota exceeded, too many security group rules.");
  }
  SecurityGroup with_rule = *parent;
  with_rule.rules = {*made};
  NovaSecurityGroup view = ToNova(with_rule, known);
  NovaRule out = view.rules.empty() ? RuleToNova(*made) : view.rules.front();
  if (!cidr.empty()) out.cidr = cidr;
  return out;
}

absl::Status NetworkProxyManager::DeleteRule(const RequestContext& ctx, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:rule:delete"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_RETURN_IF_ERROR(ValidateGroupId(id));
  absl::Status s = client->DeleteSecurityGroupRule(ctx.token, id);
  if (!s.ok())
    return AsNotFound(s, absl::NotFoundError("Security group rule " + id + " not found."));
  return absl::OkStatus();
}

// ---- a server's groups ----

absl::StatusOr<std::vector<NovaSecurityGroup>> NetworkProxyManager::ServerGroups(
    const RequestContext& ctx, const std::string& server_id) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:list"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, server_id));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Port> ports, client->ListDevicePorts(ctx.token, i.uuid));
  std::set<std::string> ids;
  for (const Port& p : ports) ids.insert(p.security_group_ids.begin(), p.security_group_ids.end());
  std::vector<NovaSecurityGroup> out;
  if (ids.empty()) return out;
  GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> groups,
                          client->ListSecurityGroups(ctx.token, i.project_id));
  for (const SecurityGroup& g : groups) {
    if (ids.count(g.id)) out.push_back(ToNova(g, groups));
  }
  return out;
}

absl::StatusOr<SecurityGroup> NetworkProxyManager::FindProjectGroup(const RequestContext& ctx,
                                                                    const std::string& project,
                                                                    const std::string& name_or_id) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> groups,
                          networks_->ListSecurityGroups(ctx.token, project));
  std::vector<SecurityGroup> named;
  for (const SecurityGroup& g : groups) {
    if (g.name == name_or_id) named.push_back(g);
  }
  if (named.size() > 1) {
    return absl::FailedPreconditionError("Multiple security_group matches found for name '" +
                                         name_or_id + "', use an ID to be more specific.");
  }
  if (named.size() == 1) return named.front();
  for (const SecurityGroup& g : groups) {
    if (g.id == name_or_id) return g;
  }
  return absl::NotFoundError("Security group " + name_or_id + " not found for project " + project +
                             ".");
}

absl::Status NetworkProxyManager::AddServerGroup(const RequestContext& ctx,
                                                 const std::string& server_id,
                                                 const std::string& group) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:add"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, server_id));
  GUREUM_ASSIGN_OR_RETURN(SecurityGroup g, FindProjectGroup(ctx, i.project_id, group));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Port> ports, client->ListDevicePorts(ctx.token, i.uuid));
  if (ports.empty()) {
    return absl::NotFoundError("instance_id " + i.uuid +
                               " could not be found as device id on any ports");
  }
  for (const Port& p : ports) {
    for (const std::string& have : p.security_group_ids) {
      if (have == g.id) {
        return absl::InvalidArgumentError("Security group " + group +
                                          " is already associated with the instance " + i.uuid);
      }
    }
  }
  for (const Port& p : ports) {
    std::vector<std::string> ids = p.security_group_ids;
    ids.push_back(g.id);
    absl::Status s = client->UpdatePortSecurityGroups(ctx.token, p.id, ids).status();
    if (!s.ok()) return ConflictAsBadRequest(s);
  }
  return absl::OkStatus();
}

absl::Status NetworkProxyManager::RemoveServerGroup(const RequestContext& ctx,
                                                    const std::string& server_id,
                                                    const std::string& group) {
  GUREUM_RETURN_IF_ERROR(Enforce(ctx, "os-security-groups:remove"));
  GUREUM_ASSIGN_OR_RETURN(NetworkClient * client, Client());
  GUREUM_ASSIGN_OR_RETURN(Instance i, GetOwnInstance(store_, policy_, ctx, server_id));
  GUREUM_ASSIGN_OR_RETURN(SecurityGroup g, FindProjectGroup(ctx, i.project_id, group));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Port> ports, client->ListDevicePorts(ctx.token, i.uuid));
  bool found = false;
  for (const Port& p : ports) {
    std::vector<std::string> ids;
    for (const std::string& have : p.security_group_ids) {
      if (have != g.id) ids.push_back(have);
    }
    if (ids.size() == p.security_group_ids.size()) continue;
    found = true;
    absl::Status s = client->UpdatePortSecurityGroups(ctx.token, p.id, ids).status();
    if (!s.ok()) return ConflictAsBadRequest(s);
  }
  if (!found) {
    return absl::InvalidArgumentError("Security group " + group +
                                      " not associated with the instance " + i.uuid);
  }
  return absl::OkStatus();
}

}  // namespace gureum::compute
