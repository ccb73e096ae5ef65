// The agent's side of gureum-network, over FakeNetworkClient: ports allocated and bound
// at build, the domain's bridge interfaces, network_data.json, the ACTIVE wait and its
// timeout (rescheduled), InstanceUpdate.vifs, and ReleasePorts at delete.
#include <filesystem>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/process/command.h"
#include "compute/agent/domain_xml.h"
#include "compute/agent/tests/agent_fixture.h"

namespace gureum::compute_agent {
using process::RunCommand;
namespace {

constexpr char kNetVm[] = "0b6e2a10-0000-4000-8000-0000000000a1";
constexpr char kNet[] = "5e7d1c2b-aaaa-4bbb-8ccc-ddddeeeeffff";
constexpr char kNet2[] = "6f8e2d3c-aaaa-4bbb-8ccc-ddddeeeeffff";
constexpr char kUserPort[] = "77aa88bb-1111-4222-8333-444455556666";

void AddNetworks(AgentFixture& f, pb::BuildInstance& b) {
  f.network.AddNetwork({.id = kNet, .name = "private"});
  f.network.AddNetwork({.id = kNet2, .name = "second"});
  f.network.AddPort(
      {.id = kUserPort,
       .network_id = kNet2,
       .project_id = "project-a",
       .mac_address = "fa:16:3e:aa:bb:cc",
       .status = "DOWN",
       .fixed_ips = {{.subnet_id = std::string("subnet-") + kNet2, .ip_address = "10.0.0.200"}}});
  pb::InstanceSpec* s = b.mutable_request()->mutable_spec();
  s->add_network_ids(kNet);
  s->add_port_ids(kUserPort);
  auto* r = s->add_requested_networks();
  r->set_network_id(kNet);
  r->set_fixed_ip("10.0.0.50");
  s->add_requested_networks()->set_port_id(kUserPort);
  s->add_security_groups("web");
  s->set_availability_zone("zone-1");
}

TEST_CASE(
    "network build: allocate + bind, wait for ACTIVE, bridge interfaces in order, vifs in the "
    "update") {
  AgentFixture f;
  {
    absl::MutexLock l(&f.network.mu);
    f.network.gets_until_active = 2;  // the network agent needs a moment
  }
  pb::BuildInstance b = f.BuildCast(kNetVm);
  AddNetworks(f, b);
  REQUIRE(f.manager->Build(b).ok());

  std::string allocated_id;
  {
    absl::MutexLock l(&f.network.mu);
    REQUIRE(f.network.allocations.size() == 1);
    const compute::PortAllocation& a = f.network.allocations[0];
    CHECK(a.network_id == kNet);
    CHECK(a.project_id == "project-a");
    CHECK(a.device_id == kNetVm);
    CHECK(a.device_owner == "compute:zone-1");
    CHECK(a.host == kHost);
    REQUIRE(a.security_group_names.size() == 1);
    CHECK(a.security_group_names[0] == "web");
    CHECK(a.fixed_ip == "10.0.0.50");
    for (const auto& [id, p] : f.network.ports) {
      if (id != kUserPort) allocated_id = id;
      CHECK(p.binding_host == kHost);
      CHECK(p.device_id == kNetVm);
      CHECK(p.status == "ACTIVE");  // the domain started only after both were ACTIVE
      CHECK(f.network.gets[id] >= 3);
    }
  }
  DomainSpec d = f.hv.SpecOf(kNetVm);
  REQUIRE(d.interfaces.size() == 2);
  CHECK(d.interfaces[0].bridge == std::string("brq") + std::string(kNet).substr(0, 11));
  CHECK(d.interfaces[0].tap == "tap" + allocated_id.substr(0, 11));
  CHECK(d.interfaces[0].mtu == 1450);
  CHECK(d.interfaces[1].mac == "fa:16:3e:aa:bb:cc");
  CHECK(d.interfaces[1].bridge == std::string("brq") + std::string(kNet2).substr(0, 11));
  // The libvirt XML of the domain has them (test:///default accepts bridge interfaces).
  REQUIRE(DomainXml(d).ok());

  // network_data.json on the config drive.
  auto nd = RunCommand({"isoinfo", "-i", f.files->Paths(kNetVm).config_drive, "-R", "-x",
                        "/openstack/latest/network_data.json"},
                       absl::Seconds(30));
  REQUIRE(nd.ok());
  nlohmann::json j = nlohmann::json::parse(nd->output, nullptr, false);
  REQUIRE(j.is_object());
  REQUIRE(j["links"].size() == 2);
  CHECK(j["links"][1]["ethernet_mac_address"] == "fa:16:3e:aa:bb:cc");
  REQUIRE(j["networks"].size() == 2);
  CHECK(j["networks"][0]["ip_address"] == "10.0.0.50");
  CHECK(j["networks"][0]["netmask"] == "255.255.255.0");
  CHECK(j["networks"][0]["routes"][0]["gateway"] == "10.0.0.1");
  CHECK(j["networks"][1]["ip_address"] == "10.0.0.200");

  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state() == "active");
  REQUIRE(updates[0].has_network_info());
  REQUIRE(updates[0].vifs_size() == 2);
  CHECK(updates[0].vifs(0).network_name() == "private");
  CHECK(updates[0].vifs(0).port_id() == allocated_id);
  REQUIRE(updates[0].vifs(0).ips_size() == 1);
  CHECK(updates[0].vifs(0).ips(0).address() == "10.0.0.50");
  CHECK(updates[0].vifs(0).ips(0).version() == 4);
  CHECK(updates[0].vifs(0).ips(0).type() == "fixed");
  CHECK(updates[0].vifs(1).network_name() == "second");
  CHECK(updates[0].vifs(1).mac_address() == "fa:16:3e:aa:bb:cc");

  // A redelivered build is answered with the same vifs and allocates nothing new.
  REQUIRE(f.manager->Build(b).ok());
  updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vifs_size() == 2);

  // Delete: the allocated port goes, the user's is unbound and kept.
  pb::InstanceAction del = f.ActionCast(kNetVm, pb::InstanceAction::DELETE);
  REQUIRE(f.manager->Act(del).ok());
  absl::MutexLock l(&f.network.mu);
  REQUIRE(f.network.releases.size() == 1);
  CHECK(f.network.releases[0].device_id == kNetVm);
  REQUIRE(f.network.releases[0].keep_port_ids.size() == 1);
  CHECK(f.network.releases[0].keep_port_ids[0] == kUserPort);
  REQUIRE(f.network.ports.size() == 1);
  CHECK(f.network.ports.count(kUserPort) == 1);
  CHECK(f.network.ports[kUserPort].device_id.empty());
  CHECK(f.network.ports[kUserPort].binding_host.empty());
}

TEST_CASE("network build: two NICs on one network are two ports, told apart by nic_index") {
  AgentFixture f;
  pb::BuildInstance b = f.BuildCast(kNetVm);
  f.network.AddNetwork({.id = kNet, .name = "private"});
  pb::InstanceSpec* s = b.mutable_request()->mutable_spec();
  s->add_network_ids(kNet);
  s->add_network_ids(kNet);
  s->add_requested_networks()->set_network_id(kNet);
  s->add_requested_networks()->set_network_id(kNet);
  REQUIRE(f.manager->Build(b).ok());
  {
    absl::MutexLock l(&f.network.mu);
    REQUIRE(f.network.allocations.size() == 2);
    CHECK(f.network.allocations[0].nic_index == 0);
    CHECK(f.network.allocations[1].nic_index == 1);
    CHECK(f.network.ports.size() == 2);
  }
  DomainSpec d = f.hv.SpecOf(kNetVm);
  REQUIRE(d.interfaces.size() == 2);
  CHECK(d.interfaces[0].mac != d.interfaces[1].mac);
  CHECK(d.interfaces[0].tap != d.interfaces[1].tap);
  CHECK(d.interfaces[0].bridge == d.interfaces[1].bridge);
}

TEST_CASE(
    "network build: ports never ACTIVE -> the build fails with a clear fault and is rescheduled") {
  AgentFixture f;
  f.options.vif_plugging_timeout = absl::Milliseconds(300);
  f.real_time = true;
  f.Restart();
  {
    absl::MutexLock l(&f.network.mu);
    f.network.gets_until_active = -1;  // no network agent on this host
  }
  pb::BuildInstance b = f.BuildCast(kNetVm, "task-1", {"node-b"});
  AddNetworks(f, b);
  REQUIRE(f.manager->Build(b).ok());
  CHECK_FALSE(f.hv.Get(kNetVm).ok());
  auto scheduled = f.Take("scheduler");
  REQUIRE(scheduled.size() == 1);
  CHECK(scheduled[0].schedule().attempt() == 2);
  CHECK(scheduled[0].schedule().last_fault().find("waiting for the network agent on host node-a") !=
        std::string::npos);
  CHECK(scheduled[0].schedule().last_fault().find("gureum-network-agent") != std::string::npos);
  // This attempt's ports were released (the user's kept) for the next host to start over.
  absl::MutexLock l(&f.network.mu);
  REQUIRE(f.network.releases.size() == 1);
  CHECK(f.network.ports.size() == 1);
  CHECK(f.network.ports.count(kUserPort) == 1);
}

TEST_CASE("network build: no alternates left -> ERROR with the timeout as the fault") {
  AgentFixture f;
  f.options.vif_plugging_timeout = absl::Milliseconds(200);
  f.real_time = true;
  f.Restart();
  {
    absl::MutexLock l(&f.network.mu);
    f.network.gets_until_active = -1;
  }
  pb::BuildInstance b = f.BuildCast(kNetVm);
  AddNetworks(f, b);
  REQUIRE(f.manager->Build(b).ok());
  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state() == "error");
  CHECK(updates[0].fault().message().find("timed out after") != std::string::npos);
  CHECK(updates[0].fault().message().find("is gureum-network-agent running there?") !=
        std::string::npos);
}

TEST_CASE("network build: a refused fixed IP is the user's error (no reschedule)") {
  AgentFixture f;
  f.network.FailNextAllocate(
      absl::InvalidArgumentError("IP address 10.9.9.9 is not in subnet 10.0.0.0/24"));
  pb::BuildInstance b = f.BuildCast(kNetVm, "task-1", {"node-b"});
  AddNetworks(f, b);
  REQUIRE(f.manager->Build(b).ok());
  CHECK(f.Take("scheduler").empty());
  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state() == "error");
  CHECK(updates[0].fault().code() == 400);
  CHECK(updates[0].fault().message().find("allocating a port on network " + std::string(kNet)) !=
        std::string::npos);
  CHECK(updates[0].fault().message().find("is not in subnet") != std::string::npos);
}

TEST_CASE(
    "network build: a port refused at allocation leaves nothing on the host (issue 16, "
    "hole 12)") {
  AgentFixture f;
  f.network.FailNextAllocate(
      absl::PermissionDeniedError("network 5e7d1c2b belongs to another project"));
  pb::BuildInstance b = f.BuildCast(kNetVm);
  AddNetworks(f, b);
  REQUIRE(f.manager->Build(b).ok());
  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state() == "error");
  CHECK_FALSE(f.hv.Get(kNetVm).ok());
  CHECK_FALSE(std::filesystem::exists(f.files->Paths(kNetVm).dir));
  CHECK(f.files->All().empty());
  // The delete that follows (if it reaches this host) finds nothing and succeeds.
  REQUIRE(f.manager->Act(f.ActionCast(kNetVm, pb::InstanceAction::DELETE)).ok());
  CHECK_FALSE(std::filesystem::exists(f.files->Paths(kNetVm).dir));
}

TEST_CASE("network build: a host without network_grpc reschedules instances with networks") {
  AgentFixture f;
  f.no_network = true;
  f.Restart();
  pb::BuildInstance b = f.BuildCast(kNetVm, "task-1", {"node-b"});
  AddNetworks(f, b);
  REQUIRE(f.manager->Build(b).ok());
  auto scheduled = f.Take("scheduler");
  REQUIRE(scheduled.size() == 1);
  CHECK(scheduled[0].schedule().last_fault().find("no network service configured") !=
        std::string::npos);
}

TEST_CASE("network build: an instance without networks gets no interface and no vifs") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kNetVm)).ok());
  CHECK(f.hv.SpecOf(kNetVm).interfaces.empty());
  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK_FALSE(updates[0].has_network_info());
  REQUIRE(f.manager->Act(f.ActionCast(kNetVm, pb::InstanceAction::DELETE)).ok());
  absl::MutexLock l(&f.network.mu);
  CHECK(f.network.releases.empty());
}

TEST_CASE("network move: a cold migration to this host rebinds the same ports here") {
  AgentFixture f;
  pb::BuildInstance first = f.BuildCast(kNetVm);
  AddNetworks(f, first);
  // Built on node-b first (as node-b's agent would have asked).
  {
    REQUIRE(f.network
                .AllocatePort({.network_id = kNet,
                               .project_id = "project-a",
                               .device_id = kNetVm,
                               .host = "node-b"})
                .ok());
    REQUIRE(f.network
                .BindPort({.port_id = kUserPort,
                           .project_id = "project-a",
                           .device_id = kNetVm,
                           .host = "node-b"})
                .ok());
  }
  pb::BuildInstance move = first;
  move.mutable_request()->set_operation(pb::ScheduleRequest::MIGRATE);
  move.mutable_request()->set_source_host("node-b");
  move.mutable_request()->set_migration_id("mig-1");
  move.mutable_request()->set_task_id("task-move");
  REQUIRE(f.manager->Build(move).ok());
  REQUIRE(f.hv.Get(kNetVm).ok());
  absl::MutexLock l(&f.network.mu);
  CHECK(f.network.ports.size() == 2);  // no new port: the same two, now bound here
  for (const auto& [id, p] : f.network.ports) {
    CHECK(p.binding_host == kHost);
    CHECK(p.device_id == kNetVm);
  }
  CHECK(f.network.releases.empty());
}

TEST_CASE(
    "network move: reverting a move to another host binds the ports back here before the start") {
  AgentFixture f;
  pb::BuildInstance first = f.BuildCast(kNetVm);
  AddNetworks(f, first);
  REQUIRE(f.manager->Build(first).ok());
  {
    // The resize went to node-b, whose agent bound the ports there.
    absl::MutexLock l(&f.network.mu);
    REQUIRE(f.network.ports.size() == 2);
    for (auto& [id, p] : f.network.ports) p.binding_host = "node-b";
  }
  pb::InstanceAction revert = f.ActionCast(kNetVm, pb::InstanceAction::FINISH_REVERT);
  revert.set_migration_id("mig-1");
  REQUIRE(f.manager->Act(revert).ok());
  CHECK(f.hv.Get(kNetVm).ok());
  absl::MutexLock l(&f.network.mu);
  CHECK(f.network.ports.size() == 2);
  for (const auto& [id, p] : f.network.ports) {
    CHECK(p.binding_host == kHost);
    CHECK(p.device_id == kNetVm);
  }
  CHECK(f.network.releases.empty());
}

}  // namespace
}  // namespace gureum::compute_agent
