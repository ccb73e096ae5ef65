// VolumeAttachmentManager and the conductor's volume reports on fakes: attach reserves
// with the user's token, records and casts to the server's host; the agent's report
// completes or undoes it; detach casts and the report removes the row; Nova's 400/404/409
// and 503 without block storage; a deleted server's attachments go at block storage.
#include <catch2/catch.hpp>

#include "common/status/status.h"
#include "compute/api/conductor.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

struct VolumeWorld : World {
  explicit VolumeWorld(bool with_block_storage = true) : World(false, with_block_storage) {
    AddFlavorAndImage();
    block_storage.AddVolume("vol-1");
    block_storage.AddVolume("vol-2", "p2");
  }
  VolumeAttachmentManager& volumes() { return managers.volumes(); }
  // The agent's report for the last cast to compute.h1 (attach or detach).
  v1::Cast Report(const std::string& status, const std::string& device = "") {
    std::vector<v1::Cast> casts = Casts("compute.h1");
    REQUIRE(!casts.empty());
    const v1::Cast& last = casts.back();
    v1::Cast out;
    v1::VolumeAttachmentUpdate* u = out.mutable_volume_attachment_update();
    const bool attach = last.has_attach_volume();
    u->set_instance_uuid(attach ? last.attach_volume().instance_uuid()
                                : last.detach_volume().instance_uuid());
    u->set_volume_id(attach ? last.attach_volume().volume_id() : last.detach_volume().volume_id());
    u->set_attachment_id(attach ? last.attach_volume().attachment_id()
                                : last.detach_volume().attachment_id());
    u->set_op(attach ? "attach" : "detach");
    u->set_status(status);
    u->set_device(device);
    return out;
  }
  absl::Status Deliver(const v1::Cast& c) {
    amqp::Message m;
    m.body = c.SerializeAsString();
    return conductor.Handle(m);
  }
  Conductor conductor{store, bus, placement, clock, &managers.volumes()};
};

TEST_CASE("volume attachments: attach, the agent's report, list, show, detach") {
  VolumeWorld w;
  Instance i = w.ActiveServer();
  auto a = w.volumes().Attach(Member(), i.uuid, "vol-1", "/dev/vdc");
  REQUIRE(a.ok());
  CHECK(a->status == "attaching");
  CHECK(a->volume_id == "vol-1");
  CHECK(w.block_storage.volume("vol-1")->status == "reserved");
  // Reserved with the user's own token, without a connector.
  CHECK(w.block_storage.calls() == std::vector<std::string>{"CreateAttachment token-p1"});
  std::vector<v1::Cast> casts = w.Casts("compute.h1");
  REQUIRE(casts.size() == 1);
  REQUIRE(casts[0].has_attach_volume());
  CHECK(casts[0].attach_volume().instance_uuid() == i.uuid);
  CHECK(casts[0].attach_volume().attachment_id() == a->attachment_id);
  CHECK(casts[0].attach_volume().device() == "/dev/vdc");

  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdc")).ok());
  auto shown = w.volumes().Get(Member(), i.uuid, "vol-1");
  REQUIRE(shown.ok());
  CHECK(shown->status == "attached");
  CHECK(shown->device == "/dev/vdc");
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdc")).ok());  // a replay changes nothing
  auto list = w.volumes().List(Member(), i.uuid);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);

  // Attached already: Nova's 400.
  absl::StatusOr<VolumeAttachment> again = w.volumes().Attach(Member(), i.uuid, "vol-1", "");
  CHECK(absl::IsInvalidArgument(again.status()));

  REQUIRE(w.volumes().Detach(Member(), i.uuid, "vol-1").ok());
  CHECK(w.volumes().Get(Member(), i.uuid, "vol-1")->status == "detaching");
  casts = w.Casts("compute.h1");
  REQUIRE(casts.size() == 2);
  REQUIRE(casts[1].has_detach_volume());
  CHECK(casts[1].detach_volume().volume_id() == "vol-1");
  REQUIRE(w.Deliver(w.Report("detached")).ok());
  CHECK(absl::IsNotFound(w.volumes().Get(Member(), i.uuid, "vol-1").status()));
  CHECK(w.volumes().List(Member(), i.uuid)->empty());
}

TEST_CASE("volume attachments: Nova's errors") {
  VolumeWorld w;
  Instance i = w.ActiveServer();
  // Another project's server: 404; another project's volume: block storage's 404.
  CHECK(absl::IsNotFound(w.volumes().Attach(Member("p2", "u2"), i.uuid, "vol-1", "").status()));
  absl::Status missing = w.volumes().Attach(Member(), i.uuid, "nope", "").status();
  CHECK(absl::IsNotFound(missing));
  CHECK(missing.message() == "Volume nope could not be found.");
  // A volume in use elsewhere: block storage's 400 with its words.
  REQUIRE(w.block_storage.CreateAttachment("t", "vol-1", "other-vm", nullptr).ok());
  absl::Status busy = w.volumes().Attach(Member(), i.uuid, "vol-1", "").status();
  CHECK(absl::IsInvalidArgument(busy));
  CHECK(busy.message().find("Invalid volume") == 0);
  // Not active or stopped: 409 with Nova's words.
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kPaused;
                                return absl::OkStatus();
                              })
              .ok());
  absl::Status paused = w.volumes().Attach(Member(), i.uuid, "vol-2", "").status();
  CHECK(absl::IsFailedPrecondition(paused));
  CHECK(paused.message() ==
        "Cannot 'attach_volume' instance " + i.uuid + " while it is in vm_state paused");
  // Detach of a volume not attached: 404.
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kStopped;
                                return absl::OkStatus();
                              })
              .ok());
  CHECK(absl::IsNotFound(w.volumes().Detach(Member(), i.uuid, "vol-2")));
  // A cast that cannot be sent leaves nothing reserved.
  w.block_storage.AddVolume("vol-3");
  w.bus.FailNext(absl::UnavailableError("broker gone"));
  CHECK_FALSE(w.volumes().Attach(Member(), i.uuid, "vol-3", "").ok());
  CHECK(w.block_storage.volume("vol-3")->status == "available");
  CHECK(w.volumes().List(Member(), i.uuid)->empty());
}

TEST_CASE("volume attachments: a failed attach or detach reported by the agent") {
  VolumeWorld w;
  Instance i = w.ActiveServer();
  auto a = w.volumes().Attach(Member(), i.uuid, "vol-1", "");
  REQUIRE(a.ok());
  // Detaching while attaching: 400.
  CHECK(absl::IsInvalidArgument(w.volumes().Detach(Member(), i.uuid, "vol-1")));
  // An error report (from a host that could not delete the attachment itself): the
  // conductor deletes it, the volume is available again.
  REQUIRE(w.Deliver(w.Report("error")).ok());
  CHECK(w.volumes().List(Member(), i.uuid)->empty());
  CHECK(w.block_storage.volume("vol-1")->status == "available");
  REQUIRE(w.Deliver(w.Report("error")).ok());  // a replay: nothing left to do

  REQUIRE(w.volumes().Attach(Member(), i.uuid, "vol-1", "").ok());
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdb")).ok());
  REQUIRE(w.volumes().Detach(Member(), i.uuid, "vol-1").ok());
  REQUIRE(w.Deliver(w.Report("error")).ok());  // the guest kept the disk
  CHECK(w.volumes().Get(Member(), i.uuid, "vol-1")->status == "attached");
}

TEST_CASE("volume attachments: without block storage 503, and a deleted server frees its volumes") {
  VolumeWorld none(/*with_block_storage=*/false);
  Instance j = none.ActiveServer();
  absl::Status s = none.volumes().Attach(Member(), j.uuid, "vol-1", "").status();
  CHECK(absl::IsUnavailable(s));
  CHECK(s.message() == "block storage is not configured");
  CHECK(HttpStatusCode(s) == 503);

  VolumeWorld w;
  Instance i = w.ActiveServer();
  REQUIRE(w.volumes().Attach(Member(), i.uuid, "vol-1", "").ok());
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdb")).ok());
  v1::Cast deleted;
  deleted.mutable_instance_update()->set_instance_uuid(i.uuid);
  deleted.mutable_instance_update()->set_deleted(true);
  REQUIRE(w.Deliver(deleted).ok());
  CHECK(w.block_storage.volume("vol-1")->status == "available");
  CHECK(w.block_storage.attachments().empty());
}

}  // namespace
}  // namespace gureum::compute::testing

namespace gureum::compute::testing {
namespace {

TEST_CASE("volume attachments: a server deleted locally (its host down) frees its volumes") {
  VolumeWorld w;
  w.AddHost("h1");
  Instance i = w.ActiveServer("h1");
  REQUIRE(w.volumes().Attach(Member(), i.uuid, "vol-1", "").ok());
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdb")).ok());
  w.clock.Advance(absl::Seconds(61));  // the host is down: Nova's local delete
  REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());
  CHECK(absl::IsNotFound(w.store.GetInstance(i.uuid).status()));
  CHECK(w.block_storage.volume("vol-1")->status == "available");
  CHECK(w.block_storage.attachments().empty());
}

}  // namespace
}  // namespace gureum::compute::testing

namespace gureum::compute::testing {
namespace {

TEST_CASE("volume attachments: the answer names the likely device, the report corrects it") {
  VolumeWorld w;
  Instance i = w.ActiveServer();
  auto first = w.volumes().Attach(Member(), i.uuid, "vol-1", "");
  REQUIRE(first.ok());
  CHECK(first->device == "/dev/vdb");  // Nova answers with the device it reserved
  CHECK(w.Casts("compute.h1").back().attach_volume().device() == "/dev/vdb");
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdb")).ok());
  w.block_storage.AddVolume("vol-3");
  auto second = w.volumes().Attach(Member(), i.uuid, "vol-3", "");
  REQUIRE(second.ok());
  CHECK(second->device == "/dev/vdc");
  // The agent found vdc taken and used vdd: its report wins.
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdd")).ok());
  CHECK(w.volumes().Get(Member(), i.uuid, "vol-3")->device == "/dev/vdd");
}

}  // namespace
}  // namespace gureum::compute::testing

namespace gureum::compute::testing {
namespace {

TEST_CASE("volume attachments: no rebuild, resize or migrate while a volume is attached") {
  VolumeWorld w;
  Instance i = w.ActiveServer();
  REQUIRE(w.volumes().Attach(Member(), i.uuid, "vol-1", "").ok());
  REQUIRE(w.Deliver(w.Report("attached", "/dev/vdb")).ok());
  for (const ActionRequest& r : {ActionRequest{.action = Action::kRebuild, .image_ref = "img"},
                                 ActionRequest{.action = Action::kResize, .flavor_ref = "1"},
                                 ActionRequest{.action = Action::kMigrate}}) {
    absl::Status s = w.managers.actions().ServerAction(Admin(), i.uuid, r).status();
    CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(s.message().find("while volume vol-1 is attached") != std::string::npos);
  }
  // Other actions are not concerned; detached, the checks above pass again.
  REQUIRE(w.volumes().Detach(Member(), i.uuid, "vol-1").ok());
  REQUIRE(w.Deliver(w.Report("detached")).ok());
  ActionRequest reboot{.action = Action::kRebootSoft};
  CHECK(w.managers.actions().ServerAction(Member(), i.uuid, reboot).ok());
}

}  // namespace
}  // namespace gureum::compute::testing
