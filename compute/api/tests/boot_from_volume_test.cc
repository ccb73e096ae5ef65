// Boot from volume in compute-api on fakes: block_device_mapping_v2 checked as Nova checks
// it, the root volume made (image source, with the user's token) or reserved (volume
// source), the mapping stored and sent in the build's spec, the server's image "", the
// agent's report giving a made volume its attachment, the root volume not detachable, and
// a deleted server's volumes released and, when so marked, deleted.
#include <catch2/catch.hpp>

#include "compute/api/conductor.h"
#include "compute/api/tests/manager_fixture.h"

namespace gureum::compute::testing {
namespace {

struct BootWorld : World {
  BootWorld() : World(false, true) {
    AddFlavorAndImage();
    images.Add({.id = "tiny",
                .name = "tiny",
                .status = "active",
                .size = 16 << 20,
                .min_disk_gb = 1,
                .properties = {{"kernel_id", "k1"}, {"ramdisk_id", "r1"}}});
    block_storage.AddVolume("vol-own", "p1", 2);
    block_storage.AddVolume("vol-other", "p2", 1);
  }
  CreateServerRequest FromImage(std::optional<int64_t> size, bool delete_on_termination = false) {
    CreateServerRequest r{.name = "bfv", .flavor_ref = "1"};
    r.block_devices.push_back({.source_type = "image",
                               .destination_type = "volume",
                               .uuid = "tiny",
                               .volume_size = size,
                               .boot_index = 0,
                               .delete_on_termination = delete_on_termination});
    return r;
  }
  CreateServerRequest FromVolume(const std::string& id, bool delete_on_termination = false) {
    CreateServerRequest r{.name = "bfv", .flavor_ref = "1"};
    r.block_devices.push_back({.source_type = "volume",
                               .destination_type = "volume",
                               .uuid = id,
                               .boot_index = 0,
                               .delete_on_termination = delete_on_termination});
    return r;
  }
  // The build's spec as cast to the scheduler.
  v1::InstanceSpec LastSpec() {
    std::vector<v1::Cast> casts = Casts("scheduler");
    REQUIRE(!casts.empty());
    return casts.back().schedule().spec();
  }
  absl::Status Deliver(const v1::Cast& c) {
    amqp::Message m;
    m.body = c.SerializeAsString();
    return conductor.Handle(m);
  }
  Conductor conductor{store, bus, placement, clock, &managers.volumes()};
};

absl::Status CreateError(BootWorld& w, const CreateServerRequest& r,
                         const RequestContext& ctx = Member()) {
  return w.managers.servers().CreateServers(ctx, r).status();
}

TEST_CASE("boot from volume: an image source makes the root volume with the user's token") {
  BootWorld w;
  w.block_storage.SetImageMetadata("tiny", {{"image_id", "tiny"}, {"kernel_id", "k1"}});
  w.block_storage.SetCreatedStatus("creating");
  auto created = w.managers.servers().CreateServers(Member(), w.FromImage(1));
  REQUIRE(created.ok());
  const Instance& i = created->instances.at(0);
  CHECK(i.image_ref.empty());  // Nova's "image": "" for a volume root
  CHECK(i.image.id == "tiny");
  CHECK(i.image.properties.at("kernel_id") == "k1");
  CHECK(w.block_storage.calls() == std::vector<std::string>{"CreateVolume token-p1"});
  auto rows = w.store.ListVolumeAttachments(i.uuid);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  const VolumeAttachment& root = rows->front();
  CHECK(root.boot_index == 0);
  CHECK(root.source_type == "image");
  CHECK_FALSE(root.delete_on_termination);
  CHECK(root.attachment_id.empty());  // the agent reserves it once the volume is made
  CHECK(root.status == "attaching");
  CHECK(w.block_storage.volume(root.volume_id)->size_gb == 1);
  CHECK(w.block_storage.volume(root.volume_id)->status == "creating");

  v1::InstanceSpec spec = w.LastSpec();
  REQUIRE(spec.block_devices_size() == 1);
  CHECK(spec.block_devices(0).volume_id() == root.volume_id);
  CHECK(spec.block_devices(0).attachment_id().empty());
  CHECK(spec.block_devices(0).boot_index() == 0);
  CHECK(spec.block_devices(0).source_type() == "image");
  CHECK(spec.image().properties().at("ramdisk_id") == "r1");
  CHECK(spec.flavor().disk_gb() == 0);  // the host holds no root disk (Nova's is_bfv)

  // The agent reserved it, booted, and reports the root disk at /dev/vda.
  w.block_storage.SetVolumeStatus(root.volume_id, "available");
  auto att = w.block_storage.CreateAttachment(kAsService, root.volume_id, i.uuid, nullptr);
  REQUIRE(att.ok());
  v1::Cast report;
  v1::VolumeAttachmentUpdate* u = report.mutable_volume_attachment_update();
  u->set_instance_uuid(i.uuid);
  u->set_volume_id(root.volume_id);
  u->set_attachment_id(att->id);
  u->set_op("attach");
  u->set_status("attached");
  u->set_device("/dev/vda");
  REQUIRE(w.Deliver(report).ok());
  REQUIRE(w.Deliver(report).ok());  // a replay changes nothing
  auto shown = w.store.GetVolumeAttachment(i.uuid, root.volume_id);
  REQUIRE(shown.ok());
  CHECK(shown->attachment_id == att->id);
  CHECK(shown->status == "attached");
  CHECK(shown->device == "/dev/vda");
}

TEST_CASE("boot from volume: an existing volume is reserved at create, kept at delete") {
  BootWorld w;
  auto created = w.managers.servers().CreateServers(Member(), w.FromVolume("vol-own"));
  REQUIRE(created.ok());
  const Instance& i = created->instances.at(0);
  CHECK(w.block_storage.volume("vol-own")->status == "reserved");
  CHECK(w.block_storage.calls() ==
        std::vector<std::string>{"GetVolume token-p1", "CreateAttachment token-p1"});
  auto row = w.store.GetVolumeAttachment(i.uuid, "vol-own");
  REQUIRE(row.ok());
  CHECK_FALSE(row->attachment_id.empty());
  CHECK(row->source_type == "volume");
  CHECK(w.LastSpec().block_devices(0).attachment_id() == row->attachment_id);

  // Reserved by one server, the volume cannot be another's root.
  absl::Status taken = CreateError(w, w.FromVolume("vol-own"));
  CHECK(absl::IsInvalidArgument(taken));

  // No host yet: deleted at once; the attachment goes, the volume stays available.
  REQUIRE(w.managers.servers().DeleteServer(Member(), i.uuid).ok());
  CHECK(w.block_storage.volume("vol-own")->status == "available");
  CHECK(w.block_storage.attachments().empty());
}

TEST_CASE("boot from volume: delete_on_termination deletes the volume with the server") {
  BootWorld w;
  auto created = w.managers.servers().CreateServers(Member(), w.FromVolume("vol-own", true));
  REQUIRE(created.ok());
  const std::string uuid = created->instances.at(0).uuid;
  CHECK(w.store.GetVolumeAttachment(uuid, "vol-own")->delete_on_termination);
  w.managers.volumes().ReleaseAll(uuid);
  CHECK(absl::IsNotFound(w.block_storage.volume("vol-own").status()));
  std::vector<std::string> calls = w.block_storage.calls();
  REQUIRE(calls.size() >= 2);
  CHECK(calls[calls.size() - 2] == "DeleteAttachment ");  // as the service user
  CHECK(calls.back() == "DeleteVolume ");

  // A made volume never reserved by its agent (the build failed) is deleted too.
  auto made = w.managers.servers().CreateServers(Member(), w.FromImage(1, true));
  REQUIRE(made.ok());
  const std::string vm = made->instances.at(0).uuid;
  const std::string volume = w.store.ListVolumeAttachments(vm)->front().volume_id;
  w.managers.volumes().ReleaseAll(vm);
  CHECK(absl::IsNotFound(w.block_storage.volume(volume).status()));
}

TEST_CASE("boot from volume: Nova's 400s for bad mappings, 404-as-400 for others' volumes") {
  BootWorld w;
  absl::Status s = CreateError(w, w.FromImage(std::nullopt));
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() ==
        "Block Device Mapping is Invalid: Images with destination_type 'volume' need to have a "
        "non-zero size specified");
  // Smaller than the image's min_disk (1 GiB): 0 is "no size".
  CHECK(absl::IsInvalidArgument(CreateError(w, w.FromImage(0))));
  w.images.Add({.id = "big", .name = "big", .status = "active", .size = 1, .min_disk_gb = 3});
  CreateServerRequest big = w.FromImage(2);
  big.block_devices[0].uuid = "big";
  s = CreateError(w, big);
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() ==
        "Volume is smaller than the minimum size specified in image metadata. Volume size is "
        "2147483648 bytes, minimum size is 3221225472 bytes.");

  CreateServerRequest two = w.FromImage(1);
  two.block_devices.push_back(two.block_devices[0]);
  s = CreateError(w, two);
  CHECK(s.message() ==
        "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device "
        "mapping combination is not valid.");
  CreateServerRequest odd = w.FromImage(1);
  odd.block_devices[0].source_type = "floppy";
  s = CreateError(w, odd);
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() ==
        "Invalid input for field/attribute source_type. Value: floppy. 'floppy' is not one of "
        "['volume', 'image', 'snapshot', 'blank']");

  // Another project's volume (the fake shows it; block storage would say 404) and a
  // missing one: Nova's InvalidBDMVolume.
  w.block_storage.FailNext("GetVolume",
                           absl::NotFoundError("Volume vol-other could not be found."));
  s = CreateError(w, w.FromVolume("vol-other"));
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() == "Block Device Mapping is Invalid: failed to get volume vol-other.");
  CHECK(CreateError(w, w.FromVolume("vol-none")).message() ==
        "Block Device Mapping is Invalid: failed to get volume vol-none.");
  // A volume whose bootable flag is false: Nova's InvalidBDMVolumeNotBootable.
  w.block_storage.SetBootable("vol-own", false);
  s = CreateError(w, w.FromVolume("vol-own"));
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() == "Block Device vol-own is not bootable.");
  w.block_storage.SetBootable("vol-own", true);
  // A volume given to two servers at once.
  CreateServerRequest many = w.FromVolume("vol-own");
  many.min_count = many.max_count = 2;
  CHECK(absl::IsInvalidArgument(CreateError(w, many)));
  // Neither an image nor a root mapping.
  CHECK(CreateError(w, {.name = "x", .flavor_ref = "1"}).message() == "Missing imageRef attribute");
  // Nothing was made or written by the refused creates.
  CHECK(w.Casts("scheduler").empty());
  CHECK(w.block_storage.attachments().empty());
}

TEST_CASE(
    "boot from volume: the root volume cannot be detached nor the server moved, no block storage "
    "is 503") {
  BootWorld w;
  auto created = w.managers.servers().CreateServers(Member(), w.FromVolume("vol-own"));
  REQUIRE(created.ok());
  const std::string uuid = created->instances.at(0).uuid;
  REQUIRE(w.store
              .MutateInstance(uuid,
                              [](Instance& x) {
                                x.vm_state = vm::kActive;
                                x.task_state.clear();
                                x.host = "h1";
                                return absl::OkStatus();
                              })
              .ok());
  absl::Status s = w.managers.volumes().Detach(Member(), uuid, "vol-own");
  CHECK(absl::IsInvalidArgument(s));
  CHECK(s.message() == "Cannot detach a root device volume");
  // Nor can it be rebuilt or moved here: the agent would make a local disk instead.
  ActionRequest rebuild{.action = Action::kRebuild, .image_ref = "img"};
  s = w.managers.actions().ServerAction(Member(), uuid, rebuild).status();
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(s.message().find("it was booted from a volume") != std::string::npos);
  ActionRequest resize{.action = Action::kResize, .flavor_ref = "1"};
  CHECK(w.managers.actions().ServerAction(Member(), uuid, resize).status().code() ==
        absl::StatusCode::kFailedPrecondition);

  World none(false, /*with_block_storage=*/false);
  none.AddFlavorAndImage();
  BootWorld shape;
  absl::Status unavailable =
      none.managers.servers().CreateServers(Member(), shape.FromVolume("vol-own")).status();
  CHECK(absl::IsUnavailable(unavailable));
}

}  // namespace
}  // namespace gureum::compute::testing
