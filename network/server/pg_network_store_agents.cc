// PgNetworkTx: network agents and DHCP bindings (see network_store.h for the contract).
#include <nlohmann/json.hpp>

#include "common/status/macros.h"
#include "network/server/pg_network_store.h"
#include "network/server/pg_sql.h"

namespace gureum::network {

using namespace internal;  // NOLINT

namespace internal {

const char kAgentColumns[] =
    "id, host, local_ip, physical_interfaces, dhcp, l3, admin_state_up, version, heartbeat_at";

Agent AgentFromRow(const db::Row& r) {
  Agent a;
  a.id = r.Get<std::string>("id");
  a.host = r.Get<std::string>("host");
  a.local_ip = r.Get<std::string>("local_ip");
  nlohmann::json phys =
      nlohmann::json::parse(r.Get<std::string>("physical_interfaces"), nullptr, false);
  if (phys.is_object()) {
    for (const auto& [k, v] : phys.items()) {
      if (v.is_string()) a.physical_interfaces[k] = v.get<std::string>();
    }
  }
  a.dhcp = r.Get<bool>("dhcp");
  a.l3 = r.Get<bool>("l3");
  a.admin_state_up = r.Get<bool>("admin_state_up");
  a.version = r.Get<std::string>("version");
  a.heartbeat_at = r.Get<absl::Time>("heartbeat_at");
  return a;
}

}  // namespace internal

absl::StatusOr<std::optional<Agent>> PgNetworkTx::GetAgentByHost(const std::string& host) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(std::string("SELECT ") + kAgentColumns + " FROM agents WHERE host = $1", {host}));
  if (rows.empty()) return std::nullopt;
  return AgentFromRow(rows[0]);
}

absl::Status PgNetworkTx::PutAgent(const Agent& a) {
  nlohmann::json phys = nlohmann::json::object();
  for (const auto& [k, v] : a.physical_interfaces) phys[k] = v;
  return tx_
      .Exec(
          "INSERT INTO agents (id, host, local_ip, physical_interfaces, dhcp, l3, version, "
          "heartbeat_at, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) "
          "ON CONFLICT (host) DO UPDATE SET local_ip = $3, physical_interfaces = $4, "
          "dhcp = $5, l3 = $6, version = $7, heartbeat_at = $8",
          {a.id, a.host, a.local_ip, phys.dump(), a.dhcp, a.l3, a.version, a.heartbeat_at})
      .status();
}

absl::StatusOr<std::vector<Agent>> PgNetworkTx::ListAgents(const Filters& filters) {
  std::string sql = std::string("SELECT ") + kAgentColumns + " FROM agents WHERE true";
  db::Params params;
  AddFilters(filters, {{"id", "id"}, {"host", "host"}}, sql, params);
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx_.Exec(sql + " ORDER BY host", params));
  std::vector<Agent> out;
  for (const auto& r : rows) out.push_back(AgentFromRow(r));
  return out;
}

absl::Status PgNetworkTx::SetAgentAdminState(const std::string& id, bool admin_state_up) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows, tx_.Exec("UPDATE agents SET admin_state_up = $2 WHERE id = $1 RETURNING id",
                              {id, admin_state_up}));
  if (rows.empty()) return absl::NotFoundError("Agent " + id + " could not be found.");
  return absl::OkStatus();
}

absl::StatusOr<std::string> PgNetworkTx::DhcpHostOf(const std::string& network_id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT host FROM dhcp_bindings WHERE network_id = $1", {network_id}));
  return rows.empty() ? std::string() : rows[0].Get<std::string>("host");
}

absl::Status PgNetworkTx::BindDhcp(const std::string& network_id, const std::string& host) {
  return tx_
      .Exec("INSERT INTO dhcp_bindings (network_id, host) VALUES ($1, $2)", {network_id, host})
      .status();
}

absl::StatusOr<std::optional<Agent>> PgNetworkTx::PickDhcpAgent(absl::Time alive_after) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(std::string("SELECT ") + kAgentColumns +
                   " FROM agents a WHERE a.dhcp AND a.admin_state_up AND a.heartbeat_at > $1 "
                   "ORDER BY (SELECT count(*) FROM dhcp_bindings b WHERE b.host = a.host), "
                   "a.host LIMIT 1",
               {alive_after}));
  if (rows.empty()) return std::nullopt;
  return AgentFromRow(rows[0]);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PgNetworkTx::ReleaseDeadDhcp(
    const std::string& keep, absl::Time alive_after) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("DELETE FROM dhcp_bindings b WHERE b.host <> $1 AND NOT EXISTS (SELECT 1 FROM "
               "agents a WHERE a.host = b.host AND a.dhcp AND a.admin_state_up AND "
               "a.heartbeat_at > $2) RETURNING network_id, host",
               {keep, alive_after}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows)
    out.emplace_back(r.Get<std::string>("network_id"), r.Get<std::string>("host"));
  return out;
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::UnboundDhcpNetworks() {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT DISTINCT s.network_id FROM subnets s WHERE s.enable_dhcp AND NOT EXISTS "
               "(SELECT 1 FROM dhcp_bindings b WHERE b.network_id = s.network_id) "
               "ORDER BY s.network_id"));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Get<std::string>("network_id"));
  return out;
}

}  // namespace gureum::network
