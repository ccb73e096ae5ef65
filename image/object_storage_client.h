// The image service's view of object storage (the Swift API of gureum-object-proxy): the
// few calls the object store (object_data_store.h) makes in its service account.
// HttpObjectStorageClient speaks to the proxy; FakeObjectStorageClient keeps objects in
// memory for tests. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gureum::image {

// One segment of a static large object's manifest.
struct ObjectSegment {
  std::string container;
  std::string name;
  std::string etag;  // MD5 hex of its bytes
  long long bytes = 0;
};

// A piece of an object's bytes and the object's whole length.
struct ObjectPiece {
  std::string data;
  long long total_bytes = 0;
};

class ObjectStorageClient {
 public:
  virtual ~ObjectStorageClient() = default;
  // Creates the container if missing.
  virtual absl::Status EnsureContainer(const std::string& container) = 0;
  // Stores `data` as one object; returns its ETag (MD5 hex).
  virtual absl::StatusOr<std::string> PutObject(const std::string& container,
                                                const std::string& name,
                                                const std::string& data) = 0;
  // Stores a static large object made of `segments`, in order.
  virtual absl::Status PutManifest(const std::string& container, const std::string& name,
                                   const std::vector<ObjectSegment>& segments) = 0;
  // Up to `length` bytes from `offset` (a large object reads as its segments); an empty
  // piece at or past the end. NotFound when the object is absent.
  virtual absl::StatusOr<ObjectPiece> GetRange(const std::string& container,
                                               const std::string& name, long long offset,
                                               long long length) = 0;
  // Deletes one object; an absent one is OK.
  virtual absl::Status DeleteObject(const std::string& container, const std::string& name) = 0;
  // Names of the container's objects that start with `prefix`, in order.
  virtual absl::StatusOr<std::vector<std::string>> ListObjects(const std::string& container,
                                                               const std::string& prefix) = 0;
};

}  // namespace gureum::image
