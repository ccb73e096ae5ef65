// PgNetworkTx: routers and their scheduling (see network_store.h for the contract).
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/pg_network_store.h"
#include "network/server/pg_sql.h"

namespace gureum::network {

using namespace internal;  // NOLINT

namespace {

const char kRouterColumns[] =
    "id, name, project_id, status, admin_state_up, gw_network_id, enable_snat, routes, host, "
    "description, tags, created_at, updated_at, revision_number";
const std::map<std::string, std::string> kRouterFilters = {
    {"id", "id"}, {"name", "name"}, {"project_id", "project_id"}, {"tenant_id", "project_id"}};

Router RouterOf(const db::Row& r) {
  Router x;
  x.id = r.Get<std::string>("id");
  x.name = r.Get<std::string>("name");
  x.project_id = r.Get<std::string>("project_id");
  x.status = r.Get<std::string>("status");
  x.admin_state_up = r.Get<bool>("admin_state_up");
  x.gateway_network_id = r.Get<std::optional<std::string>>("gw_network_id").value_or("");
  x.enable_snat = r.Get<bool>("enable_snat");
  x.routes = RoutesFromText(r.Get<std::string>("routes"));
  x.host = r.Get<std::string>("host");
  x.description = r.Get<std::string>("description");
  x.tags = TagsFromJson(r.Get<std::string>("tags"));
  x.stamps = StampsFromRow(r);
  return x;
}

std::vector<Router> RoutersOf(const db::Rows& rows) {
  std::vector<Router> out;
  for (const auto& r : rows) out.push_back(RouterOf(r));
  return out;
}

}  // namespace

absl::StatusOr<std::optional<Router>> PgNetworkTx::GetRouter(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kRouterColumns, " FROM routers WHERE id = $1"), {id}));
  if (rows.empty()) return std::nullopt;
  return RouterOf(rows[0]);
}

absl::StatusOr<std::vector<Router>> PgNetworkTx::ListRouters(const std::string& project,
                                                             const Filters& filters) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          SelectListed(tx_, project.empty(), project, kRouterColumns, "routers",
                                       "project_id = $1", filters, kRouterFilters));
  return RoutersOf(rows);
}

absl::StatusOr<std::vector<Router>> PgNetworkTx::RoutersOn(const std::string& host) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kRouterColumns, " FROM routers WHERE host = $1 ORDER BY id"),
               {host}));
  return RoutersOf(rows);
}

absl::Status PgNetworkTx::InsertRouter(const Router& r) {
  std::optional<std::string> gateway;
  if (!r.gateway_network_id.empty()) gateway = r.gateway_network_id;
  return tx_
      .Exec(
          "INSERT INTO routers (id, name, project_id, status, admin_state_up, gw_network_id, "
          "enable_snat, routes, host, description, tags, created_at, updated_at) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12)",
          {r.id, r.name, r.project_id, r.status, r.admin_state_up, gateway, r.enable_snat,
           RoutesText(r.routes), r.host, r.description, TagsJson(r.tags), r.stamps.created_at})
      .status();
}

absl::Status PgNetworkTx::UpdateRouter(const Router& r, absl::Time at) {
  return tx_
      .Exec(
          "UPDATE routers SET name=$2, description=$3, admin_state_up=$4, routes=$5, tags=$6, "
          "updated_at=$7, revision_number=revision_number+1 WHERE id=$1",
          {r.id, r.name, r.description, r.admin_state_up, RoutesText(r.routes), TagsJson(r.tags),
           at})
      .status();
}

absl::Status PgNetworkTx::SetRouterGateway(const std::string& id, const std::string& network_id,
                                           bool enable_snat) {
  if (network_id.empty()) {
    return tx_.Exec("UPDATE routers SET gw_network_id = NULL WHERE id = $1", {id}).status();
  }
  return tx_
      .Exec("UPDATE routers SET gw_network_id = $2, enable_snat = $3 WHERE id = $1",
            {id, network_id, enable_snat})
      .status();
}

absl::Status PgNetworkTx::SetRouterHost(const std::string& id, const std::string& host) {
  return tx_.Exec("UPDATE routers SET host = $2 WHERE id = $1", {id, host}).status();
}

absl::Status PgNetworkTx::DeleteRouter(const std::string& id) {
  return tx_.Exec("DELETE FROM routers WHERE id = $1", {id}).status();
}

absl::StatusOr<bool> PgNetworkTx::RouterHasFloatingIps(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx_.Exec("SELECT 1 FROM floatingips WHERE router_id = $1 LIMIT 1", {id}));
  return !rows.empty();
}

absl::StatusOr<std::optional<Agent>> PgNetworkTx::PickL3Agent(absl::Time alive_after) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kAgentColumns,
                            " FROM agents a WHERE a.l3 AND a.admin_state_up AND a.heartbeat_at > "
                            "$1 ORDER BY (SELECT count(*) FROM routers r WHERE r.host = a.host), "
                            "a.host LIMIT 1"),
               {alive_after}));
  if (rows.empty()) return std::nullopt;
  return AgentFromRow(rows[0]);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PgNetworkTx::ReleaseDeadRouters(
    const std::string& keep, absl::Time alive_after) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(
          "WITH old AS (SELECT id, host FROM routers r WHERE r.host <> '' AND r.host <> $1 "
          "AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.host = r.host AND a.l3 AND "
          "a.admin_state_up AND a.heartbeat_at > $2) FOR UPDATE) "
          "UPDATE routers r SET host = '' FROM old WHERE r.id = old.id RETURNING r.id, old.host",
          {keep, alive_after}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.Get<std::string>("id"), r.Get<std::string>("host"));
  return out;
}

}  // namespace gureum::network
