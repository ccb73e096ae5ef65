// The libvirt adapter on libvirt's test:///default driver: real libvirt code paths
// (XML parsing, state machine, managed save, metadata), no daemon, no guest.
#include "compute/agent/libvirt_hypervisor.h"

#include <catch2/catch.hpp>

namespace gureum::compute_agent {
namespace {

DomainSpec Spec(const std::string& uuid) {
  DomainSpec s;
  s.uuid = uuid;
  s.name = "instance-" + uuid.substr(0, 8);
  s.virt_type = "test";
  s.memory_mb = 128;
  s.disks.push_back({.path = "/nonexistent/" + uuid + "/disk"});
  s.console_log = "/nonexistent/" + uuid + "/console.log";
  s.metadata = {{"instance_uuid", uuid}, {"project_id", "p1"}};
  return s;
}

TEST_CASE("libvirt adapter: the life of a domain on test:///default") {
  auto hv = CreateLibvirtHypervisor("test:///default");
  REQUIRE(hv.ok());
  Hypervisor& h = **hv;
  const std::string id = "11111111-2222-4333-8444-555555555555";

  REQUIRE(h.Define(Spec(id)).ok());
  CHECK(h.Define(Spec(id)).code() == absl::StatusCode::kAlreadyExists);
  auto info = h.Get(id);
  REQUIRE(info.ok());
  CHECK(info->power_state == PowerState::kShutdown);
  CHECK(info->metadata.at("project_id") == "p1");

  REQUIRE(h.Start(id).ok());
  CHECK(h.Start(id).ok());  // idempotent
  CHECK(h.Get(id)->power_state == PowerState::kRunning);

  REQUIRE(h.Pause(id).ok());
  CHECK(h.Get(id)->power_state == PowerState::kPaused);
  REQUIRE(h.Resume(id).ok());
  CHECK(h.Get(id)->power_state == PowerState::kRunning);

  REQUIRE(h.Suspend(id).ok());
  info = h.Get(id);
  CHECK(info->power_state == PowerState::kSuspended);
  CHECK(info->managed_save);
  REQUIRE(h.Start(id).ok());  // restores the managed save
  CHECK(h.Get(id)->power_state == PowerState::kRunning);

  REQUIRE(h.Reboot(id, /*hard=*/true, absl::Seconds(1)).ok());
  CHECK(h.Get(id)->power_state == PowerState::kRunning);
  REQUIRE(h.Reboot(id, /*hard=*/false, absl::Seconds(1)).ok());
  CHECK(h.Get(id)->power_state == PowerState::kRunning);

  REQUIRE(h.Stop(id, absl::Seconds(2)).ok());
  CHECK(h.Get(id)->power_state == PowerState::kShutdown);
  CHECK(h.Stop(id, absl::Seconds(2)).ok());  // already stopped

  REQUIRE(h.Start(id).ok());
  REQUIRE(h.Undefine(id).ok());  // destroys the running domain first
  CHECK(h.Get(id).status().code() == absl::StatusCode::kNotFound);
  CHECK(h.Undefine(id).code() == absl::StatusCode::kNotFound);
  CHECK(h.Start(id).code() == absl::StatusCode::kNotFound);
}

TEST_CASE("libvirt adapter: list shows ours with metadata and foreign ones without") {
  auto hv = CreateLibvirtHypervisor("test:///default");
  REQUIRE(hv.ok());
  const std::string id = "21111111-2222-4333-8444-555555555555";
  REQUIRE((*hv)->Define(Spec(id)).ok());
  auto all = (*hv)->List();
  REQUIRE(all.ok());
  bool ours = false, foreign = false;
  for (const DomainInfo& d : *all) {
    if (d.uuid == id) ours = d.metadata.count("instance_uuid") == 1;
    // test:///default starts with one running domain named "test".
    if (d.name == "test") foreign = d.metadata.empty() && d.power_state == PowerState::kRunning;
  }
  CHECK(ours);
  CHECK(foreign);
}

TEST_CASE("libvirt adapter: host resources and a refused definition") {
  auto hv = CreateLibvirtHypervisor("test:///default");
  REQUIRE(hv.ok());
  auto host = (*hv)->Host();
  REQUIRE(host.ok());
  CHECK(host->vcpus > 0);
  CHECK(host->memory_mb > 0);
  CHECK((*hv)->HypervisorType() == "test");
  DomainSpec bad = Spec("31111111-2222-4333-8444-555555555555");
  bad.virt_type = "no-such-virt";
  absl::Status s = (*hv)->Define(bad);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("31111111") != std::string::npos);
}

TEST_CASE("libvirt adapter: an unreachable daemon is Unavailable with the reason") {
  auto hv = CreateLibvirtHypervisor("qemu+unix:///system?socket=/nonexistent/libvirt-sock");
  REQUIRE_FALSE(hv.ok());
  CHECK(hv.status().code() == absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace gureum::compute_agent

namespace gureum::compute_agent {
namespace {

// test:///default cannot attach devices (virDomainAttachDeviceFlags is not supported
// there): the real attach and detach run on qemu:///system in the e2e volume test.
TEST_CASE("libvirt adapter: a domain's disks read back, detaching an absent disk is OK") {
  auto hv = CreateLibvirtHypervisor("test:///default");
  REQUIRE(hv.ok());
  Hypervisor& h = **hv;
  const std::string id = "11111111-2222-4333-8444-666666666666";
  DomainSpec spec = Spec(id);
  spec.disks.push_back(
      {.path = "/nonexistent/vol-1", .format = "raw", .target = "vdb", .serial = "vol-1"});
  REQUIRE(h.Define(spec).ok());
  REQUIRE(h.Start(id).ok());
  auto disks = h.Disks(id);
  REQUIRE(disks.ok());
  REQUIRE(disks->size() == 2);
  CHECK((*disks)[0].target == "vda");
  CHECK((*disks)[1].target == "vdb");
  CHECK((*disks)[1].serial == "vol-1");
  CHECK(h.AttachDisk(id, {.target = "vdb"}).code() == absl::StatusCode::kAlreadyExists);
  CHECK(h.DetachDisk(id, "vdc", absl::Seconds(1)).ok());
  CHECK(h.Disks("11111111-2222-4333-8444-000000000000").status().code() ==
        absl::StatusCode::kNotFound);
  REQUIRE(h.Undefine(id).ok());
}

}  // namespace
}  // namespace gureum::compute_agent
