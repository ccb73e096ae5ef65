// PgNetworkTx: ports, their addresses (the IPAM's table, ip_allocations) and security group
// memberships, and the port queries of the host state (see network_store.h for the contract).
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/pg_network_store.h"
#include "network/server/pg_sql.h"

namespace gureum::network {

using namespace internal;  // NOLINT

namespace {

const char kPortColumnsSql[] =
    "p.id, p.name, p.project_id, p.network_id, p.mac_address, p.device_id, p.device_owner, "
    "p.status, p.admin_state_up, p.port_security_enabled, p.allowed_address_pairs, "
    "p.extra_dhcp_opts, "
    "p.binding_host, p.vif_type, p.description, p.tags, p.compute_owned, p.compute_nic_index, "
    "p.created_at, p.updated_at, p.revision_number, "
    "(SELECT mtu FROM networks n WHERE n.id = p.network_id) AS mtu";

const std::map<std::string, std::string> kPortFilterColumns = {
    {"id", "p.id"},
    {"name", "p.name"},
    {"project_id", "p.project_id"},
    {"tenant_id", "p.project_id"},
    {"network_id", "p.network_id"},
    {"device_id", "p.device_id"},
    {"device_owner", "p.device_owner"},
    {"mac_address", "p.mac_address"},
    {"status", "p.status"},
    {"binding:host_id", "p.binding_host"}};

std::string AddressPairsJson(const std::vector<AddressPair>& pairs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& x : pairs)
    a.push_back({{"ip_address", x.ip_address}, {"mac_address", x.mac_address}});
  return a.dump();
}

std::vector<AddressPair> AddressPairsFromJson(const std::string& text) {
  std::vector<AddressPair> out;
  nlohmann::json a = nlohmann::json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& x : a) out.push_back({x.value("ip_address", ""), x.value("mac_address", "")});
  return out;
}

std::string DhcpOptionsJson(const std::vector<DhcpOption>& opts) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& x : opts)
    a.push_back({{"opt_name", x.name}, {"opt_value", x.value}, {"ip_version", x.ip_version}});
  return a.dump();
}

std::vector<DhcpOption> DhcpOptionsFromJson(const std::string& text) {
  std::vector<DhcpOption> out;
  nlohmann::json a = nlohmann::json::parse(text, nullptr, false);
  if (!a.is_array()) return out;
  for (const auto& x : a)
    out.push_back({x.value("opt_name", ""), x.value("opt_value", ""), x.value("ip_version", 4)});
  return out;
}

Port PortOfRow(const db::Row& r) {
  Port p;
  p.id = r.Get<std::string>("id");
  p.name = r.Get<std::string>("name");
  p.project_id = r.Get<std::string>("project_id");
  p.network_id = r.Get<std::string>("network_id");
  p.mac_address = r.Get<std::string>("mac_address");
  p.device_id = r.Get<std::string>("device_id");
  p.device_owner = r.Get<std::string>("device_owner");
  p.status = r.Get<std::string>("status");
  p.admin_state_up = r.Get<bool>("admin_state_up");
  p.port_security_enabled = r.Get<bool>("port_security_enabled");
  p.allowed_address_pairs = AddressPairsFromJson(r.Get<std::string>("allowed_address_pairs"));
  p.extra_dhcp_opts = DhcpOptionsFromJson(r.Get<std::string>("extra_dhcp_opts"));
  p.binding_host = r.Get<std::string>("binding_host");
  p.vif_type = r.Get<std::string>("vif_type");
  p.description = r.Get<std::string>("description");
  p.tags = TagsFromJson(r.Get<std::string>("tags"));
  p.compute_owned = r.Get<bool>("compute_owned");
  p.compute_nic_index = r.Get<int>("compute_nic_index");
  p.mtu = r.Get<std::optional<int>>("mtu").value_or(0);
  p.stamps = StampsFromRow(r);
  return p;
}

// The addresses and groups of the ports, two queries for all of them.
absl::Status FillPortRelations(db::Tx& tx, std::vector<Port>& ports) {
  if (ports.empty()) return absl::OkStatus();
  std::vector<std::string> ids;
  std::map<std::string, Port*> by_id;
  for (auto& p : ports) {
    ids.push_back(p.id);
    by_id[p.id] = &p;
  }
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows ips,
      tx.Exec("SELECT a.port_id, a.subnet_id, a.ip_address FROM ip_allocations a "
              "JOIN subnets s ON s.id = a.subnet_id WHERE a.port_id = ANY($1::text[]) "
              "ORDER BY s.ip_version, s.created_at, s.id, a.ip_address",
              {ArrayLiteral(ids)}));
  for (const auto& r : ips) {
    by_id[r.Get<std::string>("port_id")]->fixed_ips.push_back(
        {r.Get<std::string>("subnet_id"), r.Get<std::string>("ip_address")});
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows sgs,
                          tx.Exec("SELECT port_id, security_group_id FROM port_security_groups "
                                  "WHERE port_id = ANY($1::text[]) ORDER BY security_group_id",
                                  {ArrayLiteral(ids)}));
  for (const auto& r : sgs) {
    by_id[r.Get<std::string>("port_id")]->security_group_ids.push_back(
        r.Get<std::string>("security_group_id"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<Port>> PgNetworkTx::GetPort(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kPortColumnsSql, " FROM ports p WHERE p.id = $1"), {id}));
  if (rows.empty()) return std::nullopt;
  std::vector<Port> one = {PortOfRow(rows[0])};
  GUREUM_RETURN_IF_ERROR(FillPortRelations(tx_, one));
  return one[0];
}

absl::StatusOr<std::vector<Port>> PgNetworkTx::ListPorts(const std::string& project,
                                                         const Filters& filters) {
  std::string sql = absl::StrCat("SELECT ", kPortColumnsSql, " FROM ports p WHERE true");
  db::Params params;
  if (!project.empty()) {
    params.push_back(project);
    sql += " AND p.project_id = $1";
  }
  AddFilters(filters, kPortFilterColumns, sql, params);
  if (auto it = filters.find("security_groups"); it != filters.end() && !it->second.empty()) {
    params.push_back(ArrayLiteral(it->second));
    absl::StrAppend(&sql,
                    " AND EXISTS (SELECT 1 FROM port_security_groups g WHERE g.port_id = p.id AND "
                    "g.security_group_id = ANY($",
                    params.size(), "::text[]))");
  }
  sql += " ORDER BY p.created_at, p.id";
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx_.Exec(sql, params));
  std::vector<Port> out;
  for (const auto& r : rows) out.push_back(PortOfRow(r));
  GUREUM_RETURN_IF_ERROR(FillPortRelations(tx_, out));
  return out;
}

absl::Status PgNetworkTx::InsertPort(const Port& p) {
  GUREUM_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO ports (id, name, project_id, network_id, mac_address, device_id, "
               "device_owner, status, admin_state_up, port_security_enabled, "
               "allowed_address_pairs, binding_host, vif_type, description, tags, compute_owned, "
               "compute_nic_index, created_at, updated_at, extra_dhcp_opts) VALUES "
               "($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$18,$19)",
               {p.id, p.name, p.project_id, p.network_id, p.mac_address, p.device_id,
                p.device_owner, p.status, p.admin_state_up, p.port_security_enabled,
                AddressPairsJson(p.allowed_address_pairs), p.binding_host, p.vif_type,
                p.description, TagsJson(p.tags), p.compute_owned, p.compute_nic_index,
                p.stamps.created_at, DhcpOptionsJson(p.extra_dhcp_opts)})
          .status());
  if (p.security_group_ids.empty()) return absl::OkStatus();
  return tx_
      .Exec(
          "INSERT INTO port_security_groups (port_id, security_group_id) "
          "SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
          {p.id, ArrayLiteral(p.security_group_ids)})
      .status();
}

absl::Status PgNetworkTx::UpdatePort(const Port& p, absl::Time at) {
  return tx_
      .Exec(
          "UPDATE ports SET name=$2, description=$3, admin_state_up=$4, device_id=$5, "
          "device_owner=$6, binding_host=$7, vif_type=$8, status=$9, port_security_enabled=$10, "
          "allowed_address_pairs=$11, tags=$12, updated_at=$13, extra_dhcp_opts=$14, "
          "revision_number=revision_number+1 WHERE id=$1",
          {p.id, p.name, p.description, p.admin_state_up, p.device_id, p.device_owner,
           p.binding_host, p.vif_type, p.status, p.port_security_enabled,
           AddressPairsJson(p.allowed_address_pairs), TagsJson(p.tags), at,
           DhcpOptionsJson(p.extra_dhcp_opts)})
      .status();
}

absl::Status PgNetworkTx::SetPortStatus(const std::string& id, const std::string& host,
                                        const std::string& status) {
  return tx_
      .Exec("UPDATE ports SET status = $3 WHERE id = $1 AND binding_host = $2 AND status <> $3",
            {id, host, status})
      .status();
}

absl::Status PgNetworkTx::SetPortGroups(const std::string& id,
                                        const std::vector<std::string>& group_ids) {
  GUREUM_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM port_security_groups WHERE port_id = $1", {id}).status());
  if (group_ids.empty()) return absl::OkStatus();
  return tx_
      .Exec(
          "INSERT INTO port_security_groups (port_id, security_group_id) "
          "SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
          {id, ArrayLiteral(group_ids)})
      .status();
}

absl::Status PgNetworkTx::DeletePort(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(tx_.Exec("UPDATE floatingips SET port_id = NULL, fixed_ip_address = NULL, "
                                  "router_id = NULL, status = 'DOWN' WHERE port_id = $1",
                                  {id})
                             .status());
  return tx_.Exec("DELETE FROM ports WHERE id = $1", {id}).status();
}

absl::StatusOr<bool> PgNetworkTx::AllocateIp(const std::string& port_id,
                                             const FixedAddress& address) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows r,
      tx_.Exec("INSERT INTO ip_allocations (subnet_id, ip_address, port_id, network_id) "
               "SELECT $1, $2, $3, network_id FROM ports WHERE id = $3 "
               "ON CONFLICT DO NOTHING RETURNING ip_address",
               {address.subnet_id, address.ip_address, port_id}));
  return !r.empty();
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::AllocatedIps(const std::string& subnet_id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT ip_address FROM ip_allocations WHERE subnet_id = $1", {subnet_id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Get<std::string>("ip_address"));
  return out;
}

absl::Status PgNetworkTx::ReleaseIps(const std::string& port_id) {
  return tx_.Exec("DELETE FROM ip_allocations WHERE port_id = $1", {port_id}).status();
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::HostsOfNetwork(
    const std::string& network_id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT binding_host AS h FROM ports WHERE network_id = $1 AND binding_host <> '' "
               "UNION SELECT host FROM dhcp_bindings WHERE network_id = $1 AND host <> '' "
               "ORDER BY h",
               {network_id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Get<std::string>("h"));
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PgNetworkTx::RemoteMacs(
    const std::string& network_id, const std::string& host) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT p.mac_address, a.local_ip FROM ports p JOIN agents a ON a.host = "
               "p.binding_host WHERE p.network_id = $1 AND p.binding_host <> $2 AND "
               "a.local_ip <> '' ORDER BY a.local_ip, p.mac_address",
               {network_id, host}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows)
    out.emplace_back(r.Get<std::string>("mac_address"), r.Get<std::string>("local_ip"));
  return out;
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::MemberAddresses(const std::string& group_id) {
  std::vector<std::string> out;
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows members,
      tx_.Exec("SELECT a.ip_address FROM ip_allocations a JOIN port_security_groups g ON "
               "g.port_id = a.port_id WHERE g.security_group_id = $1 ORDER BY a.ip_address",
               {group_id}));
  for (const auto& m : members) out.push_back(m.Get<std::string>("ip_address"));
  GUREUM_ASSIGN_OR_RETURN(db::Rows pairs,
                          tx_.Exec("SELECT p.allowed_address_pairs FROM ports p JOIN "
                                   "port_security_groups g ON g.port_id = p.id WHERE "
                                   "g.security_group_id = $1 AND p.allowed_address_pairs <> '[]' "
                                   "ORDER BY p.created_at, p.id",
                                   {group_id}));
  for (const auto& r : pairs) {
    for (const auto& x : AddressPairsFromJson(r.Get<std::string>("allowed_address_pairs")))
      out.push_back(x.ip_address);
  }
  return out;
}

absl::StatusOr<std::string> PgNetworkTx::RouterBetween(const std::string& subnet_id,
                                                       const std::string& external_network_id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT r.id FROM routers r JOIN ports p ON p.device_id = r.id AND p.device_owner "
               "= 'network:router_interface' JOIN ip_allocations a ON a.port_id = p.id WHERE "
               "a.subnet_id = $1 AND r.gw_network_id = $2 ORDER BY r.created_at, r.id LIMIT 1",
               {subnet_id, external_network_id}));
  return rows.empty() ? std::string() : rows[0].Get<std::string>("id");
}

absl::StatusOr<std::vector<std::string>> PgNetworkTx::DhcpNetworksOn(const std::string& host) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec("SELECT network_id FROM dhcp_bindings WHERE host = $1 ORDER BY network_id", {host}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Get<std::string>("network_id"));
  return out;
}

absl::StatusOr<int64_t> PgNetworkTx::Generation() {
  // 0 until the first BumpGeneration (a fresh sequence's last_value is already 1).
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows gen,
      tx_.Exec("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS g FROM state_generation"));
  return gen[0].Get<int64_t>("g");
}

}  // namespace gureum::network
