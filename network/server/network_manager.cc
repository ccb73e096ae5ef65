// NetworkManager: transactions, casts, row mapping, loaders and quotas shared by the
// resource files (network_manager_networks.cc, _ports.cc, _security.cc, _routers.cc,
// _agents.cc).
#include "network/server/network_manager.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "common/validate/validate.h"
#include "network/server/model_convert.h"
#include "network/server/network_manager_internal.h"
#include "network/server/network_policy.h"

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

}  // namespace internal

NetworkManager::NetworkManager(NetworkStore& store, amqp::Bus* bus, const Clock& clock,
                               IdGenerator& ids, NetworkOptions options)
    : store_(store), bus_(bus), clock_(clock), ids_(ids), options_(std::move(options)) {
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

uint32_t NetworkManager::Random24() {
  absl::MutexLock l(&rand_mu_);
  return absl::Uniform<uint32_t>(bitgen_, 0, 1u << 24);
}

uint64_t NetworkManager::RandomBelow(uint64_t n) {
  if (n <= 1) return 0;
  absl::MutexLock l(&rand_mu_);
  return absl::Uniform<uint64_t>(bitgen_, 0, n);
}

absl::Status NetworkManager::Run(const std::function<absl::Status(NetworkTx&, Casts&)>& fn) {
  Casts casts;
  // A generated MAC or VNI that collided with a concurrent create shows up as a unique
  // violation; the function picks again on the next attempt.
  absl::Status s;
  for (int attempt = 0; attempt < 8; ++attempt) {
    casts = Casts{};
    s = store_.Transact([&](NetworkTx& tx) -> absl::Status {
      casts = Casts{};
      GUREUM_RETURN_IF_ERROR(fn(tx, casts));
      if (!casts.hosts.empty()) {
        return tx.BumpGeneration();
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

absl::StatusOr<std::vector<Subnet>> NetworkManager::SubnetsOfNetwork(NetworkTx& tx,
                                                                     const std::string& network_id,
                                                                     bool dhcp_only) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> subnets, tx.SubnetsOf(network_id));
  if (dhcp_only) {
    subnets.erase(std::remove_if(subnets.begin(), subnets.end(),
                                 [](const Subnet& s) { return !s.enable_dhcp; }),
                  subnets.end());
  }
  return subnets;
}

absl::StatusOr<std::vector<v1::Port>> NetworkManager::QueryPorts(NetworkTx& tx, const Filters& f) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Port> rows, tx.ListPorts("", f));
  std::vector<v1::Port> ports;
  ports.reserve(rows.size());
  for (const Port& p : rows) ports.push_back(ToProto(p));
  return ports;
}

absl::StatusOr<v1::Port> NetworkManager::LoadPort(NetworkTx& tx, const Caller& c,
                                                  const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Port> port, tx.GetPort(id));
  if (!port || (!IsService(c) && port->project_id != c.project_id)) {
    return NotFoundErr(ErrorKind::kPortNotFound, "Port " + id + " could not be found.");
  }
  return ToProto(*port);
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

absl::StatusOr<std::map<std::string, QuotaDetail>> NetworkManager::GetQuotas(
    const Caller& c, const std::string& project) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  if (!IsAdmin(c) && project != c.project_id) {
    return Forbidden("Only an admin may see another project's quotas.");
  }
  std::map<std::string, QuotaDetail> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
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
  GUREUM_RETURN_IF_ERROR(store_.Transact([&](NetworkTx& tx) -> absl::Status {
    for (const auto& [res, limit] : limits)
      GUREUM_RETURN_IF_ERROR(tx.SetQuotaLimit(project, res, limit));
    return absl::OkStatus();
  }));
  return GetQuotas(c, project);
}

absl::Status NetworkManager::ResetQuotas(const Caller& c, const std::string& project) {
  if (!enforcer_->Allowed(kRuleAdminAttributes, c))
    return Forbidden("Only an admin may change quotas.");
  return store_.Transact(
      [&](NetworkTx& tx) -> absl::Status { return tx.DeleteQuotaLimits(project); });
}

}  // namespace gureum::network
