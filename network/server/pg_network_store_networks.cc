// PgNetworkTx: networks and subnets (see network_store.h for the contract).
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/pg_network_store.h"
#include "network/server/pg_sql.h"

namespace gureum::network {

using nlohmann::json;
using namespace internal;  // NOLINT

namespace {

const char kNetworkColumns[] =
    "id, name, project_id, admin_state_up, shared, router_external, mtu, port_security_enabled, "
    "network_type, physical_network, segmentation_id, description, tags, created_at, updated_at, "
    "revision_number";
const char kSubnetColumns[] =
    "id, name, project_id, network_id, ip_version, cidr, gateway_ip, allocation_pools, "
    "enable_dhcp, dns_nameservers, host_routes, ipv6_ra_mode, ipv6_address_mode, description, "
    "tags, created_at, updated_at, revision_number";
const std::map<std::string, std::string> kNetworkFilters = {{"id", "id"},
                                                            {"name", "name"},
                                                            {"project_id", "project_id"},
                                                            {"tenant_id", "project_id"},
                                                            {"shared", "shared"},
                                                            {"router:external", "router_external"}};
const std::map<std::string, std::string> kSubnetFilters = {{"id", "id"},
                                                           {"name", "name"},
                                                           {"project_id", "project_id"},
                                                           {"tenant_id", "project_id"},
                                                           {"network_id", "network_id"},
                                                           {"cidr", "cidr"},
                                                           {"ip_version", "ip_version"},
                                                           {"enable_dhcp", "enable_dhcp"}};

Network NetworkOf(const db::Row& r) {
  Network n;
  n.id = r.Get<std::string>("id");
  n.name = r.Get<std::string>("name");
  n.project_id = r.Get<std::string>("project_id");
  n.admin_state_up = r.Get<bool>("admin_state_up");
  n.shared = r.Get<bool>("shared");
  n.router_external = r.Get<bool>("router_external");
  n.mtu = r.Get<int>("mtu");
  n.port_security_enabled = r.Get<bool>("port_security_enabled");
  n.network_type = r.Get<std::string>("network_type");
  n.physical_network = r.Get<std::string>("physical_network");
  n.segmentation_id = r.Get<int>("segmentation_id");
  n.description = r.Get<std::string>("description");
  n.tags = TagsFromJson(r.Get<std::string>("tags"));
  n.stamps = StampsFromRow(r);
  return n;
}

std::string RangesJson(const std::vector<AddressRange>& ranges) {
  json a = json::array();
  for (const auto& p : ranges) a.push_back({{"start", p.start}, {"end", p.end}});
  return a.dump();
}

Subnet SubnetOf(const db::Row& r) {
  Subnet s;
  s.id = r.Get<std::string>("id");
  s.name = r.Get<std::string>("name");
  s.project_id = r.Get<std::string>("project_id");
  s.network_id = r.Get<std::string>("network_id");
  s.ip_version = r.Get<int>("ip_version");
  s.cidr = r.Get<std::string>("cidr");
  s.gateway_ip = r.Get<std::string>("gateway_ip");
  json pools = json::parse(r.Get<std::string>("allocation_pools"), nullptr, false);
  if (pools.is_array()) {
    for (const auto& p : pools)
      s.allocation_pools.push_back({p.value("start", ""), p.value("end", "")});
  }
  s.enable_dhcp = r.Get<bool>("enable_dhcp");
  s.dns_nameservers = TagsFromJson(r.Get<std::string>("dns_nameservers"));
  s.host_routes = RoutesFromText(r.Get<std::string>("host_routes"));
  s.ipv6_ra_mode = r.Get<std::string>("ipv6_ra_mode");
  s.ipv6_address_mode = r.Get<std::string>("ipv6_address_mode");
  s.description = r.Get<std::string>("description");
  s.tags = TagsFromJson(r.Get<std::string>("tags"));
  s.stamps = StampsFromRow(r);
  return s;
}

absl::StatusOr<bool> AnyRow(db::Tx& tx, const std::string& sql, const db::Params& params) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx.Exec(sql, params));
  return !rows.empty();
}

}  // namespace

namespace internal {

std::string RoutesText(const std::vector<Route>& routes) {
  json a = json::array();
  for (const auto& h : routes)
    a.push_back({{"destination", h.destination}, {"nexthop", h.nexthop}});
  return a.dump();
}

std::vector<Route> RoutesFromText(const std::string& text) {
  std::vector<Route> out;
  json routes = json::parse(text, nullptr, false);
  if (!routes.is_array()) return out;
  for (const auto& h : routes) out.push_back({h.value("destination", ""), h.value("nexthop", "")});
  return out;
}

}  // namespace internal

// ---- networks

absl::Status PgNetworkTx::FillSubnetIds(std::vector<Network>& networks) {
  if (networks.empty()) return absl::OkStatus();
  std::map<std::string, Network*> by_id;
  std::vector<std::string> ids;
  for (auto& n : networks) {
    by_id[n.id] = &n;
    ids.push_back(n.id);
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows subs,
                          tx_.Exec("SELECT id, network_id FROM subnets WHERE network_id = "
                                   "ANY($1::text[]) ORDER BY created_at, id",
                                   {ArrayLiteral(ids)}));
  for (const auto& r : subs)
    by_id[r.Get<std::string>("network_id")]->subnet_ids.push_back(r.Get<std::string>("id"));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Network>> PgNetworkTx::GetNetwork(const std::string& id,
                                                               bool with_subnet_ids) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kNetworkColumns, " FROM networks WHERE id = $1"), {id}));
  if (rows.empty()) return std::nullopt;
  std::vector<Network> one = {NetworkOf(rows[0])};
  if (with_subnet_ids) GUREUM_RETURN_IF_ERROR(FillSubnetIds(one));
  return one[0];
}

absl::StatusOr<std::vector<Network>> PgNetworkTx::ListNetworks(const std::string& project,
                                                               const Filters& filters) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      SelectListed(tx_, project.empty(), project, kNetworkColumns, "networks",
                   "(project_id = $1 OR shared OR router_external)", filters, kNetworkFilters));
  std::vector<Network> out;
  for (const auto& r : rows) out.push_back(NetworkOf(r));
  GUREUM_RETURN_IF_ERROR(FillSubnetIds(out));
  return out;
}

absl::Status PgNetworkTx::InsertNetwork(const Network& n) {
  return tx_
      .Exec(
          "INSERT INTO networks (id, name, project_id, admin_state_up, shared, "
          "router_external, mtu, port_security_enabled, network_type, physical_network, "
          "segmentation_id, description, tags, created_at, updated_at) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14)",
          {n.id, n.name, n.project_id, n.admin_state_up, n.shared, n.router_external, n.mtu,
           n.port_security_enabled, n.network_type, n.physical_network, n.segmentation_id,
           n.description, TagsJson(n.tags), n.stamps.created_at})
      .status();
}

absl::Status PgNetworkTx::UpdateNetwork(const Network& n, absl::Time at) {
  return tx_
      .Exec(
          "UPDATE networks SET name=$2, description=$3, admin_state_up=$4, shared=$5, "
          "router_external=$6, port_security_enabled=$7, tags=$8, updated_at=$9, "
          "revision_number=revision_number+1 WHERE id=$1",
          {n.id, n.name, n.description, n.admin_state_up, n.shared, n.router_external,
           n.port_security_enabled, TagsJson(n.tags), at})
      .status();
}

absl::Status PgNetworkTx::DeleteNetwork(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(tx_.Exec("DELETE FROM ports WHERE network_id = $1", {id}).status());
  GUREUM_RETURN_IF_ERROR(tx_.Exec("DELETE FROM subnets WHERE network_id = $1", {id}).status());
  return tx_.Exec("DELETE FROM networks WHERE id = $1", {id}).status();
}

absl::StatusOr<std::optional<int>> PgNetworkTx::FreeVni(int lo, int hi, int from) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows free,
      tx_.Exec("SELECT s FROM generate_series($1::int, $2::int) s WHERE NOT EXISTS (SELECT 1 FROM "
               "networks WHERE network_type = 'vxlan' AND segmentation_id = s) "
               "ORDER BY (s < $3), s LIMIT 1",
               {lo, hi, from}));
  if (free.empty()) return std::nullopt;
  return free[0].Get<int>("s");
}

absl::StatusOr<bool> PgNetworkTx::SegmentInUse(const std::string& type,
                                               const std::string& physical_network, int segment) {
  if (type == "flat") {
    return AnyRow(tx_,
                  "SELECT 1 FROM networks WHERE network_type = 'flat' AND physical_network = $1",
                  {physical_network});
  }
  return AnyRow(tx_,
                "SELECT 1 FROM networks WHERE network_type = $1 AND physical_network = $2 "
                "AND segmentation_id = $3",
                {type, physical_network, segment});
}

absl::StatusOr<bool> PgNetworkTx::NetworkHasPorts(const std::string& id) {
  return AnyRow(tx_,
                "SELECT 1 FROM ports WHERE network_id = $1 AND device_owner <> 'network:dhcp' "
                "LIMIT 1",
                {id});
}

absl::StatusOr<bool> PgNetworkTx::NetworkIsGateway(const std::string& id) {
  return AnyRow(tx_, "SELECT 1 FROM routers WHERE gw_network_id = $1 LIMIT 1", {id});
}

// ---- subnets

absl::StatusOr<std::optional<Subnet>> PgNetworkTx::GetSubnet(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kSubnetColumns, " FROM subnets WHERE id = $1"), {id}));
  if (rows.empty()) return std::nullopt;
  return SubnetOf(rows[0]);
}

absl::StatusOr<std::vector<Subnet>> PgNetworkTx::ListSubnets(const std::string& project,
                                                             const Filters& filters) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      SelectListed(tx_, project.empty(), project, kSubnetColumns, "subnets s",
                   "(project_id = $1 OR EXISTS (SELECT 1 FROM networks n WHERE n.id = "
                   "s.network_id AND n.shared))",
                   filters, kSubnetFilters));
  std::vector<Subnet> out;
  for (const auto& r : rows) out.push_back(SubnetOf(r));
  return out;
}

absl::StatusOr<std::vector<Subnet>> PgNetworkTx::SubnetsOf(const std::string& network_id) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows, tx_.Exec(absl::StrCat("SELECT ", kSubnetColumns,
                                                               " FROM subnets WHERE network_id = "
                                                               "$1 ORDER BY created_at, id"),
                                                  {network_id}));
  std::vector<Subnet> out;
  for (const auto& r : rows) out.push_back(SubnetOf(r));
  return out;
}

absl::Status PgNetworkTx::InsertSubnet(const Subnet& s) {
  return tx_
      .Exec(
          "INSERT INTO subnets (id, name, project_id, network_id, ip_version, cidr, "
          "gateway_ip, allocation_pools, enable_dhcp, dns_nameservers, host_routes, "
          "ipv6_ra_mode, ipv6_address_mode, description, tags, created_at, updated_at) "
          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16)",
          {s.id, s.name, s.project_id, s.network_id, s.ip_version, s.cidr, s.gateway_ip,
           RangesJson(s.allocation_pools), s.enable_dhcp, TagsJson(s.dns_nameservers),
           RoutesText(s.host_routes), s.ipv6_ra_mode, s.ipv6_address_mode, s.description,
           TagsJson(s.tags), s.stamps.created_at})
      .status();
}

absl::Status PgNetworkTx::UpdateSubnet(const Subnet& s, absl::Time at) {
  return tx_
      .Exec(
          "UPDATE subnets SET name=$2, description=$3, enable_dhcp=$4, dns_nameservers=$5, "
          "host_routes=$6, tags=$7, updated_at=$8, gateway_ip=$9, "
          "revision_number=revision_number+1 WHERE id=$1",
          {s.id, s.name, s.description, s.enable_dhcp, TagsJson(s.dns_nameservers),
           RoutesText(s.host_routes), TagsJson(s.tags), at, s.gateway_ip})
      .status();
}

absl::StatusOr<bool> PgNetworkTx::SubnetHasPorts(const std::string& id) {
  return AnyRow(tx_,
                "SELECT 1 FROM ip_allocations a JOIN ports p ON p.id = a.port_id "
                "WHERE a.subnet_id = $1 AND p.device_owner <> 'network:dhcp' LIMIT 1",
                {id});
}

absl::Status PgNetworkTx::DeleteSubnet(const std::string& id) {
  GUREUM_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM ip_allocations WHERE subnet_id = $1", {id}).status());
  return tx_.Exec("DELETE FROM subnets WHERE id = $1", {id}).status();
}

absl::Status PgNetworkTx::DeleteDhcpPorts(const std::string& network_id) {
  GUREUM_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM ports WHERE network_id = $1 AND device_owner = 'network:dhcp'",
               {network_id})
          .status());
  return tx_.Exec("DELETE FROM dhcp_bindings WHERE network_id = $1", {network_id}).status();
}

}  // namespace gureum::network
