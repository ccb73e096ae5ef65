// The compute agents' calls for their instances' ports: AllocatePort (idempotent per
// instance NIC), BindPort and ReleasePorts (Nova's preserve_on_delete for the user's ports).
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/network_manager.h"
#include "network/server/network_manager_internal.h"
#include "network/server/pg_network_store.h"

namespace gureum::network {

using namespace internal;  // NOLINT

absl::Status NetworkManager::AddGroupsByName(db::Tx& tx, const v1::AllocatePortRequest& r,
                                             v1::Port& port) {
  for (const std::string& name : r.security_group_names()) {
    if (name == "default") {
      GUREUM_ASSIGN_OR_RETURN(std::string id, EnsureDefaultGroup(tx, r.project_id()));
      port.add_security_group_ids(id);
      continue;
    }
    GUREUM_ASSIGN_OR_RETURN(db::Rows g,
                            tx.Exec("SELECT id FROM security_groups WHERE project_id = $1 AND "
                                    "(name = $2 OR id = $2) ORDER BY created_at LIMIT 1",
                                    {r.project_id(), name}));
    if (g.empty())
      return NotFoundErr(ErrorKind::kGroupNotFound, "Security group " + name + " does not exist");
    port.add_security_group_ids(g[0].Get<std::string>("id"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Port> NetworkManager::AllocatePort(const Caller& c,
                                                      const v1::AllocatePortRequest& r) {
  if (!IsService(c)) return Forbidden("AllocatePort needs the service or admin role.");
  if (r.network_id().empty() || r.device_id().empty() || r.project_id().empty()) {
    return BadRequest("network_id, project_id and device_id are required.");
  }
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(
        std::vector<v1::Port> existing,
        QueryPorts(tx,
                   "p.device_id = $1 AND p.network_id = $2 AND p.compute_owned "
                   "AND p.compute_nic_index = $3",
                   {r.device_id(), r.network_id(), std::to_string(r.nic_index())}));
    if (!existing.empty()) {
      out = existing[0];
      if (!r.host().empty() && out.binding_host() != r.host()) {
        GUREUM_RETURN_IF_ERROR(
            tx.Exec("UPDATE ports SET binding_host = $2, vif_type = 'bridge', status = 'DOWN', "
                    "updated_at = $3, revision_number = revision_number + 1 WHERE id = $1",
                    {out.id(), r.host(), Now()})
                .status());
        casts.reason = "port bound " + out.id();
        casts.Add(out.binding_host());
        casts.Add(r.host());
        GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, r.network_id(), casts));
        GUREUM_ASSIGN_OR_RETURN(out, LoadPort(tx, c, out.id()));
      }
      return absl::OkStatus();
    }
    // The instance's project must see the network.
    Caller owner;
    owner.project_id = r.project_id();
    owner.roles = {"member"};
    GUREUM_ASSIGN_OR_RETURN(v1::Network net, LoadNetwork(tx, owner, r.network_id()));
    if (net.router_external() && !net.shared() && net.project_id() != r.project_id()) {
      return Forbidden("Instances cannot be attached to external network " + net.id() + ".");
    }
    GUREUM_RETURN_IF_ERROR(CheckQuota(tx, r.project_id(), "port", 1));
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
      if (NamesAnAddress(port) && net.project_id() != r.project_id()) {
        return Forbidden("Only the owner of network " + net.id() +
                         " or an admin may choose fixed IP addresses on it.");
      }
      *port.mutable_fixed_ips() = r.fixed_ips();
      given.insert("fixed_ips");
    }
    if (r.security_group_names_size() > 0) {
      given.insert("security_group_ids");
      GUREUM_RETURN_IF_ERROR(AddGroupsByName(tx, r, port));
    }
    GUREUM_ASSIGN_OR_RETURN(out, InsertPort(tx, c, net, port, given, casts));
    return tx
        .Exec("UPDATE ports SET compute_owned = true, compute_nic_index = $2 WHERE id = $1",
              {out.id(), std::to_string(r.nic_index())})
        .status();
  }));
  return out;
}

absl::StatusOr<v1::Port> NetworkManager::BindPort(const Caller& c, const v1::BindPortRequest& r) {
  if (!IsService(c)) return Forbidden("BindPort needs the service or admin role.");
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Port port, LoadPort(tx, c, r.port_id()));
    if (!r.project_id().empty() && port.project_id() != r.project_id()) {
      return NotFoundErr(ErrorKind::kPortNotFound, "Port " + r.port_id() + " could not be found.");
    }
    if (!port.device_id().empty() && port.device_id() != r.device_id()) {
      return Conflict(ErrorKind::kPortInUse, "Unable to complete operation on port " + port.id() +
                                                 " for network " + port.network_id() +
                                                 ". Port already has an attached device " +
                                                 port.device_id() + ".");
    }
    GUREUM_RETURN_IF_ERROR(
        tx.Exec(
              "UPDATE ports SET device_id = $2, device_owner = $3, binding_host = $4, vif_type = "
              "'bridge', "
              "status = CASE WHEN binding_host = $4 THEN status ELSE 'DOWN' END, updated_at = $5, "
              "revision_number = revision_number + 1 WHERE id = $1",
              {port.id(), r.device_id(), r.device_owner(), r.host(), Now()})
            .status());
    casts.reason = "port bound " + port.id();
    casts.Add(port.binding_host());
    casts.Add(r.host());
    GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, port.network_id(), casts));
    GUREUM_ASSIGN_OR_RETURN(out, LoadPort(tx, c, port.id()));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status NetworkManager::ReleasePorts(const Caller& c, const v1::ReleasePortsRequest& r) {
  if (!IsService(c)) return Forbidden("ReleasePorts needs the service or admin role.");
  if (r.device_id().empty()) return BadRequest("device_id is required.");
  std::set<std::string> keep(r.keep_port_ids().begin(), r.keep_port_ids().end());
  return Run([&](db::Tx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Port> ports,
                            QueryPorts(tx, "p.device_id = $1", {r.device_id()}));
    // Only ports an agent allocated are deleted; the user's own are unbound, whether or
    // not the caller still knew them (keep_port_ids).
    GUREUM_ASSIGN_OR_RETURN(
        db::Rows owned,
        tx.Exec("SELECT id FROM ports WHERE device_id = $1 AND compute_owned", {r.device_id()}));
    std::set<std::string> deletable;
    for (const auto& row : owned) deletable.insert(row.Get<std::string>("id"));
    for (const v1::Port& p : ports) {
      if (keep.count(p.id()) || !deletable.count(p.id())) {
        casts.Add(p.binding_host());
        GUREUM_RETURN_IF_ERROR(CastHostsOfNetwork(tx, p.network_id(), casts));
        GUREUM_RETURN_IF_ERROR(tx.Exec("UPDATE ports SET device_id = '', device_owner = '', "
                                       "binding_host = '', vif_type = 'unbound', "
                                       "status = 'DOWN', updated_at = $2, revision_number = "
                                       "revision_number + 1 WHERE id = $1",
                                       {p.id(), Now()})
                                   .status());
      } else {
        GUREUM_RETURN_IF_ERROR(DeletePortTx(tx, p, casts));
      }
    }
    casts.reason = "ports released for " + r.device_id();
    return absl::OkStatus();
  });
}

}  // namespace gureum::network
