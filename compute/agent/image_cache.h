// The host's cache of base images: each image is fetched from the image service once
// (downloaded to a temporary file, its size and md5 (and sha512 when known) checked
// against the image record, then renamed into place), so a half-written file is never
// used: a crash or a broken download leaves only a `.part` file that the next fetch
// ignores and cleanup removes. Instances get a qcow2 overlay over the base
// (instance_disks.h). Cleanup removes bases no instance uses that were last used long
// ago. Thread-safe; concurrent fetches of one image share one download.
#pragma once

#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "compute/clients/image_client.h"

namespace gureum::compute_agent {

struct CachedImage {
  std::string path;
  std::string disk_format;  // as the image service says: raw, qcow2, aki, ari, ami, ...
  long long size = 0;
};

class ImageCache {
 public:
  // `dir` is created when missing. `image_client` (gureum-image, called as the
  // agent's service user) and `clock` must outlive the cache.
  ImageCache(std::string dir, compute::ImageClient& image_client, const Clock& clock);

  // The cached base of `image_id`, fetching it first if needed. InvalidArgument for an id
  // that is not a plain name; FailedPrecondition for an image that is not active;
  // DataLoss when the download does not match the record (nothing is kept).
  absl::StatusOr<CachedImage> Fetch(const std::string& image_id);

  // Removes bases not in `in_use` whose last use is older than `max_unused`, and stale
  // partial downloads. Returns the image ids removed.
  std::set<std::string> Cleanup(const std::set<std::string>& in_use, absl::Duration max_unused);

  const std::string& dir() const { return dir_; }
  // The path a base of `image_id` has (whether cached or not).
  std::string PathOf(const std::string& image_id) const { return dir_ + "/" + image_id; }

  // How many downloads ran (for tests and the benchmark's "warm cache" check).
  int downloads() const;

 private:
  absl::StatusOr<CachedImage> Download(const std::string& image_id, const compute::ImageInfo& info);
  absl::Mutex* LockFor(const std::string& image_id);

  const std::string dir_;
  compute::ImageClient& image_client_;
  const Clock& clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<absl::Mutex>> locks_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> downloading_ ABSL_GUARDED_BY(mu_);
  int downloads_ ABSL_GUARDED_BY(mu_) = 0;
  // Disk formats of the bases this process verified, for a fetch while the image
  // service is unavailable.
  absl::flat_hash_map<std::string, std::string> formats_ ABSL_GUARDED_BY(mu_);
};

// True for names safe as a file name in the cache and instance folders (uuids, ids of
// letters, digits, '-', '_', '.', not starting with '.').
bool IsSafeName(const std::string& name);

}  // namespace gureum::compute_agent
