// PgNetworkTx: floating IPs (see network_store.h for the contract).
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/pg_network_store.h"
#include "network/server/pg_sql.h"

namespace gureum::network {

using namespace internal;  // NOLINT

namespace {

const char kFipColumns[] =
    "id, project_id, floating_network_id, floating_ip_address, floating_port_id, port_id, "
    "fixed_ip_address, router_id, status, description, tags, created_at, updated_at, "
    "revision_number";
const std::map<std::string, std::string> kFipFilters = {
    {"id", "id"},
    {"project_id", "project_id"},
    {"tenant_id", "project_id"},
    {"floating_network_id", "floating_network_id"},
    {"floating_ip_address", "floating_ip_address"},
    {"port_id", "port_id"},
    {"fixed_ip_address", "fixed_ip_address"},
    {"router_id", "router_id"},
    {"status", "status"}};

FloatingIp FipOf(const db::Row& r) {
  FloatingIp f;
  f.id = r.Get<std::string>("id");
  f.project_id = r.Get<std::string>("project_id");
  f.floating_network_id = r.Get<std::string>("floating_network_id");
  f.floating_ip_address = r.Get<std::string>("floating_ip_address");
  f.floating_port_id = r.Get<std::string>("floating_port_id");
  f.port_id = r.Get<std::optional<std::string>>("port_id").value_or("");
  f.fixed_ip_address = r.Get<std::optional<std::string>>("fixed_ip_address").value_or("");
  f.router_id = r.Get<std::optional<std::string>>("router_id").value_or("");
  f.status = r.Get<std::string>("status");
  f.description = r.Get<std::string>("description");
  f.tags = TagsFromJson(r.Get<std::string>("tags"));
  f.stamps = StampsFromRow(r);
  return f;
}

// "" is NULL in the nullable columns.
std::optional<std::string> Nullable(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

}  // namespace

absl::StatusOr<std::optional<FloatingIp>> PgNetworkTx::GetFloatingIp(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows rows,
      tx_.Exec(absl::StrCat("SELECT ", kFipColumns, " FROM floatingips WHERE id = $1"), {id}));
  if (rows.empty()) return std::nullopt;
  return FipOf(rows[0]);
}

absl::StatusOr<std::vector<FloatingIp>> PgNetworkTx::ListFloatingIps(const std::string& project,
                                                                     const Filters& filters) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          SelectListed(tx_, project.empty(), project, kFipColumns, "floatingips",
                                       "project_id = $1", filters, kFipFilters));
  std::vector<FloatingIp> out;
  for (const auto& r : rows) out.push_back(FipOf(r));
  return out;
}

absl::Status PgNetworkTx::InsertFloatingIp(const FloatingIp& f) {
  return tx_
      .Exec(
          "INSERT INTO floatingips (id, project_id, floating_network_id, floating_ip_address, "
          "floating_port_id, port_id, fixed_ip_address, router_id, status, description, tags, "
          "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12)",
          {f.id, f.project_id, f.floating_network_id, f.floating_ip_address, f.floating_port_id,
           Nullable(f.port_id), Nullable(f.fixed_ip_address), Nullable(f.router_id), f.status,
           f.description, TagsJson(f.tags), f.stamps.created_at})
      .status();
}

absl::Status PgNetworkTx::UpdateFloatingIp(const FloatingIp& f, absl::Time at) {
  return tx_
      .Exec(
          "UPDATE floatingips SET port_id = $2, fixed_ip_address = $3, router_id = $4, "
          "status = $5, description = $6, updated_at = $7, "
          "revision_number = revision_number + 1 WHERE id = $1",
          {f.id, Nullable(f.port_id), Nullable(f.fixed_ip_address), Nullable(f.router_id), f.status,
           f.description, at})
      .status();
}

absl::StatusOr<bool> PgNetworkTx::DeleteFloatingIp(const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows row,
      tx_.Exec("DELETE FROM floatingips WHERE id = $1 RETURNING floating_port_id", {id}));
  if (row.empty()) return false;
  GUREUM_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM ports WHERE id = $1", {row[0].Get<std::string>("floating_port_id")})
          .status());
  return true;
}

absl::StatusOr<std::string> PgNetworkTx::FloatingIpOn(const std::string& port_id,
                                                      const std::string& fixed_ip,
                                                      const std::string& except_id) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx_.Exec("SELECT id FROM floatingips WHERE port_id = $1 AND "
                                   "fixed_ip_address = $2 AND id <> $3",
                                   {port_id, fixed_ip, except_id}));
  return rows.empty() ? std::string() : rows[0].Get<std::string>("id");
}

}  // namespace gureum::network
