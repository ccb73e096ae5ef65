// How compute-api learns about an image: gureum-image's gRPC GetImage with the user's
// own token, so a user can only boot what they may see. GrpcImageLookup is the real one
// (grpc_image_lookup.cc); FakeImageLookup serves tests.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "compute/api/model.h"

namespace gureum::compute {

class ImageLookup {
 public:
  virtual ~ImageLookup() = default;
  // NotFound ("Image <id> could not be found.") when the caller cannot see it.
  virtual absl::StatusOr<ImageInfo> GetImage(const std::string& token, const std::string& id) = 0;
};

// Images held in memory; visible to every token. Thread-safe.
class FakeImageLookup final : public ImageLookup {
 public:
  void Add(ImageInfo image) {
    absl::MutexLock lock(&mu_);
    images_[image.id] = std::move(image);
  }
  absl::StatusOr<ImageInfo> GetImage(const std::string&, const std::string& id) override {
    absl::MutexLock lock(&mu_);
    auto it = images_.find(id);
    if (it == images_.end()) return absl::NotFoundError("Image " + id + " could not be found.");
    return it->second;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, ImageInfo> images_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::compute
