#include "compute/clients/fake_image_client.h"

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

}  // namespace gureum::compute
