// DataStore in object storage (Glance's swift store; `[image] store = object`): image <id>
// is the object <id> in the service account's container (default "glance"). An image larger
// than one segment is written as segments <id>-00001, <id>-00002, ... and a static large
// object <id> listing them (a swift client downloads it whole). Uploads and downloads
// stream: a writer keeps at most one segment in memory, a reader one range of
// `read_bytes`; nothing is staged on disk.
//
// Locations: object://<container>/<id> for a single object,
// object://<container>/<id>?segments=<n> for segments and manifest (so that a download
// reads the segments in ranges, and a delete removes each of them).
#pragma once

#include <memory>
#include <string>

#include "image/data_store.h"
#include "image/object_storage_client.h"

namespace gureum::image {

struct ObjectDataStoreOptions {
  std::string container = "glance";
  size_t segment_bytes = 32u << 20;  // images larger than this are written as segments
  size_t read_bytes = 4u << 20;      // one ranged GET of a download
};

class ObjectDataStore final : public DataStore {
 public:
  // `client` must outlive the store.
  ObjectDataStore(ObjectStorageClient& client, ObjectDataStoreOptions options)
      : client_(client), options_(std::move(options)) {}

  absl::StatusOr<std::unique_ptr<DataWriter>> NewWriter(const std::string& image_id) override;
  absl::StatusOr<std::unique_ptr<DataReader>> NewReader(const std::string& location) override;
  absl::Status Delete(const std::string& location) override;

 private:
  ObjectStorageClient& client_;
  const ObjectDataStoreOptions options_;
};

}  // namespace gureum::image
