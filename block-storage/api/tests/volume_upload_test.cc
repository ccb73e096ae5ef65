// os-volume_upload_image through the managers on fakes: the status machine (available, or
// in-use with force), the image created with the caller's token and the volume's image
// properties, the cast to the agent, its report, failures and an agent that went down.
#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "block-storage/api/tests/manager_fixture.h"

namespace gureum::block_storage::testing {
namespace {

ImageUpload Named(const std::string& name, const std::string& format = "raw") {
  ImageUpload u;
  u.image_name = name;
  u.disk_format = format;
  return u;
}

// Attaches `v` to a server and completes the attachment: in-use.
void Attach(World& w, const Volume& v) {
  Connector conn{.host = "compute1", .ip = "192.0.2.21"};
  auto att = w.managers.attachments().Create(Member(), v.id, "11111111-2222-4333-8444-555555555555",
                                             &conn, "rw");
  REQUIRE(att.ok());
  REQUIRE(w.managers.attachments().Complete(Member(), att->id, "/dev/vdb").ok());
  REQUIRE(w.Reload(v.id).status == "in-use");
}

TEST_CASE("upload: uploading, the image made with the user's token, the cast, back available") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member(), 2, "data");
  VolumeChange meta{.image_metadata = Metadata{{"os_distro", "debian"},
                                               {"hw_disk_bus", "virtio"},
                                               {"image_id", "old-image"},
                                               {"checksum", "abc"},
                                               {"min_disk", "1"}}};
  REQUIRE(w.store.ChangeVolume(v.id, meta, w.clock.Now()).ok());
  ImageUpload u = Named("from-data", "qcow2");
  u.is_protected = true;
  auto started = w.managers.volumes().UploadToImage(Member(), v.id, u);
  REQUIRE(started.ok());
  CHECK(started->volume.status == "uploading");
  CHECK(started->volume.size_gb == 2);
  CHECK(started->type.name == "__DEFAULT__");
  CHECK(started->image.status == "queued");
  CHECK(started->image.disk_format == "qcow2");
  CHECK(started->image.container_format == "bare");
  CHECK(w.Reload(v.id).status == "uploading");
  // The image service got the user's own token, and the volume's properties but the core.
  FakeImageClient::Record image = w.new_images.image(started->image.id);
  CHECK(image.token == "token-p1");
  CHECK(image.created.name == "from-data");
  CHECK(image.created.visibility == "private");
  CHECK(image.created.is_protected);
  CHECK(image.created.properties ==
        std::map<std::string, std::string>{{"os_distro", "debian"}, {"hw_disk_bus", "virtio"}});
  // The agent of the volume's backend is told which image, in which format.
  std::vector<pb::VolumeCast> casts = w.Pending("node1");
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].upload_volume().volume_id() == v.id);
  CHECK(casts[0].upload_volume().backend() == "file");
  CHECK(casts[0].upload_volume().image_id() == started->image.id);
  CHECK(casts[0].upload_volume().disk_format() == "qcow2");
  CHECK_FALSE(casts[0].upload_volume().in_use());
  // While it uploads, the volume takes no other action.
  CHECK(absl::IsInvalidArgument(w.managers.volumes().Delete(Member(), v.id, false)));
  CHECK(absl::IsInvalidArgument(
      w.managers.volumes().UploadToImage(Member(), v.id, Named("again")).status()));
  w.Deliver();
  CHECK(w.Reload(v.id).status == "available");
  bool ended = false;
  for (const auto& n : w.notifications) {
    ended |= n["event_type"] == "volume.upload_image.end" && n["payload"]["volume_id"] == v.id;
  }
  CHECK(ended);
}

TEST_CASE("upload: in-use only with force (back in-use after), else Cinder's 400") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  Attach(w, v);
  absl::Status refused = w.managers.volumes().UploadToImage(Member(), v.id, Named("i")).status();
  CHECK(absl::IsInvalidArgument(refused));
  CHECK(refused.message() == "Invalid volume: Volume " + v.id +
                                 " status must be available, but current status is: in-use.");
  CHECK(w.new_images.images() == 0);
  ImageUpload forced = Named("i");
  forced.force = true;
  auto started = w.managers.volumes().UploadToImage(Member(), v.id, forced);
  REQUIRE(started.ok());
  std::vector<pb::VolumeCast> casts = w.Pending("node1");
  REQUIRE(casts.size() == 1);
  CHECK(casts[0].upload_volume().in_use());
  w.Deliver();
  CHECK(w.Reload(v.id).status == "in-use");
  // A volume in error is refused even with force.
  REQUIRE(w.managers.volumes().ResetStatus(Admin(), v.id, "error").ok());
  CHECK(
      absl::IsInvalidArgument(w.managers.volumes().UploadToImage(Member(), v.id, forced).status()));
}

TEST_CASE("upload: bad input, policy and other projects are refused before anything changes") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  VolumeManager& vm = w.managers.volumes();
  CHECK(absl::IsInvalidArgument(vm.UploadToImage(Member(), v.id, Named("")).status()));
  CHECK(absl::IsInvalidArgument(vm.UploadToImage(Member(), v.id, Named("i", "iso")).status()));
  ImageUpload ovf = Named("i");
  ovf.container_format = "ovf";
  CHECK(absl::IsInvalidArgument(vm.UploadToImage(Member(), v.id, ovf).status()));
  ImageUpload pub = Named("i");
  pub.visibility = "public";
  CHECK(absl::IsPermissionDenied(vm.UploadToImage(Member(), v.id, pub).status()));
  CHECK(absl::IsNotFound(vm.UploadToImage(Member("p2"), v.id, Named("i")).status()));
  CHECK(absl::IsPermissionDenied(vm.UploadToImage(Reader(), v.id, Named("i")).status()));
  CHECK(w.Reload(v.id).status == "available");
  CHECK(w.new_images.images() == 0);
  CHECK(w.Pending("node1").empty());
}

TEST_CASE("upload: the image service or the agent unreachable puts the volume back at once") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  VolumeManager& vm = w.managers.volumes();
  w.new_images.FailNextCreate(absl::UnavailableError("connection refused"));
  CHECK(absl::IsUnavailable(vm.UploadToImage(Member(), v.id, Named("i")).status()));
  CHECK(w.Reload(v.id).status == "available");
  w.new_images.FailNextCreate(absl::ResourceExhaustedError("image quota"));
  CHECK(absl::IsResourceExhausted(vm.UploadToImage(Member(), v.id, Named("i")).status()));
  CHECK(w.Reload(v.id).status == "available");
  // The cast cannot be sent: the image just made is deleted again.
  w.bus.FailNext(absl::UnavailableError("broker down"));
  CHECK(absl::IsUnavailable(vm.UploadToImage(Member(), v.id, Named("i")).status()));
  CHECK(w.Reload(v.id).status == "available");
  CHECK(w.new_images.images() == 0);
}

TEST_CASE("upload: the agent's failure or its absence never leaves the volume uploading") {
  World w;
  w.AddBackend("node1");
  Volume v = w.MakeVolume(Member());
  VolumeManager& vm = w.managers.volumes();
  w.FailAgent("node1", "the volume backend on node1 failed (upload)");
  REQUIRE(vm.UploadToImage(Member(), v.id, Named("i")).ok());
  w.Deliver();
  Volume after = w.Reload(v.id);
  CHECK(after.status == "available");
  CHECK(after.error.empty());
  // The agent goes silent with an upload in flight: the sweep gives the volume back.
  w.FailAgent("node1", "");
  w.SilenceAgent("node1");
  REQUIRE(vm.UploadToImage(Member(), v.id, Named("j")).ok());
  w.Deliver();
  CHECK(w.Reload(v.id).status == "uploading");
  w.clock.Advance(w.options.task_timeout + absl::Minutes(2));  // and its heartbeat stops
  CHECK(*w.managers.reports().SweepStale() == 1);
  CHECK(w.Reload(v.id).status == "available");
}

}  // namespace
}  // namespace gureum::block_storage::testing
