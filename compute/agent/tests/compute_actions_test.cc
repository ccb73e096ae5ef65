#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/process/command.h"
#include "compute/agent/tests/agent_fixture.h"

namespace gureum::compute_agent {
namespace {

using K = pb::InstanceAction;

struct Built : AgentFixture {
  Built() {
    REQUIRE(manager->Build(BuildCast(kVm)).ok());
    Updates();
  }
  pb::InstanceUpdate Only() {
    auto u = Updates();
    REQUIRE(u.size() == 1);
    return u[0];
  }
};

TEST_CASE("actions: stop, start, reboot, pause, unpause, suspend, resume") {
  Built f;
  struct Step {
    K::Kind kind;
    const char* vm_state;
    int power;
    const char* event;
  };
  for (const Step& s : std::vector<Step>{{K::STOP, "stopped", 4, "compute_stop_instance"},
                                         {K::START, "active", 1, "compute_start_instance"},
                                         {K::REBOOT_SOFT, "active", 1, "compute_reboot_instance"},
                                         {K::REBOOT_HARD, "active", 1, "compute_reboot_instance"},
                                         {K::PAUSE, "paused", 3, "compute_pause_instance"},
                                         {K::UNPAUSE, "active", 1, "compute_unpause_instance"},
                                         {K::SUSPEND, "suspended", 7, "compute_suspend_instance"},
                                         {K::RESUME, "active", 1, "compute_resume_instance"}}) {
    INFO(s.event);
    REQUIRE(f.manager->Act(f.ActionCast(kVm, s.kind)).ok());
    pb::InstanceUpdate u = f.Only();
    CHECK(u.vm_state() == s.vm_state);
    CHECK(u.power_state() == s.power);
    CHECK(u.event() == s.event);
    CHECK(u.task_state().empty());
    CHECK_FALSE(u.keep_task_state());
    CHECK(PowerNumber(f.hv.Get(kVm)->power_state) == s.power);
  }
}

TEST_CASE("actions: DIAGNOSTICS pushes the running domain's statistics, none when stopped") {
  Built f;
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::DIAGNOSTICS)).ok());
  pb::InstanceUpdate u = f.Only();
  CHECK(u.has_diagnostics());
  CHECK(u.keep_task_state());
  CHECK(u.power_state() == -1);
  CHECK(u.diagnostics().count("memory") == 1);
  CHECK(u.diagnostics().count("cpu0_time") == 1);
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::STOP)).ok());
  f.Updates();
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::DIAGNOSTICS)).ok());
  u = f.Only();
  CHECK(u.has_diagnostics());
  CHECK(u.diagnostics().empty());
}

TEST_CASE("actions: a refused action reports a fault and the real power state") {
  Built f;
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::UNPAUSE)).ok());  // it is not paused
  pb::InstanceUpdate u = f.Only();
  CHECK(u.event_failed());
  CHECK(u.fault().code() == 409);
  CHECK(u.vm_state().empty());  // unchanged
  CHECK(u.power_state() == 1);
  REQUIRE(f.manager->Act(f.ActionCast("0b6e2a10-0000-4000-8000-00000000dead", K::STOP)).ok());
  u = f.Only();
  CHECK(u.fault().code() == 404);
  CHECK(u.fault().message().find("no virtual machine on host node-a") != std::string::npos);
}

TEST_CASE("delete: domain, disks, folder and allocation go, repeated delete is harmless") {
  Built f;
  InstancePaths p = f.files->Paths(kVm);
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::DELETE)).ok());
  CHECK_FALSE(f.hv.Get(kVm).ok());
  CHECK_FALSE(std::filesystem::exists(p.dir));
  pb::InstanceUpdate u = f.Only();
  CHECK(u.deleted());
  CHECK(u.vm_state() == "deleted");
  CHECK(u.event() == "compute_terminate_instance");
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::DELETE)).ok());
  CHECK(f.Only().deleted());
  std::vector<std::string> deleted = f.placement.deleted();
  CHECK(deleted.size() == 2);
  CHECK(deleted[0] == std::string(kVm) + "@node-a");
}

TEST_CASE("delete: placement unreachable means the delete is retried, not half done") {
  Built f;
  f.placement.FailNext(absl::UnavailableError("scheduler down"));
  CHECK_FALSE(f.manager->Act(f.ActionCast(kVm, K::DELETE)).ok());
  CHECK(f.Updates().empty());
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::DELETE)).ok());
  CHECK(f.Only().deleted());
}

TEST_CASE("rebuild: a new disk from the new image, same domain uuid") {
  Built f;
  f.image_client.Add("image-2", std::string(4096, 'y'), "raw");
  pb::InstanceAction a = f.ActionCast(kVm, K::REBUILD, "task-rebuild");
  *a.mutable_spec() = f.BuildCast(kVm).request().spec();
  a.mutable_spec()->mutable_image()->set_id("image-2");
  REQUIRE(f.manager->Act(a).ok());
  pb::InstanceUpdate u = f.Only();
  CHECK(u.vm_state() == "active");
  CHECK(u.event() == "compute_rebuild_instance");
  CHECK(f.files->Load(kVm)->base_image_id == "image-2");
  CHECK(f.hv.Get(kVm)->power_state == PowerState::kRunning);
  CHECK(f.hv.SpecOf(kVm).metadata.at("image_id") == "image-2");
}

TEST_CASE("rebuild: a stopped server stays stopped, as in Nova") {
  Built f;
  REQUIRE(f.manager->Act(f.ActionCast(kVm, K::STOP)).ok());
  f.Updates();
  pb::InstanceAction a = f.ActionCast(kVm, K::REBUILD, "task-rebuild");
  *a.mutable_spec() = f.BuildCast(kVm).request().spec();
  REQUIRE(f.manager->Act(a).ok());
  pb::InstanceUpdate u = f.Only();
  CHECK(u.vm_state() == "stopped");
  CHECK(u.power_state() == 4);
  CHECK_FALSE(u.event_failed());
  CHECK(f.hv.Get(kVm)->power_state == PowerState::kShutdown);
}

TEST_CASE("snapshot: the root disk, flattened, fills the image, and the guest runs again") {
  Built f;
  auto image = f.image_client.CreateImage(
      "token-a", {.name = "snap", .disk_format = "qcow2", .container_format = "bare"});
  REQUIRE(image.ok());
  pb::InstanceAction a = f.ActionCast(kVm, K::SNAPSHOT, "task-snap");
  a.set_image_id(image->id);
  REQUIRE(f.manager->Act(a).ok());
  pb::InstanceUpdate u = f.Only();
  CHECK(u.event() == "compute_snapshot_instance");
  CHECK_FALSE(u.event_failed());
  CHECK(u.task_state().empty());
  REQUIRE(u.expected_task_states_size() == 1);
  CHECK(u.expected_task_states(0) == "image_snapshot");
  CHECK(f.hv.Get(kVm)->power_state == PowerState::kRunning);
  CHECK(f.image_client.GetImage("token-a", image->id)->status == "active");

  // A standalone qcow2 (no backing file) holding the base image's bytes.
  const std::string snap = f.root + "/snap.qcow2", raw = f.root + "/snap.raw";
  {
    std::ofstream out(snap, std::ios::binary);
    const std::string data = f.image_client.data(image->id);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  auto info = process::RunCommand({"qemu-img", "info", "--output=json", "-f", "qcow2", snap},
                                  absl::Seconds(30));
  REQUIRE(info.ok());
  REQUIRE(info->exit_code == 0);
  CHECK(info->output.find("backing-filename") == std::string::npos);
  auto flat = process::RunCommand({"qemu-img", "convert", "-f", "qcow2", "-O", "raw", snap, raw},
                                  absl::Seconds(30));
  REQUIRE(flat.ok());
  REQUIRE(flat->exit_code == 0);
  std::ifstream in(raw, std::ios::binary);
  std::string head(8192, '\0');
  in.read(head.data(), 8192);
  CHECK(head == std::string(8192, 'x'));

  SECTION("the image service refuses the upload: the task ends with a failed event") {
    auto other = f.image_client.CreateImage("token-a", {.name = "snap2"});
    REQUIRE(other.ok());
    f.image_client.FailNextUpload(absl::UnavailableError("image service down"));
    pb::InstanceAction again = f.ActionCast(kVm, K::SNAPSHOT, "task-snap-2");
    again.set_image_id(other->id);
    REQUIRE(f.manager->Act(again).ok());
    pb::InstanceUpdate failed = f.Only();
    CHECK(failed.event_failed());
    CHECK(failed.task_state().empty());
    CHECK(failed.fault().message().find("image service down") != std::string::npos);
    CHECK(f.hv.Get(kVm)->power_state == PowerState::kRunning);  // resumed after the copy
  }
}

TEST_CASE("same-host resize: the old copy is kept aside until confirm, revert brings it back") {
  Built f;
  pb::BuildInstance move = f.BuildCast(kVm, "task-resize");
  move.mutable_request()->set_operation(pb::ScheduleRequest::RESIZE);
  move.mutable_request()->set_source_host(kHost);
  move.mutable_request()->set_migration_id("mig-1");
  move.mutable_request()->mutable_spec()->mutable_flavor()->set_id("f2");
  move.mutable_request()->mutable_spec()->mutable_flavor()->set_ram_mb(256);
  REQUIRE(f.manager->Build(move).ok());
  pb::InstanceUpdate u = f.Only();
  CHECK(u.vm_state() == "resized");
  CHECK(u.flavor_id() == "f2");
  CHECK(u.migration_status() == "finished");
  CHECK(f.hv.SpecOf(kVm).memory_mb == 256);
  CHECK(f.files->HasStash(kVm));

  SECTION("confirm drops the old folder") {
    pb::InstanceAction c = f.ActionCast(kVm, K::CONFIRM_RESIZE, "task-resize");
    c.set_migration_id("mig-1");
    REQUIRE(f.manager->Act(c).ok());
    CHECK(f.Only().migration_status() == "confirmed");
    CHECK_FALSE(f.files->HasStash(kVm));
    CHECK(f.hv.Get(kVm)->power_state == PowerState::kRunning);
  }
  SECTION("revert restores the old flavor") {
    pb::InstanceAction r = f.ActionCast(kVm, K::REVERT_RESIZE, "task-resize");
    r.set_migration_id("mig-1");
    r.set_source_host(kHost);
    REQUIRE(f.manager->Act(r).ok());
    u = f.Only();
    CHECK(u.migration_status() == "reverted");
    CHECK(u.flavor_id() == "f1");
    CHECK(f.hv.SpecOf(kVm).memory_mb == 128);
    CHECK(f.hv.Get(kVm)->power_state == PowerState::kRunning);
  }
}

TEST_CASE("cold migrate: the destination asks the source to power off, confirm cleans the source") {
  AgentFixture dest;
  pb::BuildInstance move = dest.BuildCast(kVm, "task-mig");
  move.mutable_request()->set_operation(pb::ScheduleRequest::MIGRATE);
  move.mutable_request()->set_source_host("node-z");
  move.mutable_request()->set_migration_id("mig-2");
  REQUIRE(dest.manager->Build(move).ok());
  auto to_source = dest.Take("compute.node-z");
  REQUIRE(to_source.size() == 1);
  CHECK(to_source[0].action().kind() == K::STOP);
  CHECK(to_source[0].action().migration_id() == "mig-2");

  Built source;  // the source host's view: it holds the instance
  REQUIRE(source.manager->Act(to_source[0].action()).ok());
  CHECK(source.Updates().empty());  // quiet: the destination reports the move
  CHECK(source.hv.Get(kVm)->power_state == PowerState::kShutdown);
  pb::InstanceAction c = source.ActionCast(kVm, K::CONFIRM_RESIZE, "task-mig");
  c.set_migration_id("mig-2");
  REQUIRE(source.manager->Act(c).ok());
  CHECK_FALSE(source.hv.Get(kVm).ok());
  CHECK_FALSE(std::filesystem::exists(source.files->Paths(kVm).dir));
}

}  // namespace
}  // namespace gureum::compute_agent
