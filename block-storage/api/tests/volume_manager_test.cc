// Volumes through the managers on fakes: the status machine, quotas, scheduling, types,
// images, isolation between projects, and what happens when an agent fails or is down.
#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "block-storage/api/tests/manager_fixture.h"

namespace gureum::block_storage::testing {
namespace {

VolumeCreate Sized(int64_t size, const std::string& name = "v") {
  VolumeCreate c;
  c.size_gb = size;
  c.name = name;
  return c;
}

TEST_CASE("an empty volume is cast to its backend's agent and becomes available") {
  World w;
  w.AddBackend("node1");
  auto v = w.managers.volumes().Create(Member(), Sized(2, "data"));
  REQUIRE(v.ok());
  CHECK(v->status == "creating");
  CHECK(v->backend_key == "node1@file");
  std::vector<pb::VolumeCast> casts = w.Pending("node1");
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].create_volume().volume_id() == v->id);
  CHECK(casts[0].create_volume().size_gb() == 2);
  w.Deliver();
  Volume now = w.Reload(v->id);
  CHECK(now.status == "available");
  CHECK(now.size_gb == 2);
  bool created_end = false;
  for (const auto& n : w.notifications) {
    created_end |= n["event_type"] == "volume.create.end" && n["payload"]["volume_id"] == v->id;
  }
  CHECK(created_end);
}

TEST_CASE("bad sizes and sources are 400 and store nothing") {
  World w;
  w.AddBackend("node1");
  VolumeManager& vm = w.managers.volumes();
  CHECK(absl::IsInvalidArgument(vm.Create(Member(), Sized(0)).status()));
  CHECK(absl::IsInvalidArgument(vm.Create(Member(), Sized(-3)).status()));
  CHECK(absl::IsInvalidArgument(vm.Create(Member(), VolumeCreate{}).status()));  // no size
  VolumeCreate two = Sized(1);
  two.snapshot_id = "s";
  two.source_volume_id = "v";
  CHECK(absl::IsInvalidArgument(vm.Create(Member(), two).status()));
  VolumeCreate long_name = Sized(1, std::string(256, 'x'));
  CHECK(absl::IsInvalidArgument(vm.Create(Member(), long_name).status()));
  CHECK(vm.List(Member(), {}, false)->empty());
}

TEST_CASE("a type's volume_backend_name picks the backend, an unknown type is 404") {
  World w;
  w.AddBackend("node1", "fast", 1000);
  w.AddBackend("node2", "slow", 1000);
  auto type = w.managers.types().Create(
      Admin(), {.name = "fast-type", .extra_specs = {{"volume_backend_name", "fast"}}});
  REQUIRE(type.ok());
  for (int i = 0; i < 3; ++i) {
    VolumeCreate c = Sized(1);
    c.volume_type = "fast-type";
    auto v = w.managers.volumes().Create(Member(), c);
    REQUIRE(v.ok());
    CHECK(v->backend_key == "node1@fast");
  }
  VolumeCreate c = Sized(1);
  c.volume_type = "no-such-type";
  absl::Status s = w.managers.volumes().Create(Member(), c).status();
  CHECK(absl::IsNotFound(s));
  CHECK(absl::StrContains(s.message(), "no-such-type"));
}

TEST_CASE("scheduling fills the backend with the most room and never overcommits") {
  World w;
  w.options.max_over_subscription_ratio = 1.0;
  w.AddBackend("node1", "file", 10);
  w.AddBackend("node2", "file", 4);
  std::map<std::string, int64_t> placed;
  for (int i = 0; i < 5; ++i) {
    auto v = w.managers.volumes().Create(Member(), Sized(3));
    REQUIRE(v.ok());
    placed[v->backend_key] += 3;
  }
  CHECK(placed["node1@file"] <= 10);
  CHECK(placed["node2@file"] <= 4);
  CHECK(placed["node1@file"] + placed["node2@file"] == 12);  // the fifth did not fit
  w.Deliver();
  auto all = w.managers.volumes().List(Member(), {}, false);
  int errors = 0;
  for (const Volume& v : *all) {
    if (v.status == "error") {
      ++errors;
      CHECK(absl::StrContains(v.error, "No valid backend"));
    }
  }
  CHECK(errors == 1);
}

TEST_CASE("quotas: volumes, gigabytes and per volume are 413 with Cinder's words") {
  World w;
  w.AddBackend("node1");
  REQUIRE(w.managers.quotas().Update(Admin(), "p1", {{"volumes", 2}, {"gigabytes", 5}}).ok());
  w.MakeVolume(Member(), 2);
  absl::Status gb = w.managers.volumes().Create(Member(), Sized(4)).status();
  CHECK(absl::IsResourceExhausted(gb));
  CHECK(absl::StrContains(gb.message(), "gigabytes"));
  w.MakeVolume(Member(), 3);
  absl::Status count = w.managers.volumes().Create(Member(), Sized(0 + 1)).status();
  CHECK(absl::IsResourceExhausted(count));
  CHECK(absl::StrContains(count.message(), "'volumes'"));
  // Another project is not affected.
  w.MakeVolume(Member("p2"), 4);
  // Lowering a limit below what is used is refused.
  CHECK(absl::IsInvalidArgument(
      w.managers.quotas().Update(Admin(), "p1", {{"volumes", 1}}).status()));
  CHECK(absl::IsPermissionDenied(
      w.managers.quotas().Update(Member(), "p1", {{"volumes", 100}}).status()));
}

TEST_CASE("another project's volume does not exist for a member, through every call") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member("p1"));
  const RequestContext other = Member("p2", "u2");
  VolumeManager& vm = w.managers.volumes();
  CHECK(absl::IsNotFound(vm.Get(other, v.id).status()));
  CHECK(absl::IsNotFound(vm.Delete(other, v.id, false)));
  CHECK(absl::IsNotFound(vm.Extend(other, v.id, 5, true).status()));
  CHECK(absl::IsNotFound(vm.Update(other, v.id, {.name = "mine"}).status()));
  CHECK(absl::IsNotFound(vm.SetBootable(other, v.id, true)));
  CHECK(absl::IsNotFound(vm.SetMetadata(other, v.id, {{"k", "v"}}, false).status()));
  CHECK(absl::IsNotFound(w.managers.attachments().Create(other, v.id, "", nullptr, "rw").status()));
  CHECK(absl::IsNotFound(w.managers.snapshots().Create(other, {.volume_id = v.id}).status()));
  VolumeCreate clone = Sized(1);
  clone.source_volume_id = v.id;
  CHECK(absl::IsNotFound(vm.Create(other, clone).status()));
  CHECK(vm.List(other, {}, /*all_projects=*/true)->empty());  // all_tenants ignored
  CHECK(vm.List(Admin(), {}, true)->size() == 1);
  CHECK(w.Reload(v.id).name == "v");
}

TEST_CASE("a reader may look but not create or change") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  CHECK(w.managers.volumes().Get(Reader(), v.id).ok());
  CHECK(absl::IsPermissionDenied(w.managers.volumes().Create(Reader(), Sized(1)).status()));
  CHECK(absl::IsPermissionDenied(w.managers.volumes().Delete(Reader(), v.id, false)));
  CHECK(absl::IsPermissionDenied(
      w.managers.volumes().ResetStatus(Member(), v.id, "error")));  // admins only
}

TEST_CASE("extend: bigger only, in-use only from 3.42, quota counted, size from the agent") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member(), 2);
  VolumeManager& vm = w.managers.volumes();
  CHECK(absl::IsInvalidArgument(vm.Extend(Member(), v.id, 2, false).status()));
  CHECK(absl::IsInvalidArgument(vm.Extend(Member(), v.id, 1, false).status()));
  auto extending = vm.Extend(Member(), v.id, 5, false);
  REQUIRE(extending.ok());
  CHECK(extending->status == "extending");
  // A second action while extending loses.
  CHECK(absl::IsInvalidArgument(vm.Extend(Member(), v.id, 6, true).status()));
  CHECK(absl::IsInvalidArgument(vm.Delete(Member(), v.id, false)));
  w.Deliver();
  CHECK(w.Reload(v.id).status == "available");
  CHECK(w.Reload(v.id).size_gb == 5);

  REQUIRE(w.managers.quotas().Update(Admin(), "p1", {{"gigabytes", 6}}).ok());
  CHECK(absl::IsResourceExhausted(vm.Extend(Member(), v.id, 7, false).status()));
  CHECK(w.Reload(v.id).size_gb == 5);
  CHECK(w.Reload(v.id).status == "available");
}

TEST_CASE("an agent's failure leaves the volume in error with its reason") {
  World w;
  w.AddBackend("node1");
  w.FailAgent("node1", "qemu-img: disk full");
  auto v = w.managers.volumes().Create(Member(), Sized(1));
  REQUIRE(v.ok());
  w.Deliver();
  Volume failed = w.Reload(v->id);
  CHECK(failed.status == "error");
  CHECK(failed.error == "qemu-img: disk full");
  // An errored volume can be deleted; the agent's failure to delete is error_deleting.
  REQUIRE(w.managers.volumes().Delete(Member(), v->id, false).ok());
  w.Deliver();
  CHECK(w.Reload(v->id).status == "error_deleting");
  w.FailAgent("node1", "");
  REQUIRE(w.managers.volumes().Delete(Member(), v->id, false).ok());
  w.Deliver();
  CHECK(absl::IsNotFound(w.store.GetVolume(v->id).status()));
}

TEST_CASE("no agent up: the create ends in error at once, with the reason") {
  World w;
  w.AddBackend("node1");
  w.clock.Advance(absl::Minutes(5));  // node1's last report is now too old
  auto v = w.managers.volumes().Create(Member(), Sized(1));
  REQUIRE(v.ok());
  CHECK(v->status == "error");
  CHECK(absl::StrContains(v->error, "down"));
  CHECK(w.Pending("node1").empty());
}

TEST_CASE("an agent that goes down with a task in flight: the sweep fails the volume") {
  World w;
  w.AddBackend("node1");
  w.AddBackend("node2");
  auto v = w.managers.volumes().Create(Member(), Sized(1));
  REQUIRE(v.ok());
  const std::string host = v->backend_key.substr(0, v->backend_key.find('@'));
  w.bus.FailNext(absl::OkStatus());  // nothing; the agent just never answers:
  // Drop the agent's queue: it died before reading it.
  w.agents.erase(host);
  w.clock.Advance(absl::Seconds(30));
  CHECK(*w.managers.reports().SweepStale() == 0);  // not yet: too early
  w.clock.Advance(w.options.task_timeout);
  const std::string other = host == "node1" ? "node2" : "node1";
  w.AddBackend(other);  // the other agent keeps reporting; this one is silent
  CHECK(*w.managers.reports().SweepStale() == 1);
  Volume failed = w.Reload(v->id);
  CHECK(failed.status == "error");
  CHECK(absl::StrContains(failed.error, "down"));
}

TEST_CASE("from an image: size and metadata from the image, unknown or inactive images refused") {
  World w;
  w.AddBackend("node1");
  w.images.Add({.id = "img1",
                .name = "cirros",
                .status = "active",
                .disk_format = "qcow2",
                .size = 20 << 20,
                .min_disk_gb = 2,
                .properties = {{"hw_disk_bus", "virtio"}}});
  w.images.Add({.id = "img2", .name = "queued", .status = "queued"});
  VolumeCreate c;
  c.image_id = "img1";
  auto v = w.managers.volumes().Create(Member(), c);
  REQUIRE(v.ok());
  CHECK(v->size_gb == 2);
  CHECK(v->image_metadata["image_name"] == "cirros");
  CHECK(v->image_metadata["hw_disk_bus"] == "virtio");
  auto casts = w.Pending("node1");
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].create_volume().source().image_id() == "img1");
  CHECK(casts[0].create_volume().source().image_disk_format() == "qcow2");
  w.Deliver();
  CHECK(w.Reload(v->id).bootable);
  c.size_gb = 1;
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Create(Member(), c).status()));
  c.size_gb.reset();
  c.image_id = "nope";
  CHECK(absl::IsNotFound(w.managers.volumes().Create(Member(), c).status()));
  c.image_id = "img2";
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Create(Member(), c).status()));
}

TEST_CASE("metadata, name, bootable, read-only and reset-status") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  VolumeManager& vm = w.managers.volumes();
  REQUIRE(vm.SetMetadata(Member(), v.id, {{"a", "1"}}, false).ok());
  auto all = vm.SetMetadata(Member(), v.id, {{"b", "2"}}, false);
  REQUIRE(all.ok());
  CHECK(all->size() == 2);
  CHECK(vm.SetMetadata(Member(), v.id, {{"c", "3"}}, true)->size() == 1);
  CHECK(absl::IsNotFound(vm.DeleteMetadata(Member(), v.id, "a")));
  CHECK(absl::IsInvalidArgument(
      vm.SetMetadata(Member(), v.id, {{std::string(256, 'k'), "v"}}, false).status()));
  CHECK(vm.Update(Member(), v.id, {.name = "renamed"})->name == "renamed");
  REQUIRE(vm.SetBootable(Member(), v.id, true).ok());
  REQUIRE(vm.SetReadOnly(Member(), v.id, true).ok());
  CHECK(w.Reload(v.id).bootable);
  CHECK(w.Reload(v.id).read_only);
  CHECK(absl::IsInvalidArgument(vm.ResetStatus(Admin(), v.id, "nonsense")));
  REQUIRE(vm.ResetStatus(Admin(), v.id, "error").ok());
  CHECK(w.Reload(v.id).status == "error");
  CHECK(absl::IsInvalidArgument(vm.SetReadOnly(Member(), v.id, false)));  // not available
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("image metadata and the pre-3.27 reserve and unreserve") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  VolumeManager& vm = w.managers.volumes();
  auto set = vm.SetImageMetadata(Member(), v.id, {{"hw_disk_bus", "virtio"}});
  REQUIRE(set.ok());
  CHECK(set->at("hw_disk_bus") == "virtio");
  CHECK(absl::IsNotFound(vm.UnsetImageMetadata(Member(), v.id, "nope")));
  REQUIRE(vm.UnsetImageMetadata(Member(), v.id, "hw_disk_bus").ok());
  CHECK(w.Reload(v.id).image_metadata.empty());
  CHECK(absl::IsNotFound(vm.SetImageMetadata(Member("p2"), v.id, {{"k", "v"}}).status()));

  REQUIRE(vm.LegacyReserve(Member(), v.id).ok());
  CHECK(w.Reload(v.id).status == "attaching");
  CHECK(absl::IsInvalidArgument(vm.LegacyReserve(Member(), v.id)));
  REQUIRE(vm.LegacyUnreserve(Member(), v.id).ok());
  CHECK(w.Reload(v.id).status == "available");
  CHECK(absl::IsInvalidArgument(vm.LegacyUnreserve(Member(), v.id)));
  REQUIRE(vm.ResetStatus(Admin(), v.id, "error").ok());
  CHECK(absl::IsInvalidArgument(vm.LegacyReserve(Member(), v.id)));
}

TEST_CASE("an admin force-deletes a snapshot whatever its status, a member may not") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  auto s = w.managers.snapshots().Create(Member(), {.volume_id = v.id});
  REQUIRE(s.ok());  // creating: the agent has not answered
  CHECK(absl::IsInvalidArgument(w.managers.snapshots().Delete(Member(), s->id)));
  CHECK(absl::IsPermissionDenied(w.managers.snapshots().Delete(Member(), s->id, true)));
  REQUIRE(w.managers.snapshots().Delete(Admin(), s->id, true).ok());
  w.Deliver();
  CHECK(absl::IsNotFound(w.managers.snapshots().Get(Member(), s->id).status()));
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("retype: to a type of the same backend, refused when it needs a migration") {
  World w;
  w.AddBackend("node1", "fast", 1000);
  auto plain = w.managers.types().Create(Admin(), {.name = "plain"});
  auto also_fast = w.managers.types().Create(
      Admin(), {.name = "also-fast", .extra_specs = {{"volume_backend_name", "fast"}}});
  auto slow = w.managers.types().Create(
      Admin(), {.name = "slow", .extra_specs = {{"volume_backend_name", "slow"}}});
  REQUIRE((plain.ok() && also_fast.ok() && slow.ok()));
  Volume v = w.MakeVolume(Member(), 2);
  VolumeManager& vm = w.managers.volumes();
  auto retyped = vm.Retype(Member(), v.id, "plain", "never");
  REQUIRE(retyped.ok());
  CHECK(retyped->volume_type_id == plain->id);
  CHECK(retyped->backend_key == v.backend_key);
  CHECK(retyped->status == "available");
  REQUIRE(vm.Retype(Member(), v.id, also_fast->id, "on-demand").ok());
  CHECK(w.Reload(v.id).volume_type_id == also_fast->id);
  // The same type again, another backend, unknown type, bad policy, another project.
  CHECK(absl::IsInvalidArgument(vm.Retype(Member(), v.id, "also-fast", "never").status()));
  absl::Status migrate = vm.Retype(Member(), v.id, "slow", "never").status();
  CHECK(absl::IsInvalidArgument(migrate));
  CHECK(absl::StrContains(migrate.message(), "migration"));
  CHECK(absl::IsInvalidArgument(vm.Retype(Member(), v.id, "slow", "on-demand").status()));
  CHECK(absl::IsNotFound(vm.Retype(Member(), v.id, "no-such-type", "never").status()));
  CHECK(absl::IsInvalidArgument(vm.Retype(Member(), v.id, "plain", "sometimes").status()));
  CHECK(absl::IsNotFound(vm.Retype(Member("p2"), v.id, "plain", "never").status()));
  CHECK(w.Reload(v.id).volume_type_id == also_fast->id);
  // The new type's quota: volumes_plain limited to 0.
  REQUIRE(w.managers.quotas().Update(Admin(), "p1", {{"volumes_plain", 0}}).ok());
  CHECK(absl::IsResourceExhausted(vm.Retype(Member(), v.id, "plain", "never").status()));
  CHECK(w.Reload(v.id).volume_type_id == also_fast->id);
}

}  // namespace
}  // namespace gureum::block_storage::testing

namespace gureum::block_storage::testing {
namespace {

TEST_CASE("summary: the project's volumes counted and sized, metadata values by key") {
  World w;
  w.AddBackend("node1");
  Volume a = w.MakeVolume(Member(), 2, "a");
  Volume b = w.MakeVolume(Member(), 3, "b");
  w.MakeVolume(Member("p2"), 5, "other");
  REQUIRE(w.managers.volumes().SetMetadata(Member(), a.id, {{"tier", "gold"}}, false).ok());
  REQUIRE(w.managers.volumes().SetMetadata(Member(), b.id, {{"tier", "bronze"}}, false).ok());
  auto sum = w.managers.volumes().Summarize(Member(), false);
  REQUIRE(sum.ok());
  CHECK(sum->count == 2);
  CHECK(sum->total_gb == 5);
  CHECK(sum->metadata.at("tier") == std::set<std::string>{"bronze", "gold"});
  // all_projects only for admins.
  CHECK(w.managers.volumes().Summarize(Member(), true)->count == 2);
  CHECK(w.managers.volumes().Summarize(Admin(), true)->count == 3);
}

}  // namespace
}  // namespace gureum::block_storage::testing
