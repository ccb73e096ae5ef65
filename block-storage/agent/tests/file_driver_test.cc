// FileDriver on a FakeCommandRunner: which qemu-img lines it runs, idempotency, refusals.
#include "block-storage/agent/file_driver.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "block-storage/agent/tests/test_ids.h"
#include "common/process/fake_command_runner.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT
namespace fs = std::filesystem;
using process::CommandResult;
using process::FakeCommandRunner;

CommandResult Ok(std::string output = "") {
  CommandResult r;
  r.exit_code = 0;
  r.output = std::move(output);
  return r;
}

// qemu-img as far as the driver sees it: create/convert make the last argument, info says
// the size the test set, resize sets it.
struct DriverFixture {
  DriverFixture() : dir(fs::temp_directory_path() / ("fdt-" + std::to_string(getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    runner.On("qemu-img create", [](const std::vector<std::string>& argv) {
      std::ofstream(argv[argv.size() - 2]) << "qcow2";
      return Ok();
    });
    runner.On("qemu-img convert", [](const std::vector<std::string>& argv) {
      std::ofstream(argv.back()) << "qcow2";
      return Ok();
    });
    runner.On("qemu-img info", [this](const std::vector<std::string>&) {
      return Ok(absl::StrCat("{\"virtual-size\": ", size_gb * kGiB, "}"));
    });
    runner.On("qemu-img resize", [this](const std::vector<std::string>& argv) {
      size_gb = std::stoll(argv.back());
      return Ok();
    });
  }
  ~DriverFixture() { fs::remove_all(dir); }
  std::string Vol(const std::string& id) const {
    return (dir / ("volume-" + id + ".qcow2")).string();
  }

  fs::path dir;
  FakeCommandRunner runner;
  FileDriver driver{dir.string(), runner};
  int64_t size_gb = 1;
};

TEST_CASE("FileDriver creates a qcow2 file and takes a replay as done") {
  DriverFixture f;
  f.size_gb = 2;
  auto v = f.driver.Create(kVol, 2);
  REQUIRE(v.ok());
  CHECK(v->size_gb == 2);
  CHECK(fs::exists(f.Vol(kVol)));
  CHECK(f.runner.Commands()[0] ==
        absl::StrCat("qemu-img create -q -f qcow2 ", f.Vol(kVol), ".part 2G"));
  f.runner.Clear();
  REQUIRE(f.driver.Create(kVol, 2).ok());
  for (const std::string& c : f.runner.Commands()) CHECK(c.find("create") == std::string::npos);
  auto image = f.driver.Image(kVol);
  REQUIRE(image.ok());
  CHECK(image->format == "qcow2");
}

TEST_CASE("FileDriver refuses ids that are not UUIDs and sizes out of range") {
  DriverFixture f;
  for (const std::string& id : {std::string("../etc"), std::string("a/b"), std::string(""),
                                std::string("11111111-1111-4111-8111-11111111111/")}) {
    CHECK(f.driver.Create(id, 1).status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(f.driver.Delete(id).code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(f.driver.Create(kVol, 0).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(f.driver.Create(kVol, -5).status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(f.driver.Create(kVol, kMaxVolumeGb + 1).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(f.runner.Commands().empty());
}

TEST_CASE("FileDriver deletes, and a delete of a missing volume is OK") {
  DriverFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  REQUIRE(f.driver.Delete(kVol).ok());
  CHECK(!fs::exists(f.Vol(kVol)));
  CHECK(f.driver.Delete(kVol).ok());
  CHECK(f.driver.Image(kVol).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("FileDriver extends, refuses to shrink, and takes a replayed extend") {
  DriverFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  auto v = f.driver.Extend(kVol, 3, nullptr);
  REQUIRE(v.ok());
  CHECK(v->size_gb == 3);
  CHECK(f.runner.Commands().back() == absl::StrCat("qemu-img resize -q ", f.Vol(kVol), " 3G"));
  CHECK(f.driver.Extend(kVol, 3, nullptr).ok());
  CHECK(f.driver.Extend(kVol, 2, nullptr).status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(f.driver.Extend(kVol2, 2, nullptr).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("FileDriver converts a volume for an upload without its lock, raw or qcow2 only") {
  DriverFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  const std::string out = (f.dir / "upload.raw").string();
  REQUIRE(f.driver.CopyToFile(kVol, "raw", out).ok());
  CHECK(f.runner.Commands().back() ==
        absl::StrCat("qemu-img convert -U -q -f qcow2 -O raw ", f.Vol(kVol), " ", out));
  REQUIRE(f.driver.CopyToFile(kVol, "qcow2", out).ok());
  CHECK(f.runner.Commands().back() ==
        absl::StrCat("qemu-img convert -U -q -f qcow2 -O qcow2 ", f.Vol(kVol), " ", out));
  f.runner.Clear();
  CHECK(f.driver.CopyToFile(kVol, "vmdk", out).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(f.driver.CopyToFile(kVol2, "raw", out).code() == absl::StatusCode::kNotFound);
  CHECK(f.driver.CopyToFile("../x", "raw", out).code() == absl::StatusCode::kInvalidArgument);
  CHECK(f.runner.Commands().empty());
  // A failed conversion leaves no half file behind.
  f.runner.FailNext(1, "qemu-img: error while writing: No space left on device");
  CHECK(f.driver.CopyToFile(kVol, "raw", out).code() == absl::StatusCode::kResourceExhausted);
  CHECK(!fs::exists(out));
}

TEST_CASE("FileDriver snapshots into the volume and makes new volumes from it") {
  DriverFixture f;
  REQUIRE(f.driver.Create(kVol, 1).ok());
  REQUIRE(f.driver.CreateSnapshot(kVol, kSnap, nullptr).ok());
  CHECK(f.runner.Commands().back() ==
        absl::StrCat("qemu-img snapshot -q -c snapshot-", kSnap, " ", f.Vol(kVol)));
  f.runner.Clear();
  REQUIRE(f.driver.CreateSnapshot(kVol, kSnap, nullptr).ok());  // replay: nothing runs
  CHECK(f.runner.Commands().empty());
  auto listed = f.driver.ListVolumes();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].snapshot_ids == std::vector<std::string>{kSnap});

  f.size_gb = 1;
  auto v = f.driver.CreateFromSnapshot(kVol2, 2, kSnap);
  REQUIRE(v.ok());
  CHECK(v->size_gb == 2);
  CHECK(f.runner.Commands()[0] ==
        absl::StrCat("qemu-img convert -U -q -f qcow2 -O qcow2 -l snapshot.name=snapshot-", kSnap,
                     " ", f.Vol(kVol), " ", f.Vol(kVol2), ".part"));
  CHECK(f.runner.Commands().back() ==
        absl::StrCat("qemu-img resize -q ", f.Vol(kVol2), ".part 2G"));
  CHECK(fs::exists(f.Vol(kVol2)));

  REQUIRE(f.driver.DeleteSnapshot(kVol, kSnap, nullptr).ok());
  CHECK(f.driver.DeleteSnapshot(kVol, kSnap, nullptr).ok());
  CHECK(f.driver.CreateFromSnapshot(kVol3, 1, kSnap).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("FileDriver clones, and refuses a source larger than the new volume") {
  DriverFixture f;
  f.size_gb = 3;
  REQUIRE(f.driver.Create(kVol, 3).ok());
  CHECK(f.driver.CreateFromVolume(kVol2, 2, kVol).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(!fs::exists(f.Vol(kVol2)));
  CHECK(!fs::exists(f.Vol(kVol2) + ".part"));
  REQUIRE(f.driver.CreateFromVolume(kVol2, 3, kVol).ok());
  CHECK(fs::exists(f.Vol(kVol2)));
  CHECK(f.driver.CreateFromVolume(kVol3, 3, kVol2).ok());
  CHECK(
      f.driver.CreateFromVolume(kSnap, 3, "55555555-5555-4555-8555-555555555555").status().code() ==
      absl::StatusCode::kNotFound);
}

TEST_CASE("FileDriver writes an image into a volume and removes the download") {
  DriverFixture f;
  std::string fetched;
  auto v = f.driver.CreateFromImage(kVol, 1, "vhd", [&](const std::string& path) {
    fetched = path;
    std::ofstream(path) << "image bytes";
    return absl::OkStatus();
  });
  REQUIRE(v.ok());
  CHECK(f.runner.Commands()[0] ==
        absl::StrCat("prlimit --as=1073741824 --cpu=30 qemu-img info --output=json -f vpc ",
                     fetched));
  CHECK(f.runner.Commands()[1] ==
        absl::StrCat("qemu-img convert -q -f vpc -O qcow2 ", fetched, " ", f.Vol(kVol), ".part"));
  CHECK(!fs::exists(fetched));
  CHECK(
      f.driver.CreateFromImage(kVol2, 1, "ova", [](const std::string&) { return absl::OkStatus(); })
          .status()
          .code() == absl::StatusCode::kFailedPrecondition);
  f.runner.FailNext(1, "qemu-img: Could not open: Image is not in vpc format");
  auto bad = f.driver.CreateFromImage(kVol2, 1, "vhd", [](const std::string& path) {
    std::ofstream(path) << "junk";
    return absl::OkStatus();
  });
  CHECK(bad.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(bad.status().message().find('/') == std::string::npos);
  auto unavailable = f.driver.CreateFromImage(kVol2, 1, "raw", [](const std::string&) {
    return absl::UnavailableError("image service down");
  });
  CHECK(unavailable.status().code() == absl::StatusCode::kUnavailable);
}

TEST_CASE("FileDriver refuses an image that refers to other files, or is too large") {
  DriverFixture f;
  auto fetch = [](const std::string& path) {
    std::ofstream(path) << "qcow2";
    return absl::OkStatus();
  };
  for (const std::string& info :
       {std::string(R"({"virtual-size": 1024, "backing-filename": "/var/lib/x.qcow2"})"),
        std::string(R"({"virtual-size": 1024, "format-specific": {"data": {"data-file": "/x"}}})"),
        std::string(R"({"virtual-size": 1024, "format-specific": {"data": {"extents": [)"
                    R"({"filename": "/etc/shadow"}]}}})")}) {
    f.runner.On("qemu-img info --output=json -f",
                [info](const std::vector<std::string>&) { return Ok(info); });
    auto v = f.driver.CreateFromImage(kVol, 1, "qcow2", fetch);
    CHECK(v.status().code() == absl::StatusCode::kFailedPrecondition);
    CHECK(v.status().message().find("other files") != std::string::npos);
  }
  f.runner.On("qemu-img info --output=json -f", [](const std::vector<std::string>&) {
    return Ok(absl::StrCat(R"({"virtual-size": )", 3 * kGiB, "}"));
  });
  auto v = f.driver.CreateFromImage(kVol, 2, "qcow2", fetch);
  CHECK(v.status().message() == "the image (3 GiB) is larger than the volume (2 GiB)");
  for (const std::string& c : f.runner.Commands()) CHECK(c.find("convert") == std::string::npos);
  CHECK(fs::is_empty(f.dir));
}

TEST_CASE("FileDriver says a full backend without paths") {
  DriverFixture f;
  f.runner.FailNext(1, "qemu-img: /x/volume.part: No space left on device");
  auto v = f.driver.Create(kVol, 1);
  CHECK(v.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK(v.status().message().find('/') == std::string::npos);
  auto c = f.driver.GetCapacity();
  REQUIRE(c.ok());
  CHECK(c->total_gb >= c->free_gb);
}

}  // namespace
}  // namespace gureum::volume_agent
