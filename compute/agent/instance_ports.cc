#include "compute/agent/instance_ports.h"

#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/status/macros.h"

namespace gureum::compute_agent {
namespace {

using Wanted = InstancePorts::Wanted;

std::vector<Wanted> WantedNetworks(const pb::InstanceSpec& spec) {
  std::vector<Wanted> out;
  if (spec.requested_networks_size() > 0) {
    for (const pb::RequestedNetwork& r : spec.requested_networks()) {
      out.push_back({r.network_id(), r.port_id(), r.fixed_ip()});
    }
    return out;
  }
  for (const std::string& n : spec.network_ids()) out.push_back({n, "", ""});
  for (const std::string& p : spec.port_ids()) out.push_back({"", p, ""});
  return out;
}

}  // namespace

bool HasNetworks(const pb::InstanceSpec& spec) {
  return spec.requested_networks_size() > 0 || spec.network_ids_size() > 0 ||
         spec.port_ids_size() > 0;
}

std::vector<InterfaceSpec> Interfaces(const std::vector<VifRecord>& vifs) {
  std::vector<InterfaceSpec> out;
  for (const VifRecord& v : vifs) {
    out.push_back({.mac = v.mac_address, .bridge = v.bridge_name, .tap = v.tap_name, .mtu = v.mtu});
  }
  return out;
}

void AddVifs(pb::InstanceUpdate& u, const std::vector<VifRecord>& vifs) {
  u.set_has_network_info(true);
  for (const VifRecord& v : vifs) {
    pb::Vif* out = u.add_vifs();
    out->set_port_id(v.port_id);
    out->set_network_id(v.network_id);
    out->set_network_name(v.network_name);
    out->set_mac_address(v.mac_address);
    for (const VifRecord::Ip& ip : v.ips) {
      pb::VifIp* a = out->add_ips();
      a->set_address(ip.address);
      a->set_version(ip.version);
      a->set_type("fixed");
    }
  }
}

InstancePorts::InstancePorts(const AgentOptions& options, compute::NetworkClient* network,
                             const Clock& clock)
    : options_(options), network_(network), clock_(clock) {}

std::string InstancePorts::ZoneOf(const pb::InstanceSpec& spec) const {
  return spec.availability_zone().empty() ? options_.availability_zone : spec.availability_zone();
}

absl::Status InstancePorts::Plug(const pb::InstanceSpec& spec, InstanceRecord& record) {
  record.vifs.clear();
  std::vector<Wanted> wanted = WantedNetworks(spec);
  if (wanted.empty()) return absl::OkStatus();
  if (network_ == nullptr) {
    // This host cannot wire ports; another host may (a reschedule, not the user's fault).
    return absl::UnavailableError(
        absl::StrCat("host ", options_.host,
                     " has no network service configured ([compute] network_grpc) "
                     "and the instance asks for ",
                     wanted.size(), " network interface(s)"));
  }
  Names names;
  for (size_t nic = 0; nic < wanted.size(); ++nic) {
    const Wanted& w = wanted[nic];
    VifRecord vif;
    vif.user_port = !w.port_id.empty();
    absl::StatusOr<compute::Port> port =
        vif.user_port ? BindUserPort(spec, w.port_id) : AllocatePort(spec, w, nic);
    if (!port.ok()) return port.status();
    GUREUM_RETURN_IF_ERROR(Describe(*port, names, vif));
    record.vifs.push_back(std::move(vif));
  }
  return absl::OkStatus();
}

absl::StatusOr<compute::Port> InstancePorts::BindUserPort(const pb::InstanceSpec& spec,
                                                          const std::string& port_id) {
  absl::StatusOr<compute::Port> port =
      network_->BindPort({.port_id = port_id,
                          .project_id = spec.project_id(),
                          .device_id = spec.uuid(),
                          .device_owner = "compute:" + ZoneOf(spec),
                          .host = options_.host});
  if (!port.ok()) {
    return absl::Status(port.status().code(),
                        absl::StrCat("binding port ", port_id, " to host ", options_.host, ": ",
                                     port.status().message()));
  }
  return port;
}

absl::StatusOr<compute::Port> InstancePorts::AllocatePort(const pb::InstanceSpec& spec,
                                                          const Wanted& w, size_t nic) {
  compute::PortAllocation req{
      .network_id = w.network_id,
      .project_id = spec.project_id(),
      .device_id = spec.uuid(),
      .device_owner = "compute:" + ZoneOf(spec),
      .host = options_.host,
      .nic_index = static_cast<int>(nic),
      .security_group_names = {spec.security_groups().begin(), spec.security_groups().end()},
      .fixed_ip = w.fixed_ip};
  absl::StatusOr<compute::Port> port = network_->AllocatePort(req);
  if (!port.ok()) {
    return absl::Status(
        port.status().code(),
        absl::StrCat("allocating a port on network ", w.network_id, ": ", port.status().message()));
  }
  return port;
}

absl::Status InstancePorts::Describe(const compute::Port& port, Names& names, VifRecord& vif) {
  vif.port_id = port.id;
  vif.network_id = port.network_id;
  vif.mac_address = port.mac_address;
  vif.bridge_name = port.bridge_name;
  vif.tap_name = port.tap_name;
  vif.mtu = port.mtu;
  if (vif.bridge_name.empty() || vif.mac_address.empty()) {
    return absl::InternalError(
        absl::StrCat("port ", port.id, " came back without a bridge or a MAC"));
  }
  auto name = names.networks.find(vif.network_id);
  if (name == names.networks.end()) {
    absl::StatusOr<compute::Network> net =
        network_->GetNetwork(compute::kAsService, vif.network_id);
    std::string n = net.ok() ? net->name : "";
    if (!net.ok())
      spdlog::warn("network {} of port {}: {}", vif.network_id, vif.port_id,
                   net.status().ToString());
    name = names.networks.emplace(vif.network_id, n).first;
  }
  vif.network_name = name->second.empty() ? vif.network_id : name->second;
  for (const compute::FixedIp& f : port.fixed_ips) {
    VifRecord::Ip ip{.address = f.ip_address,
                     .version = f.ip_address.find(':') == std::string::npos ? 4 : 6,
                     .subnet_id = f.subnet_id};
    auto sub = names.subnets.find(f.subnet_id);
    if (sub == names.subnets.end() && !f.subnet_id.empty()) {
      absl::StatusOr<compute::Subnet> got = network_->GetSubnet(compute::kAsService, f.subnet_id);
      if (got.ok())
        sub = names.subnets.emplace(f.subnet_id, *got).first;
      else
        spdlog::warn("subnet {} of port {}: {}", f.subnet_id, vif.port_id, got.status().ToString());
    }
    if (sub != names.subnets.end()) {
      ip.cidr = sub->second.cidr;
      ip.gateway = sub->second.gateway_ip;
    }
    vif.ips.push_back(std::move(ip));
  }
  return absl::OkStatus();
}

absl::Status InstancePorts::Rebind(const std::string& uuid, const InstanceRecord& record) {
  if (record.vifs.empty()) return absl::OkStatus();
  if (network_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("host ", options_.host,
                     " has no network service configured ([compute] network_grpc) "
                     "to bind the instance's ports back"));
  }
  const std::string zone = ZoneOf(record.spec);
  for (const VifRecord& v : record.vifs) {
    absl::StatusOr<compute::Port> port = network_->BindPort({.port_id = v.port_id,
                                                             .project_id = record.spec.project_id(),
                                                             .device_id = uuid,
                                                             .device_owner = "compute:" + zone,
                                                             .host = options_.host});
    if (!port.ok()) {
      return absl::Status(port.status().code(),
                          absl::StrCat("binding port ", v.port_id, " back to host ", options_.host,
                                       ": ", port.status().message()));
    }
  }
  return WaitActive(record.vifs);
}

absl::Status InstancePorts::WaitActive(const std::vector<VifRecord>& vifs) {
  if (vifs.empty()) return absl::OkStatus();
  const absl::Time deadline = clock_.Now() + options_.vif_plugging_timeout;
  std::set<std::string> pending;
  for (const VifRecord& v : vifs) pending.insert(v.port_id);
  std::map<std::string, std::string> last_status;
  absl::Duration pause = absl::Milliseconds(50);
  while (true) {
    for (auto it = pending.begin(); it != pending.end();) {
      absl::StatusOr<compute::Port> p = network_->GetPort(compute::kAsService, *it);
      if (!p.ok()) {
        last_status[*it] = std::string(p.status().message());
        ++it;
        continue;
      }
      last_status[*it] = p->status;
      if (p->status == "ACTIVE") {
        it = pending.erase(it);
      } else if (p->status == "ERROR") {
        return absl::InternalError(absl::StrCat("port ", *it,
                                                " is in ERROR: the network agent on host ",
                                                options_.host, " could not wire it"));
      } else {
        ++it;
      }
    }
    if (pending.empty()) return absl::OkStatus();
    if (clock_.Now() >= deadline) {
      std::vector<std::string> parts;
      for (const std::string& id : pending)
        parts.push_back(absl::StrCat(id, " (", last_status[id], ")"));
      return absl::DeadlineExceededError(absl::StrCat(
          "timed out after ", absl::FormatDuration(options_.vif_plugging_timeout),
          " waiting for the network agent on host ", options_.host, " to wire port(s) ",
          absl::StrJoin(parts, ", "), "; is gureum-network-agent running there?"));
    }
    clock_.SleepFor(std::min(pause, deadline - clock_.Now()));
    pause = std::min(pause * 2, absl::Seconds(1));
  }
}

absl::Status InstancePorts::Unplug(const std::string& uuid, const pb::InstanceSpec& spec,
                                   const std::vector<VifRecord>& vifs) {
  if (vifs.empty() && !HasNetworks(spec)) return absl::OkStatus();
  if (network_ == nullptr) {
    spdlog::warn("instance {} has ports but this host has no [compute] network_grpc: they stay",
                 uuid);
    return absl::OkStatus();
  }
  std::set<std::string> keep(spec.port_ids().begin(), spec.port_ids().end());
  for (const pb::RequestedNetwork& r : spec.requested_networks()) {
    if (!r.port_id().empty()) keep.insert(r.port_id());
  }
  for (const VifRecord& v : vifs) {
    if (v.user_port) keep.insert(v.port_id);
  }
  GUREUM_RETURN_IF_ERROR(network_->ReleasePorts(uuid, {keep.begin(), keep.end()}));
  spdlog::info("released the ports of {} (kept {} of the user's)", uuid, keep.size());
  return absl::OkStatus();
}

}  // namespace gureum::compute_agent
