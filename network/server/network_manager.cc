// NetworkManager: transactions, casts, row mapping, loaders and quotas shared by the
// resource files (network_manager_networks.cc, _ports.cc, _security.cc, _routers.cc,
// _agents.cc).
#include "network/server/network_manager.h"

#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "common/validate/validate.h"
#include "network/server/model_convert.h"
#include "network/server/network_manager_internal.h"
#include "network/server/network_policy.h"
#include "network/server/pg_network_store.h"

namespace gureum::network {

using nlohmann::json;
using namespace internal;  // NOLINT

absl::Status ParseVniRange(const std::string& text, int* lo, int* hi) {
  std::string first = std::string(text.substr(0, text.find(',')));
  std::vector<std::string> parts = absl::StrSplit(first, ':');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], lo) || !absl::SimpleAtoi(parts[1], hi) ||
      *lo < 1 || *hi > (1 << 24) - 1 || *lo > *hi) {
    return absl::InvalidArgumentError(
        "vni_ranges must look like 1:10000 (1 <= min <= max < 2^24), got '" + text + "'");
  }
  return absl::OkStatus();
}

namespace internal {}  // namespace internal

bool NetworkManager::IsAdmin(const Caller& c) const { return enforcer_->Allowed(kRuleAdmin, c); }
bool NetworkManager::IsService(const Caller& c) const {
  return enforcer_->Allowed(kRuleService, c);
}

absl::Status NetworkManager::CheckRead(const Caller& c) const {
  if (enforcer_->Allowed(kRuleRead, c)) return absl::OkStatus();
  return Forbidden("The request you have made requires a role on the project (policy " +
                   std::string(kRuleRead) + ").");
}

std::string NetworkManager::ListProject(const Caller& c) const {
  if (IsAdmin(c)) return "";
  return c.project_id.empty() ? std::string("(no project)") : c.project_id;
}

absl::Status NetworkManager::CheckWrite(const Caller& c) const {
  if (enforcer_->Allowed(kRuleWrite, c)) return absl::OkStatus();
  return Forbidden("The request you have made requires the member role (policy " +
                   std::string(kRuleWrite) + ").");
}

absl::StatusOr<std::string> NetworkManager::TargetProject(const Caller& c,
                                                          const std::string& given) const {
  if (given.empty() || given == c.project_id) {
    if (c.project_id.empty())
      return BadRequest("A project-scoped token or a project_id is required.");
    return c.project_id;
  }
  if (!IsService(c)) {
    return BadRequest(
        "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request "
        "requires admin privileges");
  }
  return given;
}

namespace internal {

absl::Status CheckTexts(const google::protobuf::Message& m) {
  using google::protobuf::FieldDescriptor;
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  auto check = [](const std::string& field, const std::string& value, size_t max) -> absl::Status {
    absl::Status s = ValidateName(field, value, max);
    if (s.ok()) return s;
    return NetworkError(absl::StatusCode::kInvalidArgument, ErrorKind::kInvalidInput,
                        std::string(s.message()));
  };
  for (const auto& [field, max] :
       {std::pair<const char*, size_t>{"name", 255}, {"description", 255}}) {
    const FieldDescriptor* f = d->FindFieldByName(field);
    if (f == nullptr || f->is_repeated() || f->type() != FieldDescriptor::TYPE_STRING) continue;
    GUREUM_RETURN_IF_ERROR(check(field, r->GetString(m, f), max));
  }
  if (const FieldDescriptor* f = d->FindFieldByName("tags");
      f != nullptr && f->is_repeated() && f->type() == FieldDescriptor::TYPE_STRING) {
    for (int i = 0; i < r->FieldSize(m, f); ++i)
      GUREUM_RETURN_IF_ERROR(check("tags", r->GetRepeatedString(m, f, i), 60));
  }
  return absl::OkStatus();
}

std::string StringsJson(const google::protobuf::RepeatedPtrField<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(s);
  return a.dump();
}

void StringsFromJson(const std::string& text,
                     google::protobuf::RepeatedPtrField<std::string>* out) {
  json a = json::parse(text, nullptr, false);
  if (!a.is_array()) return;
  for (const auto& s : a) {
    if (s.is_string()) out->Add(s.get<std::string>());
  }
}

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

const char kPortCols[] =
    "p.id, p.name, p.project_id, p.network_id, p.mac_address, p.device_id, p.device_owner, "
    "p.status, "
    "p.admin_state_up, p.port_security_enabled, p.allowed_address_pairs, p.binding_host, "
    "p.vif_type, "
    "p.description, p.tags, p.created_at, p.updated_at, p.revision_number, "
    "(SELECT mtu FROM networks n WHERE n.id = p.network_id) AS mtu";

v1::Port PortFromRow(const db::Row& r) {
  v1::Port p;
  p.set_id(r.Get<std::string>("id"));
  p.set_name(r.Get<std::string>("name"));
  p.set_project_id(r.Get<std::string>("project_id"));
  p.set_network_id(r.Get<std::string>("network_id"));
  p.set_mac_address(r.Get<std::string>("mac_address"));
  p.set_device_id(r.Get<std::string>("device_id"));
  p.set_device_owner(r.Get<std::string>("device_owner"));
  p.set_status(r.Get<std::string>("status"));
  p.set_admin_state_up(r.Get<bool>("admin_state_up"));
  p.set_port_security_enabled(r.Get<bool>("port_security_enabled"));
  json pairs = json::parse(r.Get<std::string>("allowed_address_pairs"), nullptr, false);
  if (pairs.is_array()) {
    for (const auto& a : pairs) {
      auto* o = p.add_allowed_address_pairs();
      o->set_ip_address(a.value("ip_address", ""));
      o->set_mac_address(a.value("mac_address", ""));
    }
  }
  p.set_binding_host(r.Get<std::string>("binding_host"));
  p.set_vif_type(r.Get<std::string>("vif_type"));
  p.set_bridge_name(BridgeName(p.network_id()));
  p.set_tap_name(TapName(p.id()));
  p.set_mtu(r.Get<std::optional<int>>("mtu").value_or(0));
  p.set_description(r.Get<std::string>("description"));
  StringsFromJson(r.Get<std::string>("tags"), p.mutable_tags());
  p.set_created_at(Iso(r.Get<absl::Time>("created_at")));
  p.set_updated_at(Iso(r.Get<absl::Time>("updated_at")));
  p.set_revision_number(r.Get<int64_t>("revision_number"));
  return p;
}

std::string PairsJson(const v1::Port& p) {
  json a = json::array();
  for (const auto& x : p.allowed_address_pairs()) {
    a.push_back({{"ip_address", x.ip_address()}, {"mac_address", x.mac_address()}});
  }
  return a.dump();
}

}  // namespace internal

NetworkManager::NetworkManager(db::ConnectionPool& pool, amqp::Bus* bus, const Clock& clock,
                               IdGenerator& ids, NetworkOptions options)
    : pool_(pool), bus_(bus), clock_(clock), ids_(ids), options_(std::move(options)) {
  if (options_.enforcer == nullptr) {
    auto e = policy::Enforcer::Create(NetworkPolicyDefaults());
    if (!e.ok()) {  // the defaults are code: a failure is a bug
      spdlog::critical("network policy defaults: {}", e.status().ToString());
      std::abort();
    }
    default_enforcer_ = *std::move(e);
    enforcer_ = default_enforcer_.get();
  } else {
    enforcer_ = options_.enforcer;
  }
}

std::string NetworkManager::Now() const {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", clock_.Now(), absl::UTCTimeZone());
}

uint32_t NetworkManager::Random24() {
  absl::MutexLock l(&rand_mu_);
  return absl::Uniform<uint32_t>(bitgen_, 0, 1u << 24);
}

uint64_t NetworkManager::RandomBelow(uint64_t n) {
  if (n <= 1) return 0;
  absl::MutexLock l(&rand_mu_);
  return absl::Uniform<uint64_t>(bitgen_, 0, n);
}

absl::Status NetworkManager::Run(const std::function<absl::Status(db::Tx&, Casts&)>& fn) {
  Casts casts;
  // A generated MAC or VNI that collided with a concurrent create shows up as a unique
  // violation; the function picks again on the next attempt.
  absl::Status s;
  for (int attempt = 0; attempt < 8; ++attempt) {
    casts = Casts{};
    s = pool_.Transact([&](db::Tx& tx) -> absl::Status {
      casts = Casts{};
      GUREUM_RETURN_IF_ERROR(fn(tx, casts));
      if (!casts.hosts.empty()) {
        return PgNetworkTx(tx).BumpGeneration();
      }
      return absl::OkStatus();
    });
    if (s.code() != absl::StatusCode::kAlreadyExists || ErrorKindOf(s) != ErrorKind::kNone) break;
  }
  if (s.ok()) SendCasts(casts);
  return s;
}

void NetworkManager::SendCasts(const Casts& casts) {
  if (bus_ == nullptr) return;
  for (const std::string& host : casts.hosts) {
    v1::AgentCast cast;
    cast.set_host(host);
    cast.set_reason(casts.reason);
    amqp::Message m;
    m.body = cast.SerializeAsString();
    m.content_type = "application/x-protobuf";
    if (absl::Status s = bus_->Cast("network-agent." + host, m); !s.ok()) {
      spdlog::warn("cast to network-agent.{} failed (the agent resyncs later): {}", host,
                   s.ToString());
    }
  }
}

absl::StatusOr<Network> NetworkManager::LoadNetwork(NetworkTx& tx, const Caller& c,
                                                    const std::string& id, bool with_subnets) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Network> n, tx.GetNetwork(id, with_subnets));
  // Services read any network too: the compute agent (the service user, no cloud admin)
  // reads the networks and subnets of the ports it plugs.
  if (!n || (!IsService(c) && n->project_id != c.project_id && !n->shared && !n->router_external)) {
    return NotFoundErr(ErrorKind::kNetworkNotFound, "Network " + id + " could not be found.");
  }
  return *std::move(n);
}

absl::StatusOr<v1::Network> NetworkManager::LoadNetwork(db::Tx& sql, const Caller& c,
                                                        const std::string& id, bool with_subnets) {
  PgNetworkTx tx(sql);
  GUREUM_ASSIGN_OR_RETURN(Network n, LoadNetwork(tx, c, id, with_subnets));
  return ToProto(n);
}

absl::StatusOr<Subnet> NetworkManager::LoadSubnet(NetworkTx& tx, const Caller& c,
                                                  const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Subnet> s, tx.GetSubnet(id));
  bool visible = s.has_value() && (IsService(c) || s->project_id == c.project_id);
  if (s && !visible) {  // a subnet of a shared or external network
    GUREUM_ASSIGN_OR_RETURN(std::optional<Network> n, tx.GetNetwork(s->network_id, false));
    visible = n && (n->shared || n->router_external);
  }
  if (!visible)
    return NotFoundErr(ErrorKind::kSubnetNotFound, "Subnet " + id + " could not be found.");
  return *std::move(s);
}

absl::StatusOr<v1::Subnet> NetworkManager::LoadSubnet(db::Tx& sql, const Caller& c,
                                                      const std::string& id) {
  PgNetworkTx tx(sql);
  GUREUM_ASSIGN_OR_RETURN(Subnet s, LoadSubnet(tx, c, id));
  return ToProto(s);
}

absl::StatusOr<std::vector<v1::Subnet>> NetworkManager::SubnetsOfNetwork(
    db::Tx& sql, const std::string& network_id, bool dhcp_only) {
  PgNetworkTx tx(sql);
  GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> subnets, tx.SubnetsOf(network_id));
  std::vector<v1::Subnet> out;
  for (const Subnet& s : subnets) {
    if (!dhcp_only || s.enable_dhcp) out.push_back(ToProto(s));
  }
  return out;
}

absl::StatusOr<std::vector<v1::Port>> NetworkManager::QueryPorts(db::Tx& tx,
                                                                 const std::string& where,
                                                                 const db::Params& params) {
  GUREUM_ASSIGN_OR_RETURN(db::Rows rows,
                          tx.Exec(absl::StrCat("SELECT ", kPortCols, " FROM ports p WHERE ", where,
                                               " ORDER BY p.created_at, p.id"),
                                  params));
  std::vector<v1::Port> ports;
  for (const auto& r : rows) ports.push_back(PortFromRow(r));
  GUREUM_RETURN_IF_ERROR(FillPorts(tx, ports));
  return ports;
}

absl::Status NetworkManager::FillPorts(db::Tx& tx, std::vector<v1::Port>& ports) {
  if (ports.empty()) return absl::OkStatus();
  std::vector<std::string> ids;
  std::map<std::string, v1::Port*> by_id;
  for (auto& p : ports) {
    ids.push_back(p.id());
    by_id[p.id()] = &p;
  }
  GUREUM_ASSIGN_OR_RETURN(
      db::Rows ips,
      tx.Exec("SELECT a.port_id, a.subnet_id, a.ip_address FROM ip_allocations a "
              "JOIN subnets s ON s.id = a.subnet_id WHERE a.port_id = ANY($1::text[]) "
              "ORDER BY s.ip_version, s.created_at, s.id, a.ip_address",
              {ArrayLiteral(ids)}));
  for (const auto& r : ips) {
    auto* f = by_id[r.Get<std::string>("port_id")]->add_fixed_ips();
    f->set_subnet_id(r.Get<std::string>("subnet_id"));
    f->set_ip_address(r.Get<std::string>("ip_address"));
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows sgs,
                          tx.Exec("SELECT port_id, security_group_id FROM port_security_groups "
                                  "WHERE port_id = ANY($1::text[]) ORDER BY security_group_id",
                                  {ArrayLiteral(ids)}));
  for (const auto& r : sgs) {
    by_id[r.Get<std::string>("port_id")]->add_security_group_ids(
        r.Get<std::string>("security_group_id"));
  }
  for (auto& p : ports) {
    if (!p.binding_host().empty()) p.set_vif_type("bridge");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Port> NetworkManager::LoadPort(db::Tx& tx, const Caller& c,
                                                  const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Port> ports, QueryPorts(tx, "p.id = $1", {id}));
  if (ports.empty() || (!IsService(c) && ports[0].project_id() != c.project_id)) {
    return NotFoundErr(ErrorKind::kPortNotFound, "Port " + id + " could not be found.");
  }
  return ports[0];
}

absl::Status NetworkManager::CheckQuota(NetworkTx& tx, const std::string& project,
                                        const std::string& resource, int adding) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<int64_t> own, tx.GetQuotaLimit(project, resource));
  const int64_t limit = own.value_or(options_.quotas.limits.at(resource));
  if (limit < 0) return absl::OkStatus();
  // Concurrent creates of one project must not pass the same count: they queue on a lock
  // of (project, resource) held to the commit.
  GUREUM_RETURN_IF_ERROR(tx.LockQuota(project, resource));
  GUREUM_ASSIGN_OR_RETURN(int64_t used, tx.CountOwned(project, resource));
  if (used + adding > limit) return OverQuota(resource);
  return absl::OkStatus();
}

absl::Status NetworkManager::CheckQuota(db::Tx& sql, const std::string& project,
                                        const std::string& resource, int adding) {
  PgNetworkTx tx(sql);
  return CheckQuota(tx, project, resource, adding);
}

absl::StatusOr<std::map<std::string, QuotaDetail>> NetworkManager::GetQuotas(
    const Caller& c, const std::string& project) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  if (!IsAdmin(c) && project != c.project_id) {
    return Forbidden("Only an admin may see another project's quotas.");
  }
  std::map<std::string, QuotaDetail> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& sql) -> absl::Status {
    PgNetworkTx tx(sql);
    out.clear();
    for (const auto& [res, limit] : options_.quotas.limits) out[res].limit = limit;
    GUREUM_ASSIGN_OR_RETURN(auto own, tx.ListQuotaLimits(project));
    for (const auto& [res, limit] : own) out[res].limit = limit;
    for (auto& [res, d] : out) {
      GUREUM_ASSIGN_OR_RETURN(d.used, tx.CountOwned(project, res));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, QuotaDetail>> NetworkManager::UpdateQuotas(
    const Caller& c, const std::string& project, const std::map<std::string, int64_t>& limits) {
  if (!enforcer_->Allowed(kRuleAdminAttributes, c))
    return Forbidden("Only an admin may change quotas.");
  for (const auto& [res, limit] : limits) {
    if (!options_.quotas.limits.count(res))
      return InvalidInput("unknown quota resource '" + res + "'.");
    if (limit < -1) return InvalidInput("quota of '" + res + "' must be -1 or more.");
  }
  GUREUM_RETURN_IF_ERROR(pool_.Transact([&](db::Tx& sql) -> absl::Status {
    PgNetworkTx tx(sql);
    for (const auto& [res, limit] : limits)
      GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit(project, res, limit));
    return absl::OkStatus();
  }));
  return GetQuotas(c, project);
}

absl::Status NetworkManager::ResetQuotas(const Caller& c, const std::string& project) {
  if (!enforcer_->Allowed(kRuleAdminAttributes, c))
    return Forbidden("Only an admin may change quotas.");
  return pool_.Transact(
      [&](db::Tx& sql) -> absl::Status { return PgNetworkTx(sql).DeleteQuotaLimits(project); });
}

}  // namespace gureum::network
