// The compute agents' calls for their instances' ports: AllocatePort (idempotent per
// instance NIC), BindPort and ReleasePorts (Nova's preserve_on_delete for the user's ports).
#include "network/server/compute_port_manager.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"
#include "network/server/port_manager.h"
#include "network/server/security_group_manager.h"

namespace gureum::network {

using namespace internal;  // NOLINT

ComputePortManager::ComputePortManager(const ManagerDeps& deps, ManagerCore& core,
                                       PortManager& ports, SecurityGroupManager& security_groups)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core),
      ports_(ports),
      security_groups_(security_groups) {}

absl::Status ComputePortManager::AddGroupsByName(NetworkTx& tx, const v1::AllocatePortRequest& r,
                                                 v1::Port& port) {
  for (const std::string& name : r.security_group_names()) {
    if (name == "default") {
      GUREUM_ASSIGN_OR_RETURN(std::string id,
                              security_groups_.EnsureDefaultGroup(tx, r.project_id()));
      port.add_security_group_ids(id);
      continue;
    }
    // The first made of the project's groups with that name or id.
    GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> found,
                            tx.ListGroups(r.project_id(), {{"name", {name}}}));
    GUREUM_ASSIGN_OR_RETURN(std::vector<SecurityGroup> by_id,
                            tx.ListGroups(r.project_id(), {{"id", {name}}}));
    found.insert(found.end(), by_id.begin(), by_id.end());
    if (found.empty())
      return NotFoundErr(ErrorKind::kGroupNotFound, "Security group " + name + " does not exist");
    port.add_security_group_ids(
        std::min_element(found.begin(), found.end(),
                         [](const SecurityGroup& a, const SecurityGroup& b) {
                           return a.stamps.created_at < b.stamps.created_at;
                         })
            ->id);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Port> ComputePortManager::AllocatePort(const Caller& c,
                                                          const v1::AllocatePortRequest& r) {
  if (!access_.IsService(c)) return Forbidden("AllocatePort needs the service or admin role.");
  if (r.network_id().empty() || r.device_id().empty() || r.project_id().empty()) {
    return BadRequest("network_id, project_id and device_id are required.");
  }
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<Port> of_device,
        tx.ListPorts("", {{"device_id", {r.device_id()}}, {"network_id", {r.network_id()}}}));
    std::vector<v1::Port> existing;
    for (const Port& p : of_device) {
      if (p.compute_owned && p.compute_nic_index == r.nic_index()) existing.push_back(ToProto(p));
    }
    if (!existing.empty()) {
      out = existing[0];
      if (!r.host().empty() && out.binding_host() != r.host()) {
        GUREUM_RETURN_IF_ERROR(ports_.MovePort(tx, out, r.host()));
        casts.reason = "port bound " + out.id();
        casts.Add(out.binding_host());
        casts.Add(r.host());
        GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, r.network_id(), casts));
        GUREUM_ASSIGN_OR_RETURN(out, core_.LoadPort(tx, c, out.id()));
      }
      return absl::OkStatus();
    }
    // The instance's project must see the network.
    Caller owner;
    owner.project_id = r.project_id();
    owner.roles = {"member"};
    GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, owner, r.network_id()));
    if (net.router_external && !net.shared && net.project_id != r.project_id()) {
      return Forbidden("Instances cannot be attached to external network " + net.id + ".");
    }
    GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, r.project_id(), "port", 1));
    v1::Port port;
    port.set_project_id(r.project_id());
    port.set_device_id(r.device_id());
    port.set_device_owner(r.device_owner());
    port.set_binding_host(r.host());
    Fields given = {"binding_host"};
    if (r.fixed_ips_size() > 0) {
      // The instance's project picks addresses only on its own networks (a compute
      // service caller may be an admin: the check is the instance's, not the caller's).
      port.mutable_fixed_ips()->CopyFrom(r.fixed_ips());
      if (NamesAnAddress(port) && net.project_id != r.project_id()) {
        return Forbidden("Only the owner of network " + net.id +
                         " or an admin may choose fixed IP addresses on it.");
      }
      *port.mutable_fixed_ips() = r.fixed_ips();
      given.insert("fixed_ips");
    }
    if (r.security_group_names_size() > 0) {
      given.insert("security_group_ids");
      GUREUM_RETURN_IF_ERROR(AddGroupsByName(tx, r, port));
    }
    GUREUM_ASSIGN_OR_RETURN(out, ports_.InsertPort(tx, c, net, port, given, casts, r.nic_index()));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Port> ComputePortManager::BindPort(const Caller& c,
                                                      const v1::BindPortRequest& r) {
  if (!access_.IsService(c)) return Forbidden("BindPort needs the service or admin role.");
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Port port, core_.LoadPort(tx, c, r.port_id()));
    if (!r.project_id().empty() && port.project_id() != r.project_id()) {
      return NotFoundErr(ErrorKind::kPortNotFound, "Port " + r.port_id() + " could not be found.");
    }
    if (!port.device_id().empty() && port.device_id() != r.device_id()) {
      return Conflict(ErrorKind::kPortInUse, "Unable to complete operation on port " + port.id() +
                                                 " for network " + port.network_id() +
                                                 ". Port already has an attached device " +
                                                 port.device_id() + ".");
    }
    {
      Port row = PortFromProto(port);
      row.device_id = r.device_id();
      row.device_owner = r.device_owner();
      row.binding_host = r.host();
      row.vif_type = "bridge";
      if (port.binding_host() != r.host()) row.status = "DOWN";
      GUREUM_RETURN_IF_ERROR(tx.UpdatePort(row, clock_.Now()));
    }
    casts.reason = "port bound " + port.id();
    casts.Add(port.binding_host());
    casts.Add(r.host());
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, port.network_id(), casts));
    GUREUM_ASSIGN_OR_RETURN(out, core_.LoadPort(tx, c, port.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status ComputePortManager::ReleasePorts(const Caller& c, const v1::ReleasePortsRequest& r) {
  if (!access_.IsService(c)) return Forbidden("ReleasePorts needs the service or admin role.");
  if (r.device_id().empty()) return BadRequest("device_id is required.");
  std::set<std::string> keep(r.keep_port_ids().begin(), r.keep_port_ids().end());
  return core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::vector<Port> ports,
                            tx.ListPorts("", {{"device_id", {r.device_id()}}}));
    // Only ports an agent allocated are deleted; the user's own are unbound, whether or
    // not the caller still knew them (keep_port_ids).
    for (const Port& row : ports) {
      const v1::Port p = ToProto(row);
      if (keep.count(p.id()) || !row.compute_owned) {
        casts.Add(p.binding_host());
        GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, p.network_id(), casts));
        Port unbound = row;
        unbound.device_id = unbound.device_owner = unbound.binding_host = "";
        unbound.vif_type = "unbound";
        unbound.status = "DOWN";
        GUREUM_RETURN_IF_ERROR(tx.UpdatePort(unbound, clock_.Now()));
      } else {
        GUREUM_RETURN_IF_ERROR(ports_.DeletePortTx(tx, p, casts));
      }
    }
    casts.reason = "ports released for " + r.device_id();
    return absl::OkStatus();
  });
}

}  // namespace gureum::network
