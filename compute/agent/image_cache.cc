#include "compute/agent/image_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <openssl/evp.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/ids.h"

namespace gureum::compute_agent {
namespace fs = std::filesystem;
namespace {

constexpr char kPartSuffix[] = ".part.";

class Digest {
 public:
  explicit Digest(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx_, md, nullptr);
  }
  ~Digest() { EVP_MD_CTX_free(ctx_); }
  void Update(const std::string& data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  std::string Hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out, &n);
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned i = 0; i < n; ++i) {
      hex += kHex[out[i] >> 4];
      hex += kHex[out[i] & 15];
    }
    return hex;
  }

 private:
  EVP_MD_CTX* ctx_;
};

// The last use of a base is its mtime, set from the injected clock.
void Touch(const std::string& path, absl::Time now) {
  timespec times[2];
  times[0] = times[1] = absl::ToTimespec(now);
  utimensat(AT_FDCWD, path.c_str(), times, 0);
}

}  // namespace

bool IsSafeName(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  for (char c : name) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

ImageCache::ImageCache(std::string dir, compute::ImageClient& image_client, const Clock& clock)
    : dir_(std::move(dir)), image_client_(image_client), clock_(clock) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
}

int ImageCache::downloads() const {
  absl::MutexLock l(&mu_);
  return downloads_;
}

absl::Mutex* ImageCache::LockFor(const std::string& image_id) {
  absl::MutexLock l(&mu_);
  auto& m = locks_[image_id];
  if (!m) m = std::make_unique<absl::Mutex>();
  return m.get();
}

absl::StatusOr<CachedImage> ImageCache::Fetch(const std::string& image_id) {
  if (!IsSafeName(image_id)) {
    return absl::InvalidArgumentError(absl::StrCat("'", image_id, "' is not a valid image id"));
  }
  absl::MutexLock image_lock(LockFor(image_id));
  std::string path = PathOf(image_id);
  auto got = image_client_.GetImage(compute::kAsService, image_id);
  struct stat st;
  std::string known_format;
  {
    absl::MutexLock l(&mu_);
    if (auto it = formats_.find(image_id); it != formats_.end()) known_format = it->second;
  }
  if (!got.ok() && got.status().code() == absl::StatusCode::kUnavailable && !known_format.empty() &&
      stat(path.c_str(), &st) == 0) {
    // The image service is down, but this process verified the base when it came (and
    // knows its format): builds on this host go on.
    spdlog::warn("image service unavailable ({}); using the cached base of {}",
                 std::string(got.status().message()), image_id);
    Touch(path, clock_.Now());
    return CachedImage{path, known_format, static_cast<long long>(st.st_size)};
  }
  if (!got.ok()) return got.status();
  compute::ImageInfo info = *std::move(got);
  if (info.status != "active") {
    return absl::FailedPreconditionError(
        absl::StrCat("image ", image_id, " is ", info.status.empty() ? "not active" : info.status,
                     ", not active"));
  }
  if (stat(path.c_str(), &st) == 0 && st.st_size == info.size) {
    Touch(path, clock_.Now());
    absl::MutexLock l(&mu_);
    formats_[image_id] = info.disk_format;
    return CachedImage{path, info.disk_format, info.size};
  }
  return Download(image_id, info);
}

absl::StatusOr<CachedImage> ImageCache::Download(const std::string& image_id,
                                                 const compute::ImageInfo& info) {
  {
    absl::MutexLock l(&mu_);
    downloading_.insert(image_id);
    ++downloads_;
  }
  std::string path = PathOf(image_id);
  std::string part = absl::StrCat(path, kPartSuffix, NewUuid().substr(0, 8));
  auto finish = [&](absl::Status s) -> absl::StatusOr<CachedImage> {
    absl::MutexLock l(&mu_);
    downloading_.erase(image_id);
    if (!s.ok()) {
      std::remove(part.c_str());
      return s;
    }
    formats_[image_id] = info.disk_format;
    return CachedImage{path, info.disk_format, info.size};
  };
  int fd = open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return finish(absl::InternalError(absl::StrCat("cannot create ", part)));
  Digest md5(EVP_md5()), sha512(EVP_sha512());
  long long written = 0;
  absl::Status s = image_client_.Download(image_id, [&](const std::string& chunk) {
    if (written + static_cast<long long>(chunk.size()) > info.size) {
      return absl::DataLossError(absl::StrCat(
          "image ", image_id, " is larger than its record says (", info.size, " bytes)"));
    }
    md5.Update(chunk);
    sha512.Update(chunk);
    size_t off = 0;
    while (off < chunk.size()) {
      ssize_t n = write(fd, chunk.data() + off, chunk.size() - off);
      if (n <= 0)
        return absl::ResourceExhaustedError(absl::StrCat("writing ", part, " failed (disk full?)"));
      off += static_cast<size_t>(n);
    }
    written += static_cast<long long>(chunk.size());
    return absl::OkStatus();
  });
  if (s.ok() && fsync(fd) != 0) s = absl::InternalError(absl::StrCat("fsync of ", part, " failed"));
  close(fd);
  if (!s.ok()) {
    return finish(
        absl::Status(s.code(), absl::StrCat("downloading image ", image_id, ": ", s.message())));
  }
  if (written != info.size) {
    return finish(absl::DataLossError(absl::StrCat("image ", image_id, " download ended after ",
                                                   written, " of ", info.size, " bytes")));
  }
  if (!info.checksum.empty() && md5.Hex() != info.checksum) {
    return finish(absl::DataLossError(
        absl::StrCat("image ", image_id, " data does not match its md5 checksum")));
  }
  if (!info.sha512.empty() && sha512.Hex() != info.sha512) {
    return finish(
        absl::DataLossError(absl::StrCat("image ", image_id, " data does not match its sha512")));
  }
  if (rename(part.c_str(), path.c_str()) != 0) {
    return finish(absl::InternalError(absl::StrCat("cannot move ", part, " into place")));
  }
  Touch(path, clock_.Now());
  spdlog::info("image {} cached ({} bytes)", image_id, written);
  return finish(absl::OkStatus());
}

std::set<std::string> ImageCache::Cleanup(const std::set<std::string>& in_use,
                                          absl::Duration max_unused) {
  std::set<std::string> removed;
  const absl::Time now = clock_.Now();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    struct stat st;
    if (stat(entry.path().c_str(), &st) != 0) continue;
    absl::Time used = absl::FromUnixSeconds(st.st_mtim.tv_sec);
    size_t part = name.find(kPartSuffix);
    if (part != std::string::npos) {
      absl::MutexLock l(&mu_);
      if (downloading_.count(name.substr(0, part)) == 0 && now - used > absl::Hours(1)) {
        fs::remove(entry.path(), ec);
      }
      continue;
    }
    if (in_use.count(name) || now - used <= max_unused) continue;
    // Under the image's lock, and looked at again: a Fetch that just returned this base
    // touched it, and its instance is about to get an overlay on it.
    absl::MutexLock image_lock(LockFor(name));
    if (stat(entry.path().c_str(), &st) != 0 ||
        now - absl::FromUnixSeconds(st.st_mtim.tv_sec) <= max_unused) {
      continue;
    }
    if (fs::remove(entry.path(), ec)) {
      spdlog::info("image cache: removed base {} (unused since {})", name, absl::FormatTime(used));
      removed.insert(name);
    }
  }
  return removed;
}

}  // namespace gureum::compute_agent
