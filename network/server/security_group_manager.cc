// Security groups and rules, and the default group of each project.
#include "network/server/security_group_manager.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/ipam.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"

namespace gureum::network {

using namespace internal;  // NOLINT

SecurityGroupManager::SecurityGroupManager(const ManagerDeps& deps, ManagerCore& core)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core) {}

namespace {

absl::Status GroupNotFound(const std::string& id) {
  return NotFoundErr(ErrorKind::kGroupNotFound, "Security group " + id + " does not exist");
}

// Neutron's protocol names, numbers accepted as they are.
absl::StatusOr<std::string> NormalizeProtocol(const std::string& in, const std::string& ethertype) {
  std::string p = absl::AsciiStrToLower(in);
  if (p.empty() || p == "any") return std::string();
  static const std::set<std::string> kNames = {"tcp", "udp", "icmp", "icmpv6", "ipv6-icmp", "sctp",
                                               "gre", "esp", "ah",   "vrrp",   "udplite",   "dccp"};
  if (kNames.count(p)) {
    // Neutron keeps ipv6-icmp (its preferred name) as given; icmp on IPv6 is icmpv6.
    if (p == "icmp" && ethertype == "IPv6") return std::string("icmpv6");
    return p;
  }
  int n = 0;
  if (absl::SimpleAtoi(p, &n) && n >= 0 && n <= 255) return p;
  return InvalidInput(
      "Security group rule protocol " + in +
      " not supported. Only protocol values "
      "[tcp, udp, icmp, icmpv6, ...] and integer representations [0 to 255] are supported.");
}

}  // namespace

absl::StatusOr<v1::SecurityGroup> SecurityGroupManager::CreateSecurityGroup(
    const Caller& c, const v1::SecurityGroup& in) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_ASSIGN_OR_RETURN(std::string project, access_.TargetProject(c, in.project_id()));
  if (in.name() == "default") {
    return Conflict(ErrorKind::kDefaultGroupExists, "Default security group already exists.");
  }
  SecurityGroup g;
  g.id = ids_.NewUuid();
  g.name = in.name();
  g.project_id = project;
  g.description = in.description();
  g.tags.assign(in.tags().begin(), in.tags().end());
  v1::SecurityGroup out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts&) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(EnsureDefaultGroup(tx, project).status());
    GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, project, "security_group", 1));
    g.stamps.created_at = g.stamps.updated_at = clock_.Now();
    g.rules.clear();
    for (const char* ether : {"IPv4", "IPv6"}) {
      SecurityGroupRule r;
      r.id = ids_.NewUuid();
      r.direction = "egress";
      r.ethertype = ether;
      r.stamps = g.stamps;
      g.rules.push_back(r);
    }
    GUREUM_RETURN_IF_ERROR(tx.InsertGroup(g));
    GUREUM_ASSIGN_OR_RETURN(SecurityGroup made, core_.LoadGroup(tx, c, g.id));
    out = ToProto(made);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::SecurityGroup> SecurityGroupManager::GetSecurityGroup(const Caller& c,
                                                                         const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::SecurityGroup out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts&) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(SecurityGroup g, core_.LoadGroup(tx, c, id));
    out = ToProto(g);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::SecurityGroup>> SecurityGroupManager::ListSecurityGroups(
    const Caller& c, const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::SecurityGroup> out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts&) -> absl::Status {
    out.clear();
    // Listing creates the caller's default group, as Neutron does.
    if (!c.project_id.empty() && access_.CheckWrite(c).ok())
      GUREUM_RETURN_IF_ERROR(EnsureDefaultGroup(tx, c.project_id).status());
    GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> groups,
                            tx.ListGroups(access_.ListProject(c), f));
    for (const auto& g : groups) out.push_back(ToProto(g));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::SecurityGroup> SecurityGroupManager::UpdateSecurityGroup(
    const Caller& c, const v1::SecurityGroup& in, const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  v1::SecurityGroup out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts&) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(SecurityGroup cur, core_.LoadGroup(tx, c, in.id()));
    if (Given(given, "name")) {
      if (cur.name == "default" && in.name() != "default") {
        return Conflict(ErrorKind::kDefaultGroupRename,
                        "Updating default security group not allowed.");
      }
      if (cur.name != "default" && in.name() == "default") {
        return Conflict(ErrorKind::kDefaultGroupExists, "Default security group already exists.");
      }
      cur.name = in.name();
    }
    if (Given(given, "description")) cur.description = in.description();
    if (Given(given, "tags")) cur.tags.assign(in.tags().begin(), in.tags().end());
    GUREUM_RETURN_IF_ERROR(tx.UpdateGroup(cur, clock_.Now()));
    GUREUM_ASSIGN_OR_RETURN(SecurityGroup made, core_.LoadGroup(tx, c, cur.id));
    out = ToProto(made);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SecurityGroupManager::DeleteSecurityGroup(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  return core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(SecurityGroup g, core_.LoadGroup(tx, c, id));
    if (g.is_default && !access_.IsAdmin(c)) {
      return Conflict(ErrorKind::kDefaultGroupDelete,
                      "Removing default security group not allowed.");
    }
    GUREUM_ASSIGN_OR_RETURN(bool used, tx.GroupHasPorts(id));
    if (used) return Conflict(ErrorKind::kGroupInUse, "Security Group " + id + " in use.");
    // As Neutron's foreign key (remote_group_id ON DELETE CASCADE): the rules of other groups
    // (any project's) that name this one as remote go with it, and their hosts are told.
    casts.reason = "security group deleted " + id;
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfGroup(tx, id, casts));
    GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroupRule> naming,
                            tx.ListRules("", {{"remote_group_id", {id}}}));
    std::set<std::string> others;
    for (const auto& r : naming) {
      if (r.security_group_id == id) continue;
      GUREUM_RETURN_IF_ERROR(tx.DeleteRule(r.id));
      others.insert(r.security_group_id);
    }
    for (const auto& other : others) GUREUM_RETURN_IF_ERROR(tx.TouchGroup(other));
    return tx.DeleteGroup(id);
  });
}

namespace {

// Neutron's checks of a rule's ports and remotes; fills the defaults in.
absl::Status NormalizeRule(const Fields& given, SecurityGroupRule& r) {
  if (r.security_group_id.empty()) return BadRequest("security_group_id is required.");
  if (r.direction != "ingress" && r.direction != "egress") {
    return InvalidInput("direction must be ingress or egress, not '" + r.direction + "'.");
  }
  if (r.ethertype.empty()) r.ethertype = "IPv4";
  if (r.ethertype != "IPv4" && r.ethertype != "IPv6") {
    return InvalidInput("ethertype must be IPv4 or IPv6, not '" + r.ethertype + "'.");
  }
  GUREUM_ASSIGN_OR_RETURN(r.protocol, NormalizeProtocol(r.protocol, r.ethertype));
  const std::string& proto = r.protocol;
  int lo = Given(given, "port_range_min") ? r.port_range_min : -1;
  int hi = Given(given, "port_range_max") ? r.port_range_max : -1;
  if (proto == "tcp" || proto == "udp" || proto == "sctp" || proto == "udplite" ||
      proto == "dccp") {
    if (hi == -1 && lo != -1) hi = lo;
    if (lo == 0 || hi == 0) return InvalidInput("Invalid value for port 0.");
    if (lo > 65535 || hi > 65535)
      return InvalidInput(absl::StrCat("Invalid value for port ", std::max(lo, hi), "."));
    if (lo > hi || (lo == -1 && hi != -1)) {  // only port_range_max given too, as Neutron
      return InvalidInput(
          absl::StrCat("For TCP/UDP protocols, port_range_min must be <= port_range_max; got ", lo,
                       " and ", hi, "."));
    }
  } else if (proto == "icmp" || proto == "icmpv6" || proto == "ipv6-icmp") {
    if (lo < -1 || lo > 255)
      return InvalidInput(absl::StrCat("Invalid value for ICMP type (port-range-min): ", lo, "."));
    if (hi < -1 || hi > 255)
      return InvalidInput(absl::StrCat("Invalid value for ICMP code (port-range-max): ", hi, "."));
    if (hi != -1 && lo == -1) {
      return InvalidInput(absl::StrCat("ICMP code (port-range-max) ", hi,
                                       " is provided but ICMP type (port-range-min) is missing."));
    }
  } else if (lo != -1 || hi != -1) {
    return InvalidInput("Port ranges apply to tcp, udp, sctp and icmp rules only.");
  }
  r.port_range_min = lo;
  r.port_range_max = hi;
  if (!r.remote_ip_prefix.empty() && !r.remote_group_id.empty()) {
    return BadRequest("Only remote_ip_prefix or remote_group_id may be provided.");
  }
  if (!r.remote_ip_prefix.empty()) {
    auto prefix = ParsePrefix(r.remote_ip_prefix);
    if (!prefix.ok()) return InvalidInput(std::string(prefix.status().message()));
    if ((prefix->network.version == 4) != (r.ethertype == "IPv4")) {
      return BadRequest("Conflicting value ethertype " + r.ethertype + " for CIDR " +
                        r.remote_ip_prefix);
    }
    r.remote_ip_prefix = FormatCidr(*prefix);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SecurityGroupRule> SecurityGroupManager::CreateSecurityGroupRule(
    const Caller& c, const v1::SecurityGroupRule& in, const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  // A rule belongs to its group's project; naming another project is refused as on every create.
  if (!in.project_id().empty())
    GUREUM_RETURN_IF_ERROR(access_.TargetProject(c, in.project_id()).status());
  SecurityGroupRule r;
  r.security_group_id = in.security_group_id();
  r.direction = in.direction();
  r.ethertype = in.ethertype();
  r.protocol = in.protocol();
  r.port_range_min = in.port_range_min();
  r.port_range_max = in.port_range_max();
  r.remote_ip_prefix = in.remote_ip_prefix();
  r.remote_group_id = in.remote_group_id();
  r.description = in.description();
  GUREUM_RETURN_IF_ERROR(NormalizeRule(given, r));
  r.id = ids_.NewUuid();
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                            tx.GetGroupProject(r.security_group_id));
    if (!owner || (!access_.IsAdmin(c) && *owner != c.project_id)) {
      return GroupNotFound(r.security_group_id);
    }
    r.project_id = *owner;
    if (!r.remote_group_id.empty()) {
      GUREUM_ASSIGN_OR_RETURN(std::optional<std::string> remote_owner,
                              tx.GetGroupProject(r.remote_group_id));
      if (!remote_owner || (!access_.IsAdmin(c) && *remote_owner != r.project_id)) {
        return GroupNotFound(r.remote_group_id);
      }
    }
    GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, r.project_id, "security_group_rule", 1));
    r.stamps.created_at = r.stamps.updated_at = clock_.Now();
    r.stamps.revision_number = 1;
    GUREUM_ASSIGN_OR_RETURN(std::optional<std::string> dup, tx.InsertRule(r));
    if (dup) {
      return NetworkError(absl::StatusCode::kAlreadyExists, ErrorKind::kDuplicateRule,
                          "Security group rule already exists. Rule id is " +
                              (dup->empty() ? std::string("unknown") : *dup) + ".",
                          409);
    }
    GUREUM_RETURN_IF_ERROR(tx.TouchGroup(r.security_group_id));
    casts.reason = "security group rule " + r.id;
    return core_.CastHostsOfGroup(tx, r.security_group_id, casts);
  }));
  return ToProto(r);
}

absl::StatusOr<v1::SecurityGroupRule> SecurityGroupManager::GetSecurityGroupRule(
    const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::SecurityGroupRule out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::optional<SecurityGroupRule> r, tx.GetRule(id));
    if (!r || (!access_.IsService(c) && r->project_id != c.project_id)) {
      return NotFoundErr(ErrorKind::kRuleNotFound, "Security group rule " + id + " does not exist");
    }
    out = ToProto(*r);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::SecurityGroupRule>> SecurityGroupManager::ListSecurityGroupRules(
    const Caller& c, const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::SecurityGroupRule> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroupRule> rules,
                            tx.ListRules(access_.ListProject(c), f));
    for (const auto& r : rules) out.push_back(ToProto(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SecurityGroupManager::DeleteSecurityGroupRule(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  return core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::optional<SecurityGroupRule> r, tx.GetRule(id));
    if (!r || (!access_.IsAdmin(c) && r->project_id != c.project_id)) {
      return NotFoundErr(ErrorKind::kRuleNotFound, "Security group rule " + id + " does not exist");
    }
    casts.reason = "security group rule deleted " + id;
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfGroup(tx, r->security_group_id, casts));
    GUREUM_RETURN_IF_ERROR(tx.DeleteRule(id));
    return tx.TouchGroup(r->security_group_id);
  });
}

// The project's default group, made (with Neutron's four rules) on first use.
absl::StatusOr<std::string> SecurityGroupManager::EnsureDefaultGroup(NetworkTx& tx,
                                                                     const std::string& project) {
  GUREUM_ASSIGN_OR_RETURN(std::string found, tx.FindDefaultGroup(project));
  if (!found.empty()) return found;
  SecurityGroup g;
  g.id = ids_.NewUuid();
  g.name = "default";
  g.project_id = project;
  g.description = "Default security group";
  g.is_default = true;
  g.stamps.created_at = g.stamps.updated_at = clock_.Now();
  for (const char* ether : {"IPv4", "IPv6"}) {
    for (const char* dir : {"egress", "ingress"}) {
      SecurityGroupRule r;
      r.id = ids_.NewUuid();
      r.direction = dir;
      r.ethertype = ether;
      r.remote_group_id = std::string(dir) == "ingress" ? g.id : "";
      r.stamps = g.stamps;
      g.rules.push_back(r);
    }
  }
  GUREUM_ASSIGN_OR_RETURN(bool made, tx.InsertDefaultGroup(g));
  if (made) return g.id;
  // Made by a concurrent request, committed now.
  GUREUM_ASSIGN_OR_RETURN(std::string again, tx.FindDefaultGroup(project));
  if (again.empty()) return absl::AbortedError("default security group race");
  return again;
}

}  // namespace gureum::network
