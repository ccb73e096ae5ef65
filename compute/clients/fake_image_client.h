// ImageClient in memory for tests, with fault injection. Images are visible to every token.
// Thread-safe. (Test-only target compute_clients_fake.)
#pragma once

#include <deque>
#include <map>
#include <string>
#include <utility>

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

  // NotFound "Image <id> could not be found." for an image not added.
  absl::StatusOr<ImageInfo> GetImage(const std::string& token, const std::string& id) override;
  // The data in chunks of 1000 bytes.
  absl::Status Download(const std::string& id,
                        const std::function<absl::Status(const std::string&)>& sink) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, std::pair<ImageInfo, std::string>> images_ ABSL_GUARDED_BY(mu_);
  int64_t break_after_ ABSL_GUARDED_BY(mu_) = -1;
  absl::Status break_status_ ABSL_GUARDED_BY(mu_);
  std::deque<absl::Status> get_failures_ ABSL_GUARDED_BY(mu_);
};

// The md5 of `data` in lower-case hex, as gureum-image reports an image's checksum.
std::string Md5Hex(const std::string& data);

}  // namespace gureum::compute
