// ObjectStorageClient in memory, for tests: objects by container and name, a manifest
// reading as its segments (as the proxy serves a static large object), ranges as the proxy
// answers them. FailNext makes the next call fail. Counts what callers did.
#pragma once

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "image/object_storage_client.h"

namespace gureum::image {

class FakeObjectStorageClient final : public ObjectStorageClient {
 public:
  absl::Status EnsureContainer(const std::string& container) override;
  absl::StatusOr<std::string> PutObject(const std::string& container, const std::string& name,
                                        const std::string& data) override;
  absl::Status PutManifest(const std::string& container, const std::string& name,
                           const std::vector<ObjectSegment>& segments) override;
  absl::StatusOr<ObjectPiece> GetRange(const std::string& container, const std::string& name,
                                       long long offset, long long length) override;
  absl::Status DeleteObject(const std::string& container, const std::string& name) override;
  absl::StatusOr<std::vector<std::string>> ListObjects(const std::string& container,
                                                       const std::string& prefix) override;

  void FailNext(absl::Status status);
  // The largest body one PutObject carried, and the largest range asked.
  size_t largest_put() const;
  long long largest_range() const;

 private:
  struct Object {
    std::string data;
    std::vector<ObjectSegment> manifest;  // non-empty: a static large object
  };
  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string Contents(const Object& o) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, std::map<std::string, Object>> containers_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_next_ ABSL_GUARDED_BY(mu_);
  size_t largest_put_ ABSL_GUARDED_BY(mu_) = 0;
  long long largest_range_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gureum::image
