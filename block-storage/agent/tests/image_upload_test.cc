// A volume uploaded into an image of an in-process gureum.image.v1 server, through block
// storage's real gRPC image client, the real FileDriver and qemu-img: the server receives
// the volume's bytes; a conversion that fails cancels the stream, which the image service
// takes as a killed upload; an image the server refuses is reported in its words.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
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

// Takes uploads into queued images: the bytes of each, and its status afterwards (active,
// or killed for a stream the client cancelled), as gureum-image's UploadImage does.
class UploadServer final : public ipb::Images::Service {
 public:
  grpc::Status UploadImage(grpc::ServerContext* ctx, grpc::ServerReader<ipb::UploadImageRequest>* r,
                           ipb::Image* out) override {
    ipb::UploadImageRequest msg;
    if (!r->Read(&msg)) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "empty");
    const std::string id = msg.id();
    {
      absl::MutexLock l(&mu);
      if (status[id] != "queued") {
        return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                            "data can only be uploaded to a queued image");
      }
      status[id] = "saving";
    }
    std::string bytes = msg.data();
    while (r->Read(&msg)) bytes += msg.data();
    absl::MutexLock l(&mu);
    data[id] = bytes;
    status[id] = ctx->IsCancelled() ? "killed" : "active";
    out->set_id(id);
    out->set_status(status[id]);
    out->set_size(static_cast<int64_t>(bytes.size()));
    return grpc::Status::OK;
  }

  std::string Status(const std::string& id) {
    absl::MutexLock l(&mu);
    return status[id];
  }

  absl::Mutex mu;
  std::map<std::string, std::string> status ABSL_GUARDED_BY(mu);
  std::map<std::string, std::string> data ABSL_GUARDED_BY(mu);
};

std::string ReadFile(const std::string& path) {  // in one read: the file is 1 GiB
  std::string out(fs::file_size(path), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

pb::VolumeCast UploadCast(const std::string& volume_id, const std::string& image_id) {
  pb::VolumeCast c;
  c.set_task_id("t-" + image_id);
  pb::UploadVolume* u = c.mutable_upload_volume();
  u->set_volume_id(volume_id);
  u->set_backend("file1");
  u->set_image_id(image_id);
  u->set_disk_format("raw");
  return c;
}

TEST_CASE("a volume uploaded to the image service over gRPC, converted by qemu-img") {
  fs::path dir = fs::temp_directory_path() / ("vupl-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "volumes");
  fs::create_directories(dir / "uploads");
  process::RealCommandRunner runner;
  FileDriver driver((dir / "volumes").string(), runner);
  REQUIRE(driver.Create(kVol, 1).ok());
  REQUIRE(runner
              .RunChecked(
                  {"qemu-io", "-f", "qcow2", "-c", "write -P 0x3c 0 256k", driver.VolumePath(kVol)},
                  absl::Seconds(30))
              .ok());
  const std::string expected = (dir / "expected.raw").string();
  REQUIRE(runner
              .RunChecked({"qemu-img", "convert", "-f", "qcow2", "-O", "raw",
                           driver.VolumePath(kVol), expected},
                          absl::Seconds(60))
              .ok());

  UploadServer images;
  const std::string good = "77777777-7777-4777-8777-777777777771";
  const std::string broken = "77777777-7777-4777-8777-777777777772";
  {
    absl::MutexLock l(&images.mu);
    images.status[good] = "queued";
    images.status[broken] = "queued";
  }
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&images);
  auto server = builder.BuildAndStart();
  REQUIRE(server);
  auto client = compute::NewGrpcImageClient(
      {.target = "127.0.0.1:" + std::to_string(port), .timeout = absl::Seconds(10)});
  FakeVolumeExporter exporter;
  VolumeAgentManager manager("store1", {.backends = {{"file1", &driver}},
                                        .exporter = exporter,
                                        .images = nullptr,
                                        .new_images = client.get(),
                                        .scratch_dir = (dir / "uploads").string()});

  CastOutcome ok = manager.Handle(UploadCast(kVol, good));
  REQUIRE(ok.report.volume().outcome() == pb::OUTCOME_OK);
  CHECK(images.Status(good) == "active");
  {
    absl::MutexLock l(&images.mu);
    CHECK(images.data[good] == ReadFile(expected));
  }
  // Replayed: the image is no longer queued; the service's refusal is reported.
  CastOutcome again = manager.Handle(UploadCast(kVol, good));
  CHECK(again.report.volume().outcome() == pb::OUTCOME_ERROR);
  CHECK(again.report.volume().error() == "data can only be uploaded to a queued image");

  // A volume qemu-img cannot read: the stream is cancelled, the image killed.
  REQUIRE(driver.Create(kVol2, 1).ok());
  std::ofstream(driver.VolumePath(kVol2), std::ios::trunc) << "not a qcow2 file";
  CastOutcome failed = manager.Handle(UploadCast(kVol2, broken));
  CHECK(failed.report.volume().outcome() == pb::OUTCOME_ERROR);
  CHECK(failed.report.volume().error().find('/') == std::string::npos);
  for (int i = 0; i < 100 && images.Status(broken) == "saving"; ++i) {
    absl::SleepFor(absl::Milliseconds(20));  // the server sees the cancel on its own thread
  }
  CHECK(images.Status(broken) == "killed");
  CHECK(fs::is_empty(dir / "uploads"));
  server->Shutdown();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gureum::volume_agent
