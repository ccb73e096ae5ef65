// FileDriver on real qemu-img, data written and checked with qemu-io: a snapshot keeps the
// bytes of its moment, a clone and a volume made from a snapshot outlive their source.
#include <filesystem>

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "block-storage/agent/file_driver.h"
#include "block-storage/agent/tests/test_ids.h"

namespace gureum::volume_agent {
namespace {
using namespace test_ids;  // NOLINT
namespace fs = std::filesystem;

// Runs one qemu-io command on a qcow2 file; OK when it ran and any pattern matched.
absl::Status QemuIo(process::CommandRunner& runner, const std::string& path,
                    const std::string& command) {
  auto out = runner.Output({"qemu-io", "-f", "qcow2", "-c", command, path}, absl::Seconds(60));
  if (!out.ok()) return out.status();
  if (absl::StrContains(*out, "failed") || absl::StrContains(*out, "error")) {
    return absl::InternalError(*out);
  }
  return absl::OkStatus();
}

TEST_CASE("FileDriver with qemu-img: snapshot bytes, clone and copy outlive the source") {
  fs::path dir = fs::temp_directory_path() / ("fdq-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  process::RealCommandRunner runner;
  FileDriver driver(dir.string(), runner);

  REQUIRE(driver.Create(kVol, 1).ok());
  REQUIRE(driver.Create(kVol, 1).ok());
  std::string vol = driver.VolumePath(kVol);
  REQUIRE(QemuIo(runner, vol, "write -P 0xaa 0 1M").ok());
  REQUIRE(driver.CreateSnapshot(kVol, kSnap, nullptr).ok());
  REQUIRE(QemuIo(runner, vol, "write -P 0xbb 0 1M").ok());

  auto from_snap = driver.CreateFromSnapshot(kVol2, 2, kSnap);
  REQUIRE(from_snap.ok());
  CHECK(from_snap->size_gb == 2);
  auto extended = driver.Extend(kVol, 3, nullptr);
  REQUIRE(extended.ok());
  CHECK(extended->size_gb == 3);
  REQUIRE(driver.CreateFromVolume(kVol3, 3, kVol).ok());

  // The source goes, snapshot and all; what was made from it stays.
  REQUIRE(driver.DeleteSnapshot(kVol, kSnap, nullptr).ok());
  REQUIRE(driver.Delete(kVol).ok());
  CHECK(driver.Delete(kVol).ok());
  CHECK(!fs::exists(vol));
  CHECK(QemuIo(runner, driver.VolumePath(kVol2), "read -P 0xaa 0 1M").ok());
  CHECK(!QemuIo(runner, driver.VolumePath(kVol2), "read -P 0xbb 0 1M").ok());
  CHECK(QemuIo(runner, driver.VolumePath(kVol3), "read -P 0xbb 0 1M").ok());

  auto listed = driver.ListVolumes();
  REQUIRE(listed.ok());
  CHECK(listed->size() == 2);
  auto capacity = driver.GetCapacity();
  REQUIRE(capacity.ok());
  CHECK(capacity->total_gb > 0);
  fs::remove_all(dir);
}

TEST_CASE("FileDriver with qemu-img: an image file becomes a volume") {
  fs::path dir = fs::temp_directory_path() / ("fdi-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  process::RealCommandRunner runner;
  FileDriver driver(dir.string(), runner);
  auto v = driver.CreateFromImage(kVol, 1, "raw", [&](const std::string& path) {
    absl::Status s = runner.RunChecked({"qemu-img", "create", "-q", "-f", "raw", path, "64M"},
                                       absl::Seconds(30));
    if (!s.ok()) return s;
    return runner.RunChecked({"qemu-io", "-f", "raw", "-c", "write -P 0x5a 0 64k", path},
                             absl::Seconds(30));
  });
  REQUIRE(v.ok());
  CHECK(v->size_gb == 1);
  CHECK(QemuIo(runner, driver.VolumePath(kVol), "read -P 0x5a 0 64k").ok());
  auto too_big = driver.CreateFromImage(kVol3, 1, "raw", [&](const std::string& path) {
    return runner.RunChecked({"qemu-img", "create", "-q", "-f", "raw", path, "2G"},
                             absl::Seconds(30));
  });
  CHECK(too_big.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(!fs::exists(driver.VolumePath(kVol3)));

  // An image whose backing file is another volume of the host must not copy it.
  auto sneaky = driver.CreateFromImage(kVol3, 1, "qcow2", [&](const std::string& path) {
    return runner.RunChecked({"qemu-img", "create", "-q", "-f", "qcow2", "-b",
                              driver.VolumePath(kVol), "-F", "qcow2", path},
                             absl::Seconds(30));
  });
  CHECK(sneaky.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(!fs::exists(driver.VolumePath(kVol3)));
  fs::remove_all(dir);
}

TEST_CASE("FileDriver with qemu-img: a volume converted for an upload holds its bytes") {
  fs::path dir = fs::temp_directory_path() / ("fdu-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  process::RealCommandRunner runner;
  FileDriver driver(dir.string(), runner);
  REQUIRE(driver.Create(kVol, 1).ok());
  REQUIRE(QemuIo(runner, driver.VolumePath(kVol), "write -P 0x5a 0 1M").ok());
  REQUIRE(QemuIo(runner, driver.VolumePath(kVol), "write -P 0xa5 512M 64k").ok());
  REQUIRE(driver.CreateSnapshot(kVol, kSnap, nullptr).ok());  // not part of the upload

  const std::string raw = (dir / "upload.raw").string();
  REQUIRE(driver.CopyToFile(kVol, "raw", raw).ok());
  CHECK(fs::file_size(raw) == static_cast<uintmax_t>(kGiB));
  auto io = [&](const std::string& format, const std::string& path, const std::string& cmd) {
    auto out = runner.Output({"qemu-io", "-f", format, "-c", cmd, path}, absl::Seconds(60));
    return out.ok() && !absl::StrContains(*out, "failed") && !absl::StrContains(*out, "error");
  };
  CHECK(io("raw", raw, "read -P 0x5a 0 1M"));
  CHECK(io("raw", raw, "read -P 0xa5 512M 64k"));
  CHECK(io("raw", raw, "read -P 0 1M 1M"));

  const std::string qcow2 = (dir / "upload.qcow2").string();
  REQUIRE(driver.CopyToFile(kVol, "qcow2", qcow2).ok());
  CHECK(fs::file_size(qcow2) < 16u << 20);  // only what is allocated
  CHECK(runner
            .RunChecked({"qemu-img", "compare", "-f", "raw", "-F", "qcow2", raw, qcow2},
                        absl::Seconds(60))
            .ok());
  auto snapshots = runner.Output({"qemu-img", "snapshot", "-l", qcow2}, absl::Seconds(30));
  REQUIRE(snapshots.ok());
  CHECK(!absl::StrContains(*snapshots, kSnap));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gureum::volume_agent
