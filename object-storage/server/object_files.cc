#include "object-storage/server/object_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "object-storage/server/content_check.h"
#include "object-storage/server/names.h"

namespace gureum::object {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot write", "object");
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

json MetaToJson(const ObjectMeta& m) {
  return {{"name", m.name},
          {"timestamp", m.timestamp.ToString()},
          {"content_type", m.content_type},
          {"etag", m.etag},
          {"xxh3", m.xxh3},
          {"size", m.size},
          {"delete_at", m.delete_at},
          {"headers", m.headers}};
}

absl::StatusOr<ObjectMeta> MetaFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return absl::DataLossError("object metadata is not JSON");
  try {
    ObjectMeta m;
    m.name = j.at("name").get<std::string>();
    m.timestamp = Timestamp::Parse(j.at("timestamp").get<std::string>()).value_or(Timestamp());
    m.content_type = j.at("content_type").get<std::string>();
    m.etag = j.at("etag").get<std::string>();
    m.xxh3 = j.value("xxh3", "");
    m.size = j.at("size").get<int64_t>();
    m.delete_at = j.at("delete_at").get<int64_t>();
    m.headers = j.at("headers").get<std::map<std::string, std::string>>();
    m.meta_timestamp = m.timestamp;
    return m;
  } catch (const json::exception& e) {
    return absl::DataLossError(absl::StrCat("object metadata: ", e.what()));
  }
}

// The newest file of each kind in a hash directory (names sort by timestamp).
struct DirFiles {
  std::string data, tombstone, meta;  // file names, empty if none
  std::vector<std::string> all;
};

DirFiles Scan(const std::string& dir) {
  DirFiles f;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    f.all.push_back(name);
    std::string* slot = absl::EndsWith(name, ".data")   ? &f.data
                        : absl::EndsWith(name, ".ts")   ? &f.tombstone
                        : absl::EndsWith(name, ".meta") ? &f.meta
                                                        : nullptr;
    if (slot != nullptr && name > *slot) *slot = name;
  }
  return f;
}

Timestamp TimestampOf(const std::string& file) {
  return Timestamp::Parse(file.substr(0, file.find_last_of('.'))).value_or(Timestamp());
}

// The newest data or tombstone's timestamp.
Timestamp Newest(const DirFiles& f) {
  return std::max(f.data.empty() ? Timestamp() : TimestampOf(f.data),
                  f.tombstone.empty() ? Timestamp() : TimestampOf(f.tombstone));
}

// Removes every file older than the newest data or tombstone (and metadata older than
// the data it would apply to).
void Cleanup(const std::string& dir) {
  DirFiles f = Scan(dir);
  const Timestamp keep = Newest(f);
  for (const std::string& name : f.all) {
    const bool is_meta = absl::EndsWith(name, ".meta");
    if (TimestampOf(name) < keep || (is_meta && name != f.meta)) {
      ::unlink((dir + "/" + name).c_str());
    }
  }
}

// mkdir -p for a hash directory, in one call when its partition directory exists (the
// common case), where std::filesystem::create_directories stats every level first.
void MakeHashDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno != ENOENT) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
}

// Removes the files a scan found that are older than `ts`, the version just renamed in
// beside them (what Cleanup would remove, without reading the directory again; a .meta
// newer than the new data stays, it applies to it).
void RemoveOlder(const std::string& dir, const DirFiles& scanned, Timestamp ts) {
  for (const std::string& name : scanned.all) {
    if (TimestampOf(name) < ts) ::unlink((dir + "/" + name).c_str());
  }
}

absl::Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", dir);
  ::fsync(fd);
  ::close(fd);
  return absl::OkStatus();
}

constexpr int64_t kWritebackBytes = 4 << 20;

std::string TempName() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return absl::StrCat("tmp.", random());
}

using OnCommit = std::function<void(const ObjectMeta&)>;

class FileWriter final : public ObjectWriter {
 public:
  FileWriter(int fd, std::string tmp, std::string dir, OnCommit on_commit)
      : fd_(fd), tmp_(std::move(tmp)), dir_(std::move(dir)), on_commit_(std::move(on_commit)) {}
  ~FileWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }

  absl::Status Append(const char* data, size_t size) override {
    md5_.Update(data, size);
    xxh3_.Update(data, size);
    size_ += static_cast<int64_t>(size);
    absl::Status written = WriteAll(fd_, data, size);
    if (written.ok() && size_ - flushed_ >= kWritebackBytes) {
      // Start the disk writes of what has arrived (not waiting for them), as Swift syncs
      // every 512 KiB: the fdatasync at Commit then waits for the tail only, instead of
      // writing the whole object after its last byte arrived.
      ::sync_file_range(fd_, flushed_, size_ - flushed_, SYNC_FILE_RANGE_WRITE);
      flushed_ = size_;
    }
    return written;
  }

  absl::Status Commit(ObjectMeta& meta) override {
    const std::string etag = md5_.Hex();
    if (!meta.etag.empty() && meta.etag != etag) {
      return absl::InvalidArgumentError("The ETag does not match the MD5 of the data.");
    }
    meta.etag = etag;
    meta.xxh3 = xxh3_.Hex();
    meta.size = size_;
    const std::string trailer = MetaToJson(meta).dump();
    const uint64_t length = trailer.size();
    char footer[8];
    for (int i = 0; i < 8; ++i) footer[i] = static_cast<char>((length >> (8 * (7 - i))) & 0xff);
    std::string tail = trailer;
    tail.append(footer, 8);
    if (absl::Status s = WriteAll(fd_, tail.data(), tail.size()); !s.ok()) return s;
    if (::fdatasync(fd_) != 0) return Errno("cannot fsync", tmp_);
    ::close(fd_);
    fd_ = -1;
    MakeHashDir(dir_);
    const DirFiles before = Scan(dir_);
    if (Newest(before) >= meta.timestamp) {
      return absl::FailedPreconditionError("A newer version of the object exists.");
    }
    const std::string target = absl::StrCat(dir_, "/", meta.timestamp.ToString(), ".data");
    if (::rename(tmp_.c_str(), target.c_str()) != 0) return Errno("cannot rename", target);
    committed_ = true;
    RemoveOlder(dir_, before, meta.timestamp);
    on_commit_(meta);
    return SyncDir(dir_);
  }

 private:
  int fd_;
  std::string tmp_, dir_;
  OnCommit on_commit_;
  ContentHash md5_{ContentHash::Kind::kMd5};
  ContentHash xxh3_{ContentHash::Kind::kXxh3};
  int64_t size_ = 0;
  int64_t flushed_ = 0;  // bytes whose writeback has been started
  bool committed_ = false;
};

// A file name a replica may send: <timestamp>.data, .ts or .meta.
bool IsReplicaFile(const std::string& file) {
  const size_t dot = file.find_last_of('.');
  if (dot == std::string::npos) return false;
  const std::string ext = file.substr(dot + 1);
  std::optional<Timestamp> ts = Timestamp::Parse(file.substr(0, dot));
  return ts && !ts->empty() && ts->ToString() == file.substr(0, dot) &&
         (ext == "data" || ext == "ts" || ext == "meta");
}

// Whether `file` would be newer than what `dir` holds (a .meta: newer than the data and
// the last .meta, and the object not deleted).
bool Wanted(const std::string& dir, const std::string& file) {
  DirFiles f = Scan(dir);
  const Timestamp ts = TimestampOf(file);
  if (!absl::EndsWith(file, ".meta")) return ts > Newest(f);
  if (f.data.empty() || (!f.tombstone.empty() && f.tombstone > f.data)) return false;
  return ts > TimestampOf(f.data) && (f.meta.empty() || ts > TimestampOf(f.meta));
}

class FileCopy final : public FileReceiver {
 public:
  FileCopy(int fd, std::string tmp, std::string dir, std::string file, std::function<void()> done)
      : fd_(fd),
        tmp_(std::move(tmp)),
        dir_(std::move(dir)),
        file_(std::move(file)),
        done_(std::move(done)) {}
  ~FileCopy() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  absl::Status Append(const char* data, size_t size) override { return WriteAll(fd_, data, size); }
  absl::Status Commit() override {
    if (::fdatasync(fd_) != 0) return Errno("cannot fsync", tmp_);
    ::close(fd_);
    fd_ = -1;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (!Wanted(dir_, file_)) return absl::FailedPreconditionError("already there or older");
    const std::string target = dir_ + "/" + file_;
    if (::rename(tmp_.c_str(), target.c_str()) != 0) return Errno("cannot rename", target);
    committed_ = true;
    Cleanup(dir_);
    done_();
    return SyncDir(dir_);
  }

 private:
  int fd_;
  std::string tmp_, dir_, file_;
  std::function<void()> done_;
  bool committed_ = false;
};

}  // namespace

ObjectReader::~ObjectReader() { ::close(fd_); }

absl::StatusOr<size_t> ObjectReader::ReadAt(char* buf, size_t size, int64_t offset) const {
  if (offset >= meta_.size) return 0;
  size = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(size), meta_.size - offset));
  while (true) {
    ssize_t n = ::pread(fd_, buf, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read", meta_.name);
    return static_cast<size_t>(n);
  }
}

std::string ObjectFiles::HashDir(const ObjectLocation& where) const {
  return absl::StrCat(DeviceDir(where.device), "/objects/", where.partition, "/",
                      Md5Hex(where.name));
}

absl::StatusOr<std::unique_ptr<ObjectWriter>> ObjectFiles::Create(const ObjectLocation& where) {
  const std::string device = DeviceDir(where.device);
  struct stat st;
  if (::stat(device.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat("no device ", where.device));
  }
  const std::string tmp_dir = device + "/tmp";
  const std::string tmp = tmp_dir + "/" + TempName();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {  // the device's first write: no tmp directory yet
    ::mkdir(tmp_dir.c_str(), 0755);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0) return Errno("cannot create", tmp);
  const std::string hash_dir = Md5Hex(where.name);
  return std::make_unique<FileWriter>(fd, tmp, HashDir(where), [=](const ObjectMeta& meta) {
    Committed(where.device, where.partition, hash_dir, meta.delete_at);
  });
}

void ObjectFiles::Committed(const std::string& device, uint32_t part, const std::string& hash_dir,
                            int64_t delete_at) {
  hashes_.Invalidate(device, part, hash_dir);
  if (delete_at <= 0) return;
  const std::string dir = DeviceDir(device) + "/expiring";
  ::mkdir(dir.c_str(), 0755);
  const std::string entry = absl::StrFormat("%s/%010d-%d-%s", dir, delete_at, part, hash_dir);
  int fd = ::open(entry.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
}

absl::StatusOr<ObjectState> ObjectFiles::Open(const ObjectLocation& where) const {
  return OpenHashDir(HashDir(where));
}

absl::StatusOr<ObjectState> ObjectFiles::OpenHashDir(const std::string& dir) const {
  DirFiles f = Scan(dir);
  ObjectState state;
  state.timestamp = Newest(f);
  if (f.data.empty() || (!f.tombstone.empty() && f.tombstone > f.data)) {
    state.deleted = !f.tombstone.empty();
    return state;
  }
  const std::string path = dir + "/" + f.data;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  struct stat st;
  ::fstat(fd, &st);
  unsigned char footer[8];
  uint64_t length = 0;
  if (st.st_size < 8 || ::pread(fd, footer, 8, st.st_size - 8) != 8) {
    ::close(fd);
    return absl::DataLossError(absl::StrCat("truncated object file ", path));
  }
  for (int i = 0; i < 8; ++i) length = (length << 8) | footer[i];
  std::string trailer(length, '\0');
  if (length + 8 > static_cast<uint64_t>(st.st_size) ||
      ::pread(fd, trailer.data(), length, st.st_size - 8 - static_cast<off_t>(length)) !=
          static_cast<ssize_t>(length)) {
    ::close(fd);
    return absl::DataLossError(absl::StrCat("bad object trailer in ", path));
  }
  absl::StatusOr<ObjectMeta> meta = MetaFromJson(trailer);
  if (!meta.ok()) {
    ::close(fd);
    return meta.status();
  }
  if (!f.meta.empty() && TimestampOf(f.meta) > meta->timestamp) {
    std::ifstream in(dir + "/" + f.meta);
    json post = json::parse(in, nullptr, false);
    if (post.is_object()) {
      meta->headers = post.value("headers", std::map<std::string, std::string>());
      meta->delete_at = post.value("delete_at", int64_t{0});
      meta->meta_timestamp = TimestampOf(f.meta);
    }
  }
  state.reader = std::make_unique<ObjectReader>(fd, std::move(*meta));
  return state;
}

absl::Status ObjectFiles::Delete(const ObjectLocation& where, Timestamp ts) {
  const std::string dir = HashDir(where);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (Newest(Scan(dir)) >= ts) {
    return absl::FailedPreconditionError("A newer version of the object exists.");
  }
  const std::string path = absl::StrCat(dir, "/", ts.ToString(), ".ts");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", path);
  ::fdatasync(fd);
  ::close(fd);
  Cleanup(dir);
  hashes_.Invalidate(where.device, where.partition, Md5Hex(where.name));
  return SyncDir(dir);
}

absl::Status ObjectFiles::Post(const ObjectLocation& where, Timestamp ts,
                               const std::map<std::string, std::string>& headers,
                               int64_t delete_at) {
  const std::string dir = HashDir(where);
  DirFiles f = Scan(dir);
  if (f.data.empty() || (!f.tombstone.empty() && f.tombstone > f.data)) {
    return absl::NotFoundError("The object does not exist.");
  }
  if (TimestampOf(f.data) >= ts || (!f.meta.empty() && TimestampOf(f.meta) >= ts)) {
    return absl::FailedPreconditionError("A newer version of the object exists.");
  }
  const std::string body = json{{"headers", headers}, {"delete_at", delete_at}}.dump();
  const std::string tmp = absl::StrCat(DeviceDir(where.device), "/tmp/", TempName());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  absl::Status written = WriteAll(fd, body.data(), body.size());
  ::fdatasync(fd);
  ::close(fd);
  const std::string target = absl::StrCat(dir, "/", ts.ToString(), ".meta");
  if (!written.ok() || ::rename(tmp.c_str(), target.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return written.ok() ? Errno("cannot rename", target) : written;
  }
  Cleanup(dir);
  Committed(where.device, where.partition, Md5Hex(where.name), delete_at);
  return SyncDir(dir);
}

HashDirListing ObjectFiles::ListSuffix(const std::string& device, uint32_t part,
                                       const std::string& suffix) const {
  HashDirListing out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(PartitionDir(device, part), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 32 || SuffixOf(name) != suffix || !entry.is_directory(ec)) continue;
    std::vector<std::string> files = Scan(entry.path().string()).all;
    if (files.empty()) continue;
    std::sort(files.begin(), files.end());
    out[name] = std::move(files);
  }
  return out;
}

absl::StatusOr<std::unique_ptr<FileReceiver>> ObjectFiles::Receive(const std::string& device,
                                                                   uint32_t part,
                                                                   const std::string& hash_dir,
                                                                   const std::string& file) {
  if (!IsReplicaFile(file) || hash_dir.size() != 32 || !HexDecode(hash_dir)) {
    return absl::InvalidArgumentError("not a replica's file");
  }
  const std::string dev = DeviceDir(device);
  struct stat st;
  if (::stat(dev.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(absl::StrCat("no device ", device));
  }
  const std::string dir = absl::StrCat(PartitionDir(device, part), "/", hash_dir);
  if (!Wanted(dir, file)) return absl::FailedPreconditionError("already there or older");
  ::mkdir((dev + "/tmp").c_str(), 0755);
  const std::string tmp = dev + "/tmp/" + TempName();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp);
  return std::make_unique<FileCopy>(fd, tmp, dir, file, [this, device, part, hash_dir, dir] {
    absl::StatusOr<ObjectState> now = OpenHashDir(dir);
    Committed(device, part, hash_dir,
              now.ok() && now->reader ? now->reader->meta().delete_at : int64_t{0});
  });
}

absl::Status ObjectFiles::Quarantine(const std::string& device, uint32_t part,
                                     const std::string& hash_dir) {
  const std::string from = absl::StrCat(PartitionDir(device, part), "/", hash_dir);
  const std::string into = DeviceDir(device) + "/quarantined/objects";
  std::error_code ec;
  fs::create_directories(into, ec);
  std::string to = into + "/" + hash_dir;
  if (fs::exists(to, ec)) to = absl::StrCat(to, "-", TempName());
  if (::rename(from.c_str(), to.c_str()) != 0) return Errno("cannot quarantine", from);
  hashes_.Invalidate(device, part, hash_dir);
  return absl::OkStatus();
}

std::vector<ExpiringEntry> ObjectFiles::Expiring(const std::string& device) const {
  std::vector<ExpiringEntry> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(DeviceDir(device) + "/expiring", ec)) {
    const std::string name = entry.path().filename().string();
    std::vector<std::string> parts = absl::StrSplit(name, '-');
    ExpiringEntry e;
    e.file = name;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &e.delete_at) ||
        !absl::SimpleAtoi(parts[1], &e.partition) || parts[2].size() != 32) {
      continue;
    }
    e.hash_dir = parts[2];
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(),
            [](const ExpiringEntry& a, const ExpiringEntry& b) { return a.file < b.file; });
  return out;
}

void ObjectFiles::RemoveExpiring(const std::string& device, const ExpiringEntry& entry) {
  ::unlink((DeviceDir(device) + "/expiring/" + entry.file).c_str());
}

absl::Status CheckObject(const ObjectReader& reader, int64_t* bytes_read) {
  const ObjectMeta& meta = reader.meta();
  ContentCheck check(meta);
  std::vector<char> buf(1 << 20);
  int64_t offset = 0;
  absl::Status status;
  while (offset < meta.size) {
    absl::StatusOr<size_t> n = reader.ReadAt(buf.data(), buf.size(), offset);
    if (!n.ok() || *n == 0) {
      status = absl::DataLossError(absl::StrCat("short object file of ", meta.name));
      break;
    }
    check.Update(buf.data(), *n);
    offset += static_cast<int64_t>(*n);
  }
  if (bytes_read != nullptr) *bytes_read = offset;
  if (!status.ok()) return status;
  if (!check.Matches()) {
    return absl::DataLossError(
        absl::StrCat("the bytes of ", meta.name, " do not match their ETag"));
  }
  return absl::OkStatus();
}

}  // namespace gureum::object
