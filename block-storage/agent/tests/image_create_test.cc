// A volume made from an image served by an in-process gureum.image.v1 server, through the
// real gRPC image client, the real FileDriver and qemu-img: the image's data is in the
// volume and it is bootable; an image that is not what its disk format says, and one the
// service does not have, are reported as errors, and nothing is left behind. (An image
// service that is down is not tried here: compute's client waits for it, up to the
// download's deadline of 2 hours.)
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "block-storage/agent/fake_volume_exporter.h"
#include "block-storage/agent/file_driver.h"
#include "block-storage/agent/tests/test_ids.h"
#include "block-storage/agent/volume_agent_manager.h"

#include "image.grpc.pb.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT
namespace fs = std::filesystem;
namespace ipb = ::gureum::image::v1;

// Serves `images` (id -> bytes) in chunks of 64 KiB.
class ImagesServer final : public ipb::Images::Service {
 public:
  std::map<std::string, std::string> images;
  grpc::Status DownloadImage(grpc::ServerContext*, const ipb::DownloadImageRequest* req,
                             grpc::ServerWriter<ipb::ImageChunk>* w) override {
    auto it = images.find(req->id());
    if (it == images.end()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such image");
    for (size_t off = 0; off < it->second.size(); off += 65536) {
      ipb::ImageChunk c;
      c.set_data(it->second.substr(off, 65536));
      w->Write(c);
    }
    return grpc::Status::OK;
  }
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

pb::VolumeCast FromImage(const std::string& volume_id, const std::string& image_id,
                         const std::string& format) {
  pb::VolumeCast c;
  c.set_task_id("t-" + volume_id);
  pb::CreateVolume* v = c.mutable_create_volume();
  v->set_volume_id(volume_id);
  v->set_backend("file1");
  v->set_size_gb(1);
  v->mutable_source()->set_image_id(image_id);
  v->mutable_source()->set_image_disk_format(format);
  return c;
}

TEST_CASE("a volume from an image of the image service, over gRPC and qemu-img") {
  fs::path dir = fs::temp_directory_path() / ("vimg-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "volumes");
  process::RealCommandRunner runner;
  const std::string image_file = (dir / "image.qcow2").string();
  REQUIRE(runner
              .RunChecked({"qemu-img", "create", "-q", "-f", "qcow2", image_file, "64M"},
                          absl::Seconds(30))
              .ok());
  REQUIRE(runner
              .RunChecked({"qemu-io", "-f", "qcow2", "-c", "write -P 0x3c 0 256k", image_file},
                          absl::Seconds(30))
              .ok());

  ImagesServer images;
  images.images[kImage] = ReadFile(image_file);
  images.images[kVol3] = std::string(300000, 'j');  // says qcow2, is not
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&images);
  auto server = builder.BuildAndStart();
  REQUIRE(server);
  auto client = compute::NewGrpcImageClient(
      {.target = "127.0.0.1:" + std::to_string(port), .timeout = absl::Seconds(10)});

  FileDriver driver((dir / "volumes").string(), runner);
  FakeVolumeExporter exporter;
  VolumeAgentManager manager(
      "store1", {.backends = {{"file1", &driver}}, .exporter = exporter, .images = client.get()});

  CastOutcome ok = manager.Handle(FromImage(kVol, kImage, "qcow2"));
  REQUIRE(ok.report.volume().outcome() == pb::OUTCOME_OK);
  CHECK(ok.report.volume().bootable());
  CHECK(ok.report.volume().size_gb() == 1);
  CHECK(
      runner
          .Output({"qemu-io", "-f", "qcow2", "-c", "read -P 0x3c 0 256k", driver.VolumePath(kVol)},
                  absl::Seconds(30))
          .ok());

  CastOutcome junk = manager.Handle(FromImage(kVol2, kVol3, "qcow2"));
  CHECK(junk.report.volume().outcome() == pb::OUTCOME_ERROR);
  CHECK(!junk.report.volume().bootable());
  CHECK(junk.report.volume().error() == "the image's data is not a valid qcow2 disk");
  CHECK(!junk.transient);

  CastOutcome missing =
      manager.Handle(FromImage(kVol2, "77777777-7777-4777-8777-777777777777", "raw"));
  CHECK(missing.report.volume().outcome() == pb::OUTCOME_ERROR);
  CHECK(!missing.transient);

  server->Shutdown();
  CHECK(!fs::exists(driver.VolumePath(kVol2)));
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir / "volumes")) left.push_back(e.path().filename());
  CHECK(left == std::vector<std::string>{"volume-" + std::string(kVol) + ".qcow2"});
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gureum::volume_agent
