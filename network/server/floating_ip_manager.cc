// Floating IPs: an address of an external network's port, associated with a fixed address
// of a port on a subnet a router connects to that external network.
#include "network/server/floating_ip_manager.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"
#include "network/server/port_manager.h"

namespace gureum::network {

using namespace internal;  // NOLINT

FloatingIpManager::FloatingIpManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core),
      ports_(ports) {}

namespace {

struct Association {
  std::string port_id, fixed_ip, router_id;
};

}  // namespace

static absl::StatusOr<Association> Associate(NetworkTx& tx, const FloatingIp& fip,
                                             const std::string& port_id,
                                             const std::string& fixed_ip,
                                             const std::string& project, bool admin) {
  GUREUM_ASSIGN_OR_RETURN(std::optional<Port> port, tx.GetPort(port_id));
  if (!port || (!admin && port->project_id != project)) {
    return NotFoundErr(ErrorKind::kPortNotFound, "Port " + port_id + " could not be found.");
  }
  // The port's IPv4 addresses, by address.
  std::vector<FixedAddress> ips;
  for (const auto& f : port->fixed_ips) {
    if (f.ip_address.find(':') == std::string::npos) ips.push_back(f);
  }
  std::sort(ips.begin(), ips.end(), [](const FixedAddress& a, const FixedAddress& b) {
    return a.ip_address < b.ip_address;
  });
  if (ips.empty()) {
    return BadRequest("Bad floatingip request: Port " + port_id +
                      " does not have any IPv4 address.");
  }
  std::string subnet, ip;
  for (const auto& f : ips) {
    if (fixed_ip.empty() || f.ip_address == fixed_ip) {
      subnet = f.subnet_id;
      ip = f.ip_address;
      break;
    }
  }
  if (ip.empty()) {
    return BadRequest("Bad floatingip request: Port " + port_id + " does not have fixed ip " +
                      fixed_ip + ".");
  }
  GUREUM_ASSIGN_OR_RETURN(std::string router, tx.RouterBetween(subnet, fip.floating_network_id));
  if (router.empty()) {
    return NotFoundErr(
        ErrorKind::kNoRouterToExternalNetwork,
        "External network " + fip.floating_network_id + " is not reachable from subnet " + subnet +
            ".  Therefore, cannot associate Port " + port_id + " with a Floating IP.");
  }
  GUREUM_ASSIGN_OR_RETURN(std::string taken, tx.FloatingIpOn(port_id, ip, fip.id));
  if (!taken.empty()) {
    return Conflict(ErrorKind::kFixedAddressHasFloatingIp,
                    "Cannot associate floating IP " + fip.floating_ip_address + " (" + fip.id +
                        ") with port " + port_id + " using fixed IP " + ip +
                        ", as that fixed IP already has a floating IP on "
                        "external network " +
                        fip.floating_network_id + ".");
  }
  return Association{port_id, ip, router};
}

absl::StatusOr<v1::FloatingIp> FloatingIpManager::CreateFloatingIp(const Caller& c,
                                                                   const v1::FloatingIp& in,
                                                                   const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_ASSIGN_OR_RETURN(std::string project, access_.TargetProject(c, in.project_id()));
  if (in.floating_network_id().empty()) return BadRequest("floating_network_id is required.");
  const std::string id = ids_.NewUuid();
  v1::FloatingIp out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, c, in.floating_network_id()));
    if (!net.router_external) {
      return BadRequest("Bad floatingip request: Network " + net.id +
                        " is not a valid external network.");
    }
    GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, project, "floatingip", 1));
    v1::Port want;
    want.set_project_id(project);
    want.set_device_id(id);
    want.set_device_owner("network:floatingip");
    Fields pgiven;
    if (!in.floating_ip_address().empty()) {
      // Neutron's "create_floatingip:floating_ip_address": admins only.
      if (!access_.IsAdmin(c))
        return Forbidden("Only an admin may choose the address of a floating IP.");
      want.add_fixed_ips()->set_ip_address(in.floating_ip_address());
      pgiven.insert("fixed_ips");
    }
    GUREUM_ASSIGN_OR_RETURN(v1::Port port,
                            ports_.InsertPort(tx, AdminCaller(), net, want, pgiven, casts));
    std::string address;
    for (const auto& f : port.fixed_ips()) {
      if (f.ip_address().find(':') == std::string::npos) address = f.ip_address();
    }
    if (address.empty()) {
      return BadRequest("Bad floatingip request: external network " + net.id +
                        " has no IPv4 subnet.");
    }
    FloatingIp fip;
    fip.id = id;
    fip.project_id = project;
    fip.floating_network_id = net.id;
    fip.floating_ip_address = address;
    fip.floating_port_id = port.id();
    fip.description = in.description();
    fip.tags.assign(in.tags().begin(), in.tags().end());
    if (!in.port_id().empty()) {
      GUREUM_ASSIGN_OR_RETURN(Association a, Associate(tx, fip, in.port_id(), in.fixed_ip_address(),
                                                       project, access_.IsAdmin(c)));
      fip.port_id = a.port_id;
      fip.fixed_ip_address = a.fixed_ip;
      fip.router_id = a.router_id;
      fip.status = "ACTIVE";
      casts.reason = "floating ip " + id;
      GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, a.router_id, casts));
    }
    fip.stamps.created_at = fip.stamps.updated_at = clock_.Now();
    GUREUM_RETURN_IF_ERROR(tx.InsertFloatingIp(fip));
    GUREUM_ASSIGN_OR_RETURN(std::optional<FloatingIp> made, tx.GetFloatingIp(id));
    out = ToProto(*made);
    return absl::OkStatus();
  }));
  core_.NotifyFloatingIp("floatingip.create.end", out);
  return out;
}

absl::StatusOr<v1::FloatingIp> FloatingIpManager::GetFloatingIp(const Caller& c,
                                                                const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::FloatingIp out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(FloatingIp f, core_.LoadFloatingIp(tx, c, id));
    out = ToProto(f);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::FloatingIp>> FloatingIpManager::ListFloatingIps(const Caller& c,
                                                                               const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::FloatingIp> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(std::vector<FloatingIp> fips,
                            tx.ListFloatingIps(access_.ListProject(c), f));
    for (const auto& x : fips) out.push_back(ToProto(x));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::FloatingIp> FloatingIpManager::UpdateFloatingIp(const Caller& c,
                                                                   const v1::FloatingIp& in,
                                                                   const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  GUREUM_RETURN_IF_ERROR(GetFloatingIp(c, in.id()).status());
  v1::FloatingIp out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(FloatingIp cur, core_.LoadFloatingIp(tx, c, in.id()));
    casts.reason = "floating ip " + cur.id;
    if (!cur.router_id.empty())
      GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, cur.router_id, casts));
    if (Given(given, "port_id")) {
      if (in.port_id().empty()) {
        cur.port_id = cur.fixed_ip_address = cur.router_id = "";
        cur.status = "DOWN";
      } else {
        GUREUM_ASSIGN_OR_RETURN(
            Association a, Associate(tx, cur, in.port_id(), in.fixed_ip_address(), cur.project_id,
                                     access_.IsAdmin(c)));
        cur.port_id = a.port_id;
        cur.fixed_ip_address = a.fixed_ip;
        cur.router_id = a.router_id;
        cur.status = "ACTIVE";
        GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, a.router_id, casts));
      }
    }
    if (Given(given, "description")) cur.description = in.description();
    GUREUM_RETURN_IF_ERROR(tx.UpdateFloatingIp(cur, clock_.Now()));
    GUREUM_ASSIGN_OR_RETURN(FloatingIp made, core_.LoadFloatingIp(tx, c, cur.id));
    out = ToProto(made);
    return absl::OkStatus();
  }));
  core_.NotifyFloatingIp("floatingip.update.end", out);
  return out;
}

absl::Status FloatingIpManager::DeleteFloatingIp(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_ASSIGN_OR_RETURN(v1::FloatingIp cur, GetFloatingIp(c, id));
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    casts.reason = "floating ip deleted " + id;
    if (!cur.router_id().empty())
      GUREUM_RETURN_IF_ERROR(core_.CastRouterHost(tx, cur.router_id(), casts));
    GUREUM_ASSIGN_OR_RETURN(bool deleted, tx.DeleteFloatingIp(id));
    if (!deleted)
      return NotFoundErr(ErrorKind::kFloatingIpNotFound,
                         "Floating IP " + id + " could not be found");
    return absl::OkStatus();
  }));
  core_.NotifyFloatingIp("floatingip.delete.end", cur);
  return absl::OkStatus();
}

}  // namespace gureum::network
