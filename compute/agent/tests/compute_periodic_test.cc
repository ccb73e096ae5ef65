#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "compute/agent/tests/agent_fixture.h"

namespace gureum::compute_agent {
namespace {

TEST_CASE("registration: inventories from the host, reserved from the config, overrides") {
  AgentFixture f;
  REQUIRE(f.manager->RegisterProvider("rp-1").ok());
  CHECK(f.manager->node_uuid() == "rp-1");
  std::map<std::string, compute::ProviderInventory> inventories = f.placement.inventories();
  CHECK(inventories["VCPU"].total == 8);
  CHECK(inventories["MEMORY_MB"].total == 16384);
  CHECK(inventories["MEMORY_MB"].reserved == 512);
  CHECK(inventories["DISK_GB"].total > 0);
}

TEST_CASE("heartbeat carries every domain's power state, foreign ones too") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  f.hv.AddForeign("99999999-0000-4000-8000-000000000000", "someone-elses");
  REQUIRE(f.manager->Heartbeat().ok());
  pb::ServiceHeartbeat hb;
  for (const pb::Cast& c : f.Take("conductor")) {
    if (c.has_heartbeat()) hb = c.heartbeat();
  }
  CHECK(hb.host() == kHost);
  CHECK(hb.binary() == "gureum-compute-agent");
  CHECK(hb.running_vms() == 2);
  CHECK(hb.power_states().at(kVm) == 1);
  CHECK(hb.power_states().at("99999999-0000-4000-8000-000000000000") == 1);
}

TEST_CASE("power sync: a guest that died is reported, a foreign domain is left alone") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  f.hv.AddForeign("99999999-0000-4000-8000-000000000000", "someone-elses");
  f.manager->SyncPowerStates();
  f.Updates();
  f.manager->SyncPowerStates();
  CHECK(f.Updates().empty());  // nothing changed
  f.hv.SetPowerState(kVm, PowerState::kShutdown);
  f.manager->SyncPowerStates();
  auto u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].power_state() == 4);
  CHECK(u[0].vm_state() == "stopped");
  CHECK(u[0].keep_task_state());
  CHECK(f.hv.Get("99999999-0000-4000-8000-000000000000").ok());
}

// The listing is taken before each instance's lock; an action that finished in between
// (here: the listing says shut off, the domain runs) must not be reported as a death.
TEST_CASE("power sync: a listing overtaken by an action does not stop a running server") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  f.manager->SyncPowerStates();
  f.Updates();
  f.hv.ListOnce(
      {DomainInfo{.uuid = kVm, .name = "instance-x", .power_state = PowerState::kShutdown}});
  f.manager->SyncPowerStates();
  CHECK(f.Updates().empty());
  CHECK(f.hv.Get(kVm)->power_state == PowerState::kRunning);
}

TEST_CASE("console tail is pushed when the log changed, at most 64 KiB, valid UTF-8") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  f.Updates();
  f.manager->PushConsoleTails();
  CHECK(f.Updates().empty());  // no log yet
  {
    std::ofstream log(f.files->Paths(kVm).console_log);
    log << std::string(70000, 'a') << "\xff\xfe GUREUM-TINY-BOOTED\n";
  }
  f.manager->PushConsoleTails();
  auto u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].has_console_tail());
  CHECK(u[0].console_tail().size() == kConsoleTailBytes);
  CHECK(u[0].console_tail().find("?? GUREUM-TINY-BOOTED") != std::string::npos);
  f.manager->PushConsoleTails();
  CHECK(f.Updates().empty());
}

TEST_CASE("restart: a finished build is reported, an unfinished one fails after the grace") {
  AgentFixture f;
  const std::string done = "0b6e2a10-0000-4000-8000-00000000000a";
  const std::string half = "0b6e2a10-0000-4000-8000-00000000000b";
  // Two records left in `building` by an agent that was killed.
  for (const std::string& id : {done, half}) {
    InstanceRecord r;
    r.state = "building";
    r.task_id = "t";
    r.spec = f.BuildCast(id).request().spec();
    REQUIRE(f.files->Save(id, r).ok());
  }
  DomainSpec d;
  d.uuid = done;
  d.disks.push_back({.path = "/x"});
  REQUIRE(f.hv.Define(d).ok());
  REQUIRE(f.hv.Start(done).ok());
  f.manager->ReconcileAfterRestart();
  auto u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].instance_uuid() == done);
  CHECK(u[0].vm_state() == "active");
  f.manager->FailStaleBuilds();
  u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].instance_uuid() == half);
  CHECK(u[0].vm_state() == "error");
  CHECK(u[0].fault().message().find("interrupted") != std::string::npos);
}

TEST_CASE("restart: the redelivered cast of an interrupted build finishes it") {
  AgentFixture f;
  InstanceRecord r;
  r.state = "building";
  r.task_id = "task-1";
  r.spec = f.BuildCast(kVm).request().spec();
  REQUIRE(f.files->Save(kVm, r).ok());
  f.manager->ReconcileAfterRestart();
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-1")).ok());
  CHECK(f.Updates().back().vm_state() == "active");
  f.manager->FailStaleBuilds();
  CHECK(f.Updates().empty());
}

TEST_CASE("image cache cleanup: unused bases go after max_unused, used ones stay") {
  AgentFixture f;
  f.image_client.Add("image-unused", "zzzz", "raw");
  REQUIRE(f.images->Fetch("image-unused").ok());
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  CHECK(f.manager->CleanupImageCache() == 0);  // too recent
  f.clock.Advance(absl::Hours(2));
  CHECK(f.manager->CleanupImageCache() == 1);
  CHECK_FALSE(std::filesystem::exists(f.images->PathOf("image-unused")));
  CHECK(std::filesystem::exists(f.images->PathOf(kImage)));
}

TEST_CASE("image cache: a verified base is used while the image service is unavailable") {
  AgentFixture f;
  f.image_client.FailNextGet(absl::UnavailableError("image service down"));
  CHECK(f.images->Fetch(kImage).status().code() ==
        absl::StatusCode::kUnavailable);  // nothing cached
  REQUIRE(f.images->Fetch(kImage).ok());
  f.image_client.FailNextGet(absl::UnavailableError("image service down"));
  auto cached = f.images->Fetch(kImage);
  REQUIRE(cached.ok());
  CHECK(cached->disk_format == "raw");
  f.image_client.FailNextGet(absl::NotFoundError("image deleted"));
  CHECK(f.images->Fetch(kImage).status().code() == absl::StatusCode::kNotFound);
  CHECK(f.images->downloads() == 1);
}

TEST_CASE("console output request pushes the tail even when unchanged") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  std::ofstream(f.files->Paths(kVm).console_log) << "login: ";
  f.manager->PushConsoleTails();
  f.Updates();
  REQUIRE(f.manager->Act(f.ActionCast(kVm, pb::InstanceAction::CONSOLE_OUTPUT)).ok());
  auto u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].console_tail() == "login: ");
}

TEST_CASE("image cache refuses ids that are not plain names") {
  AgentFixture f;
  CHECK(f.images->Fetch("../../etc/passwd").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(f.images->Fetch("").status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("SanitizeUtf8 keeps valid text and replaces broken bytes") {
  CHECK(SanitizeUtf8("héllo 구름") == "héllo 구름");
  CHECK(SanitizeUtf8(std::string("a\xc3")) == "a?");
  CHECK(SanitizeUtf8(std::string("a\0b", 3)) == "a?b");
}

}  // namespace
}  // namespace gureum::compute_agent
