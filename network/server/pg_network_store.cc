// PgNetworkStore: the SQL of gureum-network (see network_store.h for the contract).
#include "network/server/pg_network_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/pg_sql.h"

namespace gureum::network {

using nlohmann::json;
using namespace internal;  // NOLINT

namespace {

const char kGroupCols[] =
    "id, name, project_id, description, stateful, is_default, tags, created_at, updated_at, "
    "revision_number";
const char kRuleCols[] =
    "id, security_group_id, project_id, direction, ethertype, protocol, port_range_min, "
    "port_range_max, remote_ip_prefix, remote_group_id, description, created_at, updated_at, "
    "revision_number";
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

// The tables counted for each quota resource.
const std::map<std::string, std::string> kQuotaTables = {
    {"network", "networks"},
    {"subnet", "subnets"},
    {"port", "ports"},
    {"router", "routers"},
    {"floatingip", "floatingips"},
    {"security_group", "security_groups"},
    {"security_group_rule", "security_group_rules"}};

SecurityGroup GroupFromRow(const db::Row& r) {
  SecurityGroup g;
  g.id = r.Get<std::string>("id");
  g.name = r.Get<std::string>("name");
  g.project_id = r.Get<std::string>("project_id");
  g.description = r.Get<std::string>("description");
  g.stateful = r.Get<bool>("stateful");
  g.is_default = r.Get<bool>("is_default");
  g.tags = TagsFromJson(r.Get<std::string>("tags"));
  g.stamps = StampsFromRow(r);
  return g;
}

SecurityGroupRule RuleFromRow(const db::Row& r) {
  SecurityGroupRule x;
  x.id = r.Get<std::string>("id");
  x.security_group_id = r.Get<std::string>("security_group_id");
  x.project_id = r.Get<std::string>("project_id");
  x.direction = r.Get<std::string>("direction");
  x.ethertype = r.Get<std::string>("ethertype");
  x.protocol = r.Get<std::string>("protocol");
  x.port_range_min = r.Get<int>("port_range_min");
  x.port_range_max = r.Get<int>("port_range_max");
  x.remote_ip_prefix = r.Get<std::string>("remote_ip_prefix");
  x.remote_group_id = r.Get<std::string>("remote_group_id");
  x.description = r.Get<std::string>("description");
  x.stamps = StampsFromRow(r);
  return x;
}

absl::StatusOr<bool> Any(db::Tx& tx, const std::string& sql, const db::Params& params) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
  return !rows.empty();
}

}  // namespace

namespace internal {

std::string TagsJson(const std::vector<std::string>& tags) { return json(tags).dump(); }

std::vector<std::string> TagsFromJson(const std::string& text) {
  std::vector<std::string> out;
  json a = json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& s : a) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

Stamps StampsFromRow(const db::Row& r) {
  Stamps s;
  s.created_at = r.Get<absl::Time>("created_at");
  s.updated_at = r.Get<absl::Time>("updated_at");
  s.revision_number = r.Get<int64_t>("revision_number");
  return s;
}

std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ",";
    out += "\"";
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += "\"";
  }
  return out + "}";
}

void AddFilters(const Filters& f, const std::map<std::string, std::string>& columns,
                std::string& sql, db::Params& params) {
  for (const auto& [key, values] : f) {
    auto it = columns.find(key);
    if (it == columns.end() || values.empty()) continue;
    params.push_back(ArrayLiteral(values));
    absl::StrAppend(&sql, " AND ", it->second, "::text = ANY($", params.size(), "::text[])");
  }
}

absl::StatusOr<db::Rows> SelectListed(db::Tx& tx, bool admin, const std::string& project,
                                      const std::string& cols, const std::string& from,
                                      const std::string& scope, const Filters& f,
                                      const std::map<std::string, std::string>& columns) {
  std::string sql = absl::StrCat("SELECT ", cols, " FROM ", from, " WHERE true");
  db::Params params;
  if (!admin && !scope.empty()) {
    params.push_back(project);
    absl::StrAppend(&sql, " AND ", scope);
  }
  AddFilters(f, columns, sql, params);
  sql += " ORDER BY created_at, id";
  return tx.Exec(sql, params);
}

}  // namespace internal

absl::Status PgNetworkStore::Transact(const TxFn& fn) {
  return pool_.Transact([&](db::Tx& tx) -> absl::Status {
    PgNetworkTx ntx(tx);
    return fn(ntx);
  });
}

absl::Status PgNetworkStore::ReadOnly(const TxFn& fn) {
  return pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    PgNetworkTx ntx(tx);
    return fn(ntx);
  });
}

absl::Status PgNetworkStore::Snapshot(const TxFn& fn) {
  return pool_.Transact({.isolation = db::Isolation::kRepeatableRead, .read_only = true},
                        [&](db::Tx& tx) -> absl::Status {
                          PgNetworkTx ntx(tx);
                          return fn(ntx);
                        });
}

// ---- security groups

absl::Status PgNetworkTx::FillRules(std::vector<SecurityGroup>& groups) {
  if (groups.empty()) return absl::OkStatus();
  std::map<std::string, SecurityGroup*> by_id;
  std::vector<std::string> ids;
  for (auto& g : groups) {
    by_id[g.id] = &g;
    ids.push_back(g.id);
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx_.Exec(absl::StrCat("SELECT ", kRuleCols,
                                                " FROM security_group_rules "
                                                "WHERE security_group_id = ANY($1::text[]) "
                                                "ORDER BY created_at, id"),
                                   {ArrayLiteral(ids)}));
  for (const auto& r : rows)
    by_id[r.Get<std::string>("security_group_id")]->rules.push_back(RuleFromRow(r));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SecurityGroup>> PgNetworkTx::GetGroup(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kGroupCols, " FROM security_groups WHERE id = $1"), {id}));
  if (rows.empty()) return std::nullopt;
  std::vector<SecurityGroup> groups = {GroupFromRow(rows[0])};
  GUREUM_RETURN_IF_ERROR(FillRules(groups));
  return groups[0];
}

absl::StatusOr<std::optional<std::string>> PgNetworkTx::GetGroupProject(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx_.Exec("SELECT project_id FROM security_groups WHERE id = $1", {id}));
  if (rows.empty()) return std::nullopt;
  return rows[0].Get<std::string>("project_id");
}

absl::StatusOr<std::vector<SecurityGroup>> PgNetworkTx::ListGroups(const std::string& project,
                                                                   const Filters& filters) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          SelectListed(tx_, project.empty(), project, kGroupCols, "security_groups",
                                       "project_id = $1", filters, kGroupFilterCols));
  std::vector<SecurityGroup> out;
  for (const auto& r : rows) out.push_back(GroupFromRow(r));
  GUREUM_RETURN_IF_ERROR(FillRules(out));
  return out;
}

absl::Status PgNetworkTx::InsertRules(const SecurityGroup& group) {
  for (const SecurityGroupRule& r : group.rules) {
    GUREUM_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO security_group_rules (id, security_group_id, project_id, direction, "
                 "ethertype, protocol, port_range_min, port_range_max, remote_ip_prefix, "
                 "remote_group_id, description, created_at, updated_at) "
                 "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12)",
                 {r.id, group.id, group.project_id, r.direction, r.ethertype, r.protocol,
                  r.port_range_min, r.port_range_max, r.remote_ip_prefix, r.remote_group_id,
                  r.description, r.stamps.created_at})
            .status());
  }
  return absl::OkStatus();
}

absl::Status PgNetworkTx::InsertGroup(const SecurityGroup& g) {
  GUREUM_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO security_groups (id, name, project_id, description, stateful, "
               "is_default, tags, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)",
               {g.id, g.name, g.project_id, g.description, g.stateful, g.is_default,
                TagsJson(g.tags), g.stamps.created_at})
          .status());
  return InsertRules(g);
}

absl::StatusOr<std::string> PgNetworkTx::FindDefaultGroup(const std::string& project) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows found,
      tx_.Exec("SELECT id FROM security_groups WHERE project_id = $1 AND is_default", {project}));
  return found.empty() ? std::string() : found[0].Get<std::string>("id");
}

absl::StatusOr<bool> PgNetworkTx::InsertDefaultGroup(const SecurityGroup& g) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows made,
      tx_.Exec("INSERT INTO security_groups (id, name, project_id, description, stateful, "
               "is_default, tags, created_at, updated_at) "
               "VALUES ($1,$2,$3,$4,$5,true,$6,$7,$7) "
               "ON CONFLICT (project_id) WHERE is_default DO NOTHING RETURNING id",
               {g.id, g.name, g.project_id, g.description, g.stateful, TagsJson(g.tags),
                g.stamps.created_at}));
  if (made.empty()) return false;
  GUREUM_RETURN_IF_ERROR(InsertRules(g));
  return true;
}

absl::Status PgNetworkTx::UpdateGroup(const SecurityGroup& g, absl::Time at) {
  return tx_
      .Exec(
          "UPDATE security_groups SET name=$2, description=$3, tags=$4, updated_at=$5, "
          "revision_number=revision_number+1 WHERE id=$1",
          {g.id, g.name, g.description, TagsJson(g.tags), at})
      .status();
}

absl::Status PgNetworkTx::TouchGroup(const std::string& id) {
  return tx_
      .Exec("UPDATE security_groups SET revision_number = revision_number + 1 WHERE id = $1", {id})
      .status();
}

absl::Status PgNetworkTx::DeleteGroup(const std::string& id) {
  return tx_.Exec("DELETE FROM security_groups WHERE id = $1", {id}).status();
}

absl::StatusOr<bool> PgNetworkTx::GroupHasPorts(const std::string& id) {
  return Any(tx_, "SELECT 1 FROM port_security_groups WHERE security_group_id = $1 LIMIT 1", {id});
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::HostsOfGroup(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT DISTINCT p.binding_host AS h FROM ports p JOIN port_security_groups g ON "
               "g.port_id = p.id "
               "WHERE p.binding_host <> '' AND (g.security_group_id = $1 OR g.security_group_id IN "
               "(SELECT security_group_id FROM security_group_rules WHERE remote_group_id = $1)) "
               "ORDER BY h",
               {id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Get<std::string>("h"));
  return out;
}

// ---- security group rules

absl::StatusOr<std::optional<SecurityGroupRule>> PgNetworkTx::GetRule(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kRuleCols, " FROM security_group_rules WHERE id = $1"),
               {id}));
  if (rows.empty()) return std::nullopt;
  return RuleFromRow(rows[0]);
}

absl::StatusOr<std::vector<SecurityGroupRule>> PgNetworkTx::ListRules(const std::string& project,
                                                                      const Filters& filters) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows, SelectListed(tx_, project.empty(), project, kRuleCols, "security_group_rules",
                                  "project_id = $1", filters, kRuleFilterCols));
  std::vector<SecurityGroupRule> out;
  for (const auto& r : rows) out.push_back(RuleFromRow(r));
  return out;
}

absl::StatusOr<std::optional<std::string>> PgNetworkTx::InsertRule(const SecurityGroupRule& r) {
  // The unique rule tuple decides duplicates; DO NOTHING keeps the transaction usable.
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows made,
      tx_.Exec("INSERT INTO security_group_rules (id, security_group_id, project_id, direction, "
               "ethertype, protocol, port_range_min, port_range_max, remote_ip_prefix, "
               "remote_group_id, description, created_at, updated_at) "
               "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) "
               "ON CONFLICT DO NOTHING RETURNING id",
               {r.id, r.security_group_id, r.project_id, r.direction, r.ethertype, r.protocol,
                r.port_range_min, r.port_range_max, r.remote_ip_prefix, r.remote_group_id,
                r.description, r.stamps.created_at}));
  if (!made.empty()) return std::nullopt;
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows dup,
      tx_.Exec("SELECT id FROM security_group_rules WHERE security_group_id=$1 AND direction=$2 "
               "AND ethertype=$3 AND protocol=$4 AND port_range_min=$5 AND port_range_max=$6 AND "
               "remote_ip_prefix=$7 AND remote_group_id=$8",
               {r.security_group_id, r.direction, r.ethertype, r.protocol, r.port_range_min,
                r.port_range_max, r.remote_ip_prefix, r.remote_group_id}));
  return dup.empty() ? std::string() : dup[0].Get<std::string>("id");
}

absl::Status PgNetworkTx::DeleteRule(const std::string& id) {
  return tx_.Exec("DELETE FROM security_group_rules WHERE id = $1", {id}).status();
}

// ---- quotas

absl::StatusOr<std::optional<int64_t>> PgNetworkTx::GetQuotaLimit(const std::string& project,
                                                                  const std::string& resource) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT hard_limit FROM quotas WHERE project_id = $1 AND resource = $2",
               {project, resource}));
  if (rows.empty()) return std::nullopt;
  return rows[0].Get<int64_t>("hard_limit");
}

absl::StatusOr<std::map<std::string, int64_t>> PgNetworkTx::ListQuotaLimits(
    const std::string& project) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT resource, hard_limit FROM quotas WHERE project_id = $1", {project}));
  std::map<std::string, int64_t> out;
  for (const auto& r : rows) out[r.Get<std::string>("resource")] = r.Get<int64_t>("hard_limit");
  return out;
}

absl::Status PgNetworkTx::SetQuotaLimit(const std::string& project, const std::string& resource,
                                        int64_t limit) {
  return tx_
      .Exec(
          "INSERT INTO quotas (project_id, resource, hard_limit) VALUES ($1, $2, $3) "
          "ON CONFLICT (project_id, resource) DO UPDATE SET hard_limit = $3",
          {project, resource, limit})
      .status();
}

absl::Status PgNetworkTx::DeleteQuotaLimits(const std::string& project) {
  return tx_.Exec("DELETE FROM quotas WHERE project_id = $1", {project}).status();
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::QuotaProjects() {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows, tx_.Exec("SELECT DISTINCT project_id FROM quotas ORDER BY project_id", {}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Get<std::string>("project_id"));
  return out;
}

absl::Status PgNetworkTx::LockQuota(const std::string& project, const std::string& resource) {
  // Taken in its own statement so that the count (a later statement, a later snapshot)
  // sees what the previous holder committed.
  return tx_
      .Exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 17))",
            {"quota:" + project + ":" + resource})
      .status();
}

absl::StatusOr<int64_t> PgNetworkTx::CountOwned(const std::string& project,
                                                const std::string& resource) {
  auto it = kQuotaTables.find(resource);
  if (it == kQuotaTables.end())
    return absl::InvalidArgumentError("unknown quota resource '" + resource + "'");
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT count(*) AS n FROM ", it->second, " WHERE project_id = $1"),
               {project}));
  return rows[0].Get<int64_t>("n");
}

absl::Status PgNetworkTx::BumpGeneration() {
  return tx_.Exec("SELECT nextval('state_generation')").status();
}

}  // namespace gureum::network
