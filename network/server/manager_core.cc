// ManagerCore (manager_core.h): one transaction with its casts, the loads that apply who
// sees what, quotas and the hosts a change concerns; and the text helpers of manager_internal.h.
#include "network/server/manager_core.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/macros.h"
#include "common/validate/validate.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"

namespace gureum::network {

using nlohmann::json;
using namespace internal;  // NOLINT

namespace {

absl::Status RouterNotFound(const std::string& id) {
  return NotFoundErr(ErrorKind::kRouterNotFound, "Router " + id + " could not be found");
}

absl::Status GroupNotFound(const std::string& id) {
  return NotFoundErr(ErrorKind::kGroupNotFound, "Security group " + id + " does not exist");
}

}  // namespace

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

uint32_t ManagerCore::Random24() {
  absl::MutexLock l(&rand_mu_);
  return absl::Uniform<uint32_t>(bitgen_, 0, 1u << 24);
}

uint64_t ManagerCore::RandomBelow(uint64_t n) {
  if (n <= 1) return 0;
  absl::MutexLock l(&rand_mu_);
  return absl::Uniform<uint64_t>(bitgen_, 0, n);
}

absl::Status ManagerCore::Run(const std::function<absl::Status(NetworkTx&, Casts&)>& fn) {
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

void ManagerCore::SendCasts(const Casts& casts) {
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

absl::StatusOr<Network> ManagerCore::LoadNetwork(NetworkTx& tx, const Caller& c,
                                                 const std::string& id, bool with_subnets) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Network> n, tx.GetNetwork(id, with_subnets));
  // Services read any network too: the compute agent (the service user, no cloud admin)
  // reads the networks and subnets of the ports it plugs.
  if (!n || (!access_.IsService(c) && n->project_id != c.project_id && !n->shared &&
             !n->router_external)) {
    return NotFoundErr(ErrorKind::kNetworkNotFound, "Network " + id + " could not be found.");
  }
  return *std::move(n);
}

absl::StatusOr<Subnet> ManagerCore::LoadSubnet(NetworkTx& tx, const Caller& c,
                                               const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Subnet> s, tx.GetSubnet(id));
  bool visible = s.has_value() && (access_.IsService(c) || s->project_id == c.project_id);
  if (s && !visible) {  // a subnet of a shared network (not of an external one, as Neutron)
    GUREUM_ASSIGN_OR_RETURN(std::optional<Network> n, tx.GetNetwork(s->network_id, false));
    visible = n && n->shared;
  }
  if (!visible)
    return NotFoundErr(ErrorKind::kSubnetNotFound, "Subnet " + id + " could not be found.");
  return *std::move(s);
}

absl::StatusOr<std::vector<Subnet>> ManagerCore::SubnetsOfNetwork(NetworkTx& tx,
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

absl::StatusOr<std::vector<v1::Port>> ManagerCore::QueryPorts(NetworkTx& tx, const Filters& f) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Port> rows, tx.ListPorts("", f));
  std::vector<v1::Port> ports;
  ports.reserve(rows.size());
  for (const Port& p : rows) ports.push_back(ToProto(p));
  return ports;
}

absl::StatusOr<v1::Port> ManagerCore::LoadPort(NetworkTx& tx, const Caller& c,
                                               const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Port> port, tx.GetPort(id));
  if (!port || (!access_.IsService(c) && port->project_id != c.project_id)) {
    return NotFoundErr(ErrorKind::kPortNotFound, "Port " + id + " could not be found.");
  }
  return ToProto(*port);
}

absl::Status ManagerCore::CheckQuota(NetworkTx& tx, const std::string& project,
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

ManagerCore::ManagerCore(const ManagerDeps& deps)
    : store_(deps.store),
      bus_(deps.bus),
      notifier_(deps.notifier),
      clock_(deps.clock),
      options_(deps.options),
      access_(deps.access) {}

void ManagerCore::NotifyPort(const std::string& event_type, const v1::Port& port) const {
  if (notifier_ == nullptr) return;
  notifier_->Info(event_type, {{"port_id", port.id()},
                               {"tenant_id", port.project_id()},
                               {"network_id", port.network_id()},
                               {"device_id", port.device_id()},
                               {"device_owner", port.device_owner()},
                               {"status", port.status()}});
}

void ManagerCore::NotifyFloatingIp(const std::string& event_type, const v1::FloatingIp& fip) const {
  if (notifier_ == nullptr) return;
  notifier_->Info(event_type, {{"floatingip_id", fip.id()},
                               {"tenant_id", fip.project_id()},
                               {"floating_ip_address", fip.floating_ip_address()},
                               {"port_id", fip.port_id()},
                               {"fixed_ip_address", fip.fixed_ip_address()},
                               {"status", fip.status()}});
}

absl::Status ManagerCore::CastHostsOfNetwork(NetworkTx& tx, const std::string& network_id,
                                             Casts& casts) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> hosts, tx.HostsOfNetwork(network_id));
  for (const auto& h : hosts) casts.Add(h);
  return absl::OkStatus();
}

absl::Status ManagerCore::CastHostsOfGroup(NetworkTx& tx, const std::string& group_id,
                                           Casts& casts) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> hosts, tx.HostsOfGroup(group_id));
  for (const auto& h : hosts) casts.Add(h);
  return absl::OkStatus();
}

absl::Status ManagerCore::CastRouterHost(NetworkTx& tx, const std::string& router_id,
                                         Casts& casts) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Router> r, tx.GetRouter(router_id));
  if (r) casts.Add(r->host);
  return absl::OkStatus();
}

absl::StatusOr<SecurityGroup> ManagerCore::LoadGroup(NetworkTx& tx, const Caller& c,
                                                     const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<SecurityGroup> g, tx.GetGroup(id));
  if (!g || (!access_.IsService(c) && g->project_id != c.project_id)) return GroupNotFound(id);
  return *std::move(g);
}

absl::StatusOr<v1::Router> ManagerCore::LoadRouter(NetworkTx& tx, const Caller& c,
                                                   const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Router> r, tx.GetRouter(id));
  if (!r || (!access_.IsService(c) && r->project_id != c.project_id)) return RouterNotFound(id);
  std::vector<v1::Router> one = {ToProto(*r)};
  GUREUM_RETURN_IF_ERROR(FillRouterGateways(tx, one));
  return one[0];
}

absl::Status ManagerCore::FillRouterGateways(NetworkTx& tx, std::vector<v1::Router>& routers) {
  for (auto& r : routers) {
    if (!r.has_external_gateway()) continue;
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<Port> gateways,
        tx.ListPorts("", {{"device_id", {r.id()}}, {"device_owner", {"network:router_gateway"}}}));
    std::vector<FixedAddress> ips;
    for (const Port& p : gateways) ips.insert(ips.end(), p.fixed_ips.begin(), p.fixed_ips.end());
    std::sort(ips.begin(), ips.end(), [](const FixedAddress& a, const FixedAddress& b) {
      return a.ip_address < b.ip_address;
    });
    for (const auto& ip : ips) {
      auto* f = r.mutable_external_gateway()->add_external_fixed_ips();
      f->set_subnet_id(ip.subnet_id);
      f->set_ip_address(ip.ip_address);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<FloatingIp> ManagerCore::LoadFloatingIp(NetworkTx& tx, const Caller& c,
                                                       const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<FloatingIp> f, tx.GetFloatingIp(id));
  if (!f || (!access_.IsAdmin(c) && f->project_id != c.project_id)) {
    return NotFoundErr(ErrorKind::kFloatingIpNotFound, "Floating IP " + id + " could not be found");
  }
  return *std::move(f);
}

}  // namespace gureum::network
