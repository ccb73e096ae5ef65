#include "block-storage/clients/fake_image_client.h"

#include "absl/strings/str_format.h"
#include "compute/clients/fake_image_client.h"

namespace gureum::block_storage {

void FakeImageClient::FailNextCreate(absl::Status status) {
  absl::MutexLock l(&mu_);
  create_failures_.push_back(std::move(status));
}

void FakeImageClient::FailNextUpload(absl::Status status) {
  absl::MutexLock l(&mu_);
  upload_failures_.push_back(std::move(status));
}

FakeImageClient::Record FakeImageClient::image(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto it = images_.find(id);
  return it == images_.end() ? Record{} : it->second;
}

int FakeImageClient::images() {
  absl::MutexLock l(&mu_);
  return static_cast<int>(images_.size());
}

absl::StatusOr<compute::ImageInfo> FakeImageClient::GetImage(const std::string&,
                                                             const std::string& id) {
  absl::MutexLock l(&mu_);
  auto it = images_.find(id);
  if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
  return it->second.info;
}

absl::StatusOr<std::vector<compute::ImageInfo>> FakeImageClient::ListImages(
    const std::string&, const compute::ImageListQuery& query) {
  absl::MutexLock l(&mu_);
  std::vector<compute::ImageInfo> out;
  for (const auto& [id, record] : images_) {
    if (!query.name.empty() && record.info.name != query.name) continue;
    if (!query.status.empty() && record.info.status != query.status) continue;
    out.push_back(record.info);
  }
  return out;
}

absl::StatusOr<compute::ImageInfo> FakeImageClient::UpdateProperties(
    const std::string&, const std::string& id, const std::map<std::string, std::string>& set,
    const std::vector<std::string>& remove) {
  absl::MutexLock l(&mu_);
  auto it = images_.find(id);
  if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
  for (const std::string& k : remove) it->second.info.properties.erase(k);
  for (const auto& [k, v] : set) it->second.info.properties[k] = v;
  return it->second.info;
}

absl::Status FakeImageClient::Download(const std::string& id,
                                       const std::function<absl::Status(const std::string&)>&) {
  return absl::UnimplementedError("the block storage fake does not serve downloads of " + id);
}

absl::StatusOr<compute::ImageInfo> FakeImageClient::CreateImage(const std::string& token,
                                                                const NewImage& image) {
  absl::MutexLock l(&mu_);
  if (!create_failures_.empty()) {
    absl::Status s = create_failures_.front();
    create_failures_.pop_front();
    return s;
  }
  Record r;
  r.info.id = absl::StrFormat("00000000-0000-4000-8000-%012d", images_.size() + 1);
  r.info.name = image.name;
  r.info.status = "queued";
  r.info.disk_format = image.disk_format;
  r.info.container_format = image.container_format;
  r.info.min_disk_gb = image.min_disk_gb;
  r.info.properties = image.properties;
  r.created = image;
  r.token = token;
  images_[r.info.id] = r;
  return r.info;
}

absl::Status FakeImageClient::DeleteImage(const std::string&, const std::string& id) {
  absl::MutexLock l(&mu_);
  if (images_.erase(id) == 0) return absl::NotFoundError("Image " + id + " could not be found.");
  return absl::OkStatus();
}

absl::StatusOr<compute::ImageInfo> FakeImageClient::Upload(const std::string& id,
                                                           const ChunkReader& next) {
  {
    absl::MutexLock l(&mu_);
    if (!upload_failures_.empty()) {
      absl::Status s = upload_failures_.front();
      upload_failures_.pop_front();
      return s;
    }
    auto it = images_.find(id);
    if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
    if (it->second.info.status != "queued") {
      return absl::FailedPreconditionError("Image " + id + " is " + it->second.info.status);
    }
    it->second.info.status = "saving";
  }
  std::string data;
  for (;;) {
    absl::StatusOr<std::string> piece = next();
    if (!piece.ok()) {
      absl::MutexLock l(&mu_);
      images_[id].info.status = "killed";
      images_[id].data = data;
      return piece.status();
    }
    if (piece->empty()) break;
    data += *piece;
  }
  absl::MutexLock l(&mu_);
  Record& r = images_[id];
  r.data = data;
  r.info.status = "active";
  r.info.size = static_cast<int64_t>(data.size());
  r.info.checksum = compute::Md5Hex(data);
  return r.info;
}

}  // namespace gureum::block_storage
