#include "block-storage/agent/fake_volume_driver.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/status/macros.h"

namespace gureum::volume_agent {

void FakeVolumeDriver::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  failures_.push_back(std::move(status));
}

int FakeVolumeDriver::live_calls() const {
  absl::MutexLock lock(&mu_);
  return live_calls_;
}

absl::Status FakeVolumeDriver::TakeFailure() {
  if (failures_.empty()) return absl::OkStatus();
  absl::Status s = failures_.front();
  failures_.pop_front();
  return s;
}

absl::StatusOr<VolumeInfo> FakeVolumeDriver::Make(const std::string& volume_id, int64_t size_gb,
                                                  int64_t source_gb) {
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(size_gb));
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = volumes_.find(volume_id);
  if (it != volumes_.end()) return VolumeInfo{.id = volume_id, .size_gb = it->second};
  if (source_gb > size_gb) {
    return absl::FailedPreconditionError("the source is larger than the volume");
  }
  volumes_[volume_id] = size_gb;
  return VolumeInfo{.id = volume_id, .size_gb = size_gb};
}

absl::StatusOr<VolumeInfo> FakeVolumeDriver::Create(const std::string& volume_id, int64_t size_gb) {
  absl::MutexLock lock(&mu_);
  return Make(volume_id, size_gb, 0);
}

absl::StatusOr<VolumeInfo> FakeVolumeDriver::CreateFromSnapshot(const std::string& volume_id,
                                                                int64_t size_gb,
                                                                const std::string& snapshot_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("snapshot", snapshot_id));
  auto it = snapshots_.find(snapshot_id);
  if (it == snapshots_.end() && !volumes_.count(volume_id)) {
    return absl::NotFoundError("the snapshot is not on this backend");
  }
  return Make(volume_id, size_gb, it == snapshots_.end() ? 0 : it->second.second);
}

absl::StatusOr<VolumeInfo> FakeVolumeDriver::CreateFromVolume(const std::string& volume_id,
                                                              int64_t size_gb,
                                                              const std::string& source_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("source volume", source_id));
  auto it = volumes_.find(source_id);
  if (it == volumes_.end() && !volumes_.count(volume_id)) {
    return absl::NotFoundError("the source volume is not on this backend");
  }
  return Make(volume_id, size_gb, it == volumes_.end() ? 0 : it->second);
}

absl::StatusOr<VolumeInfo> FakeVolumeDriver::CreateFromImage(const std::string& volume_id,
                                                             int64_t size_gb,
                                                             const std::string& disk_format,
                                                             const ImageFetcher& fetch) {
  {
    absl::MutexLock lock(&mu_);
    if (volumes_.count(volume_id))
      return VolumeInfo{.id = volume_id, .size_gb = volumes_[volume_id]};
  }
  if (disk_format == "ova") {
    return absl::FailedPreconditionError("images of disk format 'ova' cannot be written");
  }
  // A real file, so a fetcher that writes one works; gone again afterwards.
  std::string download = (std::filesystem::temp_directory_path() /
                          ("fake-volume-driver-" + std::to_string(getpid()) + "-" + volume_id))
                             .string();
  absl::Status fetched = fetch(download);
  std::filesystem::remove(download);
  GUREUM_RETURN_IF_ERROR(fetched);
  absl::MutexLock lock(&mu_);
  return Make(volume_id, size_gb, 0);
}

absl::Status FakeVolumeDriver::Delete(const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  volumes_.erase(volume_id);
  return absl::OkStatus();
}

absl::StatusOr<VolumeInfo> FakeVolumeDriver::Extend(const std::string& volume_id,
                                                    int64_t new_size_gb, LiveImage* live) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckSize(new_size_gb));
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  auto it = volumes_.find(volume_id);
  if (it == volumes_.end()) return absl::NotFoundError("the volume is not on this backend");
  if (it->second > new_size_gb) return absl::FailedPreconditionError("a volume cannot shrink");
  if (live != nullptr && it->second != new_size_gb) {
    ++live_calls_;
    GUREUM_RETURN_IF_ERROR(live->Resize(new_size_gb * kGiB));
  }
  it->second = new_size_gb;
  return VolumeInfo{.id = volume_id, .size_gb = new_size_gb};
}

absl::Status FakeVolumeDriver::CreateSnapshot(const std::string& volume_id,
                                              const std::string& snapshot_id, LiveImage* live) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckId("snapshot", snapshot_id));
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (snapshots_.count(snapshot_id)) return absl::OkStatus();
  auto it = volumes_.find(volume_id);
  if (it == volumes_.end()) return absl::NotFoundError("the volume is not on this backend");
  if (live != nullptr) {
    ++live_calls_;
    GUREUM_RETURN_IF_ERROR(live->CreateInternalSnapshot("snapshot-" + snapshot_id));
  }
  snapshots_[snapshot_id] = {volume_id, it->second};
  return absl::OkStatus();
}

absl::Status FakeVolumeDriver::DeleteSnapshot(const std::string& volume_id,
                                              const std::string& snapshot_id, LiveImage* live) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  GUREUM_RETURN_IF_ERROR(CheckId("snapshot", snapshot_id));
  GUREUM_RETURN_IF_ERROR(TakeFailure());
  if (live != nullptr && snapshots_.count(snapshot_id)) {
    ++live_calls_;
    GUREUM_RETURN_IF_ERROR(live->DeleteInternalSnapshot("snapshot-" + snapshot_id));
  }
  snapshots_.erase(snapshot_id);
  return absl::OkStatus();
}

std::string FakeVolumeDriver::Data(const std::string& volume_id, const std::string& disk_format) {
  const std::string line = volume_id + " as " + disk_format + "\n";
  std::string data;
  while (data.size() < (3 << 20) + 100) data += line;
  return data;
}

absl::Status FakeVolumeDriver::CopyToFile(const std::string& volume_id,
                                          const std::string& disk_format, const std::string& path) {
  {
    absl::MutexLock lock(&mu_);
    GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
    GUREUM_RETURN_IF_ERROR(TakeFailure());
    if (!volumes_.count(volume_id)) return absl::NotFoundError("the volume is not on this backend");
  }
  if (disk_format != "raw" && disk_format != "qcow2") {
    return absl::FailedPreconditionError("a volume cannot be uploaded as " + disk_format);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << Data(volume_id, disk_format);
  if (!out.flush()) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

absl::StatusOr<Capacity> FakeVolumeDriver::GetCapacity() {
  absl::MutexLock lock(&mu_);
  return capacity;
}

absl::StatusOr<std::vector<VolumeInfo>> FakeVolumeDriver::ListVolumes() {
  absl::MutexLock lock(&mu_);
  std::map<std::string, VolumeInfo> out;
  for (const auto& [id, size] : volumes_) out[id] = {.id = id, .size_gb = size};
  for (const auto& [id, of] : snapshots_) {
    if (out.count(of.first)) out[of.first].snapshot_ids.push_back(id);
  }
  std::vector<VolumeInfo> list;
  for (auto& [id, v] : out) list.push_back(std::move(v));
  return list;
}

absl::StatusOr<VolumeImage> FakeVolumeDriver::Image(const std::string& volume_id) {
  absl::MutexLock lock(&mu_);
  GUREUM_RETURN_IF_ERROR(CheckId("volume", volume_id));
  if (!volumes_.count(volume_id)) return absl::NotFoundError("the volume is not on this backend");
  return VolumeImage{.path = "/fake/volume-" + volume_id + ".qcow2", .format = "qcow2"};
}

}  // namespace gureum::volume_agent
