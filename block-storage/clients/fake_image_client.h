// ImageClient in memory for tests, with fault injection. Thread-safe. (Test-only target
// block_storage_image_client_fake.)
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "block-storage/clients/image_client.h"

namespace gureum::block_storage {

class FakeImageClient final : public ImageClient {
 public:
  struct Record {
    compute::ImageInfo info;  // status queued, saving, active or killed
    NewImage created;         // as CreateImage got it
    std::string token;        // the token it was created with
    std::string data;         // the bytes uploaded (so far)
  };

  // The next CreateImage (or Upload) returns `status` (Upload: after reading nothing).
  void FailNextCreate(absl::Status status);
  void FailNextUpload(absl::Status status);
  // An image made by CreateImage (an empty record for another id).
  Record image(const std::string& id);
  int images();

  // The images made here (NotFound for others); downloads are not block storage's.
  absl::StatusOr<compute::ImageInfo> GetImage(const std::string& token,
                                              const std::string& id) override;
  // The images made here, by name and status when asked (token and order ignored).
  absl::StatusOr<std::vector<compute::ImageInfo>> ListImages(
      const std::string& token, const compute::ImageListQuery& query) override;
  // Sets and removes properties of an image made here; NotFound for others.
  absl::StatusOr<compute::ImageInfo> UpdateProperties(
      const std::string& token, const std::string& id,
      const std::map<std::string, std::string>& set,
      const std::vector<std::string>& remove) override;
  absl::Status Download(const std::string& id,
                        const std::function<absl::Status(const std::string&)>& sink) override;
  // Ids 00000000-0000-4000-8000-000000000001, ...2, ...; status queued.
  absl::StatusOr<compute::ImageInfo> CreateImage(const std::string& token,
                                                 const NewImage& image) override;
  // Removes the record; NotFound for an image not created here.
  absl::Status DeleteImage(const std::string& token, const std::string& id) override;
  // NotFound for an image not created here, FailedPrecondition for one not queued; reads
  // `next` to its end (the image is `saving` meanwhile), then active with its size and
  // md5; an error from `next` leaves it killed.
  absl::StatusOr<compute::ImageInfo> Upload(const std::string& id,
                                            const ChunkReader& next) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, Record> images_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> create_failures_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> upload_failures_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::block_storage
