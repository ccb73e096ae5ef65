// VolumeAttacher through ComputeManager::Handle, on the fake hypervisor and the fake block
// storage: attach and detach casts plug and unplug an NBD disk, complete and delete the
// attachment, report to the conductor, survive replays, and undo a failed attach; an extend
// grows the volume's disk in the running guest.
#include <catch2/catch.hpp>

#include "compute/agent/tests/agent_fixture.h"

namespace gureum::compute_agent {
namespace {

struct WithVm : AgentFixture {
  WithVm() {
    options.host_ip = "192.0.2.10";
    Restart();
    REQUIRE(manager->Build(BuildCast(kVm)).ok());
    Updates();
    block_storage.AddVolume("vol-1");
    block_storage.AddVolume("vol-2");
  }
  // Reserves the volume as compute-api does (the user's token, no connector).
  std::string Reserve(const std::string& volume, const std::string& vm = kVm) {
    absl::StatusOr<compute::Attachment> a =
        block_storage.CreateAttachment("user-token", volume, vm, nullptr);
    REQUIRE(a.ok());
    return a->id;
  }
  absl::Status Attach(const std::string& volume, const std::string& attachment,
                      const std::string& device = "", const std::string& vm = kVm) {
    pb::Cast c;
    pb::AttachVolume* a = c.mutable_attach_volume();
    a->set_instance_uuid(vm);
    a->set_volume_id(volume);
    a->set_attachment_id(attachment);
    a->set_task_id("task-attach");
    a->set_device(device);
    return manager->Handle(c);
  }
  absl::Status Detach(const std::string& volume, const std::string& attachment) {
    pb::Cast c;
    pb::DetachVolume* d = c.mutable_detach_volume();
    d->set_instance_uuid(kVm);
    d->set_volume_id(volume);
    d->set_attachment_id(attachment);
    d->set_task_id("task-detach");
    return manager->Handle(c);
  }
  absl::Status Extend(const std::string& volume, int64_t bytes, const std::string& vm = kVm) {
    pb::Cast c;
    pb::ExtendVolume* e = c.mutable_extend_volume();
    e->set_instance_uuid(vm);
    e->set_volume_id(volume);
    e->set_new_size_bytes(bytes);
    e->set_task_id("task-extend");
    return manager->Handle(c);
  }
  // The one VolumeAttachmentUpdate cast to the conductor since the last call.
  pb::VolumeAttachmentUpdate Report() {
    std::vector<pb::VolumeAttachmentUpdate> out;
    for (const pb::Cast& c : Take("conductor")) {
      if (c.has_volume_attachment_update()) out.push_back(c.volume_attachment_update());
    }
    REQUIRE(out.size() == 1);
    return out[0];
  }
  std::vector<DiskSpec> VolumeDisks() {
    std::vector<DiskSpec> out;
    for (const DiskSpec& d : hv.SpecOf(kVm).disks) {
      if (!d.protocol.empty()) out.push_back(d);
    }
    return out;
  }
};

TEST_CASE("volumes: attach plugs an NBD disk, completes, reports, and detach undoes it") {
  WithVm f;
  std::string att = f.Reserve("vol-1");
  REQUIRE(f.Attach("vol-1", att).ok());
  pb::VolumeAttachmentUpdate u = f.Report();
  CHECK(u.status() == "attached");
  CHECK(u.op() == "attach");
  CHECK(u.device() == "/dev/vdb");
  CHECK(u.instance_uuid() == kVm);
  CHECK(u.attachment_id() == att);
  CHECK(u.task_id() == "task-attach");
  std::vector<DiskSpec> disks = f.VolumeDisks();
  REQUIRE(disks.size() == 1);
  CHECK(disks[0].protocol == "nbd");
  CHECK(disks[0].nbd_host == "127.0.0.1");
  CHECK(disks[0].nbd_port == 10809);
  CHECK(disks[0].export_name == "export-" + att);
  CHECK(disks[0].target == "vdb");
  CHECK(disks[0].bus == "virtio");
  CHECK(disks[0].serial == "vol-1");
  CHECK(f.block_storage.volume("vol-1")->status == "in-use");
  REQUIRE(f.block_storage.attachments().size() == 1);
  CHECK(f.block_storage.attachments()[0].host == kHost);
  CHECK(f.block_storage.attachments()[0].mountpoint == "/dev/vdb");
  // As the service user, never with a user's token.
  CHECK(f.block_storage.calls() == std::vector<std::string>{"CreateAttachment user-token",
                                                            "UpdateAttachment ",
                                                            "CompleteAttachment "});

  // A replayed cast: the same device, no second disk, no second export.
  REQUIRE(f.Attach("vol-1", att).ok());
  CHECK(f.Report().device() == "/dev/vdb");
  CHECK(f.VolumeDisks().size() == 1);

  // The next volume takes the next free target; a wished-for free one is honoured.
  std::string att2 = f.Reserve("vol-2");
  REQUIRE(f.Attach("vol-2", att2, "/dev/vdf").ok());
  CHECK(f.Report().device() == "/dev/vdf");

  REQUIRE(f.Detach("vol-1", att).ok());
  u = f.Report();
  CHECK(u.status() == "detached");
  CHECK(u.op() == "detach");
  REQUIRE(f.VolumeDisks().size() == 1);
  CHECK(f.VolumeDisks()[0].serial == "vol-2");
  CHECK(f.block_storage.volume("vol-1")->status == "available");
  // A replayed detach finds nothing to do and still reports detached.
  REQUIRE(f.Detach("vol-1", att).ok());
  CHECK(f.Report().status() == "detached");

  // Attached again: the free vdb again.
  std::string att3 = f.Reserve("vol-1");
  REQUIRE(f.Attach("vol-1", att3).ok());
  CHECK(f.Report().device() == "/dev/vdb");
}

TEST_CASE("volumes: a failed attach leaves no disk and no attachment, and says why") {
  WithVm f;
  SECTION("the export does not come") {
    f.block_storage.FailNext("UpdateAttachment",
                             absl::DeadlineExceededError("the volume agent did not export"));
  }
  SECTION("libvirt refuses the disk") {
    f.hv.FailNext("AttachDisk", absl::InternalError("unsupported configuration"));
  }
  SECTION("block storage refuses to complete") {
    f.block_storage.FailNext("CompleteAttachment", absl::InvalidArgumentError("bad state"));
  }
  std::string att = f.Reserve("vol-1");
  REQUIRE(f.Attach("vol-1", att).ok());
  pb::VolumeAttachmentUpdate u = f.Report();
  CHECK(u.status() == "error");
  CHECK(u.error().find("attaching volume vol-1: ") == 0);
  CHECK(f.VolumeDisks().empty());
  CHECK(f.block_storage.attachments().empty());
  CHECK(f.block_storage.volume("vol-1")->status == "available");
}

TEST_CASE("volumes: an instance not on this host, or no block storage, is an error report") {
  WithVm f;
  std::string att = f.Reserve("vol-1", "no-such-vm");
  REQUIRE(f.Attach("vol-1", att, "", "no-such-vm").ok());
  CHECK(f.Report().status() == "error");
  CHECK(f.block_storage.attachments().empty());

  f.no_block_storage = true;
  f.Restart();
  att = f.Reserve("vol-1");
  REQUIRE(f.Attach("vol-1", att).ok());
  pb::VolumeAttachmentUpdate u = f.Report();
  CHECK(u.status() == "error");
  CHECK(u.error() ==
        "block storage is not configured on compute host node-a ([compute] block_storage_grpc)");
  REQUIRE(f.Detach("vol-1", att).ok());
  CHECK(f.Report().status() == "error");
}

TEST_CASE("volumes: a guest that keeps the disk fails the detach, the volume stays attached") {
  WithVm f;
  std::string att = f.Reserve("vol-1");
  REQUIRE(f.Attach("vol-1", att).ok());
  f.Report();
  f.hv.FailNext("DetachDisk", absl::DeadlineExceededError("the guest did not release vdb"));
  REQUIRE(f.Detach("vol-1", att).ok());
  pb::VolumeAttachmentUpdate u = f.Report();
  CHECK(u.status() == "error");
  CHECK(u.error() == "detaching volume vol-1: the guest did not release vdb");
  CHECK(f.VolumeDisks().size() == 1);
  CHECK(f.block_storage.volume("vol-1")->status == "in-use");
  // A report the bus could not take: the cast is retried (an error back to the consumer).
  f.bus.FailNext(absl::UnavailableError("broker gone"));
  CHECK_FALSE(f.Detach("vol-1", att).ok());
}

TEST_CASE("volumes: the disk target is the wished one when free, else the next free vdX") {
  std::vector<DiskSpec> disks{{.target = "vda"}, {.target = "vdb"}, {.target = "hda"}};
  CHECK(*PickDiskTarget(disks, "") == "vdc");
  CHECK(*PickDiskTarget(disks, "/dev/vdb") == "vdc");
  CHECK(*PickDiskTarget(disks, "/dev/vde") == "vde");
  CHECK(*PickDiskTarget(disks, "vdg") == "vdg");
  CHECK(*PickDiskTarget(disks, "/dev/sdb") == "vdc");
  for (char c = 'c'; c <= 'z'; ++c) disks.push_back({.target = std::string("vd") + c});
  CHECK(PickDiskTarget(disks, "").status().code() == absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace gureum::compute_agent

namespace gureum::compute_agent {
namespace {

TEST_CASE("volumes: extend grows the volume's disk in the guest, and skips a detached one") {
  WithVm f;
  std::string att = f.Reserve("vol-1");
  REQUIRE(f.Attach("vol-1", att).ok());
  f.Report();
  constexpr int64_t k2G = int64_t{2} << 30;
  REQUIRE(f.Extend("vol-1", k2G).ok());
  CHECK(f.hv.DiskSize(kVm, "vdb") == k2G);
  // The conductor hears Nova's instance-action event.
  auto event = [&f] {
    std::vector<pb::Cast> casts = f.Take("conductor");
    REQUIRE(casts.size() == 1);
    REQUIRE(casts[0].has_instance_update());
    CHECK(casts[0].instance_update().event() == "compute_extend_volume");
    CHECK(casts[0].instance_update().keep_task_state());
    return casts[0].instance_update();
  };
  CHECK(!event().event_failed());
  // A replay changes nothing.
  REQUIRE(f.Extend("vol-1", k2G).ok());
  CHECK(f.hv.DiskSize(kVm, "vdb") == k2G);
  CHECK(!event().event_failed());
  // A volume not in the domain: the event says it failed.
  REQUIRE(f.Extend("vol-2", k2G).ok());
  CHECK(f.hv.DiskSize(kVm, "vdc") == 0);
  CHECK(event().event_failed());
  // An instance that is not here is nothing to do (it moved, or was deleted).
  CHECK(f.Extend("vol-1", k2G, "00000000-0000-0000-0000-00000000dead").ok());
  CHECK(f.Take("conductor").empty());
  // libvirt unreachable: the cast comes again.
  f.hv.FailNext("ResizeDisk", absl::UnavailableError("libvirt is away"));
  CHECK(absl::IsUnavailable(f.Extend("vol-1", int64_t{3} << 30)));
  CHECK(f.Take("conductor").empty());
  REQUIRE(f.Extend("vol-1", int64_t{3} << 30).ok());
  CHECK(f.hv.DiskSize(kVm, "vdb") == int64_t{3} << 30);
  CHECK(!event().event_failed());
}

}  // namespace
}  // namespace gureum::compute_agent
