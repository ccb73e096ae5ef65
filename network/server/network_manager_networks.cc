// Networks and subnets: VNI allocation, provider attributes, CIDR and pool validation,
// DHCP scheduling when a DHCP-enabled subnet appears.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/ipam.h"
#include "network/server/network_manager.h"
#include "network/server/network_manager_internal.h"
#include "network/server/network_policy.h"

namespace gureum::network {

using namespace internal;  // NOLINT

namespace {

const std::map<std::string, std::string> kNetworkFilterCols = {
    {"id", "id"},
    {"name", "name"},
    {"project_id", "project_id"},
    {"tenant_id", "project_id"},
    {"shared", "shared"},
    {"router:external", "router_external"}};

const std::map<std::string, std::string> kSubnetFilterCols = {{"id", "id"},
                                                              {"name", "name"},
                                                              {"project_id", "project_id"},
                                                              {"tenant_id", "project_id"},
                                                              {"network_id", "network_id"},
                                                              {"cidr", "cidr"},
                                                              {"ip_version", "ip_version"},
                                                              {"enable_dhcp", "enable_dhcp"}};

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

}  // namespace

absl::StatusOr<v1::Network> NetworkManager::CreateNetwork(const Caller& c, const v1::Network& in,
                                                          const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_ASSIGN_OR_RETURN(std::string project, TargetProject(c, in.project_id()));
  const bool provider = Given(given, "network_type") || Given(given, "physical_network") ||
                        Given(given, "segmentation_id");
  const bool admin_attrs = enforcer_->Allowed(kRuleAdminAttributes, c);
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
  const bool admin_state = Given(given, "admin_state_up") ? in.admin_state_up() : true;
  const bool port_security =
      Given(given, "port_security_enabled") ? in.port_security_enabled() : true;
  const int mtu = type == "vxlan" ? 1450 : 1500;
  std::string id = ids_.NewUuid();
  v1::Network out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts&) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(CheckQuota(tx, project, "network", 1));
    int vni = seg;
    if (type == "vxlan" && vni == 0) {
      int offset =
          options_.vni_min + static_cast<int>(RandomBelow(options_.vni_max - options_.vni_min + 1));
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows free,
          tx.Exec(
              "SELECT s FROM generate_series($1::int, $2::int) s WHERE NOT EXISTS (SELECT 1 FROM "
              "networks WHERE network_type = 'vxlan' AND segmentation_id = s) "
              "ORDER BY (s < $3), s LIMIT 1",
              {options_.vni_min, options_.vni_max, offset}));
      if (free.empty()) {
        return NeutronError(
            absl::StatusCode::kUnavailable, "NoNetworkAvailable",
            "Unable to create the network. No tenant network is available for allocation.");
      }
      vni = free[0].Get<int>("s");
    } else if (type != "flat") {
      GUREUM_ASSIGN_OR_RETURN(
          db::Rows used,
          tx.Exec("SELECT 1 FROM networks WHERE network_type = $1 AND physical_network = $2 "
                  "AND segmentation_id = $3",
                  {type, in.physical_network(), seg}));
      if (!used.empty()) {
        return Conflict("SegmentationIdInUse", absl::StrCat("Unable to create the network. The ",
                                                            type, " ", seg, " is in use."));
      }
    } else {
      GUREUM_ASSIGN_OR_RETURN(db::Rows used,
                              tx.Exec("SELECT 1 FROM networks WHERE network_type = 'flat' "
                                      "AND physical_network = $1",
                                      {in.physical_network()}));
      if (!used.empty()) {
        return Conflict("FlatNetworkInUse", "Unable to create the flat network. Physical network " +
                                                in.physical_network() + " is in use.");
      }
    }
    GUREUM_RETURN_IF_ERROR(
        tx.Exec(
              "INSERT INTO networks (id, name, project_id, admin_state_up, shared, "
              "router_external, mtu, "
              "port_security_enabled, network_type, physical_network, segmentation_id, "
              "description, tags, "
              "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14)",
              {id, in.name(), project, admin_state, in.shared(), in.router_external(), mtu,
               port_security, type, in.physical_network(), vni, in.description(),
               StringsJson(in.tags()), Now()})
            .status());
    GUREUM_ASSIGN_OR_RETURN(out, LoadNetwork(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Network> NetworkManager::GetNetwork(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  v1::Network out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, LoadNetwork(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::FillNetworkSubnets(db::Tx& tx, std::vector<v1::Network>& nets) {
  if (nets.empty()) return absl::OkStatus();
  std::map<std::string, v1::Network*> by_id;
  std::vector<std::string> ids;
  for (auto& n : nets) {
    by_id[n.id()] = &n;
    ids.push_back(n.id());
  }
  GUREUM_ASSIGN_OR_RETURN(db::Rows subs,
                          tx.Exec("SELECT id, network_id FROM subnets WHERE network_id = "
                                  "ANY($1::text[]) ORDER BY created_at, id",
                                  {ArrayLiteral(ids)}));
  for (const auto& r : subs)
    by_id[r.Get<std::string>("network_id")]->add_subnet_ids(r.Get<std::string>("id"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Network>> NetworkManager::ListNetworks(const Caller& c,
                                                                      const Filters& f) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  std::vector<v1::Network> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        SelectListed(tx, IsAdmin(c), c.project_id, kNetworkCols, "networks",
                     "(project_id = $1 OR shared OR router_external)",
                     NormalizeBools(f, {"shared", "router:external"}), kNetworkFilterCols));
    for (const auto& r : rows) out.push_back(NetworkFromRow(r));
    return FillNetworkSubnets(tx, out);
  }));
  return out;
}

absl::StatusOr<v1::Network> NetworkManager::UpdateNetwork(const Caller& c, const v1::Network& in,
                                                          const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  for (const char* f : {"network_type", "physical_network", "segmentation_id", "mtu"}) {
    if (Given(given, f)) return BadRequest(std::string("Cannot update read-only attribute ") + f);
  }
  if ((Given(given, "shared") || Given(given, "router_external")) &&
      !enforcer_->Allowed(kRuleAdminAttributes, c)) {
    return Forbidden("Only an admin may change shared or router:external.");
  }
  v1::Network out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Network cur, LoadNetwork(tx, c, in.id()));
    // Visible (shared or external) but not the caller's: Neutron's 403, not 404.
    if (!Owns(c, cur.project_id()))
      return Forbidden("Only the owner of network " + in.id() + " may update it.");
    if (Given(given, "name")) cur.set_name(in.name());
    if (Given(given, "description")) cur.set_description(in.description());
    if (Given(given, "admin_state_up")) cur.set_admin_state_up(in.admin_state_up());
    if (Given(given, "shared")) cur.set_shared(in.shared());
    if (Given(given, "router_external")) cur.set_router_external(in.router_external());
    if (Given(given, "port_security_enabled"))
      cur.set_port_security_enabled(in.port_security_enabled());
    if (Given(given, "tags")) *cur.mutable_tags() = in.tags();
    GUREUM_RETURN_IF_ERROR(tx.Exec("UPDATE networks SET name=$2, description=$3, "
                                   "admin_state_up=$4, shared=$5, router_external=$6, "
                                   "port_security_enabled=$7, tags=$8, updated_at=$9, "
                                   "revision_number=revision_number+1 WHERE id=$1",
                                   {cur.id(), cur.name(), cur.description(), cur.admin_state_up(),
                                    cur.shared(), cur.router_external(),
                                    cur.port_security_enabled(), StringsJson(cur.tags()), Now()})
                               .status());
    casts.reason = "network " + cur.id();
    GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, cur.id(), casts));
    GUREUM_ASSIGN_OR_RETURN(out, LoadNetwork(tx, c, cur.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::DeleteNetwork(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  return Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Network net, LoadNetwork(tx, c, id));
    if (!Owns(c, net.project_id()))
      return Forbidden("Only the owner of network " + id + " may delete it.");
    GUREUM_ASSIGN_OR_RETURN(db::Rows busy,
                            tx.Exec("SELECT count(*) AS n FROM ports WHERE network_id = $1 "
                                    "AND device_owner <> 'network:dhcp'",
                                    {id}));
    if (busy[0].Get<int64_t>("n") > 0) {
      return Conflict("NetworkInUse",
                      "Unable to complete operation on network " + id +
                          ". There are one or more ports still in use on the network.");
    }
    GUREUM_ASSIGN_OR_RETURN(db::Rows routers,
                            tx.Exec("SELECT 1 FROM routers WHERE gw_network_id = $1", {id}));
    if (!routers.empty()) {
      return Conflict("NetworkInUse", "Unable to complete operation on network " + id +
                                          ". A router uses it as its external gateway.");
    }
    casts.reason = "network deleted " + id;
    GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, id, casts));
    GUREUM_RETURN_IF_ERROR(tx.Exec("DELETE FROM ports WHERE network_id = $1", {id}).status());
    GUREUM_RETURN_IF_ERROR(tx.Exec("DELETE FROM subnets WHERE network_id = $1", {id}).status());
    return tx.Exec("DELETE FROM networks WHERE id = $1", {id}).status();
  });
}

// ------------------------------------------------------------------------- subnets

absl::StatusOr<v1::Subnet> NetworkManager::CreateSubnet(const Caller& c, const v1::Subnet& in,
                                                        const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  if (in.network_id().empty()) return BadRequest("network_id is required.");
  if (in.cidr().empty()) return BadRequest("cidr is required (subnet pools are not supported).");
  auto cidr = ParseCidr(in.cidr());
  if (!cidr.ok()) return InvalidInput(std::string(cidr.status().message()));
  const int version = in.ip_version() == 0 ? cidr->network.version : in.ip_version();
  if (version != 4 && version != 6) return InvalidInput("ip_version must be 4 or 6.");
  if (version != cidr->network.version) {
    return InvalidInput(
        absl::StrCat("Cidr ", in.cidr(), " does not match ip_version ", version, "."));
  }
  if (cidr->prefix == cidr->bits()) return InvalidInput("a subnet needs more than one address.");
  v1::Subnet s = in;
  s.set_ip_version(version);
  s.set_cidr(FormatCidr(*cidr));
  // Gateway: given ("" = none), or the first address.
  std::optional<Ip> gateway;
  if (Given(given, "gateway_ip")) {
    if (!in.gateway_ip().empty()) {
      auto gw = ParseIp(in.gateway_ip());
      if (!gw.ok()) return InvalidInput(std::string(gw.status().message()));
      if (!Contains(*cidr, *gw) || *gw == cidr->network || (version == 4 && *gw == cidr->last())) {
        return InvalidInput("Gateway IP " + in.gateway_ip() + " is not a usable address of " +
                            s.cidr() + ".");
      }
      gateway = *gw;
    }
  } else {
    gateway = DefaultGateway(*cidr);
  }
  s.set_gateway_ip(gateway ? FormatIp(*gateway) : "");
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
  s.clear_allocation_pools();
  for (const IpRange& p : pools) {
    auto* o = s.add_allocation_pools();
    o->set_start(FormatIp(p.start));
    o->set_end(FormatIp(p.end));
  }
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
  const bool dhcp = Given(given, "enable_dhcp") ? in.enable_dhcp() : true;
  s.set_enable_dhcp(dhcp);
  std::string id = ids_.NewUuid();
  v1::Subnet out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Network net, LoadNetwork(tx, c, in.network_id()));
    if (!Owns(c, net.project_id())) {
      return Forbidden("Only the owner of network " + net.id() +
                       " or an admin may add subnets to it.");
    }
    GUREUM_RETURN_IF_ERROR(CheckQuota(tx, net.project_id(), "subnet", 1));
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows others, tx.Exec("SELECT id, cidr FROM subnets WHERE network_id = $1", {net.id()}));
    for (const auto& r : others) {
      auto other = ParseCidr(r.Get<std::string>("cidr"));
      if (other.ok() && Overlaps(*other, *cidr)) {
        return BadRequest("Invalid input for operation: Requested subnet with cidr: " + s.cidr() +
                          " for network: " + net.id() + " overlaps with another subnet.");
      }
    }
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO subnets (id, name, project_id, network_id, ip_version, cidr, "
                "gateway_ip, "
                "allocation_pools, enable_dhcp, dns_nameservers, host_routes, ipv6_ra_mode, "
                "ipv6_address_mode, "
                "description, tags, created_at, updated_at) "
                "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16)",
                {id, s.name(), net.project_id(), net.id(), version, s.cidr(), s.gateway_ip(),
                 PoolsJson(s), dhcp, StringsJson(s.dns_nameservers()), RoutesJson(s.host_routes()),
                 s.ipv6_ra_mode(), s.ipv6_address_mode(), s.description(), StringsJson(s.tags()),
                 Now()})
            .status());
    casts.reason = "subnet " + id;
    GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, net.id(), casts));
    if (dhcp) GUREUM_RETURN_IF_ERROR(ScheduleDhcp(tx, net.id(), casts));
    GUREUM_ASSIGN_OR_RETURN(out, LoadSubnet(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Subnet> NetworkManager::GetSubnet(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  v1::Subnet out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, LoadSubnet(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Subnet>> NetworkManager::ListSubnets(const Caller& c,
                                                                    const Filters& f) {
  GUREUM_RETURN_IF_ERROR(CheckRead(c));
  std::vector<v1::Subnet> out;
  GUREUM_RETURN_IF_ERROR(pool_.ReadOnly([&](db::Tx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows rows,
        SelectListed(
            tx, IsAdmin(c), c.project_id, kSubnetCols, "subnets s",
            "(project_id = $1 OR EXISTS (SELECT 1 FROM networks n WHERE n.id = s.network_id AND "
            "(n.shared OR n.router_external)))",
            NormalizeBools(f, {"enable_dhcp"}), kSubnetFilterCols));
    for (const auto& r : rows) out.push_back(SubnetFromRow(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Subnet> NetworkManager::UpdateSubnet(const Caller& c, const v1::Subnet& in,
                                                        const Fields& given) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  for (const char* f : {"cidr", "ip_version", "network_id", "allocation_pools", "gateway_ip",
                        "ipv6_ra_mode", "ipv6_address_mode"}) {
    if (Given(given, f))
      return BadRequest(std::string("Updating ") + f + " of a subnet is not supported.");
  }
  for (const std::string& d : in.dns_nameservers()) {
    if (!ParseIp(d).ok()) return InvalidInput("'" + d + "' is not a valid nameserver.");
  }
  v1::Subnet out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Subnet cur, LoadSubnet(tx, c, in.id()));
    if (!Owns(c, cur.project_id()))
      return Forbidden("Only the owner of subnet " + in.id() + " may update it.");
    if (Given(given, "name")) cur.set_name(in.name());
    if (Given(given, "description")) cur.set_description(in.description());
    if (Given(given, "enable_dhcp")) cur.set_enable_dhcp(in.enable_dhcp());
    if (Given(given, "dns_nameservers")) *cur.mutable_dns_nameservers() = in.dns_nameservers();
    if (Given(given, "host_routes")) *cur.mutable_host_routes() = in.host_routes();
    if (Given(given, "tags")) *cur.mutable_tags() = in.tags();
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("UPDATE subnets SET name=$2, description=$3, enable_dhcp=$4, dns_nameservers=$5, "
                "host_routes=$6, "
                "tags=$7, updated_at=$8, revision_number=revision_number+1 WHERE id=$1",
                {cur.id(), cur.name(), cur.description(), cur.enable_dhcp(),
                 StringsJson(cur.dns_nameservers()), RoutesJson(cur.host_routes()),
                 StringsJson(cur.tags()), Now()})
            .status());
    casts.reason = "subnet " + cur.id();
    GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, cur.network_id(), casts));
    if (cur.enable_dhcp()) GUREUM_RETURN_IF_ERROR(ScheduleDhcp(tx, cur.network_id(), casts));
    GUREUM_ASSIGN_OR_RETURN(out, LoadSubnet(tx, c, cur.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::DeleteSubnet(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(CheckWrite(c));
  return Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Subnet cur, LoadSubnet(tx, c, id));
    if (!Owns(c, cur.project_id()))
      return Forbidden("Only the owner of subnet " + id + " may delete it.");
    GUREUM_ASSIGN_OR_RETURN(db::Rows busy,
                            tx.Exec("SELECT count(*) AS n FROM ip_allocations a JOIN ports p ON "
                                    "p.id = a.port_id WHERE a.subnet_id = $1 AND "
                                    "p.device_owner <> 'network:dhcp'",
                                    {id}));
    if (busy[0].Get<int64_t>("n") > 0) {
      return Conflict("SubnetInUse",
                      "Unable to complete operation on subnet " + id +
                          ": One or more ports have an IP allocation from this subnet.");
    }
    casts.reason = "subnet deleted " + id;
    GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, cur.network_id(), casts));
    GUREUM_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM ip_allocations WHERE subnet_id = $1", {id}).status());
    GUREUM_RETURN_IF_ERROR(tx.Exec("DELETE FROM subnets WHERE id = $1", {id}).status());
    // A DHCP port left without addresses (no DHCP subnet remains) goes too.
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows left,
        tx.Exec("SELECT 1 FROM subnets WHERE network_id = $1 AND enable_dhcp", {cur.network_id()}));
    if (left.empty()) {
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM ports WHERE network_id = $1 AND device_owner = 'network:dhcp'",
                  {cur.network_id()})
              .status());
      GUREUM_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM dhcp_bindings WHERE network_id = $1", {cur.network_id()}).status());
    }
    return absl::OkStatus();
  });
}

}  // namespace gureum::network
