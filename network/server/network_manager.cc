// Networks and subnets: VNI allocation, provider attributes, CIDR and pool validation,
// DHCP scheduling when a DHCP-enabled subnet appears.
#include "network/server/network_manager.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/agent_manager.h"
#include "network/server/ipam.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"
#include "network/server/network_policy.h"

namespace gureum::network {

using namespace internal;  // NOLINT

NetworkManager::NetworkManager(const ManagerDeps& deps, ManagerCore& core, AgentManager& agents)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core),
      agents_(agents) {}

namespace {

// Neutron's filters take True/true/1 for booleans; PostgreSQL's text of a boolean is t/f.
Filters NormalizeBools(Filters f, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto it = f.find(k);
    if (it == f.end()) continue;
    for (std::string& v : it->second) {
      std::string l = v;
      std::transform(l.begin(), l.end(), l.begin(), ::tolower);
      v = (l == "true" || l == "1" || l == "t") ? "true" : "false";
    }
  }
  return f;
}

// A subnet as Neutron makes it from a create request: the CIDR normalized, the gateway
// (given, "" none, or the first address), the pools (given or the rest of the CIDR), the
// DNS servers, host routes and IPv6 modes checked. Id, project and times are left to fill.
absl::StatusOr<Subnet> SubnetToCreate(const v1::Subnet& in, const Fields& given) {
  auto cidr = ParseCidr(in.cidr());
  if (!cidr.ok()) return InvalidInput(std::string(cidr.status().message()));
  const int version = in.ip_version() == 0 ? cidr->network.version : in.ip_version();
  if (version != 4 && version != 6) return InvalidInput("ip_version must be 4 or 6.");
  if (version != cidr->network.version) {
    return InvalidInput(
        absl::StrCat("Cidr ", in.cidr(), " does not match ip_version ", version, "."));
  }
  if (cidr->prefix == cidr->bits()) return InvalidInput("a subnet needs more than one address.");
  Subnet sub;
  sub.ip_version = version;
  sub.cidr = FormatCidr(*cidr);
  // Gateway: given ("" = none), or the first address.
  std::optional<Ip> gateway;
  if (Given(given, "gateway_ip")) {
    if (!in.gateway_ip().empty()) {
      auto gw = ParseIp(in.gateway_ip());
      if (!gw.ok()) return InvalidInput(std::string(gw.status().message()));
      if (!Contains(*cidr, *gw) || *gw == cidr->network || (version == 4 && *gw == cidr->last())) {
        return InvalidInput("Gateway IP " + in.gateway_ip() + " is not a usable address of " +
                            sub.cidr + ".");
      }
      gateway = *gw;
    }
  } else {
    gateway = DefaultGateway(*cidr);
  }
  sub.gateway_ip = gateway ? FormatIp(*gateway) : "";
  std::vector<IpRange> pools;
  if (Given(given, "allocation_pools") && in.allocation_pools_size() > 0) {
    for (const auto& p : in.allocation_pools()) {
      auto a = ParseIp(p.start());
      auto b = ParseIp(p.end());
      if (!a.ok() || !b.ok())
        return InvalidInput("allocation pool " + p.start() + "-" + p.end() + " is not valid.");
      pools.push_back({*a, *b});
    }
    if (absl::Status v = ValidatePools(*cidr, pools, gateway ? &*gateway : nullptr); !v.ok()) {
      return BadRequest(std::string(v.message()));
    }
  } else {
    pools = DefaultPools(*cidr, gateway ? &*gateway : nullptr);
  }
  for (const IpRange& p : pools)
    sub.allocation_pools.push_back({FormatIp(p.start), FormatIp(p.end)});
  for (const std::string& d : in.dns_nameservers()) {
    if (!ParseIp(d).ok()) return InvalidInput("'" + d + "' is not a valid nameserver.");
  }
  for (const auto& h : in.host_routes()) {
    if (!ParsePrefix(h.destination()).ok() || !ParseIp(h.nexthop()).ok()) {
      return InvalidInput("host route " + h.destination() + " via " + h.nexthop() +
                          " is not valid.");
    }
  }
  for (const std::string* m : {&in.ipv6_ra_mode(), &in.ipv6_address_mode()}) {
    if (!m->empty() && *m != "slaac" && *m != "dhcpv6-stateful" && *m != "dhcpv6-stateless") {
      return InvalidInput("'" + *m + "' is not a valid IPv6 mode.");
    }
    if (!m->empty() && version == 4) return InvalidInput("IPv6 modes apply to IPv6 subnets only.");
  }
  sub.name = in.name();
  sub.network_id = in.network_id();
  sub.description = in.description();
  sub.enable_dhcp = Given(given, "enable_dhcp") ? in.enable_dhcp() : true;
  sub.dns_nameservers.assign(in.dns_nameservers().begin(), in.dns_nameservers().end());
  for (const auto& h : in.host_routes()) sub.host_routes.push_back({h.destination(), h.nexthop()});
  sub.ipv6_ra_mode = in.ipv6_ra_mode();
  sub.ipv6_address_mode = in.ipv6_address_mode();
  sub.tags.assign(in.tags().begin(), in.tags().end());
  return sub;
}

}  // namespace

// A network as a create request asks for it, checked; segmentation_id is the one asked for
// (0: pick one).
absl::StatusOr<Network> NetworkManager::NetworkToCreate(const Caller& c, const v1::Network& in,
                                                        const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_ASSIGN_OR_RETURN(std::string project, access_.TargetProject(c, in.project_id()));
  const bool provider = Given(given, "network_type") || Given(given, "physical_network") ||
                        Given(given, "segmentation_id");
  const bool admin_attrs = access_.MaySetAdminAttributes(c);
  if (provider && !admin_attrs) return Forbidden("Only an admin may set provider attributes.");
  if ((in.shared() || in.router_external()) && !admin_attrs) {
    return Forbidden("Only an admin may create shared or external networks.");
  }
  std::string type = in.network_type().empty() ? "vxlan" : in.network_type();
  if (type != "vxlan" && type != "flat" && type != "vlan") {
    return InvalidInput("network_type must be vxlan, flat or vlan, not '" + type + "'.");
  }
  int seg = in.segmentation_id();
  if (type == "flat") {
    if (in.physical_network().empty())
      return InvalidInput("a flat network needs provider:physical_network.");
    if (seg != 0) return InvalidInput("a flat network has no segmentation_id.");
  } else if (type == "vlan") {
    if (in.physical_network().empty())
      return InvalidInput("a vlan network needs provider:physical_network.");
    if (seg < 1 || seg > 4094)
      return InvalidInput("segmentation_id of a vlan network must be 1..4094.");
  } else {
    if (!in.physical_network().empty())
      return InvalidInput("a vxlan network has no physical_network.");
    if (seg < 0 || seg > (1 << 24) - 1) return InvalidInput("a VXLAN VNI must be 1..16777215.");
  }
  Network net;
  net.id = ids_.NewUuid();
  net.name = in.name();
  net.project_id = project;
  net.description = in.description();
  net.admin_state_up = Given(given, "admin_state_up") ? in.admin_state_up() : true;
  net.shared = in.shared();
  net.router_external = in.router_external();
  net.mtu = type == "vxlan" ? 1450 : 1500;
  net.port_security_enabled =
      Given(given, "port_security_enabled") ? in.port_security_enabled() : true;
  net.network_type = type;
  net.physical_network = in.physical_network();
  net.tags.assign(in.tags().begin(), in.tags().end());
  net.segmentation_id = seg;
  return net;
}

absl::StatusOr<v1::Network> NetworkManager::CreateNetwork(const Caller& c, const v1::Network& in,
                                                          const Fields& given) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Network> made, CreateNetworks(c, {in}, {given}));
  return made[0];
}

absl::StatusOr<std::vector<v1::Network>> NetworkManager::CreateNetworks(
    const Caller& c, const std::vector<v1::Network>& in, const std::vector<Fields>& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  if (in.empty() || in.size() != given.size()) return BadRequest("No networks to create.");
  std::vector<Network> nets;
  for (size_t i = 0; i < in.size(); ++i) {
    GUREUM_ASSIGN_OR_RETURN(Network net, NetworkToCreate(c, in[i], given[i]));
    nets.push_back(std::move(net));
  }
  std::vector<v1::Network> out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts&) -> absl::Status {
    out.clear();
    // One at a time in one transaction: each count sees the ones before it, so the quota
    // holds for the whole batch, and a failure leaves none of them.
    for (const Network& asked : nets) {
      Network net = asked;
      GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, net.project_id, "network", 1));
      GUREUM_ASSIGN_OR_RETURN(net.segmentation_id, PickSegment(tx, net, asked.segmentation_id));
      net.stamps.created_at = net.stamps.updated_at = clock_.Now();
      GUREUM_RETURN_IF_ERROR(tx.InsertNetwork(net));
      GUREUM_ASSIGN_OR_RETURN(Network made, core_.LoadNetwork(tx, c, net.id));
      out.push_back(ToProto(made));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> NetworkManager::PickSegment(NetworkTx& tx, const Network& net, int given) {
  const std::string& type = net.network_type;
  if (type == "vxlan" && given == 0) {
    int offset = options_.vni_min +
                 static_cast<int>(core_.RandomBelow(options_.vni_max - options_.vni_min + 1));
    GUREUM_ASSIGN_OR_RETURN(std::optional<int> vni,
                            tx.FreeVni(options_.vni_min, options_.vni_max, offset));
    if (!vni) {
      return NetworkError(
          absl::StatusCode::kUnavailable, ErrorKind::kNoSegmentLeft,
          "Unable to create the network. No tenant network is available for allocation.");
    }
    return *vni;
  }
  GUREUM_ASSIGN_OR_RETURN(bool used, tx.SegmentInUse(type, net.physical_network, given));
  if (used && type == "flat") {
    return Conflict(ErrorKind::kPhysicalNetworkTaken,
                    "Unable to create the flat network. Physical network " + net.physical_network +
                        " is in use.");
  }
  if (used) {
    return Conflict(ErrorKind::kSegmentTaken, absl::StrCat("Unable to create the network. The ",
                                                           type, " ", given, " is in use."));
  }
  return given;
}

absl::StatusOr<v1::Network> NetworkManager::GetNetwork(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::Network out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Network n, core_.LoadNetwork(tx, c, id));
    out = ToProto(n);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Network>> NetworkManager::ListNetworks(const Caller& c,
                                                                      const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::Network> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<Network> nets,
        tx.ListNetworks(access_.ListProject(c), NormalizeBools(f, {"shared", "router:external"})));
    for (const auto& n : nets) out.push_back(ToProto(n));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Network> NetworkManager::UpdateNetwork(const Caller& c, const v1::Network& in,
                                                          const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  for (const char* f : {"network_type", "physical_network", "segmentation_id", "mtu"}) {
    if (Given(given, f)) return BadRequest(std::string("Cannot update read-only attribute ") + f);
  }
  if ((Given(given, "shared") || Given(given, "router_external")) &&
      !access_.MaySetAdminAttributes(c)) {
    return Forbidden("Only an admin may change shared or router:external.");
  }
  v1::Network out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Network cur, core_.LoadNetwork(tx, c, in.id()));
    // Visible (shared or external) but not the caller's: Neutron's 403, not 404.
    if (!access_.Owns(c, cur.project_id))
      return Forbidden("Only the owner of network " + in.id() + " may update it.");
    if (Given(given, "name")) cur.name = in.name();
    if (Given(given, "description")) cur.description = in.description();
    if (Given(given, "admin_state_up")) cur.admin_state_up = in.admin_state_up();
    if (Given(given, "shared")) cur.shared = in.shared();
    if (Given(given, "router_external")) cur.router_external = in.router_external();
    if (Given(given, "port_security_enabled"))
      cur.port_security_enabled = in.port_security_enabled();
    if (Given(given, "tags")) cur.tags.assign(in.tags().begin(), in.tags().end());
    GUREUM_RETURN_IF_ERROR(tx.UpdateNetwork(cur, clock_.Now()));
    casts.reason = "network " + cur.id;
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, cur.id, casts));
    GUREUM_ASSIGN_OR_RETURN(Network made, core_.LoadNetwork(tx, c, cur.id));
    out = ToProto(made);
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::DeleteNetwork(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  std::vector<FloatingIp> fips;  // deleted with it, announced after the commit
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, c, id, /*with_subnets=*/false));
    if (!access_.Owns(c, net.project_id))
      return Forbidden("Only the owner of network " + id + " may delete it.");
    // As Neutron, an external network's floating IPs go with it (their routers told).
    GUREUM_ASSIGN_OR_RETURN(fips, tx.ListFloatingIps("", {{"floating_network_id", {id}}}));
    for (const FloatingIp& fip : fips) {
      if (!fip.router_id.empty())
        GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, fip.router_id, casts));
      GUREUM_RETURN_IF_ERROR(tx.DeleteFloatingIp(fip.id).status());
    }
    GUREUM_ASSIGN_OR_RETURN(bool busy, tx.NetworkHasPorts(id));
    if (busy) {
      return Conflict(ErrorKind::kNetworkInUse,
                      "Unable to complete operation on network " + id +
                          ". There are one or more ports still in use on the network.");
    }
    GUREUM_ASSIGN_OR_RETURN(bool gateway, tx.NetworkIsGateway(id));
    if (gateway) {
      return Conflict(ErrorKind::kNetworkInUse, "Unable to complete operation on network " + id +
                                                    ". A router uses it as its external gateway.");
    }
    casts.reason = "network deleted " + id;
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, id, casts));
    return tx.DeleteNetwork(id);
  }));
  for (const FloatingIp& fip : fips) core_.NotifyFloatingIp("floatingip.delete.end", ToProto(fip));
  return absl::OkStatus();
}

// ------------------------------------------------------------------------- subnets

absl::StatusOr<v1::Subnet> NetworkManager::CreateSubnet(const Caller& c, const v1::Subnet& in,
                                                        const Fields& given) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Subnet> made, CreateSubnets(c, {in}, {given}));
  return made[0];
}

absl::StatusOr<std::vector<v1::Subnet>> NetworkManager::CreateSubnets(
    const Caller& c, const std::vector<v1::Subnet>& in, const std::vector<Fields>& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  if (in.empty() || in.size() != given.size()) return BadRequest("No subnets to create.");
  std::vector<Subnet> subs;
  for (size_t i = 0; i < in.size(); ++i) {
    GUREUM_RETURN_IF_ERROR(CheckTexts(in[i]));
    if (in[i].network_id().empty()) return BadRequest("network_id is required.");
    if (in[i].cidr().empty())
      return BadRequest("cidr is required (subnet pools are not supported).");
    GUREUM_ASSIGN_OR_RETURN(Subnet sub, SubnetToCreate(in[i], given[i]));
    sub.id = ids_.NewUuid();
    subs.push_back(std::move(sub));
  }
  std::vector<v1::Subnet> out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    out.clear();
    // One at a time in one transaction (the quota and the overlap checks see the ones
    // before); a failure leaves none of them.
    for (Subnet sub : subs) {
      GUREUM_RETURN_IF_ERROR(InsertSubnetTx(tx, c, sub, casts));
      GUREUM_ASSIGN_OR_RETURN(Subnet made, core_.LoadSubnet(tx, c, sub.id));
      out.push_back(ToProto(made));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::InsertSubnetTx(NetworkTx& tx, const Caller& c, Subnet& sub,
                                            Casts& casts) {
  const Cidr cidr = *ParseCidr(sub.cidr);
  GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, c, sub.network_id, false));
  if (!access_.Owns(c, net.project_id)) {
    return Forbidden("Only the owner of network " + net.id + " or an admin may add subnets to it.");
  }
  GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, net.project_id, "subnet", 1));
  GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> others, tx.SubnetsOf(net.id));
  for (const auto& o : others) {
    auto other = ParseCidr(o.cidr);
    if (other.ok() && Overlaps(*other, cidr)) {
      return BadRequest("Invalid input for operation: Requested subnet with cidr: " + sub.cidr +
                        " for network: " + net.id + " overlaps with another subnet.");
    }
  }
  sub.project_id = net.project_id;
  sub.stamps.created_at = sub.stamps.updated_at = clock_.Now();
  GUREUM_RETURN_IF_ERROR(tx.InsertSubnet(sub));
  casts.reason = "subnet " + sub.id;
  GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, net.id, casts));
  if (sub.enable_dhcp) GUREUM_RETURN_IF_ERROR(agents_.ScheduleDhcp(tx, net.id, casts));
  return absl::OkStatus();
}

absl::StatusOr<v1::Subnet> NetworkManager::GetSubnet(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::Subnet out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Subnet s, core_.LoadSubnet(tx, c, id));
    out = ToProto(s);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Subnet>> NetworkManager::ListSubnets(const Caller& c,
                                                                    const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::Subnet> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<Subnet> subnets,
        tx.ListSubnets(access_.ListProject(c), NormalizeBools(f, {"enable_dhcp"})));
    for (const auto& s : subnets) out.push_back(ToProto(s));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Subnet> NetworkManager::UpdateSubnet(const Caller& c, const v1::Subnet& in,
                                                        const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  for (const char* f : {"cidr", "ip_version", "network_id", "allocation_pools", "ipv6_ra_mode",
                        "ipv6_address_mode"}) {
    if (Given(given, f))
      return BadRequest(std::string("Updating ") + f + " of a subnet is not supported.");
  }
  for (const std::string& d : in.dns_nameservers()) {
    if (!ParseIp(d).ok()) return InvalidInput("'" + d + "' is not a valid nameserver.");
  }
  v1::Subnet out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Subnet cur, core_.LoadSubnet(tx, c, in.id()));
    if (!access_.Owns(c, cur.project_id))
      return Forbidden("Only the owner of subnet " + in.id() + " may update it.");
    if (Given(given, "name")) cur.name = in.name();
    if (Given(given, "description")) cur.description = in.description();
    if (Given(given, "enable_dhcp")) cur.enable_dhcp = in.enable_dhcp();
    if (Given(given, "gateway_ip") && in.gateway_ip() != cur.gateway_ip) {
      GUREUM_RETURN_IF_ERROR(CheckNewGateway(tx, cur, in.gateway_ip()));
      cur.gateway_ip = in.gateway_ip();
    }
    if (Given(given, "dns_nameservers"))
      cur.dns_nameservers.assign(in.dns_nameservers().begin(), in.dns_nameservers().end());
    if (Given(given, "host_routes")) {
      cur.host_routes.clear();
      for (const auto& h : in.host_routes())
        cur.host_routes.push_back({h.destination(), h.nexthop()});
    }
    if (Given(given, "tags")) cur.tags.assign(in.tags().begin(), in.tags().end());
    GUREUM_RETURN_IF_ERROR(tx.UpdateSubnet(cur, clock_.Now()));
    casts.reason = "subnet " + cur.id;
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, cur.network_id, casts));
    if (cur.enable_dhcp) GUREUM_RETURN_IF_ERROR(agents_.ScheduleDhcp(tx, cur.network_id, casts));
    GUREUM_ASSIGN_OR_RETURN(Subnet made, core_.LoadSubnet(tx, c, cur.id));
    out = ToProto(made);
    return absl::OkStatus();
  }));
  return out;
}

// Neutron's checks of a subnet's new gateway ("" none): an address of the CIDR other than its
// network (and IPv4 broadcast) address, outside the allocation pools, held by no port; and
// the old one no router's interface holds.
absl::Status NetworkManager::CheckNewGateway(NetworkTx& tx, const Subnet& cur,
                                             const std::string& gateway) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> taken, tx.AllocatedIps(cur.id));
  if (!cur.gateway_ip.empty() &&
      std::find(taken.begin(), taken.end(), cur.gateway_ip) != taken.end()) {
    return Conflict(ErrorKind::kGatewayInUse, "Gateway " + cur.gateway_ip + " of subnet " + cur.id +
                                                  " is used by a router interface.");
  }
  if (gateway.empty()) return absl::OkStatus();
  const Cidr cidr = *ParseCidr(cur.cidr);
  auto gw = ParseIp(gateway);
  if (!gw.ok()) return InvalidInput(std::string(gw.status().message()));
  if (!Contains(cidr, *gw) || *gw == cidr.network || (cur.ip_version == 4 && *gw == cidr.last())) {
    return InvalidInput("Gateway IP " + gateway + " is not a usable address of " + cur.cidr + ".");
  }
  std::vector<IpRange> pools;
  for (const auto& p : cur.allocation_pools) pools.push_back({*ParseIp(p.start), *ParseIp(p.end)});
  if (InPools(pools, *gw)) {
    return Conflict(
        ErrorKind::kGatewayInPools,
        "Gateway ip " + gateway + " conflicts with allocation pool of subnet " + cur.id + ".");
  }
  if (std::find(taken.begin(), taken.end(), FormatIp(*gw)) != taken.end()) {
    return Conflict(ErrorKind::kGatewayInUse,
                    "Gateway ip " + gateway + " is already allocated to a port.");
  }
  return absl::OkStatus();
}

absl::Status NetworkManager::DeleteSubnet(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  return core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Subnet cur, core_.LoadSubnet(tx, c, id));
    if (!access_.Owns(c, cur.project_id))
      return Forbidden("Only the owner of subnet " + id + " may delete it.");
    GUREUM_ASSIGN_OR_RETURN(bool busy, tx.SubnetHasPorts(id));
    if (busy) {
      return Conflict(ErrorKind::kSubnetInUse,
                      "Unable to complete operation on subnet " + id +
                          ": One or more ports have an IP allocation from this subnet.");
    }
    casts.reason = "subnet deleted " + id;
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, cur.network_id, casts));
    GUREUM_RETURN_IF_ERROR(tx.DeleteSubnet(id));
    // A DHCP port left without addresses (no DHCP subnet remains) goes too.
    GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> left, tx.SubnetsOf(cur.network_id));
    bool dhcp_left = false;
    for (const auto& s : left) dhcp_left = dhcp_left || s.enable_dhcp;
    if (!dhcp_left) GUREUM_RETURN_IF_ERROR(tx.DeleteDhcpPorts(cur.network_id));
    return absl::OkStatus();
  });
}

}  // namespace gureum::network
