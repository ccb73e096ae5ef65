#include "compute/clients/fake_image_client.h"

#include <algorithm>

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"

namespace gureum::compute {

std::string Md5Hex(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out, &n, EVP_md5(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) hex += absl::StrCat(absl::Hex(out[i], absl::kZeroPad2));
  return hex;
}

void FakeImageClient::Add(ImageInfo image) {
  absl::MutexLock l(&mu_);
  std::string id = image.id;
  images_[id] = {std::move(image), ""};
}

void FakeImageClient::Add(const std::string& id, const std::string& data,
                          const std::string& disk_format,
                          std::map<std::string, std::string> properties) {
  ImageInfo info{.id = id,
                 .status = "active",
                 .disk_format = disk_format,
                 .size = static_cast<int64_t>(data.size()),
                 .checksum = Md5Hex(data),
                 .properties = std::move(properties)};
  absl::MutexLock l(&mu_);
  images_[id] = {std::move(info), data};
}

ImageInfo& FakeImageClient::info(const std::string& id) {
  absl::MutexLock l(&mu_);
  return images_.at(id).first;
}

void FakeImageClient::BreakNextDownload(int64_t after_bytes, absl::Status status) {
  absl::MutexLock l(&mu_);
  break_after_ = after_bytes;
  break_status_ = std::move(status);
}

void FakeImageClient::FailNextGet(absl::Status status) {
  absl::MutexLock l(&mu_);
  get_failures_.push_back(std::move(status));
}

absl::StatusOr<ImageInfo> FakeImageClient::GetImage(const std::string&, const std::string& id) {
  absl::MutexLock l(&mu_);
  if (!get_failures_.empty()) {
    absl::Status s = get_failures_.front();
    get_failures_.pop_front();
    return s;
  }
  auto it = images_.find(id);
  if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
  return it->second.first;
}

absl::Status FakeImageClient::Download(
    const std::string& id, const std::function<absl::Status(const std::string&)>& sink) {
  std::string data;
  int64_t break_after = -1;
  absl::Status break_status;
  {
    absl::MutexLock l(&mu_);
    auto it = images_.find(id);
    if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
    data = it->second.second;
    std::swap(break_after, break_after_);
    break_status = break_status_;
  }
  size_t limit = break_after >= 0 ? static_cast<size_t>(break_after) : data.size();
  for (size_t off = 0; off < limit; off += 1000) {
    absl::Status s = sink(data.substr(off, std::min<size_t>(1000, limit - off)));
    if (!s.ok()) return s;
  }
  return break_after >= 0 ? break_status : absl::OkStatus();
}

namespace {

absl::Status TakeFirst(std::deque<absl::Status>& failures) {
  if (failures.empty()) return absl::OkStatus();
  absl::Status s = failures.front();
  failures.pop_front();
  return s;
}

}  // namespace

void FakeImageClient::FailNextCreate(absl::Status status) {
  absl::MutexLock l(&mu_);
  create_failures_.push_back(std::move(status));
}

void FakeImageClient::FailNextUpload(absl::Status status) {
  absl::MutexLock l(&mu_);
  upload_failures_.push_back(std::move(status));
}

std::pair<NewImage, std::string> FakeImageClient::created(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto it = created_.find(id);
  return it == created_.end() ? std::pair<NewImage, std::string>{} : it->second;
}

std::string FakeImageClient::data(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto it = images_.find(id);
  return it == images_.end() ? "" : it->second.second;
}

absl::StatusOr<ImageInfo> FakeImageClient::CreateImage(const std::string& token,
                                                       const NewImage& image) {
  absl::MutexLock l(&mu_);
  if (absl::Status s = TakeFirst(create_failures_); !s.ok()) return s;
  ImageInfo info;
  info.id = "snapshot-" + std::to_string(++next_id_);
  info.name = image.name;
  info.status = "queued";
  info.disk_format = image.disk_format;
  info.container_format = image.container_format;
  info.min_disk_gb = image.min_disk_gb;
  info.min_ram_mb = image.min_ram_mb;
  info.properties = image.properties;
  images_[info.id] = {info, ""};
  created_[info.id] = {image, token};
  return info;
}

absl::Status FakeImageClient::DeleteImage(const std::string&, const std::string& id) {
  absl::MutexLock l(&mu_);
  if (images_.erase(id) == 0) return absl::NotFoundError("Image " + id + " could not be found.");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ImageInfo>> FakeImageClient::ListImages(const std::string&,
                                                                   const ImageListQuery& query) {
  absl::MutexLock l(&mu_);
  std::vector<ImageInfo> out;
  for (const auto& [id, entry] : images_) {
    const ImageInfo& i = entry.first;
    if (!query.name.empty() && i.name != query.name) continue;
    if (!query.status.empty() && i.status != query.status) continue;
    out.push_back(i);
  }
  std::stable_sort(out.begin(), out.end(), [](const ImageInfo& a, const ImageInfo& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  return out;
}

absl::StatusOr<ImageInfo> FakeImageClient::UpdateProperties(
    const std::string&, const std::string& id, const std::map<std::string, std::string>& set,
    const std::vector<std::string>& remove) {
  absl::MutexLock l(&mu_);
  auto it = images_.find(id);
  if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
  ImageInfo& i = it->second.first;
  auto ro = i.properties.find("read_only");
  if (ro != i.properties.end() && ro->second == "true") {
    return absl::PermissionDeniedError("You are not permitted to modify image " + id + ".");
  }
  for (const std::string& k : remove) i.properties.erase(k);
  for (const auto& [k, v] : set) i.properties[k] = v;
  return i;
}

absl::StatusOr<ImageInfo> FakeImageClient::Upload(const std::string& id, const ChunkReader& next) {
  {
    absl::MutexLock l(&mu_);
    if (absl::Status s = TakeFirst(upload_failures_); !s.ok()) return s;
    auto it = images_.find(id);
    if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
    if (it->second.first.status != "queued") {
      return absl::FailedPreconditionError("Image " + id + " is " + it->second.first.status);
    }
    it->second.first.status = "saving";
  }
  std::string bytes;
  for (;;) {
    absl::StatusOr<std::string> piece = next();
    if (!piece.ok()) {
      absl::MutexLock l(&mu_);
      images_[id].first.status = "killed";
      return piece.status();
    }
    if (piece->empty()) break;
    bytes += *piece;
  }
  absl::MutexLock l(&mu_);
  auto& [info, stored] = images_[id];
  stored = bytes;
  info.status = "active";
  info.size = static_cast<int64_t>(bytes.size());
  info.checksum = Md5Hex(bytes);
  return info;
}

}  // namespace gureum::compute
