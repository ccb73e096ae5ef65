// The ComputeStore contract for volume attachments, on the fake (compute_api_test) and on
// PostgreSQL (compute_api_pg_test): one row per (instance, volume), the status moves only
// from the expected ones, the rows go with their instance.
#include <catch2/catch.hpp>

#include "compute/api/tests/store_holder.h"

namespace gureum::compute::testing {
namespace {

Instance Vm(const std::string& uuid) {
  Instance i;
  i.uuid = uuid;
  i.name = "vm-" + uuid;
  i.project_id = "p1";
  i.user_id = "u1";
  i.flavor.id = "f1";
  i.flavor.name = "tiny";
  i.flavor.vcpus = 1;
  i.flavor.ram_mb = 512;
  i.image_ref = "img";
  i.image.id = "img";
  i.vm_state = "active";
  return i;
}

VolumeAttachment Row(const std::string& vm, const std::string& volume, const std::string& id) {
  return {.instance_uuid = vm, .volume_id = volume, .attachment_id = id, .status = "attaching"};
}

TEST_CASE("store: volume attachments, one per instance and volume, status from expected") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  QuotaRequest quota{.limits = QuotaLimits{}, .instances = 2, .cores = 2, .ram = 1024};
  REQUIRE(s.CreateInstances({Vm("vm-1"), Vm("vm-2")}, quota, "req-1").ok());

  REQUIRE(s.CreateVolumeAttachment(Row("vm-1", "vol-1", "att-1")).ok());
  clock.Advance(absl::Seconds(1));
  REQUIRE(s.CreateVolumeAttachment(Row("vm-1", "vol-2", "att-2")).ok());
  REQUIRE(s.CreateVolumeAttachment(Row("vm-2", "vol-3", "att-3")).ok());
  absl::Status dup = s.CreateVolumeAttachment(Row("vm-1", "vol-1", "att-9"));
  CHECK(absl::IsAlreadyExists(dup));
  CHECK(dup.message() == "Volume vol-1 is already attached to instance vm-1.");
  CHECK(absl::IsNotFound(s.CreateVolumeAttachment(Row("nope", "vol-1", "att-8"))));

  auto list = s.ListVolumeAttachments("vm-1");
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].volume_id == "vol-1");
  CHECK((*list)[1].volume_id == "vol-2");
  CHECK((*list)[0].status == "attaching");
  CHECK((*list)[0].device.empty());

  auto up = s.UpdateVolumeAttachment("att-1", {"attaching"}, "attached", "/dev/vdb");
  REQUIRE(up.ok());
  CHECK(up->status == "attached");
  CHECK(up->device == "/dev/vdb");
  absl::StatusOr<VolumeAttachment> refused =
      s.UpdateVolumeAttachment("att-1", {"attaching"}, "attached", "/dev/vdc");
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(refused.status().message() == "Volume vol-1 is attached, not attaching.");
  // An empty device keeps the one there.
  up = s.UpdateVolumeAttachment("att-1", {}, "detaching", "");
  REQUIRE(up.ok());
  CHECK(up->device == "/dev/vdb");
  CHECK(s.GetVolumeAttachment("vm-1", "vol-1")->status == "detaching");
  absl::Status missing = s.GetVolumeAttachment("vm-2", "vol-1").status();
  CHECK(absl::IsNotFound(missing));
  CHECK(missing.message() == "Volume vol-1 is not attached to instance vm-2.");
  CHECK(absl::IsNotFound(s.UpdateVolumeAttachment("att-x", {}, "attached", "").status()));

  REQUIRE(s.DeleteVolumeAttachment("att-1").ok());
  CHECK(absl::IsNotFound(s.DeleteVolumeAttachment("att-1")));
  CHECK(s.ListVolumeAttachments("vm-1")->size() == 1);

  // The rows go with their instance.
  REQUIRE(s.DeleteInstance("vm-2").ok());
  CHECK(s.ListVolumeAttachments("vm-2")->empty());
  CHECK(absl::IsNotFound(s.DeleteVolumeAttachment("att-3")));
}

TEST_CASE("store: boot volumes keep their mapping, a made volume gets its attachment later") {
  FakeClock clock;
  auto h = NewStoreHolder(clock);
  ComputeStore& s = h->store();
  QuotaRequest quota{.limits = QuotaLimits{}, .instances = 2, .cores = 2, .ram = 1024};
  REQUIRE(s.CreateInstances({Vm("vm-1"), Vm("vm-2")}, quota, "req-1").ok());
  VolumeAttachment root = Row("vm-1", "vol-1", "");
  root.boot_index = 0;
  root.delete_on_termination = true;
  root.source_type = "image";
  REQUIRE(s.CreateVolumeAttachment(root).ok());
  // Two rows without an attachment yet do not collide.
  VolumeAttachment other = Row("vm-2", "vol-2", "");
  other.boot_index = 0;
  REQUIRE(s.CreateVolumeAttachment(other).ok());
  REQUIRE(s.CreateVolumeAttachment(Row("vm-2", "vol-3", "att-3")).ok());

  auto got = s.GetVolumeAttachment("vm-1", "vol-1");
  REQUIRE(got.ok());
  CHECK(got->attachment_id.empty());
  CHECK(got->boot_index == 0);
  CHECK(got->delete_on_termination);
  CHECK(got->source_type == "image");
  CHECK(s.GetVolumeAttachment("vm-2", "vol-3")->boot_index == -1);
  CHECK(s.GetVolumeAttachment("vm-2", "vol-3")->source_type == "volume");
  CHECK_FALSE(s.GetVolumeAttachment("vm-2", "vol-3")->delete_on_termination);
  // Nothing is found by an empty attachment id.
  CHECK(absl::IsNotFound(s.UpdateVolumeAttachment("", {}, "attached", "").status()));
  CHECK(absl::IsNotFound(s.DeleteVolumeAttachment("")));

  auto set = s.SetVolumeAttachmentId("vm-1", "vol-1", "att-1");
  REQUIRE(set.ok());
  CHECK(set->attachment_id == "att-1");
  CHECK(s.SetVolumeAttachmentId("vm-1", "vol-1", "att-1").ok());  // again: the same
  CHECK(s.SetVolumeAttachmentId("vm-1", "vol-1", "att-9").status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(absl::IsNotFound(s.SetVolumeAttachmentId("vm-1", "vol-x", "att-8").status()));
  CHECK(absl::IsAlreadyExists(s.SetVolumeAttachmentId("vm-2", "vol-2", "att-3").status()));
  auto up = s.UpdateVolumeAttachment("att-1", {"attaching"}, "attached", "/dev/vda");
  REQUIRE(up.ok());
  CHECK(up->device == "/dev/vda");
  CHECK(up->boot_index == 0);
}

}  // namespace
}  // namespace gureum::compute::testing
