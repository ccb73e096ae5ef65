// Where image bytes live (Glance's "store"): a local filesystem store now
// (filesystem_store.h), object storage later. Data is written through a DataWriter that
// stores nothing until Commit: an abandoned or failed write leaves no bytes behind.
//
// Locations are opaque strings the store hands out at Commit ("file:///var/lib/...")
// and the image record keeps; only the store that made one interprets it.
// Thread-safe: any number of writers and readers at once, each used by one thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gureum::image {

class DataWriter {
 public:
  // Destroying a writer that was not committed discards what was written.
  virtual ~DataWriter() = default;
  virtual absl::Status Write(const char* data, size_t size) = 0;
  // Makes the data durable and visible; returns its location.
  virtual absl::StatusOr<std::string> Commit() = 0;
};

class DataReader {
 public:
  virtual ~DataReader() = default;
  // Reads up to `cap` bytes; 0 at the end.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t cap) = 0;
};

class DataStore {
 public:
  virtual ~DataStore() = default;
  // Starts writing the data of image `image_id`.
  virtual absl::StatusOr<std::unique_ptr<DataWriter>> NewWriter(const std::string& image_id) = 0;
  virtual absl::StatusOr<std::unique_ptr<DataReader>> NewReader(const std::string& location) = 0;
  // Frees the data at `location`; an absent one is OK (deletes are retried).
  virtual absl::Status Delete(const std::string& location) = 0;
};

}  // namespace gureum::image
