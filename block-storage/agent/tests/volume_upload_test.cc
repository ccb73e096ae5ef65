// upload_volume through VolumeHandler and VolumeAgentManager on FakeBus, FakeVolumeDriver
// and block storage's FakeImageClient: the volume's bytes, converted, arrive in the image;
// failures are reported in words a user can read, kill the image and leave no scratch file.
#include <filesystem>

#include <catch2/catch.hpp>

#include "block-storage/agent/fake_volume_driver.h"
#include "block-storage/agent/fake_volume_exporter.h"
#include "block-storage/agent/tests/test_ids.h"
#include "block-storage/agent/volume_handler.h"
#include "block-storage/clients/fake_image_client.h"
#include "common/amqp/fake_bus.h"
#include "compute/clients/fake_image_client.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT
namespace fs = std::filesystem;

struct UploadFixture {
  UploadFixture() {
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    bus.Subscribe({.queue = "volume.store1", .max_attempts = 3},
                  [this](const amqp::Message& m) { return handler.Handle(m); });
    REQUIRE(driver.Create(kVol, 1).ok());
  }
  ~UploadFixture() { fs::remove_all(scratch); }

  // A queued image of the user's, as the API makes it.
  std::string NewImage(const std::string& disk_format = "raw") {
    auto image = new_images.CreateImage(
        "user-token", {.name = "img", .disk_format = disk_format, .container_format = "bare"});
    REQUIRE(image.ok());
    return image->id;
  }

  // Casts an upload of `volume` into `image` and returns the one report it made.
  pb::VolumeResult Upload(const std::string& volume, const std::string& image,
                          const std::string& disk_format = "raw") {
    pb::VolumeCast cast;
    cast.set_task_id("task-" + std::to_string(++tasks));
    pb::UploadVolume* u = cast.mutable_upload_volume();
    u->set_volume_id(volume);
    u->set_backend("file1");
    u->set_image_id(image);
    u->set_disk_format(disk_format);
    amqp::Message m;
    cast.SerializeToString(&m.body);
    REQUIRE(bus.Cast("volume.store1", m).ok());
    bus.DeliverAll();
    std::vector<amqp::Message> reports = bus.Queued("block-storage");
    REQUIRE(reports.size() == static_cast<size_t>(tasks));
    pb::AgentReport report;
    REQUIRE(report.ParseFromString(reports.back().body));
    CHECK(report.task_id() == cast.task_id());
    REQUIRE(report.has_volume());
    return report.volume();
  }

  bool ScratchEmpty() const { return fs::is_empty(scratch); }

  fs::path scratch = fs::temp_directory_path() / ("vut-" + std::to_string(getpid()));
  amqp::FakeBus bus;
  FakeVolumeDriver driver;
  FakeVolumeExporter exporter;
  compute::FakeImageClient images;
  block_storage::FakeImageClient new_images;
  VolumeAgentManager manager{"store1",
                             {.backends = {{"file1", &driver}},
                              .exporter = exporter,
                              .images = &images,
                              .new_images = &new_images,
                              .scratch_dir = scratch.string()}};
  VolumeHandler handler{manager, bus, {.report_queue = "block-storage", .max_attempts = 3}};
  int tasks = 0;
};

TEST_CASE("upload: the volume's bytes in the image's format arrive, the image is active") {
  UploadFixture f;
  for (const std::string format : {"raw", "qcow2"}) {
    const std::string image = f.NewImage(format);
    pb::VolumeResult r = f.Upload(kVol, image, format);
    CHECK(r.outcome() == pb::OUTCOME_OK);
    CHECK(r.op() == "upload_volume");
    CHECK(r.volume_id() == kVol);
    block_storage::FakeImageClient::Record got = f.new_images.image(image);
    CHECK(got.info.status == "active");
    CHECK(got.data == FakeVolumeDriver::Data(kVol, format));
    CHECK(got.info.size == static_cast<int64_t>(got.data.size()));
    CHECK(f.ScratchEmpty());
  }
}

TEST_CASE("upload: a conversion that fails kills the image and says so without details") {
  UploadFixture f;
  const std::string image = f.NewImage();
  f.driver.FailNext(absl::InternalError("qemu-img: /srv/volumes/volume-x.qcow2: I/O error"));
  pb::VolumeResult r = f.Upload(kVol, image);
  CHECK(r.outcome() == pb::OUTCOME_ERROR);
  CHECK(r.error().find('/') == std::string::npos);
  CHECK(r.error().find("upload_volume") != std::string::npos);
  CHECK(f.new_images.image(image).info.status == "killed");
  CHECK(f.ScratchEmpty());
}

TEST_CASE("upload: refusals of the image service and bad casts are reported as they are") {
  UploadFixture f;
  const std::string image = f.NewImage();
  REQUIRE(f.Upload(kVol, image).outcome() == pb::OUTCOME_OK);
  // A replay after the image went active: the image service refuses, the volume is intact.
  pb::VolumeResult again = f.Upload(kVol, image);
  CHECK(again.outcome() == pb::OUTCOME_ERROR);
  CHECK(f.new_images.image(image).info.status == "active");
  CHECK(f.Upload(kVol2, f.NewImage()).error() == "the volume is not on this backend");
  CHECK(f.Upload(kVol, "../../etc/passwd").error() == "the image id is not a UUID");
  CHECK(f.Upload(kVol, f.NewImage(), "vmdk").outcome() == pb::OUTCOME_ERROR);
  // The image service down: retried, then reported.
  const std::string later = f.NewImage();
  for (int i = 0; i < 3; ++i) f.new_images.FailNextUpload(absl::UnavailableError("down"));
  pb::VolumeResult down = f.Upload(kVol, later);
  CHECK(down.outcome() == pb::OUTCOME_ERROR);
  CHECK(down.error().find("could not reach") != std::string::npos);
  CHECK(f.ScratchEmpty());
}

}  // namespace
}  // namespace gureum::volume_agent
