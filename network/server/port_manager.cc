// Ports and the IPAM: MAC generation, fixed IPs (given, from a subnet, or picked), security
// group membership (the compute agents' calls are ComputePortManager's).
#include "network/server/port_manager.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "network/server/ipam.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"
#include "network/server/security_group_manager.h"

namespace gureum::network {

using namespace internal;  // NOLINT

PortManager::PortManager(const ManagerDeps& deps, ManagerCore& core,
                         SecurityGroupManager& security_groups)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core),
      security_groups_(security_groups) {}

namespace {

bool IsNetworkOwned(const std::string& owner) { return absl::StartsWith(owner, "network:"); }

std::vector<IpRange> SubnetPools(const Subnet& s) {
  std::vector<IpRange> pools;
  for (const auto& p : s.allocation_pools) {
    auto a = ParseIp(p.start);
    auto b = ParseIp(p.end);
    if (a.ok() && b.ok()) pools.push_back({*a, *b});
  }
  return pools;
}

absl::Status Exhausted(const std::string& network_id) {
  return NetworkError(absl::StatusCode::kResourceExhausted, ErrorKind::kAddressesExhausted,
                      "No more IP addresses available on network " + network_id + ".", 409);
}

// An address asked for by name must be one a port may hold: never the subnet's network or
// broadcast address (IPv4), never its gateway unless the port is the router interface that
// serves it, and a floating IP only from the allocation pools, as Neutron's IPAM allows.
absl::Status CheckRequestedIp(const Subnet& subnet, const Ip& ip, const std::string& device_owner) {
  const std::string text = FormatIp(ip);
  auto invalid = [&](const std::string& why) {
    return NetworkError(
        absl::StatusCode::kInvalidArgument, ErrorKind::kAddressNotOnSubnet,
        "IP address " + text + " is not a valid IP for the specified subnet: " + why + ".");
  };
  auto cidr = ParseCidr(subnet.cidr);
  if (cidr.ok() && subnet.ip_version == 4 && cidr->prefix <= 30) {
    if (ip == cidr->first()) return invalid("it is the subnet's network address");
    if (ip == cidr->last()) return invalid("it is the subnet's broadcast address");
  }
  if (!subnet.gateway_ip.empty() && device_owner != "network:router_interface") {
    auto gw = ParseIp(subnet.gateway_ip);
    if (gw.ok() && *gw == ip) return invalid("it is the subnet's gateway");
  }
  if (device_owner == "network:floatingip" && !InPools(SubnetPools(subnet), ip)) {
    return invalid("it is outside the allocation pools");
  }
  return absl::OkStatus();
}

// The attributes an update gives, onto the port as it is.
absl::Status MergePortUpdate(const v1::Port& in, const Fields& given, v1::Port& cur) {
  if (Given(given, "name")) cur.set_name(in.name());
  if (Given(given, "description")) cur.set_description(in.description());
  if (Given(given, "admin_state_up")) cur.set_admin_state_up(in.admin_state_up());
  if (Given(given, "device_id")) cur.set_device_id(in.device_id());
  if (Given(given, "device_owner")) cur.set_device_owner(in.device_owner());
  if (Given(given, "binding_host")) cur.set_binding_host(in.binding_host());
  if (Given(given, "port_security_enabled"))
    cur.set_port_security_enabled(in.port_security_enabled());
  if (Given(given, "tags")) *cur.mutable_tags() = in.tags();
  if (Given(given, "allowed_address_pairs")) {
    for (const auto& pair : in.allowed_address_pairs()) {
      if (!ParsePrefix(pair.ip_address()).ok()) {
        return InvalidInput("'" + pair.ip_address() + "' is not a valid allowed address pair IP.");
      }
    }
    *cur.mutable_allowed_address_pairs() = in.allowed_address_pairs();
  }
  return absl::OkStatus();
}

// A new port as the database now holds it: status, VIF, names, MTU, its groups sorted
// (none without port security or for a network-owned port), times and revision.
void AsStored(const Network& net, const std::vector<std::string>& groups, absl::Time now,
              v1::Port& port) {
  port.set_status("DOWN");
  port.set_vif_type(port.binding_host().empty() ? "unbound" : "bridge");
  port.set_bridge_name(BridgeName(net.id));
  port.set_tap_name(TapName(port.id()));
  port.set_mtu(net.mtu);
  port.clear_security_group_ids();
  std::vector<std::string> sorted = groups;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const std::string& g : sorted) port.add_security_group_ids(g);
  if (!port.port_security_enabled() || IsNetworkOwned(port.device_owner()))
    port.clear_security_group_ids();
  port.set_created_at(Iso(now));
  port.set_updated_at(Iso(now));
  port.set_revision_number(1);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> PortManager::GroupsOfNewPort(NetworkTx& tx,
                                                                      const Caller& c,
                                                                      const v1::Port& port,
                                                                      const Fields& given) {
  std::vector<std::string> groups;
  bool check_groups = true;
  if (port.port_security_enabled() && !IsNetworkOwned(port.device_owner())) {
    if (Given(given, "security_group_ids")) {
      groups.assign(port.security_group_ids().begin(), port.security_group_ids().end());
    } else {
      GUREUM_ASSIGN_OR_RETURN(std::string def,
                              security_groups_.EnsureDefaultGroup(tx, port.project_id()));
      groups.push_back(def);
      check_groups = false;  // the project's own default group
    }
  } else if (Given(given, "security_group_ids") && port.security_group_ids_size() > 0) {
    return Conflict(
        ErrorKind::kGroupsNeedPortSecurity,
        "Port security must be enabled and port must have an IP address in order to use "
        "security groups.");
  }
  for (const std::string& g : groups) {
    if (!check_groups) break;
    GUREUM_ASSIGN_OR_RETURN(std::optional<std::string> project, tx.GetGroupProject(g));
    if (!project || (!access_.IsAdmin(c) && *project != port.project_id())) {
      return NotFoundErr(ErrorKind::kGroupNotFound, "Security group " + g + " does not exist");
    }
  }
  return groups;
}

absl::Status PortManager::ReplacePortGroups(NetworkTx& tx, const Caller& c, const v1::Port& port,
                                            const std::vector<std::string>& groups, Casts& casts) {
  for (const std::string& old : port.security_group_ids())
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfGroup(tx, old, casts));
  for (const std::string& g : groups) {
    GUREUM_ASSIGN_OR_RETURN(std::optional<std::string> project, tx.GetGroupProject(g));
    if (!project || (!access_.IsAdmin(c) && *project != port.project_id())) {
      return NotFoundErr(ErrorKind::kGroupNotFound, "Security group " + g + " does not exist");
    }
  }
  GUREUM_RETURN_IF_ERROR(tx.SetPortGroups(port.id(), groups));
  for (const std::string& g : groups) GUREUM_RETURN_IF_ERROR(core_.CastHostsOfGroup(tx, g, casts));
  return absl::OkStatus();
}

absl::Status PortManager::CheckDevice(NetworkTx& tx, const Caller& c, const std::string& project,
                                      const std::string& device_owner,
                                      const std::string& device_id) {
  if (access_.IsAdmin(c)) return absl::OkStatus();
  if (IsNetworkOwned(device_owner)) {
    return Forbidden("Only an admin may set device_owner " + device_owner + " on a port.");
  }
  if (device_id.empty()) return absl::OkStatus();
  GUREUM_ASSIGN_OR_RETURN(std::optional<Router> r, tx.GetRouter(device_id));
  if (r && r->project_id != project) {
    return Conflict(ErrorKind::kDeviceOfAnotherProject,
                    "The following device_id " + device_id +
                        " is not owned by your tenant or matches another tenants router.");
  }
  return absl::OkStatus();
}

absl::Status PortManager::CheckOwnerOnlyFields(const Caller& c, const Network& net,
                                               const v1::Port& port, const Fields& given) const {
  // Neutron's defaults for create_port/update_port: on a network the caller's project does
  // not own (a shared one), only an admin picks fixed IP addresses or the MAC, or turns port
  // security off; anyone may still ask for a subnet.
  if (access_.IsAdmin(c) || net.project_id == port.project_id()) return absl::OkStatus();
  if (Given(given, "fixed_ips") && NamesAnAddress(port)) {
    return Forbidden("Only the owner of network " + net.id +
                     " or an admin may choose fixed IP addresses on it.");
  }
  if (Given(given, "mac_address") && !port.mac_address().empty()) {
    return Forbidden("Only the owner of network " + net.id +
                     " or an admin may choose the MAC address of a port "
                     "on it.");
  }
  if (Given(given, "port_security_enabled") && !port.port_security_enabled()) {
    return Forbidden("Only the owner of network " + net.id +
                     " or an admin may turn port security off on it.");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PortManager::AllocateFrom(NetworkTx& tx, const Subnet& subnet,
                                                      const std::string& port_id) {
  std::vector<IpRange> pools = SubnetPools(subnet);
  uint64_t size = PoolSize(pools);
  if (size == 0) return Exhausted(subnet.network_id);
  auto try_insert = [&](const Ip& ip) -> absl::StatusOr<bool> {
    return tx.AllocateIp(port_id, {subnet.id, FormatIp(ip)});
  };
  // Random candidates first: cheap while the pool is not nearly full, and concurrent
  // creates rarely pick the same one.
  for (int i = 0; i < 6; ++i) {
    Ip ip = NthAddress(pools, core_.RandomBelow(size));
    GUREUM_ASSIGN_OR_RETURN(bool ok, try_insert(ip));
    if (ok) return FormatIp(ip);
  }
  // Then the next free addresses after a random offset, knowing what is taken.
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> taken, tx.AllocatedIps(subnet.id));
  std::set<std::string> used(taken.begin(), taken.end());
  const uint64_t scan = std::min<uint64_t>(size, 1 << 20);
  const uint64_t start = core_.RandomBelow(scan);
  for (uint64_t k = 0; k < scan; ++k) {
    Ip ip = NthAddress(pools, (start + k) % scan);
    if (used.count(FormatIp(ip))) continue;
    GUREUM_ASSIGN_OR_RETURN(bool ok, try_insert(ip));
    if (ok) return FormatIp(ip);
  }
  return Exhausted(subnet.network_id);
}

namespace {

// The subnet a fixed_ips entry names (subnet_id), or the one its address is on; 400 when
// neither is given or they do not fit.
absl::StatusOr<const Subnet*> SubnetFor(const Network& net, const std::vector<Subnet>& subnets,
                                        const v1::FixedIp& want, const std::optional<Ip>& ip) {
  if (!want.subnet_id().empty()) {
    for (const auto& s : subnets) {
      if (s.id != want.subnet_id()) continue;
      if (ip && !Contains(*ParseCidr(s.cidr), *ip)) {
        return NetworkError(
            absl::StatusCode::kInvalidArgument, ErrorKind::kAddressNotOnSubnet,
            "IP address " + want.ip_address() + " is not a valid IP for the specified subnet.");
      }
      return &s;
    }
    return BadRequest("Invalid input for operation: Failed to create port on network " + net.id +
                      ", because fixed_ips included invalid subnet " + want.subnet_id() + ".");
  }
  if (!ip) {
    return BadRequest(
        "Invalid input for operation: a fixed_ips entry needs subnet_id or ip_address.");
  }
  const Subnet* subnet = nullptr;
  for (const auto& s : subnets) {
    if (Contains(*ParseCidr(s.cidr), *ip)) subnet = &s;
  }
  if (subnet == nullptr) {
    return NetworkError(absl::StatusCode::kInvalidArgument, ErrorKind::kAddressNotOnNetwork,
                        "IP address " + want.ip_address() +
                            " is not a valid IP for any of the subnets on the specified network.");
  }
  return subnet;
}

}  // namespace

absl::Status PortManager::AllocateIps(NetworkTx& tx, const Network& net, v1::Port& port,
                                      const std::vector<v1::FixedIp>& requested, bool any_given) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> subnets,
                          core_.SubnetsOfNetwork(tx, net.id, /*dhcp_only=*/false));
  std::stable_sort(subnets.begin(), subnets.end(),
                   [](const Subnet& a, const Subnet& b) { return a.ip_version < b.ip_version; });
  port.clear_fixed_ips();
  auto add = [&](const std::string& subnet_id, const std::string& ip) {
    auto* f = port.add_fixed_ips();
    f->set_subnet_id(subnet_id);
    f->set_ip_address(ip);
  };
  if (any_given) {
    for (const v1::FixedIp& want : requested) {
      std::optional<Ip> ip;
      if (!want.ip_address().empty()) {
        auto parsed = ParseIp(want.ip_address());
        if (!parsed.ok()) return InvalidInput(std::string(parsed.status().message()));
        ip = *parsed;
      }
      GUREUM_ASSIGN_OR_RETURN(const Subnet* subnet, SubnetFor(net, subnets, want, ip));
      if (ip) {
        GUREUM_RETURN_IF_ERROR(CheckRequestedIp(*subnet, *ip, port.device_owner()));
        std::string text = FormatIp(*ip);
        GUREUM_ASSIGN_OR_RETURN(bool got, tx.AllocateIp(port.id(), {subnet->id, text}));
        if (!got) {
          return NetworkError(
              absl::StatusCode::kAlreadyExists, ErrorKind::kAddressTaken,
              "IP address " + text + " already allocated in subnet " + subnet->id + ".", 409);
        }
        add(subnet->id, text);
      } else {
        GUREUM_ASSIGN_OR_RETURN(std::string got, AllocateFrom(tx, *subnet, port.id()));
        add(subnet->id, got);
      }
    }
    return absl::OkStatus();
  }
  // Nothing asked: one address of the first IPv4 subnet with room, and one IPv6.
  for (int version : {4, 6}) {
    absl::Status last = absl::OkStatus();
    bool have = false, any = false;
    for (const auto& s : subnets) {
      if (s.ip_version != version) continue;
      any = true;
      auto got = AllocateFrom(tx, s, port.id());
      if (got.ok()) {
        add(s.id, *got);
        have = true;
        break;
      }
      last = got.status();
      if (ErrorKindOf(last) != ErrorKind::kAddressesExhausted) return last;
    }
    if (any && !have) return last;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Port> PortManager::InsertPort(NetworkTx& tx, const Caller& c, const Network& net,
                                                 v1::Port port, const Fields& given, Casts& casts,
                                                 int compute_nic) {
  GUREUM_RETURN_IF_ERROR(CheckOwnerOnlyFields(c, net, port, given));
  port.set_id(ids_.NewUuid());
  port.set_network_id(net.id);
  if (Given(given, "mac_address") && !port.mac_address().empty()) {
    auto mac = NormalizeMac(port.mac_address());
    if (!mac.ok()) return InvalidInput(std::string(mac.status().message()));
    GUREUM_ASSIGN_OR_RETURN(std::vector<Port> used,
                            tx.ListPorts("", {{"network_id", {net.id}}, {"mac_address", {*mac}}}));
    if (!used.empty()) {
      return NetworkError(absl::StatusCode::kAlreadyExists, ErrorKind::kMacTaken,
                          "Unable to complete operation for network " + net.id +
                              ". The mac address " + *mac + " is in use.",
                          409);
    }
    port.set_mac_address(*mac);
  } else {
    port.set_mac_address(MacFromBits(core_.Random24()));
  }
  if (!Given(given, "port_security_enabled"))
    port.set_port_security_enabled(net.port_security_enabled);
  if (!Given(given, "admin_state_up")) port.set_admin_state_up(true);
  for (const auto& pair : port.allowed_address_pairs()) {
    if (!ParsePrefix(pair.ip_address()).ok()) {
      return InvalidInput("'" + pair.ip_address() + "' is not a valid allowed address pair IP.");
    }
    if (!pair.mac_address().empty() && !NormalizeMac(pair.mac_address()).ok()) {
      return InvalidInput("'" + pair.mac_address() + "' is not a valid MAC address.");
    }
  }
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> groups, GroupsOfNewPort(tx, c, port, given));
  const absl::Time now = clock_.Now();
  {
    Port row = PortFromProto(port);
    row.network_id = net.id;
    row.status = "DOWN";
    row.vif_type = port.binding_host().empty() ? "unbound" : "bridge";
    row.security_group_ids = groups;
    row.compute_owned = compute_nic >= 0;
    row.compute_nic_index = std::max(compute_nic, 0);
    row.stamps.created_at = row.stamps.updated_at = now;
    GUREUM_RETURN_IF_ERROR(tx.InsertPort(row));
  }
  std::vector<v1::FixedIp> requested(port.fixed_ips().begin(), port.fixed_ips().end());
  GUREUM_RETURN_IF_ERROR(AllocateIps(tx, net, port, requested, Given(given, "fixed_ips")));
  if (!port.binding_host().empty()) {
    casts.reason = "port bound " + port.id();
    casts.Add(port.binding_host());
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, net.id, casts));
  }
  // Remote-group members change when a port with addresses joins a group.
  for (const std::string& g : groups) GUREUM_RETURN_IF_ERROR(core_.CastHostsOfGroup(tx, g, casts));
  // The stored row, built from what was written (saves three queries per create).
  AsStored(net, groups, now, port);
  return port;
}

absl::StatusOr<v1::Port> PortManager::CreatePort(const Caller& c, const v1::Port& in,
                                                 const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  if (in.network_id().empty()) return BadRequest("network_id is required.");
  if (Given(given, "binding_host") && !access_.IsService(c))
    return Forbidden("Only an admin may set binding:host_id.");
  if (IsNetworkOwned(in.device_owner()) && !access_.IsAdmin(c)) {
    return Forbidden("Only an admin may create ports owned by " + in.device_owner() + ".");
  }
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(Network net,
                            core_.LoadNetwork(tx, c, in.network_id(), /*with_subnets=*/false));
    v1::Port port = in;
    GUREUM_ASSIGN_OR_RETURN(
        std::string project,
        access_.TargetProject(c, in.project_id().empty() ? c.project_id : in.project_id()));
    port.set_project_id(project);
    if (net.router_external && !net.shared && !access_.Owns(c, net.project_id)) {
      return Forbidden("Only an admin may create ports on external network " + net.id + ".");
    }
    GUREUM_RETURN_IF_ERROR(CheckDevice(tx, c, project, port.device_owner(), port.device_id()));
    GUREUM_RETURN_IF_ERROR(core_.CheckQuota(tx, project, "port", 1));
    GUREUM_ASSIGN_OR_RETURN(out, InsertPort(tx, c, net, port, given, casts));
    return absl::OkStatus();
  }));
  core_.NotifyPort("port.create.end", out);
  return out;
}

absl::StatusOr<v1::Port> PortManager::GetPort(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(out, core_.LoadPort(tx, c, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Port>> PortManager::ListPorts(const Caller& c, const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::Port> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    // A service sees every project's ports; anyone else only the project's ("" is none).
    const std::string project =
        access_.IsService(c) ? ""
                             : (c.project_id.empty() ? std::string("(no project)") : c.project_id);
    GUREUM_ASSIGN_OR_RETURN(std::vector<Port> rows, tx.ListPorts(project, f));
    out.clear();
    for (const Port& p : rows) out.push_back(ToProto(p));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Port> PortManager::UpdatePort(const Caller& c, const v1::Port& in,
                                                 const Fields& given) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  GUREUM_RETURN_IF_ERROR(CheckTexts(in));
  if (Given(given, "network_id") || Given(given, "mac_address")) {
    return BadRequest("Cannot update read-only attribute network_id or mac_address of a port.");
  }
  if (Given(given, "binding_host") && !access_.IsService(c))
    return Forbidden("Only an admin may set binding:host_id.");
  v1::Port out;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Port cur, core_.LoadPort(tx, c, in.id()));
    GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, AdminCaller(), cur.network_id()));
    const std::string old_host = cur.binding_host();
    if (Given(given, "device_id") || Given(given, "device_owner")) {
      // A member may neither re-point a router's (or DHCP's) port nor point its own port at
      // a router: the router's legs are the ports that name it.
      if (IsNetworkOwned(cur.device_owner()) && !access_.IsAdmin(c)) {
        return Forbidden("Only an admin may change the device of port " + cur.id() + ", owned by " +
                         cur.device_owner() + ".");
      }
      GUREUM_RETURN_IF_ERROR(
          CheckDevice(tx, c, cur.project_id(),
                      Given(given, "device_owner") ? in.device_owner() : cur.device_owner(),
                      Given(given, "device_id") ? in.device_id() : cur.device_id()));
    }
    {
      v1::Port asked = in;
      asked.set_project_id(cur.project_id());
      GUREUM_RETURN_IF_ERROR(CheckOwnerOnlyFields(c, net, asked, given));
    }
    GUREUM_RETURN_IF_ERROR(MergePortUpdate(in, given, cur));
    {
      Port row = PortFromProto(cur);
      // An agent reports the port again once wired on its new host.
      if (cur.binding_host() != old_host) row.status = "DOWN";
      row.vif_type = cur.binding_host().empty() ? "unbound" : "bridge";
      GUREUM_RETURN_IF_ERROR(tx.UpdatePort(row, clock_.Now()));
    }
    if (Given(given, "fixed_ips")) {
      GUREUM_RETURN_IF_ERROR(tx.ReleaseIps(cur.id()));
      std::vector<v1::FixedIp> requested(in.fixed_ips().begin(), in.fixed_ips().end());
      GUREUM_RETURN_IF_ERROR(AllocateIps(tx, net, cur, requested, true));
    }
    if (Given(given, "security_group_ids") ||
        (Given(given, "port_security_enabled") && !cur.port_security_enabled())) {
      std::vector<std::string> groups(in.security_group_ids().begin(),
                                      in.security_group_ids().end());
      if (!cur.port_security_enabled()) {
        if (!groups.empty() && Given(given, "security_group_ids")) {
          return Conflict(ErrorKind::kGroupsNeedPortSecurity,
                          "Port security must be enabled in order to use security groups.");
        }
        groups.clear();
      }
      GUREUM_RETURN_IF_ERROR(ReplacePortGroups(tx, c, cur, groups, casts));
    }
    casts.reason = "port " + cur.id();
    casts.Add(old_host);
    casts.Add(cur.binding_host());
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, cur.network_id(), casts));
    GUREUM_ASSIGN_OR_RETURN(out, core_.LoadPort(tx, c, cur.id()));
    return absl::OkStatus();
  }));
  core_.NotifyPort("port.update.end", out);
  return out;
}

absl::Status PortManager::DeletePortTx(NetworkTx& tx, const v1::Port& port, Casts& casts) {
  casts.reason = "port deleted " + port.id();
  casts.Add(port.binding_host());
  GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, port.network_id(), casts));
  for (const std::string& g : port.security_group_ids())
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfGroup(tx, g, casts));
  // A floating IP associated with the port is disassociated, as in Neutron.
  return tx.DeletePort(port.id());
}

absl::Status PortManager::MovePort(NetworkTx& tx, const v1::Port& port, const std::string& host) {
  Port row = PortFromProto(port);
  row.binding_host = host;
  row.vif_type = host.empty() ? "unbound" : "bridge";
  row.status = "DOWN";
  return tx.UpdatePort(row, clock_.Now());
}

absl::Status PortManager::DeletePort(const Caller& c, const std::string& id) {
  GUREUM_RETURN_IF_ERROR(access_.CheckWrite(c));
  v1::Port gone;
  GUREUM_RETURN_IF_ERROR(core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    GUREUM_ASSIGN_OR_RETURN(v1::Port port, core_.LoadPort(tx, c, id));
    if (port.device_owner() == "network:router_interface" ||
        port.device_owner() == "network:router_gateway" ||
        port.device_owner() == "network:floatingip") {
      return Conflict(ErrorKind::kPortInUse,
                      "Port " + id +
                          " cannot be deleted directly via the port API: it has device "
                          "owner " +
                          port.device_owner() + ".");
    }
    gone = port;
    return DeletePortTx(tx, port, casts);
  }));
  core_.NotifyPort("port.delete.end", gone);
  return absl::OkStatus();
}

}  // namespace gureum::network
