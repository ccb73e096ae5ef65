#include "image/filesystem_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <random>
#include <vector>

#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gureum::image {
namespace {

constexpr char kScheme[] = "file://";

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  }
  return true;
}

// Writes the image file. Where the filesystem allows it the file is opened O_DIRECT and
// the data goes from aligned 2 MiB buffers straight to the disk, one buffer written on a
// helper thread while the caller fills the other: an image is written once and not read
// back soon, and skipping the page cache saves the copy into it, its writeback and the
// memory it would take (on this project's VMs, first-touch page-cache pages cost more CPU
// than the copy). Elsewhere the writes are buffered and flushed behind in 8 MiB windows.
class FileWriter final : public DataWriter {
 public:
  FileWriter(int fd, bool direct, std::string partial, std::string final_path)
      : fd_(fd), direct_(direct), partial_(std::move(partial)), final_(std::move(final_path)) {
    for (auto& buf : bufs_) {
      void* p = nullptr;
      if (direct_ && ::posix_memalign(&p, kAlign, kDirectBuffer) == 0) {
        buf.reset(static_cast<char*>(p));
      } else if (direct_) {
        SetBuffered();
      }
    }
  }
  ~FileWriter() override {
    if (pending_.valid()) pending_.wait();  // never free a buffer the helper still writes
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(partial_.c_str());
  }

  absl::Status Write(const char* data, size_t size) override {
    if (!direct_) {
      GUREUM_RETURN_IF_ERROR(WriteAll(fd_, data, size, written_));
      WriteBehind();
      return absl::OkStatus();
    }
    while (size > 0) {
      size_t n = std::min(size, kDirectBuffer - used_);
      std::memcpy(bufs_[cur_].get() + used_, data, n);
      used_ += n;
      data += n;
      size -= n;
      if (used_ == kDirectBuffer) GUREUM_RETURN_IF_ERROR(Submit());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Commit() override {
    if (direct_) GUREUM_RETURN_IF_ERROR(WriteTail());
    if (::fdatasync(fd_) != 0) return Errno("cannot sync", partial_);
    if (::close(fd_) != 0) {
      fd_ = -1;
      return Errno("cannot close", partial_);
    }
    fd_ = -1;
    if (::rename(partial_.c_str(), final_.c_str()) != 0) return Errno("cannot rename", partial_);
    committed_ = true;
    return std::string(kScheme) + final_;
  }

 private:
  static constexpr size_t kAlign = 4096;  // covers 512- and 4096-byte logical blocks
  static constexpr size_t kDirectBuffer = 2 << 20;
  static constexpr off_t kWindow = 8 << 20;

  struct Free {
    void operator()(char* p) const { std::free(p); }
  };

  // Writes all of data at the file's current offset, adding to `written`.
  absl::Status WriteAll(int fd, const char* data, size_t size, off_t& written) const {
    while (size > 0) {
      ssize_t n = ::write(fd, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        return absl::Status(absl::InternalError(
            absl::StrCat("cannot write ", partial_, ": ", std::strerror(errno))));
      }
      data += n;
      size -= static_cast<size_t>(n);
      written += n;
    }
    return absl::OkStatus();
  }

  // Waits for the helper's write, if any, and returns how it went.
  absl::Status Wait() {
    if (!pending_.valid()) return absl::OkStatus();
    return pending_.get();
  }

  // Hands the full buffer to the helper thread and goes on with the other one.
  absl::Status Submit() {
    GUREUM_RETURN_IF_ERROR(Wait());
    const char* buf = bufs_[cur_].get();
    pending_ = std::async(std::launch::async,
                          [this, buf] { return WriteAll(fd_, buf, kDirectBuffer, written_); });
    cur_ ^= 1;
    used_ = 0;
    return absl::OkStatus();
  }

  // At Commit: the whole blocks of what is left go directly; a last piece shorter than
  // a block goes through the page cache, which the fdatasync that follows flushes.
  absl::Status WriteTail() {
    GUREUM_RETURN_IF_ERROR(Wait());
    size_t aligned = used_ - used_ % kAlign;
    GUREUM_RETURN_IF_ERROR(WriteAll(fd_, bufs_[cur_].get(), aligned, written_));
    if (aligned < used_) {
      SetBuffered();
      GUREUM_RETURN_IF_ERROR(WriteAll(fd_, bufs_[cur_].get() + aligned, used_ - aligned, written_));
    }
    used_ = 0;
    return absl::OkStatus();
  }

  void SetBuffered() {
    int flags = ::fcntl(fd_, F_GETFL);
    if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT);
    direct_ = false;
  }

  // Buffered mode: starts writeback of each full window as soon as it is written, and
  // waits for the window before it, so the disk works while data still arrives (the
  // final fdatasync is then short, as with dd) and dirty pages stay bounded to two
  // windows. The written pages are dropped from the cache.
  void WriteBehind() {
    while (written_ - flushed_ >= kWindow) {
      ::sync_file_range(fd_, flushed_, kWindow, SYNC_FILE_RANGE_WRITE);
      if (flushed_ >= kWindow) {
        off_t prev = flushed_ - kWindow;
        ::sync_file_range(
            fd_, prev, kWindow,
            SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
        ::posix_fadvise(fd_, prev, kWindow, POSIX_FADV_DONTNEED);
      }
      flushed_ += kWindow;
    }
  }

  int fd_;
  bool direct_;
  std::string partial_;
  std::string final_;
  std::unique_ptr<char, Free> bufs_[2];
  int cur_ = 0;  // the buffer being filled
  size_t used_ = 0;
  std::future<absl::Status> pending_;  // the helper's write of the other buffer
  bool committed_ = false;
  off_t written_ = 0;
  off_t flushed_ = 0;
};

// Reads in 1 MiB requests whatever the caller's piece size (REST asks for 64 KiB), and
// asks the kernel to read ahead 8 MiB beyond, so a cold download streams from the disk
// in large requests as dd does.
class FileReader final : public DataReader {
 public:
  FileReader(int fd, std::string path) : fd_(fd), path_(std::move(path)), buf_(kBuffer) {}
  ~FileReader() override { ::close(fd_); }

  absl::StatusOr<size_t> Read(char* out, size_t cap) override {
    if (pos_ == len_) {
      if (cap >= kBuffer) return ReadFile(out, cap);  // large pieces go straight in
      auto n = ReadFile(buf_.data(), kBuffer);
      if (!n.ok()) return n.status();
      pos_ = 0;
      len_ = *n;
      if (len_ == 0) return 0;
    }
    size_t n = std::min(cap, len_ - pos_);
    std::memcpy(out, buf_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  static constexpr size_t kBuffer = 1 << 20;
  static constexpr off_t kReadAhead = 8 << 20;

  absl::StatusOr<size_t> ReadFile(char* out, size_t cap) {
    if (offset_ >= advised_) {
      ::posix_fadvise(fd_, offset_, kReadAhead, POSIX_FADV_WILLNEED);
      advised_ = offset_ + kReadAhead / 2;
    }
    for (;;) {
      ssize_t n = ::read(fd_, out, cap);
      if (n >= 0) {
        offset_ += n;
        return static_cast<size_t>(n);
      }
      if (errno != EINTR) return Errno("cannot read", path_);
    }
  }

  int fd_;
  std::string path_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  off_t offset_ = 0, advised_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FilesystemStore>> FilesystemStore::Create(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", ec.message()));
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return Errno("cannot write to", dir);
  return std::unique_ptr<FilesystemStore>(new FilesystemStore(dir));
}

absl::StatusOr<std::unique_ptr<DataWriter>> FilesystemStore::NewWriter(
    const std::string& image_id) {
  if (!ValidId(image_id)) return absl::InvalidArgumentError("bad image id for the store");
  std::random_device rd;
  std::string final_path = dir_ + "/" + image_id;
  std::string partial = absl::StrCat(final_path, ".", rd(), ".partial");
  int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("cannot create", partial);
  // Direct I/O is switched on after the file exists: a filesystem without it (ramfs, some
  // FUSE ones) refuses with EINVAL here, and the writes stay buffered. Asking at open
  // instead would leave the file created by the failed open behind, in the way of O_EXCL.
  int flags = ::fcntl(fd, F_GETFL);
  bool direct = flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0;
  return std::unique_ptr<DataWriter>(new FileWriter(fd, direct, partial, final_path));
}

absl::StatusOr<std::string> FilesystemStore::PathOf(const std::string& location) const {
  if (!absl::StartsWith(location, kScheme)) {
    return absl::InvalidArgumentError("not a file location: " + location);
  }
  std::string path = location.substr(std::strlen(kScheme));
  std::string prefix = dir_ + "/";
  if (!absl::StartsWith(path, prefix) || !ValidId(path.substr(prefix.size()))) {
    return absl::InvalidArgumentError("location outside the store: " + location);
  }
  return path;
}

absl::StatusOr<std::unique_ptr<DataReader>> FilesystemStore::NewReader(
    const std::string& location) {
  auto path = PathOf(location);
  if (!path.ok()) return path.status();
  int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError("image data is missing from the store");
    return Errno("cannot open", *path);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<DataReader>(new FileReader(fd, *path));
}

absl::Status FilesystemStore::Delete(const std::string& location) {
  auto path = PathOf(location);
  if (!path.ok()) return path.status();
  if (::unlink(path->c_str()) != 0 && errno != ENOENT) return Errno("cannot delete", *path);
  return absl::OkStatus();
}

absl::Status FilesystemStore::RemoveStalePartials() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (absl::EndsWith(entry.path().filename().string(), ".partial")) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
  if (ec) return absl::InternalError(absl::StrCat("cannot clean ", dir_, ": ", ec.message()));
  return absl::OkStatus();
}

}  // namespace gureum::image
