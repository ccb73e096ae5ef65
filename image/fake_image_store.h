// In-memory ImageStore for unit tests, held to the PostgreSQL store's contract by
// tests/store_contract_test.cc. FailNext(status) makes the next call fail with it.
#pragma once

#include <map>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "image/image_store.h"

namespace gureum::image {

class FakeImageStore final : public ImageStore {
 public:
  void FailNext(absl::Status status);

  absl::Status CreateImage(const Image& image, int64_t max_images) override;
  absl::StatusOr<Image> GetImage(const std::string& id) override;
  absl::StatusOr<std::vector<Image>> ListImages(const ImageQuery& query) override;
  absl::Status UpdateImage(const Image& image) override;
  absl::Status SetStatus(const std::string& id, const std::vector<std::string>& from,
                         const std::string& to, absl::Time now) override;
  absl::Status CompleteUpload(const Image& image, int64_t max_bytes) override;
  absl::StatusOr<Image> DeleteImage(const std::string& id) override;
  absl::Status AddMember(const Member& member) override;
  absl::StatusOr<Member> GetMember(const std::string& image_id,
                                   const std::string& member_id) override;
  absl::Status UpdateMember(const Member& member) override;
  absl::Status DeleteMember(const std::string& image_id, const std::string& member_id) override;
  absl::StatusOr<std::vector<Member>> ListMembers(const std::string& image_id) override;
  absl::StatusOr<Usage> GetUsage(const std::string& project_id) override;
  absl::StatusOr<int64_t> KillInterruptedUploads(absl::Time now) override;

 private:
  absl::Status TakeFailure() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Usage UsageLocked(const std::string& project_id, const std::string& except = "")
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  absl::Status fail_next_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Image> images_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Member> members_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gureum::image
