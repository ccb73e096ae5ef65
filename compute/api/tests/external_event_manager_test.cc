// ExternalEventManager on fakes: block storage's service user says volume-extended and the
// server's host gets extend_volume with the volume's new size; Nova's per-event codes (404
// no server, 422 not attached) and its 404 when no event found a server; only admins and
// the service role may send events; bad events are 400.
#include <catch2/catch.hpp>

#include "compute/api/conductor.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

RequestContext Service() {
  RequestContext ctx;
  ctx.caller.user_id = "block-storage";
  ctx.caller.project_id = "service";
  ctx.caller.roles = {"service"};
  ctx.token = "token-service";
  ctx.request_id = "req-service";
  return ctx;
}

struct EventWorld : World {
  EventWorld() : World(false, true) {
    AddFlavorAndImage();
    block_storage.AddVolume("vol-1", "p1", 3);
  }
  ExternalEventManager& events() { return managers.events(); }
  // vol-1 attached to `i` (the API's attach and the agent's report).
  void Attach(const Instance& i) {
    REQUIRE(managers.volumes().Attach(Member(), i.uuid, "vol-1", "").ok());
    v1::Cast report;
    v1::VolumeAttachmentUpdate* u = report.mutable_volume_attachment_update();
    const v1::Cast last = Casts("compute.h1").back();
    u->set_instance_uuid(i.uuid);
    u->set_volume_id("vol-1");
    u->set_attachment_id(last.attach_volume().attachment_id());
    u->set_op("attach");
    u->set_status("attached");
    u->set_device("/dev/vdb");
    amqp::Message m;
    m.body = report.SerializeAsString();
    REQUIRE(conductor.Handle(m).ok());
  }
  Conductor conductor{store, bus, placement, clock, &managers.volumes()};
};

ExternalEvent Extended(const std::string& server, const std::string& volume = "vol-1") {
  return {.name = "volume-extended", .server_uuid = server, .tag = volume};
}

TEST_CASE("external events: volume-extended casts the new size to the server's host") {
  EventWorld w;
  Instance i = w.ActiveServer();
  w.Attach(i);
  auto done = w.events().Create(Service(), {Extended(i.uuid)});
  REQUIRE(done.ok());
  REQUIRE(done->size() == 1);
  CHECK((*done)[0].code == 200);
  CHECK((*done)[0].status == "completed");
  std::vector<v1::Cast> casts = w.Casts("compute.h1");
  REQUIRE(casts.back().has_extend_volume());
  const v1::ExtendVolume& e = casts.back().extend_volume();
  CHECK(e.instance_uuid() == i.uuid);
  CHECK(e.volume_id() == "vol-1");
  CHECK(e.new_size_bytes() == int64_t{3} << 30);
  // Nova's instance action extend_volume, which the agent's event will finish.
  auto actions = w.store.ListActions(i.uuid);
  REQUIRE(actions.ok());
  bool recorded = false;
  for (const InstanceActionRecord& a : *actions) {
    recorded = recorded || (a.action == "extend_volume" && a.request_id == "req-service");
  }
  CHECK(recorded);
  // Admins may send them too.
  CHECK(w.events().Create(Admin(), {Extended(i.uuid)}).ok());
}

TEST_CASE("external events: per-event codes, and 404 when no event found a server") {
  EventWorld w;
  Instance i = w.ActiveServer();
  // Not attached: 422 for that event; a server that does not exist: 404 for that one.
  auto done = w.events().Create(
      Service(), {Extended(i.uuid), Extended("00000000-0000-0000-0000-000000000404")});
  REQUIRE(done.ok());
  CHECK((*done)[0].code == 422);
  CHECK((*done)[0].status == "failed");
  CHECK((*done)[1].code == 404);
  CHECK(w.Casts("compute.h1").empty());
  auto none = w.events().Create(Service(), {Extended("00000000-0000-0000-0000-000000000404")});
  CHECK(absl::IsNotFound(none.status()));
  // Other names Nova knows are answered; nothing is cast for them.
  auto other = w.events().Create(
      Service(), {{.name = "network-changed", .server_uuid = i.uuid, .tag = "port-1"}});
  REQUIRE(other.ok());
  CHECK((*other)[0].code == 200);
  CHECK(w.Casts("compute.h1").empty());
}

TEST_CASE("external events: only admins and the service role, and bad events are 400") {
  EventWorld w;
  Instance i = w.ActiveServer();
  w.Attach(i);
  CHECK(absl::IsPermissionDenied(w.events().Create(Member(), {Extended(i.uuid)}).status()));
  CHECK(w.Casts("compute.h1").size() == 1);  // the attach only
  CHECK(absl::IsInvalidArgument(
      w.events().Create(Service(), {{.name = "reboot-please", .server_uuid = i.uuid}}).status()));
  CHECK(absl::IsInvalidArgument(w.events().Create(Service(), {Extended("")}).status()));
  CHECK(absl::IsInvalidArgument(w.events().Create(Service(), {Extended(i.uuid, "")}).status()));
  ExternalEvent bad_status = Extended(i.uuid);
  bad_status.status = "maybe";
  CHECK(absl::IsInvalidArgument(w.events().Create(Service(), {bad_status}).status()));
  CHECK(absl::IsInvalidArgument(w.events().Create(Service(), {}).status()));
  CHECK(w.Casts("compute.h1").size() == 1);  // the attach only
}

}  // namespace
}  // namespace gureum::compute::testing
