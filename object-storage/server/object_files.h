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

#include "absl/status/statusor.h"
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

// What is there for a name: the newest data (reader set) or a tombstone (deleted, its
// timestamp), or nothing (timestamp empty).
struct ObjectState {
  std::unique_ptr<ObjectReader> reader;
  bool deleted = false;
  Timestamp timestamp;
};

class ObjectFiles {
 public:
  explicit ObjectFiles(std::string root) : root_(std::move(root)) {}

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

 private:
  std::string root_;
};

}  // namespace gureum::object
