// Security groups and rules, and the default group of each project.
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/ipam.h"
#include "network/server/network_manager.h"
#include "network/server/network_manager_internal.h"

namespace gureum::network {

using namespace internal;  // NOLINT

namespace {

const std::map<std::string, std::string> kGroupFilterCols = {
    {"id", "id"}, {"name", "name"}, {"project_id", "project_id"}, {"tenant_id", "project_id"}};
const std::map<std::string, std::string> kRuleFilterCols = {
    {"id", "id"},
    {"security_group_id", "security_group_id"},
    {"project_id", "project_id"},
    {"tenant_id", "project_id"},
    {"direction", "direction"},
    {"ethertype", "ethertype"},
    {"protocol", "protocol"},
    {"remote_group_id", "remote_group_id"}};

absl::Status GroupNotFound(const std::string& id) {
  return NotFoundErr("SecurityGroupNotFound", "Security group " + id + " does not exist");
}

// Neutron's protocol names, numbers accepted as they are.
absl::StatusOr<std::string> NormalizeProtocol(const std::string& in, const std::string& ethertype) {
  std::string p = absl::AsciiStrToLower(in);
  if (p.empty() || p == "any") return std::string();
  static const std::set<std::string> kNames = {"tcp", "udp", "icmp", "icmpv6", "ipv6-icmp", "sctp",
                                               "gre", "esp", "ah",   "vrrp",   "udplite",   "dccp"};
  if (kNames.count(p)) {
    if (p == "ipv6-icmp") return std::string("icmpv6");
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

absl::StatusOr<v1::SecurityGroup> NetworkManager::LoadGroup(db::Tx& tx, const Caller& c,
                                                            const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx.Exec(absl::StrCat("SELECT ", kGroupCols, " FROM security_groups WHERE id = $1"), {id}));
  if (rows.empty() || (!IsService(c) && rows[0].Get<std::string>("project_id") != c.project_id)) {
    return GroupNotFound(id);
  }
  std::vector<v1::SecurityGroup> groups = {GroupFromRow(rows[0])};
  GUREUM_RETURN_IF_ERROR(FillGroupRules(tx, groups));
  return groups[0];
}

absl::Status NetworkManager::FillGroupRules(db::Tx& tx, std::vector<v1::SecurityGroup>& groups) {
  if (groups.empty()) return absl::OkStatus();
  std::map<std::string, v1::SecurityGroup*> by_id;
  std::vector<std::string> ids;
  for (auto& g : groups) {
    by_id[g.id()] = &g;
    ids.push_back(g.id());
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx.Exec(absl::StrCat("SELECT ", kRuleCols,
                                               " FROM security_group_rules "
                                               "WHERE security_group_id = ANY($1::text[]) "
                                               "ORDER BY created_at, id"),
                                  {ArrayLiteral(ids)}));
  for (const auto& r : rows)
    *by_id[r.Get<std::string>("security_group_id")]->add_rules() = RuleFromRow(r);
  return absl::OkStatus();
}

absl::StatusOr<v1::SecurityGroup> NetworkManager::CreateSecurityGroup(const Caller& c,
                                                                      const v1::SecurityGroup& in) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_ASSIGN_OR_RETURN(std::string project, TargetProject(c, in.project_id()));
  if (in.name() == "default") {
    return Conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
  }
  const std::string id = ids_.NewUuid();
  v1::SecurityGroup out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts&) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(EnsureDefaultGroup(tx, project).status());
    GUREUM_RETURN_IF_ERROR(CheckQuota(tx, project, "security_group", 1));
    const std::string now = Now();
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO security_groups (id, name, project_id, description, stateful, tags, "
                "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7)",
                {id, in.name(), project, in.description(), true, StringsJson(in.tags()), now})
            .status());
    for (const char* ether : {"IPv4", "IPv6"}) {
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO security_group_rules (id, security_group_id, project_id, direction, "
                  "ethertype, created_at, updated_at) VALUES ($1,$2,$3,'egress',$4,$5,$5)",
                  {ids_.NewUuid(), id, project, ether, now})
              .status());
    }
    GUREUM_ASSIGN_OR_RETURN(out, LoadGroup(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::SecurityGroup> NetworkManager::GetSecurityGroup(const Caller& c,
                                                                   const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  v1::SecurityGroup out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts&) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, LoadGroup(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::SecurityGroup>> NetworkManager::ListSecurityGroups(
    const Caller& c, const Filters& f) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  std::vector<v1::SecurityGroup> out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts&) -> absl::Status {
    out.clear();
    // Listing creates the caller's default group, as Neutron does.
    if (!c.project_id.empty() && CheckWrite(c).ok())
      GUREUM_RETURN_IF_ERROR(EnsureDefaultGroup(tx, c.project_id).status());
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows, SelectListed(tx, IsAdmin(c), c.project_id, kGroupCols, "security_groups",
                                    "project_id = $1", f, kGroupFilterCols));
    for (const auto& r : rows) out.push_back(GroupFromRow(r));
    return FillGroupRules(tx, out);
  }));
  return out;
}

absl::StatusOr<v1::SecurityGroup> NetworkManager::UpdateSecurityGroup(const Caller& c,
                                                                      const v1::SecurityGroup& in,
                                                                      const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  v1::SecurityGroup out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts&) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::SecurityGroup cur, LoadGroup(tx, c, in.id()));
    if (Given(given, "name")) {
      if (cur.name() == "default" && in.name() != "default") {
        return Conflict("SecurityGroupCannotUpdateDefault",
                        "Updating default security group not allowed.");
      }
      cur.set_name(in.name());
    }
    if (Given(given, "description")) cur.set_description(in.description());
    if (Given(given, "tags")) *cur.mutable_tags() = in.tags();
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("UPDATE security_groups SET name=$2, description=$3, tags=$4, updated_at=$5, "
                "revision_number=revision_number+1 WHERE id=$1",
                {cur.id(), cur.name(), cur.description(), StringsJson(cur.tags()), Now()})
            .status());
    GUREUM_ASSIGN_OR_RETURN(out, LoadGroup(tx, c, cur.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::DeleteSecurityGroup(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  return Run([&](db::Tx& tx, Casts&) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::SecurityGroup g, LoadGroup(tx, c, id));
    GUREUM_ASSIGN_OR_RETURN(db::Rows def,
                            tx.Exec("SELECT is_default FROM security_groups WHERE id = $1", {id}));
    if (def[0].Get<bool>("is_default") && !IsAdmin(c)) {
      return Conflict("SecurityGroupCannotRemoveDefault",
                      "Removing default security group not allowed.");
    }
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows used, tx.Exec("SELECT 1 FROM port_security_groups WHERE security_group_id = $1 "
                               "LIMIT 1",
                               {id}));
    if (!used.empty()) {
      return Conflict("SecurityGroupInUse", "Security Group " + id + " in use.");
    }
    GUREUM_ASSIGN_OR_RETURN(db::Rows remote,
                            tx.Exec("SELECT 1 FROM security_group_rules WHERE remote_group_id = $1 "
                                    "AND security_group_id <> $1 LIMIT 1",
                                    {id}));
    if (!remote.empty()) {
      return Conflict("SecurityGroupInUse",
                      "Security Group " + id + " is the remote group of another group's rule.");
    }
    return tx.Exec("DELETE FROM security_groups WHERE id = $1", {id}).status();
  });
}

absl::StatusOr<v1::SecurityGroupRule> NetworkManager::CreateSecurityGroupRule(
    const Caller& c, const v1::SecurityGroupRule& in, const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  // A rule belongs to its group's project; naming another project is refused as on every create.
  if (!in.project_id().empty()) GUREUM_RETURN_IF_ERROR(TargetProject(c, in.project_id()).status());
  v1::SecurityGroupRule r = in;
  if (r.security_group_id().empty()) return BadRequest("security_group_id is required.");
  if (r.direction() != "ingress" && r.direction() != "egress") {
    return InvalidInput("direction must be ingress or egress, not '" + r.direction() + "'.");
  }
  if (r.ethertype().empty()) r.set_ethertype("IPv4");
  if (r.ethertype() != "IPv4" && r.ethertype() != "IPv6") {
    return InvalidInput("ethertype must be IPv4 or IPv6, not '" + r.ethertype() + "'.");
  }
  GUREUM_ASSIGN_OR_RETURN(std::string proto, NormalizeProtocol(r.protocol(), r.ethertype()));
  r.set_protocol(proto);
  int lo = Given(given, "port_range_min") ? r.port_range_min() : -1;
  int hi = Given(given, "port_range_max") ? r.port_range_max() : -1;
  if (proto == "tcp" || proto == "udp" || proto == "sctp" || proto == "udplite" ||
      proto == "dccp") {
    if (lo == -1 && hi != -1) lo = hi;
    if (hi == -1 && lo != -1) hi = lo;
    if (lo != -1 && (lo < 1 || hi > 65535 || lo > hi)) {
      return InvalidInput(
          absl::StrCat("For TCP/UDP protocols, port_range_min must be <= port_range_max (and both "
                       "1..65535); got ",
                       lo, " and ", hi, "."));
    }
  } else if (proto == "icmp" || proto == "icmpv6") {
    if ((lo != -1 && (lo < 0 || lo > 255)) || (hi != -1 && (hi < 0 || hi > 255))) {
      return InvalidInput("ICMP type (port-range-min) and code (port-range-max) must be 0..255.");
    }
    if (hi != -1 && lo == -1)
      return InvalidInput("ICMP code (port-range-max) is specified but ICMP type is missing.");
  } else if (lo != -1 || hi != -1) {
    return InvalidInput("Port ranges apply to tcp, udp, sctp and icmp rules only.");
  }
  r.set_port_range_min(lo);
  r.set_port_range_max(hi);
  if (!r.remote_ip_prefix().empty() && !r.remote_group_id().empty()) {
    return BadRequest("Only remote_ip_prefix or remote_group_id may be provided.");
  }
  if (!r.remote_ip_prefix().empty()) {
    auto prefix = ParsePrefix(r.remote_ip_prefix());
    if (!prefix.ok()) return InvalidInput(std::string(prefix.status().message()));
    if ((prefix->network.version == 4) != (r.ethertype() == "IPv4")) {
      return BadRequest("Conflicting value ethertype " + r.ethertype() + " for CIDR " +
                        r.remote_ip_prefix());
    }
    r.set_remote_ip_prefix(FormatCidr(*prefix));
  }
  const std::string id = ids_.NewUuid();
  v1::SecurityGroupRule out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows g,
        tx.Exec("SELECT project_id FROM security_groups WHERE id = $1", {r.security_group_id()}));
    if (g.empty() || (!IsAdmin(c) && g[0].Get<std::string>("project_id") != c.project_id)) {
      return GroupNotFound(r.security_group_id());
    }
    const std::string project = g[0].Get<std::string>("project_id");
    if (!r.remote_group_id().empty()) {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows rg,
          tx.Exec("SELECT project_id FROM security_groups WHERE id = $1", {r.remote_group_id()}));
      if (rg.empty() || (!IsAdmin(c) && rg[0].Get<std::string>("project_id") != project)) {
        return GroupNotFound(r.remote_group_id());
      }
    }
    GUREUM_RETURN_IF_ERROR(CheckQuota(tx, project, "security_group_rule", 1));
    const absl::Time now = clock_.Now();
    // The unique rule tuple decides duplicates; DO NOTHING keeps the transaction usable.
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows made,
        tx.Exec("INSERT INTO security_group_rules (id, security_group_id, project_id, direction, "
                "ethertype, protocol, "
                "port_range_min, port_range_max, remote_ip_prefix, remote_group_id, description, "
                "created_at, "
                "updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) ON CONFLICT DO "
                "NOTHING RETURNING id",
                {id, r.security_group_id(), project, r.direction(), r.ethertype(), r.protocol(), lo,
                 hi, r.remote_ip_prefix(), r.remote_group_id(), r.description(),
                 absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", now, absl::UTCTimeZone())}));
    if (made.empty()) {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows dup,
          tx.Exec(
              "SELECT id FROM security_group_rules WHERE security_group_id=$1 AND direction=$2 AND "
              "ethertype=$3 AND protocol=$4 AND port_range_min=$5 AND port_range_max=$6 AND "
              "remote_ip_prefix=$7 AND remote_group_id=$8",
              {r.security_group_id(), r.direction(), r.ethertype(), r.protocol(), lo, hi,
               r.remote_ip_prefix(), r.remote_group_id()}));
      return NeutronError(
          absl::StatusCode::kAlreadyExists, "SecurityGroupRuleExists",
          "Security group rule already exists. Rule id is " +
              (dup.empty() ? std::string("unknown") : dup[0].Get<std::string>("id")) + ".",
          409);
    }
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("UPDATE security_groups SET revision_number = revision_number + 1 WHERE id = $1",
                {r.security_group_id()})
            .status());
    casts.reason = "security group rule " + id;
    GUREUM_RETURN_IF_ERROR(CastHostsOfGroup(tx, r.security_group_id(), casts));
    out = r;
    out.set_id(id);
    out.set_project_id(project);
    out.set_created_at(Iso(now));
    out.set_updated_at(Iso(now));
    out.set_revision_number(1);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::SecurityGroupRule> NetworkManager::GetSecurityGroupRule(const Caller& c,
                                                                           const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  v1::SecurityGroupRule out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(absl::StrCat("SELECT ", kRuleCols,
                                                                " FROM security_group_rules "
                                                                "WHERE id = $1"),
                                                   {id}));
    if (rows.empty() || (!IsService(c) && rows[0].Get<std::string>("project_id") != c.project_id)) {
      return NotFoundErr("SecurityGroupRuleNotFound",
                         "Security group rule " + id + " does not exist");
    }
    out = RuleFromRow(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::SecurityGroupRule>> NetworkManager::ListSecurityGroupRules(
    const Caller& c, const Filters& f) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  std::vector<v1::SecurityGroupRule> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows, SelectListed(tx, IsAdmin(c), c.project_id, kRuleCols, "security_group_rules",
                                    "project_id = $1", f, kRuleFilterCols));
    for (const auto& r : rows) out.push_back(RuleFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::DeleteSecurityGroupRule(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  return Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows, tx.Exec("SELECT security_group_id, project_id FROM security_group_rules "
                               "WHERE id = $1",
                               {id}));
    if (rows.empty() || (!IsAdmin(c) && rows[0].Get<std::string>("project_id") != c.project_id)) {
      return NotFoundErr("SecurityGroupRuleNotFound",
                         "Security group rule " + id + " does not exist");
    }
    const std::string group = rows[0].Get<std::string>("security_group_id");
    casts.reason = "security group rule deleted " + id;
    GUREUM_RETURN_IF_ERROR(CastHostsOfGroup(tx, group, casts));
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM security_group_rules WHERE id = $1", {id}).status());
    return tx
        .Exec("UPDATE security_groups SET revision_number = revision_number + 1 WHERE id = $1",
              {group})
        .status();
  });
}

}  // namespace gureum::network
