// Network agents: reports (heartbeats), DHCP and router scheduling onto live agents, the
// desired state of one host (GetHostState), port status from the agents.
#include "network/server/agent_manager.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status/macros.h"
#include "network/server/manager_internal.h"
#include "network/server/model_convert.h"
#include "network/server/port_manager.h"
#include "network/server/router_manager.h"

namespace gureum::network {

using namespace internal;  // NOLINT

AgentManager::AgentManager(const ManagerDeps& deps, ManagerCore& core, PortManager& ports,
                           RouterManager& routers)
    : store_(deps.store),
      clock_(deps.clock),
      ids_(deps.ids),
      options_(deps.options),
      access_(deps.access),
      core_(core),
      ports_(ports),
      routers_(routers) {}

absl::Status AgentManager::ScheduleDhcp(NetworkTx& tx, const std::string& network_id,
                                        Casts& casts) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> subnets,
                          core_.SubnetsOfNetwork(tx, network_id, /*dhcp_only=*/true));
  if (subnets.empty()) return absl::OkStatus();
  NetworkTx& store = tx;
  GUREUM_ASSIGN_OR_RETURN(std::string host, store.DhcpHostOf(network_id));
  if (host.empty()) {
    GUREUM_ASSIGN_OR_RETURN(std::optional<Agent> agent,
                            store.PickDhcpAgent(clock_.Now() - options_.agent_down_time));
    if (!agent) return absl::OkStatus();  // scheduled when a DHCP agent reports
    host = agent->host;
    GUREUM_RETURN_IF_ERROR(store.BindDhcp(network_id, host));
  }
  casts.Add(host);
  GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, AdminCaller(), network_id));
  GUREUM_ASSIGN_OR_RETURN(
      std::vector<v1::Port> ports,
      core_.QueryPorts(tx, {{"network_id", {network_id}}, {"device_owner", {"network:dhcp"}}}));
  if (ports.empty()) {
    GUREUM_ASSIGN_OR_RETURN(std::optional<Agent> agent, store.GetAgentByHost(host));
    v1::Port want;
    want.set_project_id(net.project_id);
    want.set_device_owner("network:dhcp");
    want.set_device_id("dhcp" + (agent ? agent->id : host) + "-" + network_id);
    want.set_binding_host(host);
    want.set_port_security_enabled(false);
    Fields given = {"fixed_ips", "binding_host", "port_security_enabled"};
    for (const auto& s : subnets) want.add_fixed_ips()->set_subnet_id(s.id);
    return ports_.InsertPort(tx, AdminCaller(), net, want, given, casts).status();
  }
  // An existing DHCP port moves with the binding (failover) and gets an address on each
  // DHCP subnet it lacks.
  const v1::Port& port = ports[0];
  if (port.binding_host() != host) {
    casts.Add(port.binding_host());
    GUREUM_RETURN_IF_ERROR(ports_.MovePort(tx, port, host));
    GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, network_id, casts));
  }
  for (const auto& s : subnets) {
    bool has = false;
    for (const auto& f : port.fixed_ips()) has = has || f.subnet_id() == s.id;
    if (!has) GUREUM_RETURN_IF_ERROR(ports_.AllocateFrom(tx, s, port.id()).status());
  }
  return absl::OkStatus();
}

absl::Status AgentManager::ReportAgent(const Caller& c, const v1::AgentReport& r) {
  if (!access_.IsService(c)) return Forbidden("ReportAgent needs the service or admin role.");
  if (r.host().empty()) return BadRequest("host is required.");
  Agent agent;
  agent.host = r.host();
  agent.local_ip = r.local_ip();
  agent.physical_interfaces.insert(r.physical_interfaces().begin(), r.physical_interfaces().end());
  agent.dhcp = r.dhcp();
  agent.l3 = r.l3();
  agent.version = r.version();
  return core_.Run([&](NetworkTx& tx, Casts& casts) -> absl::Status {
    NetworkTx& store = tx;
    const absl::Time now = clock_.Now();
    GUREUM_ASSIGN_OR_RETURN(std::optional<Agent> prev, store.GetAgentByHost(r.host()));
    const bool revived = !prev || prev->heartbeat_at < now - options_.agent_down_time;
    agent.id = ids_.NewUuid();
    agent.heartbeat_at = now;
    GUREUM_RETURN_IF_ERROR(store.PutAgent(agent));
    // Failover: DHCP networks and routers of agents that went silent move to live ones
    // (this one is live now), as Neutron's allow_automatic_*_failover do.
    if (r.dhcp()) {
      GUREUM_ASSIGN_OR_RETURN(auto orphans,
                              store.ReleaseDeadDhcp(r.host(), now - options_.agent_down_time));
      for (const auto& [network_id, host] : orphans) {
        casts.reason = "dhcp failover from " + host;
        casts.Add(host);
        GUREUM_RETURN_IF_ERROR(ScheduleDhcp(tx, network_id, casts));
      }
    }
    if (r.l3()) {
      GUREUM_ASSIGN_OR_RETURN(auto orphans,
                              store.ReleaseDeadRouters(r.host(), now - options_.agent_down_time));
      for (const auto& [router_id, old_host] : orphans) {
        casts.Add(old_host);
        GUREUM_ASSIGN_OR_RETURN(v1::Router router, core_.LoadRouter(tx, AdminCaller(), router_id));
        casts.reason = "router failover " + router.id();
        GUREUM_RETURN_IF_ERROR(routers_.ScheduleRouter(tx, router, casts));
      }
    }
    if (!revived) return absl::OkStatus();
    casts.reason = "agent " + r.host() + " up";
    if (r.dhcp()) {
      GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> nets, store.UnboundDhcpNetworks());
      for (const auto& n : nets) GUREUM_RETURN_IF_ERROR(ScheduleDhcp(tx, n, casts));
    }
    if (r.l3()) {
      GUREUM_ASSIGN_OR_RETURN(std::vector<Router> routers, store.RoutersOn(""));
      for (const auto& row : routers) {
        v1::Router router = ToProto(row);
        GUREUM_RETURN_IF_ERROR(routers_.ScheduleRouter(tx, router, casts));
      }
    }
    // A new tunnel endpoint: every host sharing a network with it learns the peer.
    GUREUM_ASSIGN_OR_RETURN(std::vector<Port> here,
                            tx.ListPorts("", {{"binding:host_id", {r.host()}}}));
    std::set<std::string> nets;
    for (const Port& p : here) nets.insert(p.network_id);
    for (const auto& n : nets) GUREUM_RETURN_IF_ERROR(core_.CastHostsOfNetwork(tx, n, casts));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Agent>> AgentManager::ListAgents(const Caller& c, const Filters& f) {
  GUREUM_RETURN_IF_ERROR(access_.CheckRead(c));
  std::vector<v1::Agent> out;
  // Neutron's policy hides agents from anyone else: the list is empty, not 403.
  if (!access_.IsService(c)) return out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(std::vector<Agent> agents, tx.ListAgents(f));
    for (const Agent& a : agents) {
      out.push_back(ToProto(a, a.heartbeat_at > clock_.Now() - options_.agent_down_time));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Agent> AgentManager::SetAdminState(const Caller& c, const std::string& agent_id,
                                                      bool admin_state_up) {
  if (!access_.IsService(c)) return Forbidden("Updating an agent needs the admin role.");
  v1::Agent out;
  GUREUM_RETURN_IF_ERROR(store_.Transact([&](NetworkTx& tx) -> absl::Status {
    absl::Status set = tx.SetAgentAdminState(agent_id, admin_state_up);
    if (absl::IsNotFound(set)) {
      return NotFoundErr(ErrorKind::kAgentNotFound, "Agent " + agent_id + " could not be found.");
    }
    GUREUM_RETURN_IF_ERROR(set);
    GUREUM_ASSIGN_OR_RETURN(std::vector<Agent> agents, tx.ListAgents({{"id", {agent_id}}}));
    if (agents.empty()) return absl::InternalError("the agent went away");
    out = ToProto(agents[0], agents[0].heartbeat_at > clock_.Now() - options_.agent_down_time);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Agent>> AgentManager::DhcpAgentsOfNetwork(
    const Caller& c, const std::string& network_id) {
  if (!access_.IsService(c)) return Forbidden("Listing DHCP agents needs the admin role.");
  std::vector<v1::Agent> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_RETURN_IF_ERROR(core_.LoadNetwork(tx, c, network_id, false).status());
    GUREUM_ASSIGN_OR_RETURN(std::string host, tx.DhcpHostOf(network_id));
    if (host.empty()) return absl::OkStatus();
    GUREUM_ASSIGN_OR_RETURN(std::vector<Agent> agents, tx.ListAgents({{"host", {host}}}));
    for (const Agent& a : agents) {
      out.push_back(ToProto(a, a.heartbeat_at > clock_.Now() - options_.agent_down_time));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<v1::Network>> AgentManager::NetworksOfDhcpAgent(
    const Caller& c, const std::string& agent_id) {
  if (!access_.IsService(c)) return Forbidden("Listing DHCP networks needs the admin role.");
  std::vector<v1::Network> out;
  GUREUM_RETURN_IF_ERROR(store_.ReadOnly([&](NetworkTx& tx) -> absl::Status {
    out.clear();
    GUREUM_ASSIGN_OR_RETURN(std::vector<Agent> agents, tx.ListAgents({{"id", {agent_id}}}));
    if (agents.empty())
      return NotFoundErr(ErrorKind::kAgentNotFound, "Agent " + agent_id + " could not be found.");
    GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> ids, tx.DhcpNetworksOn(agents[0].host));
    for (const std::string& id : ids) {
      GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, c, id));
      out.push_back(ToProto(net));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status AgentManager::UpdatePortStatus(const Caller& c, const v1::PortStatusUpdate& r) {
  if (!access_.IsService(c)) return Forbidden("UpdatePortStatus needs the service or admin role.");
  for (const auto& [id, status] : r.port_status()) {
    if (status != "ACTIVE" && status != "DOWN" && status != "ERROR") {
      return BadRequest("port status must be ACTIVE, DOWN or ERROR, not '" + status + "'.");
    }
  }
  std::vector<v1::Port> changed;  // announced after the commit
  GUREUM_RETURN_IF_ERROR(store_.Transact([&](NetworkTx& tx) -> absl::Status {
    changed.clear();  // a retried transaction starts over
    for (const auto& [id, status] : r.port_status()) {
      GUREUM_ASSIGN_OR_RETURN(std::optional<Port> before, tx.GetPort(id));
      GUREUM_RETURN_IF_ERROR(tx.SetPortStatus(id, r.host(), status));
      if (before && before->binding_host == r.host() && before->status != status) {
        before->status = status;
        changed.push_back(ToProto(*before));
      }
    }
    return absl::OkStatus();
  }));
  for (const v1::Port& port : changed) core_.NotifyPort("port.update.end", port);
  return absl::OkStatus();
}

absl::StatusOr<v1::HostState> AgentManager::GetHostState(const Caller& c, const std::string& host) {
  if (!access_.IsService(c)) return Forbidden("GetHostState needs the service or admin role.");
  if (host.empty()) return BadRequest("host is required.");
  v1::HostState state;
  GUREUM_RETURN_IF_ERROR(store_.Snapshot([&](NetworkTx& tx) -> absl::Status {
    state = v1::HostState();
    state.set_host(host);
    GUREUM_ASSIGN_OR_RETURN(int64_t generation, tx.Generation());
    state.set_generation(generation);
    GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Port> here,
                            core_.QueryPorts(tx, {{"binding:host_id", {host}}}));
    std::set<std::string> net_ids;
    std::set<std::string> group_ids;
    for (const auto& p : here) {
      net_ids.insert(p.network_id());
      if (absl::StartsWith(p.device_owner(), "compute:") || p.device_owner().empty()) {
        *state.add_ports() = p;
        for (const auto& g : p.security_group_ids()) group_ids.insert(g);
      }
    }
    GUREUM_RETURN_IF_ERROR(HostNetworks(tx, host, net_ids, state));
    GUREUM_RETURN_IF_ERROR(HostGroups(tx, group_ids, state));
    GUREUM_RETURN_IF_ERROR(HostDhcp(tx, host, net_ids, state));
    return HostRouters(tx, host, state);
  }));
  return state;
}

// Networks: subnets, tunnel peers and the MACs behind them.
absl::Status AgentManager::HostNetworks(NetworkTx& tx, const std::string& host,
                                        const std::set<std::string>& net_ids,
                                        v1::HostState& state) {
  const Caller admin = AdminCaller();
  for (const std::string& nid : net_ids) {
    v1::HostNetwork* hn = state.add_networks();
    GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, admin, nid));
    *hn->mutable_network() = ToProto(net);
    GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> subs,
                            core_.SubnetsOfNetwork(tx, nid, /*dhcp_only=*/false));
    for (const auto& s : subs) *hn->add_subnets() = ToProto(s);
    GUREUM_ASSIGN_OR_RETURN(auto remote, tx.RemoteMacs(nid, host));
    std::set<std::string> peers;
    for (const auto& [mac, local_ip] : remote) {
      (*hn->mutable_remote_macs())[mac] = local_ip;
      peers.insert(local_ip);
    }
    for (const auto& p : peers) hn->add_peer_ips(p);
  }
  return absl::OkStatus();
}

// Security groups of the VM ports and the groups their rules name as remote.
absl::Status AgentManager::HostGroups(NetworkTx& tx, const std::set<std::string>& group_ids,
                                      v1::HostState& state) {
  const Caller admin = AdminCaller();
  // The groups and those their rules name as remote, each loaded once.
  std::map<std::string, absl::StatusOr<SecurityGroup>> groups;
  for (const std::string& gid : group_ids) groups.emplace(gid, core_.LoadGroup(tx, admin, gid));
  for (const std::string& gid : group_ids) {
    if (!groups.at(gid).ok()) continue;
    for (const auto& rule : groups.at(gid)->rules) {
      if (!rule.remote_group_id.empty() && !groups.count(rule.remote_group_id))
        groups.emplace(rule.remote_group_id, core_.LoadGroup(tx, admin, rule.remote_group_id));
    }
  }
  for (const auto& [gid, g] : groups) {
    if (!g.ok()) continue;
    v1::SecurityGroupState* gs = state.add_security_groups();
    *gs->mutable_group() = ToProto(*g);
    GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> members, tx.MemberAddresses(gid));
    for (const auto& m : members) gs->add_member_ips(m);
  }
  return absl::OkStatus();
}

// DHCP served here.
absl::Status AgentManager::HostDhcp(NetworkTx& tx, const std::string& host,
                                    const std::set<std::string>& net_ids, v1::HostState& state) {
  const Caller admin = AdminCaller();
  GUREUM_ASSIGN_OR_RETURN(std::vector<std::string> dhcp, tx.DhcpNetworksOn(host));
  for (const std::string& nid : dhcp) {
    GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Port> ports,
                            core_.QueryPorts(tx, {{"network_id", {nid}}}));
    v1::DhcpNetwork* dn = state.add_dhcp();
    dn->set_network_id(nid);
    GUREUM_ASSIGN_OR_RETURN(std::vector<Subnet> subs,
                            core_.SubnetsOfNetwork(tx, nid, /*dhcp_only=*/true));
    std::set<std::string> dhcp_subnets;
    for (const auto& s : subs) {
      *dn->add_subnets() = ToProto(s);
      dhcp_subnets.insert(s.id);
    }
    for (const auto& p : ports) {
      if (p.device_owner() == "network:dhcp") {
        if (p.binding_host() == host) *dn->mutable_dhcp_port() = p;
        continue;
      }
      for (const auto& f : p.fixed_ips()) {
        if (!dhcp_subnets.count(f.subnet_id())) continue;
        v1::DhcpHost* h = dn->add_hosts();
        h->set_mac_address(p.mac_address());
        h->set_ip_address(f.ip_address());
        h->set_hostname("host-" + absl::StrReplaceAll(f.ip_address(), {{".", "-"}, {":", "-"}}));
        // The port's extra DHCP options of this address's IP version, under a tag of its own.
        const int version = f.ip_address().find(':') == std::string::npos ? 4 : 6;
        for (const auto& o : p.extra_dhcp_opts()) {
          if (o.ip_version() == version) *h->add_extra_dhcp_opts() = o;
        }
        if (h->extra_dhcp_opts_size() > 0) h->set_tag("port-" + p.id());
      }
    }
    if (!net_ids.count(nid)) {  // the DHCP port may still be unbound: the network is needed anyway
      v1::HostNetwork* hn = state.add_networks();
      GUREUM_ASSIGN_OR_RETURN(Network net, core_.LoadNetwork(tx, admin, nid));
      *hn->mutable_network() = ToProto(net);
      for (const auto& s : dn->subnets()) *hn->add_subnets() = s;
    }
  }
  return absl::OkStatus();
}

// Routers run here: their legs, gateway and floating IPs' NAT.
absl::Status AgentManager::HostRouters(NetworkTx& tx, const std::string& host,
                                       v1::HostState& state) {
  const Caller admin = AdminCaller();
  GUREUM_ASSIGN_OR_RETURN(std::vector<Router> routers, tx.RoutersOn(host));
  for (const auto& row : routers) {
    std::vector<v1::Router> one = {ToProto(row)};
    GUREUM_RETURN_IF_ERROR(core_.FillRouterGateways(tx, one));
    v1::HostRouter* hr = state.add_routers();
    *hr->mutable_router() = one[0];
    GUREUM_ASSIGN_OR_RETURN(std::vector<v1::Port> legs,
                            core_.QueryPorts(tx, {{"device_id", {one[0].id()}}}));
    for (const auto& p : legs) {
      v1::RouterLeg leg;
      *leg.mutable_port() = p;
      for (const auto& f : p.fixed_ips()) {
        auto s = core_.LoadSubnet(tx, admin, f.subnet_id());
        if (s.ok()) *leg.add_subnets() = ToProto(*s);
      }
      if (p.device_owner() == "network:router_interface") {
        *hr->add_interfaces() = leg;
      } else if (p.device_owner() == "network:router_gateway") {
        for (const auto& s : leg.subnets()) {
          if (s.ip_version() == 4 && hr->gateway_ip().empty()) hr->set_gateway_ip(s.gateway_ip());
        }
        *hr->mutable_gateway() = leg;
      }
    }
    GUREUM_ASSIGN_OR_RETURN(std::vector<FloatingIp> fips,
                            tx.ListFloatingIps("", {{"router_id", {one[0].id()}}}));
    std::sort(fips.begin(), fips.end(), [](const FloatingIp& a, const FloatingIp& b) {
      return a.floating_ip_address < b.floating_ip_address;
    });
    for (const auto& f : fips) {
      if (f.port_id.empty()) continue;
      v1::FloatingNat* nat = hr->add_floating_ips();
      nat->set_floating_ip_id(f.id);
      nat->set_floating_ip_address(f.floating_ip_address);
      nat->set_fixed_ip_address(f.fixed_ip_address);
    }
  }
  return absl::OkStatus();
}

}  // namespace gureum::network
