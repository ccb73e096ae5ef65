// Routers (gateway with SNAT, interfaces on subnets) and their scheduling onto l3 agents.
#include "network/server/router_manager.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/ipam.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"
#include "network/server/port_manager.h"

namespace gureum::network {

using namespace internal;  // NOLINT

RouterManager::RouterManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core),
      ports_(ports) {}

namespace {

const char kInterfaceOwner[] = "network:router_interface";
const char kGatewayOwner[] = "network:router_gateway";

// The subnets of a router's interfaces.
absl::StatusOr<std::vector<Subnet>> InterfaceSubnets(NetworkTx& tx, const std::string& router_id) {
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<Port> legs,
      tx.ListPorts("", {{"device_id", {router_id}}, {"device_owner", {kInterfaceOwner}}}));
  std::vector<Subnet> out;
  for (const Port& p : legs) {
    for (const auto& f : p.fixed_ips) {
      GUREUM_ASSIGN_OR_RETURN(std::optional<Subnet> s, tx.GetSubnet(f.subnet_id));
      if (s) out.push_back(*std::move(s));
    }
  }
  return out;
}

// A router takes a subnet it has no interface on and whose CIDR overlaps none of theirs.
absl::Status CheckNoOverlap(const std::vector<Subnet>& attached, const Subnet& s) {
  auto mine = ParseCidr(s.cidr);
  for (const auto& r : attached) {
    auto other = ParseCidr(r.cidr);
    if (r.id == s.id) {
      return BadRequest("Bad router request: Router already has a port on subnet " + s.id + ".");
    }
    if (mine.ok() && other.ok() && Overlaps(*mine, *other)) {
      return BadRequest("Bad router request: Cidr " + s.cidr + " of subnet " + s.id +
                        " overlaps with cidr " + r.cidr + " of subnet " + r.id + ".");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RouterManager::DeleteRouterGatewayTx(NetworkTx& tx, const std::string& router_id,
                                                  Casts& casts) {
  NetworkTx& store = tx;
  GUREUM_ASSIGN_OR_RETURN(bool fips, store.RouterHasFloatingIps(router_id));
  if (fips) {
    return Conflict(
        ErrorKind::kGatewayUsedByFloatingIps,
        "Gateway cannot be updated for router " + router_id +
            ", since a gateway to external network is required by one or more floating IPs.");
  }
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<v1::Port> gw,
      core_.QueryPorts(tx, {{"device_id", {router_id}}, {"device_owner", {kGatewayOwner}}}));
  for (const auto& p : gw) GUREUM_RETURN_IF_ERROR(ports_.DeletePortTx(tx, p, casts));
  return store.SetRouterGateway(router_id, "", true);
}

absl::Status RouterManager::SetRouterGatewayTx(NetworkTx& tx, const Caller& c, v1::Router& router,
                                               const v1::ExternalGateway& gw, Casts& casts) {
  if (gw.network_id().empty()) return DeleteRouterGatewayTx(tx, router.id(), casts);
  // Neutron's "external_gateway_info:external_fixed_ips": admins only. A member choosing
  // the external subnet's addresses could take the gateway's, or another router's.
  for (const auto& f : gw.external_fixed_ips()) {
    if (!f.ip_address().empty() && !access_.IsAdmin(c)) {
      return Forbidden(
          "Only an admin may choose the external fixed IP address of a router gateway.");
    }
  }
  auto net = core_.LoadNetwork(tx, c, gw.network_id());
  if (!net.ok()) return net.status();
  if (!net->router_external) {
    return BadRequest("Bad router request: Network " + gw.network_id() +
                      " is not a valid external network.");
  }
  if (router.has_external_gateway() && router.external_gateway().network_id() == gw.network_id()) {
    return tx.SetRouterGateway(router.id(), gw.network_id(), gw.enable_snat());
  }
  if (router.has_external_gateway())
    GUREUM_RETURN_IF_ERROR(DeleteRouterGatewayTx(tx, router.id(), casts));
  NetworkTx& store = tx;
  GUREUM_ASSIGN_OR_RETURN(std::optional<Router> row, store.GetRouter(router.id()));
  v1::Port port;
  port.set_project_id(router.project_id());
  port.set_device_id(router.id());
  port.set_device_owner("network:router_gateway");
  port.set_binding_host(row ? row->host : "");
  Fields given = {"binding_host"};
  if (gw.external_fixed_ips_size() > 0) {
    *port.mutable_fixed_ips() = gw.external_fixed_ips();
    given.insert("fixed_ips");
  }
  GUREUM_RETURN_IF_ERROR(ports_.InsertPort(tx, AdminCaller(), *net, port, given, casts).status());
  return store.SetRouterGateway(router.id(), gw.network_id(), gw.enable_snat());
}

absl::Status RouterManager::ScheduleRouter(NetworkTx& tx, v1::Router& router, Casts& casts) {
  NetworkTx& store = tx;
  GUREUM_ASSIGN_OR_RETURN(std::optional<Router> cur, store.GetRouter(router.id()));
  std::string host = cur ? cur->host : "";
  if (host.empty()) {
    GUREUM_ASSIGN_OR_RETURN(std::optional<Agent> agent,
                            store.PickL3Agent(clock_.Now() - options_.agent_down_time));
    if (!agent) return absl::OkStatus();  // scheduled when an l3 agent reports
    host = agent->host;
    GUREUM_RETURN_IF_ERROR(store.SetRouterHost(router.id(), host));
  }
  // The router's legs and gateway move with it.
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<v1::Port> legs,
      core_.QueryPorts(
          tx, {{"device_id", {router.id()}}, {"device_owner", {kInterfaceOwner, kGatewayOwner}}}));
  for (const v1::Port& p : legs) {
    if (p.binding_host() == host) continue;
    GUREUM_RETURN_IF_ERROR(ports_.MovePort(tx, p, host));
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, p.network_id(), casts));
  }
  casts.Add(host);
  return absl::OkStatus();
}

absl::StatusOr<v1::Router> RouterManager::CreateRouter(const Caller& c, const v1::Router& in,
                                                       const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_ASSIGN_OR_RETURN(std::string project, access_.TargetProject(c, in.project_id()));
  const std::string id = ids_.NewUuid();
  v1::Router out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, project, "router", 1));
    Router r;
    r.id = id;
    r.name = in.name();
    r.project_id = project;
    r.admin_state_up = Given(given, "admin_state_up") ? in.admin_state_up() : true;
    for (const auto& h : in.routes()) r.routes.push_back({h.destination(), h.nexthop()});
    r.description = in.description();
    r.tags.assign(in.tags().begin(), in.tags().end());
    r.stamps.created_at = r.stamps.updated_at = clock_.Now();
    GUREUM_RETURN_IF_ERROR(tx.InsertRouter(r));
    GUREUM_ASSIGN_OR_RETURN(v1::Router router, core_.LoadRouter(tx, c, id));
    casts.reason = "router " + id;
    GUREUM_RETURN_IF_ERROR(ScheduleRouter(tx, router, casts));
    if (in.has_external_gateway() && !in.external_gateway().network_id().empty()) {
      v1::ExternalGateway gw = in.external_gateway();
      if (!Given(given, "enable_snat")) gw.set_enable_snat(true);
      GUREUM_RETURN_IF_ERROR(SetRouterGatewayTx(tx, c, router, gw, casts));
    }
    GUREUM_ASSIGN_OR_RETURN(out, core_.LoadRouter(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Router> RouterManager::GetRouter(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::Router out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, core_.LoadRouter(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Router>> RouterManager::ListRouters(const Caller& c,
                                                                   const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::Router> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(std::vector<Router> routers, tx.ListRouters(access_.ListProject(c), f));
    for (const auto& r : routers) out.push_back(ToProto(r));
    return core_.FillRouterGateways(tx, out);
  }));
  return out;
}

absl::StatusOr<v1::Router> RouterManager::UpdateRouter(const Caller& c, const v1::Router& in,
                                                       const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  v1::Router out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Router cur, core_.LoadRouter(tx, c, in.id()));
    NetworkTx& store = tx;
    GUREUM_ASSIGN_OR_RETURN(std::optional<Router> row, store.GetRouter(cur.id()));
    if (Given(given, "name")) row->name = in.name();
    if (Given(given, "description")) row->description = in.description();
    if (Given(given, "admin_state_up")) row->admin_state_up = in.admin_state_up();
    if (Given(given, "routes")) {
      row->routes.clear();
      for (const auto& h : in.routes()) row->routes.push_back({h.destination(), h.nexthop()});
    }
    if (Given(given, "tags")) row->tags.assign(in.tags().begin(), in.tags().end());
    GUREUM_RETURN_IF_ERROR(store.UpdateRouter(*row, clock_.Now()));
    casts.reason = "router " + cur.id();
    GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, cur.id(), casts));
    if (Given(given, "external_gateway")) {
      v1::ExternalGateway gw = in.external_gateway();
      if (!Given(given, "enable_snat")) gw.set_enable_snat(true);
      GUREUM_RETURN_IF_ERROR(ScheduleRouter(tx, cur, casts));
      GUREUM_RETURN_IF_ERROR(SetRouterGatewayTx(tx, c, cur, gw, casts));
    }
    GUREUM_ASSIGN_OR_RETURN(out, core_.LoadRouter(tx, c, cur.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status RouterManager::DeleteRouter(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  return core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Router cur, core_.LoadRouter(tx, c, id));
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<Port> ifs,
        tx.ListPorts("", {{"device_id", {id}}, {"device_owner", {kInterfaceOwner}}}));
    if (!ifs.empty()) {
      return Conflict(ErrorKind::kRouterInUse, "Router " + id + " still has ports");
    }
    casts.reason = "router deleted " + id;
    GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, id, casts));
    GUREUM_RETURN_IF_ERROR(DeleteRouterGatewayTx(tx, id, casts));
    return tx.DeleteRouter(id);
  });
}

absl::StatusOr<RouterInterface> RouterManager::AddRouterInterface(const Caller& c,
                                                                  const std::string& router_id,
                                                                  const std::string& subnet_id,
                                                                  const std::string& port_id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  if (subnet_id.empty() == port_id.empty()) {
    return BadRequest(
        "Bad router request: Either subnet_id or port_id must be specified (not both).");
  }
  RouterInterface out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Router router, core_.LoadRouter(tx, c, router_id));
    // CIDRs the router already reaches.
    GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> attached, InterfaceSubnets(tx, router_id));
    auto check_overlap = [&](const Subnet& s) { return CheckNoOverlap(attached, s); };
    GUREUM_ASSIGN_OR_RETURN(std::optional<Router> row, tx.GetRouter(router_id));
    const std::string router_host = row ? row->host : "";
    v1::Port port;
    if (!subnet_id.empty()) {
      GUREUM_ASSIGN_OR_RETURN(Subnet subnet, core_.LoadSubnet(tx, c, subnet_id));
      if (!access_.Owns(c, subnet.project_id))
        return NotFoundErr(ErrorKind::kSubnetNotFound,
                           "Subnet " + subnet_id + " could not be found.");
      if (subnet.gateway_ip.empty()) {
        return BadRequest("Bad router request: Subnet " + subnet_id +
                          " does not have a gateway IP.");
      }
      GUREUM_RETURN_IF_ERROR(check_overlap(subnet));
      GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, AdminCaller(), subnet.network_id));
      if (net.router_external) {
        return BadRequest("Bad router request: Router interfaces cannot be on external network " +
                          net.id + ".");
      }
      v1::Port want;
      want.set_project_id(router.project_id());
      want.set_device_id(router_id);
      want.set_device_owner("network:router_interface");
      want.set_binding_host(router_host);
      auto* f = want.add_fixed_ips();
      f->set_subnet_id(subnet_id);
      f->set_ip_address(subnet.gateway_ip);
      GUREUM_ASSIGN_OR_RETURN(port, ports_.InsertPort(tx, AdminCaller(), net, want,
                                                      {"fixed_ips", "binding_host"}, casts));
    } else {
      GUREUM_ASSIGN_OR_RETURN(port, core_.LoadPort(tx, c, port_id));
      if (!port.device_id().empty() || !port.device_owner().empty()) {
        return Conflict(ErrorKind::kPortInUse, "Unable to complete operation on port " + port_id +
                                                   " for network " + port.network_id() +
                                                   ". Port already has an attached device " +
                                                   port.device_id() + ".");
      }
      if (port.fixed_ips_size() == 0) {
        return BadRequest("Bad router request: Router port must have at least one fixed IP.");
      }
      for (const auto& f : port.fixed_ips()) {
        GUREUM_ASSIGN_OR_RETURN(Subnet s, core_.LoadSubnet(tx, AdminCaller(), f.subnet_id()));
        GUREUM_RETURN_IF_ERROR(check_overlap(s));
      }
      GUREUM_RETURN_IF_ERROR(tx.SetPortGroups(port_id, {}));
      Port row = PortFromProto(port);
      row.device_id = router_id;
      row.device_owner = kInterfaceOwner;
      row.binding_host = router_host;
      row.vif_type = "bridge";
      row.status = "DOWN";
      GUREUM_RETURN_IF_ERROR(tx.UpdatePort(row, clock_.Now()));
      GUREUM_ASSIGN_OR_RETURN(port, core_.LoadPort(tx, c, port_id));
    }
    casts.reason = "router interface " + port.id();
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, port.network_id(), casts));
    casts.Add(router_host);
    GUREUM_RETURN_IF_ERROR(ScheduleRouter(tx, router, casts));
    out.router_id = router_id;
    out.port_id = port.id();
    out.project_id = router.project_id();
    for (const auto& f : port.fixed_ips()) out.subnet_ids.push_back(f.subnet_id());
    out.subnet_id = out.subnet_ids.empty() ? "" : out.subnet_ids[0];
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<RouterInterface> RouterManager::RemoveRouterInterface(const Caller& c,
                                                                     const std::string& router_id,
                                                                     const std::string& subnet_id,
                                                                     const std::string& port_id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  if (subnet_id.empty() && port_id.empty()) {
    return BadRequest("Bad router request: Either subnet_id or port_id must be specified.");
  }
  RouterInterface out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Router router, core_.LoadRouter(tx, c, router_id));
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<v1::Port> ports,
        core_.QueryPorts(tx, {{"device_id", {router_id}}, {"device_owner", {kInterfaceOwner}}}));
    const v1::Port* found = nullptr;
    for (const auto& p : ports) {
      if (!port_id.empty() && p.id() != port_id) continue;
      bool on_subnet = subnet_id.empty();
      for (const auto& f : p.fixed_ips()) on_subnet = on_subnet || f.subnet_id() == subnet_id;
      if (on_subnet) found = &p;
    }
    if (found == nullptr) {
      if (!port_id.empty()) {
        return NotFoundErr(
            ErrorKind::kInterfaceNotFound,
            "Router " + router_id + " does not have an interface with id " + port_id);
      }
      return NotFoundErr(ErrorKind::kNoInterfaceOnSubnet,
                         "Router " + router_id + " has no interface on subnet " + subnet_id);
    }
    // The fixed addresses (subnet, address) the router's floating IPs go to.
    GUREUM_ASSIGN_OR_RETURN(std::vector<FloatingIp> fips,
                            tx.ListFloatingIps("", {{"router_id", {router_id}}}));
    std::set<std::string> nat_subnets;
    for (const FloatingIp& fip : fips) {
      if (fip.port_id.empty()) continue;
      GUREUM_ASSIGN_OR_RETURN(std::optional<Port> p, tx.GetPort(fip.port_id));
      if (!p) continue;
      for (const auto& a : p->fixed_ips) {
        if (a.ip_address == fip.fixed_ip_address) nat_subnets.insert(a.subnet_id);
      }
    }
    for (const auto& f : found->fixed_ips()) {
      if (nat_subnets.count(f.subnet_id())) {
        return Conflict(ErrorKind::kInterfaceUsedByFloatingIps,
                        "Router interface for subnet " + f.subnet_id() + " on router " + router_id +
                            " cannot be deleted, as it is required by one or more floating IPs.");
      }
      out.subnet_ids.push_back(f.subnet_id());
    }
    out.router_id = router_id;
    out.port_id = found->id();
    out.project_id = router.project_id();
    out.subnet_id = out.subnet_ids.empty() ? "" : out.subnet_ids[0];
    GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, router_id, casts));
    return ports_.DeletePortTx(tx, *found, casts);
  }));
  return out;
}

}  // namespace gureum::network
