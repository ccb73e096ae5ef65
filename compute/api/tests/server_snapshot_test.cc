// createImage on fakes: the image made with the caller's token (Nova's snapshot
// properties, the base image's, the caller's metadata), the server in image_snapshot, the
// SNAPSHOT cast naming the image, the task ended by the agent's report; refusals leave no
// image and no task behind; and os-resetState.
#include <catch2/catch.hpp>

#include "compute/api/conductor.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

TEST_CASE("createImage: an image of the caller's project, the task, the cast, then the report") {
  World w;
  w.AddFlavorAndImage();
  w.images.info("img").properties["kernel_id"] = "k1";
  Instance i = w.ActiveServer();
  auto id = w.managers.actions().CreateImage(Member(), i.uuid, "snap", {{"purpose", "backup"}});
  REQUIRE(id.ok());
  auto [image, token] = w.images.created(*id);
  CHECK(token == "token-p1");  // the caller's, so that the caller's project owns it
  CHECK(image.name == "snap");
  CHECK(image.disk_format == "qcow2");
  CHECK(image.visibility == "private");
  CHECK(image.properties.at("instance_uuid") == i.uuid);
  CHECK(image.properties.at("image_type") == "snapshot");
  CHECK(image.properties.at("base_image_ref") == "img");
  CHECK(image.properties.at("kernel_id") == "k1");  // still boots like its base
  CHECK(image.properties.at("purpose") == "backup");
  Instance busy = *w.store.GetInstance(i.uuid);
  CHECK(busy.task_state == task::kImageSnapshot);
  std::vector<v1::Cast> casts = w.Casts("compute.h1");
  REQUIRE_FALSE(casts.empty());
  const v1::InstanceAction& a = casts.back().action();
  CHECK(a.kind() == v1::InstanceAction::SNAPSHOT);
  CHECK(a.image_id() == *id);

  // A second one waits for the first: 409.
  CHECK(absl::IsFailedPrecondition(
      w.managers.actions().CreateImage(Member(), i.uuid, "again", {}).status()));
  CHECK_FALSE(w.images.GetImage("t", "snapshot-2").ok());  // the refused one left no image

  Conductor conductor{w.store, w.bus, w.placement, w.clock};
  v1::InstanceUpdate done;
  done.set_instance_uuid(i.uuid);
  done.set_task_id(a.task_id());
  done.set_task_state("");
  done.add_expected_task_states(task::kImageSnapshot);
  done.set_event("compute_snapshot_instance");
  REQUIRE(conductor.ApplyInstanceUpdate(done).ok());
  CHECK(w.store.GetInstance(i.uuid)->task_state.empty());
}

TEST_CASE("createImage: refusals") {
  World w;
  w.AddFlavorAndImage();
  Instance i = w.ActiveServer();
  CHECK(absl::IsNotFound(
      w.managers.actions().CreateImage(Member("p2"), i.uuid, "snap", {}).status()));
  CHECK(
      absl::IsInvalidArgument(w.managers.actions().CreateImage(Member(), i.uuid, "", {}).status()));
  w.images.FailNextCreate(absl::ResourceExhaustedError("image quota"));
  CHECK(absl::IsResourceExhausted(
      w.managers.actions().CreateImage(Member(), i.uuid, "snap", {}).status()));
  CHECK(w.store.GetInstance(i.uuid)->task_state.empty());

  // The agent cannot be told: the image goes, the server leaves the task.
  w.bus.FailNext(absl::UnavailableError("broker down"));
  auto failed = w.managers.actions().CreateImage(Member(), i.uuid, "snap", {});
  CHECK_FALSE(failed.ok());
  CHECK(w.store.GetInstance(i.uuid)->task_state.empty());
  CHECK_FALSE(w.images.GetImage("t", "snapshot-1").ok());
}

}  // namespace
}  // namespace gureum::compute::testing

namespace gureum::compute::testing {
namespace {

TEST_CASE("os-resetState: an admin sets active or error and clears the task") {
  World w;
  w.AddFlavorAndImage();
  Instance i = w.ActiveServer();
  CHECK(absl::IsPermissionDenied(
      w.managers.actions().ResetState(Member(), i.uuid, "error").status()));
  auto failed = w.managers.actions().ResetState(Admin(), i.uuid, "error");
  REQUIRE(failed.ok());
  CHECK(w.store.GetInstance(i.uuid)->vm_state == vm::kError);
  CHECK(absl::IsInvalidArgument(
      w.managers.actions().ResetState(Admin(), i.uuid, "deleted").status()));
  CHECK(absl::IsNotFound(w.managers.actions().ResetState(Admin(), "nope", "active").status()));
  REQUIRE(w.store
              .MutateInstance(i.uuid,
                              [](Instance& x) {
                                x.task_state = task::kRebooting;
                                return absl::OkStatus();
                              })
              .ok());
  REQUIRE(w.managers.actions().ResetState(Admin(), i.uuid, "active").ok());
  Instance now = *w.store.GetInstance(i.uuid);
  CHECK(now.vm_state == vm::kActive);
  CHECK(now.task_state.empty());
}

}  // namespace
}  // namespace gureum::compute::testing
