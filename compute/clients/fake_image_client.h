// ImageClient in memory for tests, with fault injection. Images are visible to every token.
// Thread-safe. (Test-only target compute_clients_fake.)
#pragma once

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "compute/clients/image_client.h"

namespace gureum::compute {

class FakeImageClient final : public ImageClient {
 public:
  // An image described by `image`, with no data.
  void Add(ImageInfo image);
  // An active image holding `data`, with the right size and md5.
  void Add(const std::string& id, const std::string& data, const std::string& disk_format = "raw",
           std::map<std::string, std::string> properties = {});
  // The description of an image added before, to change it (not while calls run).
  ImageInfo& info(const std::string& id);
  // The next download stops with `status` after `after_bytes` bytes.
  void BreakNextDownload(int64_t after_bytes, absl::Status status);
  // The next GetImage returns `status`.
  void FailNextGet(absl::Status status);
  // The next CreateImage or Upload returns `status` (Upload: after reading nothing).
  void FailNextCreate(absl::Status status);
  void FailNextUpload(absl::Status status);
  // What CreateImage got for `id` and the token it came with ({} for another id).
  std::pair<NewImage, std::string> created(const std::string& id);
  // The data stored for `id` (uploaded or added), "" for none.
  std::string data(const std::string& id);

  // NotFound "Image <id> could not be found." for an image not added.
  absl::StatusOr<ImageInfo> GetImage(const std::string& token, const std::string& id) override;
  // The data in chunks of 1000 bytes.
  absl::Status Download(const std::string& id,
                        const std::function<absl::Status(const std::string&)>& sink) override;
  // Every image, newest first (by created_at, then id), with the query's name and status.
  absl::StatusOr<std::vector<ImageInfo>> ListImages(const std::string& token,
                                                    const ImageListQuery& query) override;
  // NotFound for an unknown image; PermissionDenied for one whose properties hold
  // "read_only" = "true" (an image the caller may not change).
  absl::StatusOr<ImageInfo> UpdateProperties(const std::string& token, const std::string& id,
                                             const std::map<std::string, std::string>& set,
                                             const std::vector<std::string>& remove) override;
  // Ids snapshot-1, snapshot-2, ...; status queued; the image is then GetImage's too.
  absl::StatusOr<ImageInfo> CreateImage(const std::string& token, const NewImage& image) override;
  // NotFound for an unknown image.
  absl::Status DeleteImage(const std::string& token, const std::string& id) override;
  // NotFound for an unknown image, FailedPrecondition for one not queued; reads `next` to
  // its end, then active with its size and md5; an error from `next` leaves it killed.
  absl::StatusOr<ImageInfo> Upload(const std::string& id, const ChunkReader& next) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, std::pair<ImageInfo, std::string>> images_ ABSL_GUARDED_BY(mu_);
  int64_t break_after_ ABSL_GUARDED_BY(mu_) = -1;
  absl::Status break_status_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> get_failures_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> create_failures_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> upload_failures_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::pair<NewImage, std::string>> created_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
};

// The md5 of `data` in lower-case hex, as gureum-image reports an image's checksum.
std::string Md5Hex(const std::string& data);

}  // namespace gureum::compute
