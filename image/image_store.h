// Persistence of image records and members (database gureum_image), with a PostgreSQL
// implementation (pg_image_store.h) and an in-memory fake (fake_image_store.h) held to
// the same contract by tests/store_contract_test.cc. The image *data* lives elsewhere
// (data_store.h); records only name its location.
//
// Contract, for every implementation:
// - CreateImage inserts the record as given (the caller chose the id). A duplicate id is
//   AlreadyExists. With `max_images` >= 0 the owner's image count is checked in the same
//   transaction: at the limit it is ResourceExhausted and nothing is written.
// - Get/Update/Delete of an unknown id is NotFound "No image found with ID <id>.".
// - SetStatus changes the status only if the current one is in `from`; otherwise
//   FailedPrecondition naming the current status (so two uploads cannot both start).
// - CompleteUpload moves a `saving` image to `active` with its size, hashes and location;
//   with `max_bytes` >= 0 the owner's stored bytes (this image included) are checked in
//   the same transaction: over the limit it is ResourceExhausted and nothing changes.
// - ListImages applies ImageQuery (visibility rules, filters, marker/limit), sorted by
//   created_at then id, newest first as Glance does.
// Thread-safe. The PostgreSQL implementation blocks on the network.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "image/model.h"

namespace gureum::image {

class ImageStore {
 public:
  virtual ~ImageStore() = default;

  virtual absl::Status CreateImage(const Image& image, int64_t max_images) = 0;
  virtual absl::StatusOr<Image> GetImage(const std::string& id) = 0;
  virtual absl::StatusOr<std::vector<Image>> ListImages(const ImageQuery& query) = 0;
  // Replaces the mutable fields (name, owner, formats, min_*, visibility, protected, hidden,
  // tags, properties, updated_at); status and data fields are left alone.
  virtual absl::Status UpdateImage(const Image& image) = 0;
  virtual absl::Status SetStatus(const std::string& id, const std::vector<std::string>& from,
                                 const std::string& to, absl::Time now) = 0;
  // `image` carries id, size, virtual_size, checksum, os_hash_*, location, updated_at.
  virtual absl::Status CompleteUpload(const Image& image, int64_t max_bytes) = 0;
  // Removes the record and its members; returns it (its location must then be freed).
  virtual absl::StatusOr<Image> DeleteImage(const std::string& id) = 0;

  virtual absl::Status AddMember(const Member& member) = 0;  // duplicate -> AlreadyExists
  virtual absl::StatusOr<Member> GetMember(const std::string& image_id,
                                           const std::string& member_id) = 0;
  virtual absl::Status UpdateMember(const Member& member) = 0;
  virtual absl::Status DeleteMember(const std::string& image_id, const std::string& member_id) = 0;
  virtual absl::StatusOr<std::vector<Member>> ListMembers(const std::string& image_id) = 0;

  virtual absl::StatusOr<Usage> GetUsage(const std::string& project_id) = 0;

  // Marks every `saving` image `killed` and returns how many: at start-up, uploads that
  // the previous process was running cannot finish (their partial files are removed).
  // Valid only while one gureum-image process serves the database.
  virtual absl::StatusOr<int64_t> KillInterruptedUploads(absl::Time now) = 0;
};

}  // namespace gureum::image
