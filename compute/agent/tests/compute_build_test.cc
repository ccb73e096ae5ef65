#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "common/process/command.h"
#include "compute/agent/tests/agent_fixture.h"

namespace gureum::compute_agent {
using process::RunChecked;
using process::RunCommand;
namespace {

bool Exists(const std::string& p) { return std::filesystem::exists(p); }

TEST_CASE("build: cached base, qcow2 overlay, config drive, domain started, ACTIVE cast") {
  AgentFixture f;
  pb::BuildInstance build = f.BuildCast(kVm);
  build.mutable_request()->mutable_spec()->set_admin_pass("s3cret-pass");
  REQUIRE(f.manager->Build(build).ok());
  auto info = f.hv.Get(kVm);
  REQUIRE(info.ok());
  CHECK(info->power_state == PowerState::kRunning);
  InstancePaths p = f.files->Paths(kVm);
  CHECK(Exists(f.images->PathOf(kImage)));
  // The disk is an overlay whose backing file is the cached base.
  auto r = RunCommand({"qemu-img", "info", p.disk}, absl::Seconds(30));
  REQUIRE(r.ok());
  CHECK(r->output.find("file format: qcow2") != std::string::npos);
  CHECK(r->output.find(f.images->PathOf(kImage)) != std::string::npos);
  CHECK(r->output.find("virtual size: 1 GiB") != std::string::npos);
  // The config drive is an ISO with the metadata and the decoded user data.
  auto iso =
      RunCommand({"isoinfo", "-i", p.config_drive, "-R", "-x", "/openstack/latest/user_data"},
                 absl::Seconds(30));
  REQUIRE(iso.ok());
  CHECK(iso->output == "hello from user data");
  auto meta =
      RunCommand({"isoinfo", "-i", p.config_drive, "-R", "-x", "/openstack/latest/meta_data.json"},
                 absl::Seconds(30));
  CHECK(meta->output.find("\"role\":\"web\"") != std::string::npos);
  CHECK(meta->output.find("ssh-ed25519 AAAA test@host") != std::string::npos);
  CHECK(meta->output.find("\"admin_pass\":\"s3cret-pass\"") !=
        std::string::npos);  // createServer's
  // The domain: disk + cdrom, serial console in the instance folder, metadata.
  DomainSpec d = f.hv.SpecOf(kVm);
  REQUIRE(d.disks.size() == 2);
  CHECK(d.disks[0].path == p.disk);
  CHECK(d.disks[0].bus == "virtio");
  CHECK(d.disks[1].device == "cdrom");
  CHECK(d.disks[1].bus == "ide");
  CHECK(d.console_log == p.console_log);
  CHECK(d.memory_mb == 128);
  CHECK(d.metadata.at("project_id") == "project-a");

  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state() == "active");
  CHECK(updates[0].task_state().empty());
  CHECK_FALSE(updates[0].keep_task_state());
  CHECK(updates[0].power_state() == 1);
  CHECK(updates[0].host() == kHost);
  CHECK(updates[0].event() == "compute_build_and_run_instance");
  CHECK(f.files->Load(kVm)->state == "active");
}

TEST_CASE("build: a redelivered build makes no second domain and downloads nothing again") {
  AgentFixture f;
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  CHECK(f.hv.defines() == 1);
  CHECK(f.images->downloads() == 1);
  // Even a build cast with another task id does not wipe a running instance.
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-other")).ok());
  CHECK(f.hv.defines() == 1);
  auto updates = f.Updates();  // each cast answered: ACTIVE three times
  REQUIRE(updates.size() == 3);
  CHECK(updates[2].vm_state() == "active");
  // A second instance of the same image: the warm cache serves it.
  REQUIRE(f.manager->Build(f.BuildCast("0b6e2a10-0000-4000-8000-000000000002")).ok());
  CHECK(f.images->downloads() == 1);
}

TEST_CASE("build: a libvirt failure cleans up, drops the allocation and reschedules") {
  AgentFixture f;
  f.hv.FailNext("Define", absl::InternalError("unsupported configuration: no KVM here"));
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-1", {"node-b", "node-c"})).ok());
  CHECK_FALSE(f.hv.Get(kVm).ok());
  CHECK_FALSE(Exists(f.files->Paths(kVm).disk));
  {
    std::vector<std::string> deleted = f.placement.deleted();
    REQUIRE(deleted.size() == 1);
    CHECK(deleted[0] == std::string(kVm) + "@" + kHost);
  }
  auto sched = f.Take("scheduler");
  REQUIRE(sched.size() == 1);
  const pb::ScheduleRequest& next = sched[0].schedule();
  CHECK(next.attempt() == 2);
  REQUIRE(next.ignore_hosts_size() == 1);
  CHECK(next.ignore_hosts(0) == kHost);
  REQUIRE(next.alternates_size() == 2);
  CHECK(next.alternates(0) == "node-b");
  CHECK(next.last_fault().find("no KVM here") != std::string::npos);
  CHECK(f.Updates().empty());
  // Nothing of the attempt stays on this host (issue 16, hole 12).
  CHECK_FALSE(Exists(f.files->Paths(kVm).dir));
  // The same cast again (the ack was lost): it stays handed on, nothing is built here.
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-1", {"node-b", "node-c"})).ok());
  CHECK(f.hv.defines() == 0);
  CHECK(f.Take("scheduler").empty());
  CHECK_FALSE(Exists(f.files->Paths(kVm).dir));
}

TEST_CASE(
    "build: a build that fails with no host left leaves no folder, domain or console "
    "log (issue 16, hole 12)") {
  AgentFixture f;
  f.hv.FailNext("Start", absl::InternalError("qemu exited"));
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  REQUIRE(f.Updates().at(0).vm_state() == "error");
  CHECK_FALSE(f.hv.Get(kVm).ok());
  CHECK_FALSE(Exists(f.files->Paths(kVm).dir));
  CHECK_FALSE(Exists(f.files->Paths(kVm).console_log));
  CHECK(f.files->All().empty());
  // After the delete, a new build cast of another task for the same uuid builds again.
  REQUIRE(f.manager->Act(f.ActionCast(kVm, pb::InstanceAction::DELETE)).ok());
  f.Updates();
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-2")).ok());
  CHECK(f.Updates().at(0).vm_state() == "active");
}

TEST_CASE(
    "build: an older agent's failed record is removed at start but still blocks its "
    "redelivered task; a delete removes one too (issue 16, hole 12)") {
  AgentFixture f;
  InstanceRecord tomb;
  tomb.state = "failed";
  tomb.task_id = "task-1";
  tomb.spec.set_uuid(kVm);
  REQUIRE(f.files->Save(kVm, tomb).ok());
  f.manager->ReconcileAfterRestart();
  CHECK_FALSE(Exists(f.files->Paths(kVm).dir));
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-1")).ok());
  CHECK(f.hv.defines() == 0);
  CHECK(f.Updates().empty());
  // A failed record met by a delete goes with it.
  const std::string other = "0b6e2a10-0000-4000-8000-000000000003";
  tomb.spec.set_uuid(other);
  REQUIRE(f.files->Save(other, tomb).ok());
  REQUIRE(f.manager->Act(f.ActionCast(other, pb::InstanceAction::DELETE)).ok());
  CHECK_FALSE(Exists(f.files->Paths(other).dir));
}

TEST_CASE("build: with no alternate left the instance goes to ERROR with a readable fault") {
  AgentFixture f;
  f.hv.FailNext("Start", absl::InternalError("qemu exited: could not open disk"));
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  CHECK_FALSE(f.hv.Get(kVm).ok());  // undefined again
  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].vm_state() == "error");
  CHECK(updates[0].event_failed());
  CHECK(updates[0].fault().code() == 500);
  CHECK(updates[0].fault().message().find("no other host is left") != std::string::npos);
  CHECK(updates[0].fault().message().find("could not open disk") != std::string::npos);
}

TEST_CASE("build: the user's own mistake is not rescheduled") {
  AgentFixture f;
  pb::BuildInstance b = f.BuildCast(kVm, "task-1", {"node-b"});
  b.mutable_request()->mutable_spec()->set_user_data("not base64 !!!");
  REQUIRE(f.manager->Build(b).ok());
  CHECK(f.Take("scheduler").empty());
  auto updates = f.Updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].fault().code() == 400);
  CHECK(updates[0].fault().message().find("user_data is not valid base64") != std::string::npos);
  // An unknown disk bus in the image properties is the image's mistake, also 400.
  AgentFixture g;
  pb::BuildInstance c = g.BuildCast(kVm, "task-1", {"node-b"});
  (*c.mutable_request()->mutable_spec()->mutable_image()->mutable_properties())["hw_disk_bus"] =
      "floppy";
  REQUIRE(g.manager->Build(c).ok());
  CHECK(g.Updates()[0].fault().message().find("floppy") != std::string::npos);
}

TEST_CASE("build: an interrupted image download leaves nothing in the cache") {
  AgentFixture f;
  f.image_client.BreakNextDownload(3000, absl::UnavailableError("connection reset"));
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  CHECK(f.Updates()[0].vm_state() == "error");
  CHECK_FALSE(Exists(f.images->PathOf(kImage)));
  for (const auto& e : std::filesystem::directory_iterator(f.options.image_cache_path)) {
    FAIL("left in the cache: " << e.path());
  }
  // A later build downloads it whole.
  REQUIRE(f.manager->Build(f.BuildCast(kVm, "task-9")).ok());
  CHECK(f.Updates()[0].vm_state() == "active");
  CHECK(std::filesystem::file_size(f.images->PathOf(kImage)) == 8192);
}

TEST_CASE("build: direct kernel boot fetches kernel and ramdisk into the cache") {
  AgentFixture f;
  f.image_client.Add("kernel-1", "KERNEL", "aki");
  f.image_client.Add("ramdisk-1", "RAMDISK", "ari");
  pb::BuildInstance b = f.BuildCast(kVm);
  auto* props = b.mutable_request()->mutable_spec()->mutable_image()->mutable_properties();
  (*props)["kernel_id"] = "kernel-1";
  (*props)["ramdisk_id"] = "ramdisk-1";
  (*props)["os_command_line"] = "console=ttyS0 quiet";
  (*props)["hw_machine_type"] = "q35";
  REQUIRE(f.manager->Build(b).ok());
  DomainSpec d = f.hv.SpecOf(kVm);
  CHECK(d.kernel == f.images->PathOf("kernel-1"));
  CHECK(d.initrd == f.images->PathOf("ramdisk-1"));
  CHECK(d.cmdline == "console=ttyS0 quiet");
  CHECK(d.machine_type == "q35");
  CHECK(d.disks[1].bus == "sata");  // the cdrom on q35
}

TEST_CASE("build: a checksum mismatch is refused and nothing is cached") {
  AgentFixture f;
  f.image_client.info(kImage).checksum = "00000000000000000000000000000000";
  REQUIRE(f.manager->Build(f.BuildCast(kVm)).ok());
  auto u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].fault().message().find("md5") != std::string::npos);
  CHECK_FALSE(Exists(f.images->PathOf(kImage)));
}

TEST_CASE(
    "build: an image whose virtual size exceeds the flavor's disk fails with a clear "
    "fault and no disk (issue 16, hole 10)") {
  AgentFixture f;
  // A qcow2 of 1 PiB virtual size is a file of a few hundred KiB.
  const std::string path = f.options.instances_path + "/huge.qcow2";
  REQUIRE(
      RunChecked({"qemu-img", "create", "-q", "-f", "qcow2", path, "1P"}, absl::Seconds(30)).ok());
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  std::filesystem::remove(path);
  f.image_client.Add("huge", data, "qcow2");
  pb::BuildInstance b = f.BuildCast(kVm, "task-1", {"node-b"});
  b.mutable_request()->mutable_spec()->mutable_image()->set_id("huge");
  REQUIRE(f.manager->Build(b).ok());
  CHECK(f.Take("scheduler").empty());  // the image's fault: not rescheduled
  auto u = f.Updates();
  REQUIRE(u.size() == 1);
  CHECK(u[0].vm_state() == "error");
  CHECK(u[0].fault().code() == 400);
  CHECK(u[0].fault().message().find("Flavor's disk is too small for requested image") !=
        std::string::npos);
  CHECK(f.hv.defines() == 0);
  CHECK_FALSE(Exists(f.files->Paths(kVm).dir));
}

}  // namespace
}  // namespace gureum::compute_agent
