// DataStore on a local directory (Glance's filesystem store): image <id> is the file
// <dir>/<id>, written as <dir>/<id>.<random>.partial and renamed on Commit (after
// fdatasync), so a crash or a cut upload never leaves a half image under its real name.
// Partial files left by a crash are removed by RemoveStalePartials() at start-up.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "image/data_store.h"

namespace gureum::image {

class FilesystemStore final : public DataStore {
 public:
  // Creates `dir` (0750) if needed; fails if it cannot be written.
  static absl::StatusOr<std::unique_ptr<FilesystemStore>> Create(const std::string& dir);

  absl::StatusOr<std::unique_ptr<DataWriter>> NewWriter(const std::string& image_id) override;
  absl::StatusOr<std::unique_ptr<DataReader>> NewReader(const std::string& location) override;
  absl::Status Delete(const std::string& location) override;

  // Deletes every *.partial file in the directory (call before serving).
  absl::Status RemoveStalePartials();
  const std::string& dir() const { return dir_; }

 private:
  explicit FilesystemStore(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<std::string> PathOf(const std::string& location) const;
  std::string dir_;
};

}  // namespace gureum::image
