#include "image/fake_object_storage_client.h"

#include <algorithm>

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gureum::image {
namespace {

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_md5(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), size));
}

}  // namespace

absl::Status FakeObjectStorageClient::TakeFailure() {
  absl::Status s = fail_next_;
  fail_next_ = absl::OkStatus();
  return s;
}

std::string FakeObjectStorageClient::Contents(const Object& o) const {
  if (o.manifest.empty()) return o.data;
  std::string all;
  for (const ObjectSegment& s : o.manifest) {
    auto c = containers_.find(s.container);
    if (c == containers_.end()) continue;
    auto seg = c->second.find(s.name);
    if (seg != c->second.end()) all += seg->second.data;
  }
  return all;
}

absl::Status FakeObjectStorageClient::EnsureContainer(const std::string& container) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  containers_[container];
  return absl::OkStatus();
}

absl::StatusOr<std::string> FakeObjectStorageClient::PutObject(const std::string& container,
                                                               const std::string& name,
                                                               const std::string& data) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto c = containers_.find(container);
  if (c == containers_.end()) return absl::NotFoundError("no container " + container);
  largest_put_ = std::max(largest_put_, data.size());
  c->second[name] = Object{.data = data};
  return Md5Hex(data);
}

absl::Status FakeObjectStorageClient::PutManifest(const std::string& container,
                                                  const std::string& name,
                                                  const std::vector<ObjectSegment>& segments) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto c = containers_.find(container);
  if (c == containers_.end()) return absl::NotFoundError("no container " + container);
  for (const ObjectSegment& s : segments) {  // the proxy checks each segment too
    auto seg = containers_[s.container].find(s.name);
    if (seg == containers_[s.container].end() || Md5Hex(seg->second.data) != s.etag ||
        static_cast<long long>(seg->second.data.size()) != s.bytes) {
      return absl::InvalidArgumentError("bad segment " + s.name);
    }
  }
  c->second[name] = Object{.manifest = segments};
  return absl::OkStatus();
}

absl::StatusOr<ObjectPiece> FakeObjectStorageClient::GetRange(const std::string& container,
                                                              const std::string& name,
                                                              long long offset, long long length) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  auto c = containers_.find(container);
  if (c == containers_.end() || !c->second.count(name)) return absl::NotFoundError(name);
  largest_range_ = std::max(largest_range_, length);
  const std::string all = Contents(c->second.at(name));
  const long long total = static_cast<long long>(all.size());
  if (offset >= total) return ObjectPiece{};
  return ObjectPiece{.data = all.substr(offset, length), .total_bytes = total};
}

absl::Status FakeObjectStorageClient::DeleteObject(const std::string& container,
                                                   const std::string& name) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  if (auto c = containers_.find(container); c != containers_.end()) c->second.erase(name);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FakeObjectStorageClient::ListObjects(
    const std::string& container, const std::string& prefix) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = TakeFailure(); !s.ok()) return s;
  std::vector<std::string> names;
  if (auto c = containers_.find(container); c != containers_.end()) {
    for (const auto& [name, o] : c->second) {
      if (absl::StartsWith(name, prefix)) names.push_back(name);
    }
  }
  return names;
}

void FakeObjectStorageClient::FailNext(absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_next_ = std::move(status);
}

size_t FakeObjectStorageClient::largest_put() const {
  absl::MutexLock lock(&mu_);
  return largest_put_;
}

long long FakeObjectStorageClient::largest_range() const {
  absl::MutexLock lock(&mu_);
  return largest_range_;
}

}  // namespace gureum::image
