#include "block-storage/agent/file_driver.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>
#include <sys/statvfs.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::volume_agent {
namespace fs = std::filesystem;
namespace {

constexpr absl::Duration kQuick = absl::Seconds(60);
constexpr absl::Duration kCopy = absl::Hours(2);
constexpr char kVolumePrefix[] = "volume-";
constexpr char kVolumeSuffix[] = ".qcow2";
constexpr char kMarkerPrefix[] = "snapshot-";
constexpr char kMarkerSuffix[] = ".ref";

std::string SnapshotName(const std::string& snapshot_id) { return "snapshot-" + snapshot_id; }

std::string Gb(int64_t size_gb) { return absl::StrCat(size_gb, "G"); }

int64_t RoundUpGb(int64_t bytes) { return (bytes + kGiB - 1) / kGiB; }

// qemu-img's name for an image service disk format; "" when it has none.
std::string QemuFormat(const std::string& disk_format) {
  if (disk_format == "vhd") return "vpc";
  if (disk_format == "iso" || disk_format == "ami" || disk_format == "aki" ||
      disk_format == "ari" || disk_format == "raw") {
    return "raw";
  }
  for (const char* f : {"qcow2", "vmdk", "vdi", "vhdx", "qed"}) {
    if (disk_format == f) return f;
  }
  return "";
}

void RemoveQuietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// A tool's failure as the driver's contract words it: a full backend is ResourceExhausted
// (said without paths), anything else stays Internal with the tool's words for the log.
absl::Status ToolError(absl::Status s) {
  if (!s.ok() && absl::StrContains(s.message(), "No space left")) {
    return absl::ResourceExhaustedError("the volume backend has no room left");
  }
  return s;
}

absl::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot rename ", tmp, ": ", ec.message()));
  return absl::OkStatus();
}

}  // namespace

FileDriver::FileDriver(std::string directory, process::CommandRunner& runner)
    : directory_(std::move(directory)), runner_(runner) {}

std::string FileDriver::VolumePath(const std::string& volume_id) const {
  return absl::StrCat(directory_, "/", kVolumePrefix, volume_id, kVolumeSuffix);
}

std::string FileDriver::SnapshotMarker(const std::string& snapshot_id) const {
  return absl::StrCat(directory_, "/", kMarkerPrefix, snapshot_id, kMarkerSuffix);
}

absl::Status FileDriver::Qemu(const std::vector<std::string>& args, absl::Duration timeout) {
  std::vector<std::string> argv = {"qemu-img"};
  argv.insert(argv.end(), args.begin(), args.end());
  return ToolError(runner_.RunChecked(argv, timeout));
}

absl::StatusOr<int64_t> FileDriver::VirtualSize(const std::string& path,
                                                const std::string& format) {
  // -U: the image may be open in an export's daemon.
  GUREUM_ASSIGN_OR_RETURN(
      std::string out,
      runner_.Output({"qemu-img", "info", "-U", "--output=json", "-f", format, path}, kQuick));
  nlohmann::json info = nlohmann::json::parse(out, nullptr, false);
  if (!info.is_object() || !info.contains("virtual-size") ||
      !info["virtual-size"].is_number_integer()) {
    return absl::InternalError(absl::StrCat("qemu-img info ", path, ": no virtual-size"));
  }
  return info["virtual-size"].get<int64_t>();
}

absl::StatusOr<VolumeInfo> FileDriver::Info(const std::string& volume_id) {
  std::string path = VolumePath(volume_id);
  if (!fs::exists(path)) return absl::NotFoundError("the volume is not on this backend");
  GUREUM_ASSIGN_OR_RETURN(int64_t bytes, VirtualSize(path, "qcow2"));
  return VolumeInfo{.id = volume_id, .size_gb = RoundUpGb(bytes)};
}

absl::StatusOr<VolumeInfo> FileDriver::Finish(const std::string& volume_id, const std::string& part,
                                              int64_t size_gb) {
  absl::StatusOr<int64_t> bytes = VirtualSize(part, "qcow2");
  absl::Status s = bytes.status();
  if (s.ok() && *bytes > size_gb * kGiB) {
    s = absl::FailedPreconditionError(absl::StrCat(
        "the source (", RoundUpGb(*bytes), " GiB) is larger than the volume (", size_gb, " GiB)"));
  }
  if (s.ok() && *bytes < size_gb * kGiB) s = Qemu({"resize", "-q", part, Gb(size_gb)}, kQuick);
  std::error_code ec;
  if (s.ok()) fs::rename(part, VolumePath(volume_id), ec);
  if (s.ok() && ec) s = absl::InternalError(absl::StrCat("rename ", part, ": ", ec.message()));
  if (!s.ok()) {
    RemoveQuietly(part);
    return s;
  }
  return VolumeInfo{.id = volume_id, .size_gb = size_gb};
}

absl::StatusOr<VolumeInfo> FileDriver::Create(const std::string& volume_id, int64_t size_gb) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(size_gb));
  if (fs::exists(VolumePath(volume_id))) return Info(volume_id);
  std::string part = VolumePath(volume_id) + ".part";
  GUREUM_RETURN_IF_ERROR(Qemu({"create", "-q", "-f", "qcow2", part, Gb(size_gb)}, kQuick));
  return Finish(volume_id, part, size_gb);
}

absl::StatusOr<VolumeInfo> FileDriver::CreateFromSnapshot(const std::string& volume_id,
                                                          int64_t size_gb,
                                                          const std::string& snapshot_id) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckId("snapshot", snapshot_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(size_gb));
  if (fs::exists(VolumePath(volume_id))) return Info(volume_id);
  std::ifstream marker(SnapshotMarker(snapshot_id));
  std::string source_id;
  if (!(marker >> source_id) || !CheckId("volume", source_id).ok() ||
      !fs::exists(VolumePath(source_id))) {
    return absl::NotFoundError("the snapshot is not on this backend");
  }
  std::string part = VolumePath(volume_id) + ".part";
  RemoveQuietly(part);
  GUREUM_RETURN_IF_ERROR(
      Qemu({"convert", "-U", "-q", "-f", "qcow2", "-O", "qcow2", "-l",
            "snapshot.name=" + SnapshotName(snapshot_id), VolumePath(source_id), part},
           kCopy));
  return Finish(volume_id, part, size_gb);
}

absl::StatusOr<VolumeInfo> FileDriver::CreateFromVolume(const std::string& volume_id,
                                                        int64_t size_gb,
                                                        const std::string& source_id) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckId("source volume", source_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(size_gb));
  if (fs::exists(VolumePath(volume_id))) return Info(volume_id);
  if (!fs::exists(VolumePath(source_id))) {
    return absl::NotFoundError("the source volume is not on this backend");
  }
  std::string part = VolumePath(volume_id) + ".part";
  RemoveQuietly(part);
  // The internal snapshots of the source stay behind: a clone starts with none.
  GUREUM_RETURN_IF_ERROR(Qemu(
      {"convert", "-U", "-q", "-f", "qcow2", "-O", "qcow2", VolumePath(source_id), part}, kCopy));
  return Finish(volume_id, part, size_gb);
}

absl::Status FileDriver::CheckImage(const std::string& path, const std::string& format,
                                    const std::string& disk_format, int64_t size_gb) {
  const absl::Status bad = absl::FailedPreconditionError(
      absl::StrCat("the image's data is not a valid ", disk_format, " disk"));
  // Under limits, as Nova does: a crafted header must not make qemu-img eat the host.
  absl::StatusOr<std::string> out =
      runner_.Output({"prlimit", "--as=1073741824", "--cpu=30", "qemu-img", "info", "--output=json",
                      "-f", format, path},
                     kQuick);
  if (!out.ok()) return out.status().code() == absl::StatusCode::kInternal ? bad : out.status();
  nlohmann::json info = nlohmann::json::parse(*out, nullptr, false);
  if (!info.is_object() || !info.contains("virtual-size")) return bad;
  // A backing file, an external data file or a VMDK extent elsewhere would make the
  // conversion copy a file of the storage host (another volume) into the new volume.
  bool external = info.contains("backing-filename") || info.contains("full-backing-filename");
  const nlohmann::json data = info.value("/format-specific/data"_json_pointer, nlohmann::json());
  external = external || (data.is_object() && data.contains("data-file"));
  if (data.is_object() && data.contains("extents") && data["extents"].is_array()) {
    for (const nlohmann::json& extent : data["extents"]) {
      external = external || extent.value("filename", path) != path;
    }
  }
  if (external) {
    return absl::FailedPreconditionError(
        "the image refers to other files (a backing file, data file or extent), which a volume "
        "cannot be made from");
  }
  int64_t bytes =
      info["virtual-size"].is_number_integer() ? info["virtual-size"].get<int64_t>() : 0;
  if (bytes > size_gb * kGiB) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the image (", RoundUpGb(bytes), " GiB) is larger than the volume (", size_gb, " GiB)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<VolumeInfo> FileDriver::CreateFromImage(const std::string& volume_id,
                                                       int64_t size_gb,
                                                       const std::string& disk_format,
                                                       const ImageFetcher& fetch) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(size_gb));
  if (fs::exists(VolumePath(volume_id))) return Info(volume_id);
  std::string format = QemuFormat(disk_format);
  if (format.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("images of disk format '", disk_format, "' cannot be written to a volume"));
  }
  std::string download = VolumePath(volume_id) + ".image";
  std::string part = VolumePath(volume_id) + ".part";
  RemoveQuietly(part);
  absl::Status s = fetch(download);
  if (s.ok()) s = CheckImage(download, format, disk_format, size_gb);
  if (s.ok()) {
    s = Qemu({"convert", "-q", "-f", format, "-O", "qcow2", download, part}, kCopy);
    // An image qemu-img cannot read is the image's fault, not the backend's.
    if (s.code() == absl::StatusCode::kInternal) {
      s = absl::FailedPreconditionError(
          absl::StrCat("the image's data is not a valid ", disk_format, " disk"));
    }
  }
  RemoveQuietly(download);
  if (!s.ok()) {
    RemoveQuietly(part);
    return s;
  }
  return Finish(volume_id, part, size_gb);
}

absl::Status FileDriver::Delete(const std::string& volume_id) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeInfo> volumes, ListVolumes());
  for (const VolumeInfo& v : volumes) {
    if (v.id != volume_id) continue;
    for (const std::string& s : v.snapshot_ids) RemoveQuietly(SnapshotMarker(s));
  }
  std::error_code ec;
  fs::remove(VolumePath(volume_id), ec);
  if (ec) return absl::InternalError(absl::StrCat("remove volume ", volume_id, ": ", ec.message()));
  RemoveQuietly(VolumePath(volume_id) + ".part");
  return absl::OkStatus();
}

absl::StatusOr<VolumeInfo> FileDriver::Extend(const std::string& volume_id, int64_t new_size_gb,
                                              LiveImage* live) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(new_size_gb));
  GUREUM_ASSIGN_OR_RETURN(VolumeInfo info, Info(volume_id));
  if (info.size_gb == new_size_gb) return info;
  if (info.size_gb > new_size_gb) {
    return absl::FailedPreconditionError(
        absl::StrCat("a volume cannot shrink (from ", info.size_gb, " to ", new_size_gb, " GiB)"));
  }
  if (live != nullptr) {
    GUREUM_RETURN_IF_ERROR(live->Resize(new_size_gb * kGiB));
  } else {
    GUREUM_RETURN_IF_ERROR(Qemu({"resize", "-q", VolumePath(volume_id), Gb(new_size_gb)}, kQuick));
  }
  info.size_gb = new_size_gb;
  return info;
}

absl::Status FileDriver::CreateSnapshot(const std::string& volume_id,
                                        const std::string& snapshot_id, LiveImage* live) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckId("snapshot", snapshot_id));
  if (fs::exists(SnapshotMarker(snapshot_id))) return absl::OkStatus();
  if (!fs::exists(VolumePath(volume_id))) {
    return absl::NotFoundError("the volume is not on this backend");
  }
  std::string name = SnapshotName(snapshot_id);
  if (live != nullptr) {
    GUREUM_RETURN_IF_ERROR(live->CreateInternalSnapshot(name));
  } else {
    GUREUM_RETURN_IF_ERROR(Qemu({"snapshot", "-q", "-c", name, VolumePath(volume_id)}, kQuick));
  }
  return WriteFileAtomically(SnapshotMarker(snapshot_id), volume_id + "\n");
}

absl::Status FileDriver::DeleteSnapshot(const std::string& volume_id,
                                        const std::string& snapshot_id, LiveImage* live) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckId("snapshot", snapshot_id));
  if (!fs::exists(SnapshotMarker(snapshot_id))) return absl::OkStatus();
  if (fs::exists(VolumePath(volume_id))) {
    std::string name = SnapshotName(snapshot_id);
    absl::Status s = live != nullptr
                         ? live->DeleteInternalSnapshot(name)
                         : Qemu({"snapshot", "-q", "-d", name, VolumePath(volume_id)}, kQuick);
    // Gone already (a replay after the delete, before the marker went): done.
    if (!s.ok() && !absl::StrContains(s.message(), "snapshot not found")) return s;
  }
  RemoveQuietly(SnapshotMarker(snapshot_id));
  return absl::OkStatus();
}

absl::Status FileDriver::CopyToFile(const std::string& volume_id, const std::string& disk_format,
                                    const std::string& path) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  if (disk_format != "raw" && disk_format != "qcow2") {
    return absl::FailedPreconditionError(
        absl::StrCat("a volume cannot be uploaded as disk format '", disk_format, "'"));
  }
  if (!fs::exists(VolumePath(volume_id))) {
    return absl::NotFoundError("the volume is not on this backend");
  }
  RemoveQuietly(path);
  // -U: the volume may be open in an export's daemon (an in-use volume, forced).
  absl::Status s =
      Qemu({"convert", "-U", "-q", "-f", "qcow2", "-O", disk_format, VolumePath(volume_id), path},
           kCopy);
  if (!s.ok()) RemoveQuietly(path);
  return s;
}

absl::StatusOr<Capacity> FileDriver::GetCapacity() {
  struct statvfs st;
  if (statvfs(directory_.c_str(), &st) != 0) {
    return absl::InternalError(absl::StrCat("statvfs ", directory_, " failed"));
  }
  return Capacity{.total_gb = static_cast<int64_t>(st.f_blocks * st.f_frsize / kGiB),
                  .free_gb = static_cast<int64_t>(st.f_bavail * st.f_frsize / kGiB)};
}

absl::StatusOr<std::vector<VolumeInfo>> FileDriver::ListVolumes() {
  std::map<std::string, VolumeInfo> volumes;
  std::vector<std::pair<std::string, std::string>> snapshots;  // snapshot, volume
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(directory_, ec)) {
    std::string name = e.path().filename().string();
    if (absl::StartsWith(name, kVolumePrefix) && absl::EndsWith(name, kVolumeSuffix)) {
      std::string id = name.substr(strlen(kVolumePrefix),
                                   name.size() - strlen(kVolumePrefix) - strlen(kVolumeSuffix));
      volumes[id].id = id;
    } else if (absl::StartsWith(name, kMarkerPrefix) && absl::EndsWith(name, kMarkerSuffix)) {
      std::string id = name.substr(strlen(kMarkerPrefix),
                                   name.size() - strlen(kMarkerPrefix) - strlen(kMarkerSuffix));
      std::ifstream in(e.path());
      std::string volume_id;
      if (in >> volume_id) snapshots.emplace_back(id, volume_id);
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("list ", directory_, ": ", ec.message()));
  for (const auto& [snapshot, volume] : snapshots) {
    auto it = volumes.find(volume);
    if (it != volumes.end()) it->second.snapshot_ids.push_back(snapshot);
  }
  std::vector<VolumeInfo> out;
  for (auto& [id, v] : volumes) out.push_back(std::move(v));
  return out;
}

absl::StatusOr<VolumeImage> FileDriver::Image(const std::string& volume_id) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  if (!fs::exists(VolumePath(volume_id))) {
    return absl::NotFoundError("the volume is not on this backend");
  }
  return VolumeImage{.path = VolumePath(volume_id), .format = "qcow2"};
}

}  // namespace gureum::volume_agent
