// Objects on the server's devices, as Swift keeps them: each name has a directory
// <root>/<device>/objects/<partition>/<md5 of the name>/ holding its newest version,
// <timestamp>.data (the bytes, then the metadata as JSON, then the JSON's length in 8
// bytes), a tombstone <timestamp>.ts after a DELETE, and <timestamp>.meta after a POST.
//
// A write goes to <root>/<device>/tmp, is fsync'd and renamed into place: a reader sees
// the old version or the new one, never half of one. Later timestamps win: a write older
// than what is there is refused (FailedPrecondition, Swift's 409), and older files are
// removed once a newer one is in place. Thread-safe (the filesystem orders the renames).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "object-storage/server/partition_hashes.h"
#include "object-storage/server/timestamp.h"

namespace gureum::object {

// Where one name lives.
struct ObjectLocation {
  std::string device;
  uint32_t partition = 0;
  std::string name;  // "/account/container/object"
};

struct ObjectMeta {
  std::string name;
  Timestamp timestamp;  // of the data
  std::string content_type;
  std::string etag;  // MD5 of the bytes, lowercase hex
  // XXH3-64 of the bytes, 16 hex digits, what reads check them against (content_check.h);
  // empty for an object written before it was kept (then the ETag is checked).
  std::string xxh3;
  int64_t size = 0;
  int64_t delete_at = 0;  // seconds since the epoch; 0: never
  // X-Object-Meta-* and the other headers kept with an object (Content-Disposition, ...),
  // as the client spelled them. Replaced as a whole by a POST.
  std::map<std::string, std::string> headers;
  Timestamp meta_timestamp;  // of the last POST, or the data's
};

// An open version: its metadata and a descriptor for reading the bytes.
class ObjectReader {
 public:
  ObjectReader(int fd, ObjectMeta meta) : fd_(fd), meta_(std::move(meta)) {}
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;
  const ObjectMeta& meta() const { return meta_; }
  // Reads up to `size` bytes at `offset` of the object's data; 0 at the end.
  absl::StatusOr<size_t> ReadAt(char* buf, size_t size, int64_t offset) const;

 private:
  int fd_;
  ObjectMeta meta_;
};

// A write in progress; nothing is visible until Commit. Dropped without Commit, the
// temporary file is removed.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual absl::Status Append(const char* data, size_t size) = 0;
  // Fills meta's etag (InvalidArgument, Swift's 422, when `meta.etag` was given and
  // differs) and size, fsyncs and renames into place.
  virtual absl::Status Commit(ObjectMeta& meta) = 0;
};

// A replica's file arriving from another server's replicator: nothing is visible until
// Commit (temporary file, fdatasync, rename); dropped without Commit, it is removed.
class FileReceiver {
 public:
  virtual ~FileReceiver() = default;
  virtual absl::Status Append(const char* data, size_t size) = 0;
  // FailedPrecondition when the hash directory meanwhile has the file or a newer one.
  virtual absl::Status Commit() = 0;
};

// hash directory -> its file names, sorted.
using HashDirListing = std::map<std::string, std::vector<std::string>>;

// One entry of a device's expiring-objects index (<device>/expiring/<delete_at>-<part>-<hash>).
struct ExpiringEntry {
  int64_t delete_at = 0;
  uint32_t partition = 0;
  std::string hash_dir;
  std::string file;  // the entry's own name
};

// What is there for a name: the newest data (reader set) or a tombstone (deleted, its
// timestamp), or nothing (timestamp empty).
struct ObjectState {
  std::unique_ptr<ObjectReader> reader;
  bool deleted = false;
  Timestamp timestamp;
};

class ObjectFiles {
 public:
  explicit ObjectFiles(std::string root) : root_(root), hashes_(std::move(root)) {}

  // NotFound when the device directory does not exist (not mounted).
  absl::StatusOr<std::unique_ptr<ObjectWriter>> Create(const ObjectLocation& where);
  absl::StatusOr<ObjectState> Open(const ObjectLocation& where) const;
  // A tombstone at `ts`. FailedPrecondition when a version at or after `ts` exists.
  absl::Status Delete(const ObjectLocation& where, Timestamp ts);
  // New headers and expiry for the existing data at `ts`. NotFound when there is no data.
  absl::Status Post(const ObjectLocation& where, Timestamp ts,
                    const std::map<std::string, std::string>& headers, int64_t delete_at);

  const std::string& root() const { return root_; }
  std::string DeviceDir(const std::string& device) const { return root_ + "/" + device; }
  std::string HashDir(const ObjectLocation& where) const;
  std::string PartitionDir(const std::string& device, uint32_t part) const {
    return hashes_.PartitionDir(device, part);
  }

  // ---- for the replicator, the auditor and the expirer ----

  // Every write invalidates its suffix here.
  PartitionHashes& hashes() { return hashes_; }
  // What a hash directory (a path) holds, as Open.
  absl::StatusOr<ObjectState> OpenHashDir(const std::string& dir) const;
  // The hash directories of `suffix` in a partition, with their files.
  HashDirListing ListSuffix(const std::string& device, uint32_t part,
                            const std::string& suffix) const;
  // A file (<timestamp>.data|.ts|.meta) sent by another replica. InvalidArgument for
  // other names; FailedPrecondition when the directory has it or something newer.
  absl::StatusOr<std::unique_ptr<FileReceiver>> Receive(const std::string& device, uint32_t part,
                                                        const std::string& hash_dir,
                                                        const std::string& file);
  // Moves a hash directory to <device>/quarantined/objects/<hash dir>, out of every read,
  // and invalidates its suffix, so that the replicator brings a good copy back.
  absl::Status Quarantine(const std::string& device, uint32_t part, const std::string& hash_dir);
  // The device's expiring-objects index, oldest first; entries are added when data or a
  // POST with X-Delete-At is committed.
  std::vector<ExpiringEntry> Expiring(const std::string& device) const;
  void RemoveExpiring(const std::string& device, const ExpiringEntry& entry);

 private:
  void Committed(const std::string& device, uint32_t part, const std::string& hash_dir,
                 int64_t delete_at);

  std::string root_;
  PartitionHashes hashes_;
};

// Reads an object's bytes whole and checks that their MD5 is its ETag: DataLoss when not.
// `bytes_read` (may be null) gets the bytes read, for the auditor's rate.
absl::Status CheckObject(const ObjectReader& reader, int64_t* bytes_read);

}  // namespace gureum::object
