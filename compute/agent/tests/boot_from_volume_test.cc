// Boot from volume on the agent, over the fake hypervisor and the fake block storage: the
// build's root disk is the volume (an NBD network disk at vda, first in the boot order, no
// local disk and no base image fetched), reserved as the service user when it was made at
// create (after waiting for it on the injected clock) or taken from compute-api's
// reservation, completed at /dev/vda and reported; a volume in error or never available
// puts the server in ERROR with the reason and leaves nothing reserved; a restarted agent
// keeps the server.
#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include "compute/agent/domain_xml.h"
#include "compute/agent/tests/agent_fixture.h"

namespace gureum::compute_agent {
namespace {

struct BootFixture : AgentFixture {
  BootFixture() {
    options.host_ip = "192.0.2.10";
    Restart();
    image_client.Add("kernel-1", "KERNEL", "aki");
    image_client.Add("ramdisk-1", "RAMDISK", "ari");
  }
  // A build whose root disk is `volume` (attachment "" : made at create).
  pb::BuildInstance Cast(const std::string& volume, const std::string& attachment,
                         std::vector<std::string> alternates = {}) {
    pb::BuildInstance b = BuildCast(kVm, "task-1", std::move(alternates));
    pb::InstanceSpec* s = b.mutable_request()->mutable_spec();
    (*s->mutable_image()->mutable_properties())["kernel_id"] = "kernel-1";
    (*s->mutable_image()->mutable_properties())["ramdisk_id"] = "ramdisk-1";
    pb::BlockDevice* root = s->add_block_devices();
    root->set_volume_id(volume);
    root->set_attachment_id(attachment);
    root->set_boot_index(0);
    root->set_source_type(attachment.empty() ? "image" : "volume");
    return b;
  }
  std::vector<pb::VolumeAttachmentUpdate> VolumeReports() {
    std::vector<pb::VolumeAttachmentUpdate> out;
    for (const pb::Cast& c : Take("conductor")) {
      if (c.has_volume_attachment_update()) out.push_back(c.volume_attachment_update());
      if (c.has_instance_update()) updates.push_back(c.instance_update());
    }
    return out;
  }
  std::vector<pb::InstanceUpdate> updates;
};

void CheckRootDisk(BootFixture& f, const std::string& volume) {
  DomainSpec d = f.hv.SpecOf(kVm);
  REQUIRE(d.disks.size() == 2);  // the volume and the config drive
  CHECK(d.disks[0].protocol == "nbd");
  CHECK(d.disks[0].target == "vda");
  CHECK(d.disks[0].bus == "virtio");
  CHECK(d.disks[0].serial == volume);
  CHECK(d.disks[0].boot_order == 1);
  CHECK(d.disks[1].device == "cdrom");
  CHECK(d.kernel == f.images->PathOf("kernel-1"));
  CHECK(d.initrd == f.images->PathOf("ramdisk-1"));
  absl::StatusOr<std::string> xml = DomainXml(d);
  REQUIRE(xml.ok());
  CHECK(xml->find("<disk type=\"network\" device=\"disk\">") != std::string::npos);
  CHECK(xml->find("<boot order=\"1\"/>") != std::string::npos);
  CHECK(xml->find("<boot dev=") == std::string::npos);
  CHECK(xml->find("<target dev=\"vda\" bus=\"virtio\"/>") != std::string::npos);
  // No local root disk, no base image in the cache.
  CHECK_FALSE(std::filesystem::exists(f.files->Paths(kVm).disk));
  CHECK_FALSE(std::filesystem::exists(f.images->PathOf(kImage)));
}

TEST_CASE("boot from volume: a volume made at create is awaited, reserved and booted as vda") {
  BootFixture f;
  f.block_storage.AddVolume("vol-made", "project-a", 1);
  // Block storage cannot answer once: the agent asks again.
  f.block_storage.FailNext("GetVolume", absl::UnavailableError("block storage restarting"));
  REQUIRE(f.manager->Build(f.Cast("vol-made", "")).ok());
  CheckRootDisk(f, "vol-made");
  std::vector<pb::VolumeAttachmentUpdate> reports = f.VolumeReports();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].status() == "attached");
  CHECK(reports[0].device() == "/dev/vda");
  CHECK(reports[0].volume_id() == "vol-made");
  REQUIRE(f.updates.size() == 1);
  CHECK(f.updates[0].vm_state() == "active");
  // Reserved, exported and completed as the service user.
  std::vector<compute::Attachment> atts = f.block_storage.attachments();
  REQUIRE(atts.size() == 1);
  CHECK(atts[0].id == reports[0].attachment_id());
  CHECK(atts[0].instance_uuid == kVm);
  CHECK(atts[0].status == "attached");
  CHECK(atts[0].mountpoint == "/dev/vda");
  CHECK(atts[0].host == f.options.host);
  CHECK(f.block_storage.volume("vol-made")->status == "in-use");
  std::vector<std::string> calls = f.block_storage.calls();
  CHECK(std::count(calls.begin(), calls.end(), "CreateAttachment ") == 1);
  // The record keeps the attachment (for a cleanup, and a restart).
  auto record = f.files->Load(kVm);
  REQUIRE(record.ok());
  CHECK(record->spec.block_devices(0).attachment_id() == atts[0].id);
  CHECK(record->base_image_id.empty());

  // A restarted agent keeps the running server and its disk.
  f.Restart();
  f.manager->ReconcileAfterRestart();
  f.manager->SyncPowerStates();
  CHECK(f.hv.Get(kVm).ok());
  CHECK(f.hv.SpecOf(kVm).disks[0].serial == "vol-made");
  CHECK(f.files->Load(kVm)->state == "active");
  // Killed after the domain started but before the build was recorded finished: the
  // restart finishes it, root volume included.
  InstanceRecord half = *f.files->Load(kVm);
  half.state = "building";
  REQUIRE(f.files->Save(kVm, half).ok());
  f.Take("conductor");
  f.Restart();
  f.manager->ReconcileAfterRestart();
  f.updates.clear();
  reports = f.VolumeReports();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].status() == "attached");
  CHECK(reports[0].attachment_id() == atts[0].id);
  REQUIRE(f.updates.size() == 1);
  CHECK(f.updates[0].vm_state() == "active");
  CHECK(f.files->Load(kVm)->state == "active");
  // A redelivered build cast makes no second attachment.
  REQUIRE(f.manager->Build(f.Cast("vol-made", "")).ok());
  CHECK(f.block_storage.attachments().size() == 1);
  CHECK(f.hv.defines() == 1);
}

TEST_CASE("boot from volume: an existing volume uses compute-api's reservation") {
  BootFixture f;
  f.block_storage.AddVolume("vol-own", "project-a", 2);
  auto reserved = f.block_storage.CreateAttachment("user-token", "vol-own", kVm, nullptr);
  REQUIRE(reserved.ok());
  REQUIRE(f.manager->Build(f.Cast("vol-own", reserved->id)).ok());
  CheckRootDisk(f, "vol-own");
  std::vector<pb::VolumeAttachmentUpdate> reports = f.VolumeReports();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].attachment_id() == reserved->id);
  CHECK(f.block_storage.attachments().size() == 1);
  CHECK(f.block_storage.volume("vol-own")->status == "in-use");

  // Delete: the domain goes; the attachment is compute-api's to delete (with the server).
  REQUIRE(f.manager->Act(f.ActionCast(kVm, pb::InstanceAction::DELETE)).ok());
  CHECK_FALSE(f.hv.Get(kVm).ok());
  CHECK(f.block_storage.volume("vol-own").ok());
}

TEST_CASE("boot from volume: a volume in error fails the build, nothing stays reserved") {
  BootFixture f;
  f.block_storage.AddVolume("vol-bad", "project-a", 1);
  f.block_storage.SetVolumeStatus("vol-bad", "error");
  REQUIRE(f.manager->Build(f.Cast("vol-bad", "", {"node-b"})).ok());
  CHECK(f.Take("scheduler").empty());  // not rescheduled
  f.VolumeReports();
  REQUIRE(f.updates.size() == 1);
  CHECK(f.updates[0].vm_state() == "error");
  CHECK(f.updates[0].fault().message().find("root volume vol-bad could not be made") !=
        std::string::npos);
  CHECK_FALSE(f.hv.Get(kVm).ok());
  CHECK(f.block_storage.attachments().empty());
}

TEST_CASE("boot from volume: a volume never available times out on the clock") {
  BootFixture f;
  f.block_storage.AddVolume("vol-slow", "project-a", 1);
  f.block_storage.SetVolumeStatus("vol-slow", "creating");
  const absl::Time start = f.clock.Now();
  REQUIRE(f.manager->Build(f.Cast("vol-slow", "")).ok());
  CHECK(f.clock.Now() - start >= absl::Seconds(180));  // waited on the injected clock
  f.VolumeReports();
  REQUIRE(f.updates.size() == 1);
  CHECK(f.updates[0].vm_state() == "error");
  CHECK(f.updates[0].fault().message().find("was not available after 3m") != std::string::npos);
  CHECK(f.block_storage.attachments().empty());
}

TEST_CASE("boot from volume: a failure after the export releases the attachment") {
  BootFixture f;
  f.block_storage.AddVolume("vol-own", "project-a", 1);
  auto reserved = f.block_storage.CreateAttachment("user-token", "vol-own", kVm, nullptr);
  REQUIRE(reserved.ok());
  f.hv.FailNext("Start", absl::InternalError("qemu exited: could not open disk"));
  REQUIRE(f.manager->Build(f.Cast("vol-own", reserved->id, {"node-b"})).ok());
  CHECK(f.Take("scheduler").empty());
  CHECK(f.VolumeReports().empty());
  REQUIRE(f.updates.size() == 1);
  CHECK(f.updates[0].vm_state() == "error");
  CHECK_FALSE(f.hv.Get(kVm).ok());
  CHECK(f.block_storage.attachments().empty());
  CHECK(f.block_storage.volume("vol-own")->status == "available");
  // A host without block storage cannot boot from a volume: ERROR, with the reason.
  BootFixture none;
  none.no_block_storage = true;
  none.Restart();
  REQUIRE(none.manager->Build(none.Cast("vol-x", "")).ok());
  none.VolumeReports();
  REQUIRE(none.updates.size() == 1);
  CHECK(none.updates[0].fault().message().find("block storage") != std::string::npos);
}

}  // namespace
}  // namespace gureum::compute_agent
