// The logic of gureum-image, shared by the gRPC API (image_service.h) and the Glance v2
// REST API (image_rest.h): who sees which image, what may change, the status machine,
// streaming uploads (hashed, inspected and quota-checked on the fly, written through a
// DataStore so a failed upload stores nothing) and downloads, members and tags.
//
// Visibility: a caller sees images its project owns, public ones, community ones, and
// shared ones its project is a member of; `admin` sees everything and `service`
// (compute agents) gets and downloads any image. An image a caller may not see is
// NotFound, so other projects' private images do not reveal their existence. Errors are
// Glance's: 400 InvalidArgument, 403 PermissionDenied (policy, protected, read-only
// attribute), 404 NotFound, 409 FailedPrecondition/AlreadyExists (status conflicts),
// 413 ResourceExhausted (quotas, size limit).
//
// Thread-safe; blocking (SQL and file I/O): never call on a gRPC callback thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "absl/status/statusor.h"
#include "common/base/caller.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/policy/enforcer.h"
#include "image/data_store.h"
#include "image/format_inspector.h"
#include "image/image_store.h"
#include "image/model.h"

namespace gureum::image {

struct ImageManagerOptions {
  int64_t image_count_quota = -1;          // images per project; -1 unlimited
  int64_t image_size_total_quota = -1;     // bytes per project; -1 unlimited
  int64_t image_size_cap = 1099511627776;  // largest image, bytes (Glance's 1 TiB)
};

// The fields of a create request; unset optionals take Glance's defaults.
struct ImageCreate {
  std::string id;     // "" = generated
  std::string owner;  // "" = the caller's project; another project needs image_admin
  std::string name;
  std::string disk_format;
  std::string container_format;
  int min_disk = 0;
  int min_ram = 0;
  std::string visibility;  // "" = shared
  bool is_protected = false;
  bool os_hidden = false;
  std::vector<std::string> tags;
  std::map<std::string, std::string> properties;
};

// A partial update: set what is present. `remove_properties` deletes free properties.
struct ImageUpdate {
  std::optional<std::string> name, disk_format, container_format, visibility;
  std::optional<std::string> owner;  // admins only (Glance: openstack image set --project)
  std::optional<int> min_disk, min_ram;
  std::optional<bool> is_protected, os_hidden;
  std::optional<std::vector<std::string>> tags;
  std::map<std::string, std::string> set_properties;
  std::vector<std::string> remove_properties;
};

class ImageManager;

// One running upload. Write pieces in order, then Finish. Destroying an unfinished
// upload (the client went away) leaves the image `killed` and its bytes deleted.
class Upload {
 public:
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;

  // Hashes, inspects and stores one piece. On an error the upload is over: the image is
  // back to `queued` for bad data or quota (InvalidArgument, ResourceExhausted), `killed`
  // for a failure of the store; nothing is stored either way.
  absl::Status Write(const char* data, size_t size);
  // Checks the whole upload and makes the image `active`.
  absl::StatusOr<Image> Finish();
  // Ends the upload without storing: `killed`. For cut streams.
  void Abort(const absl::Status& why);
  int64_t bytes() const { return bytes_; }

 private:
  friend class ImageManager;
  Upload(ImageManager& manager, Image image, Usage usage, std::unique_ptr<DataWriter> writer);
  absl::Status Fail(absl::Status why);

  ImageManager& manager_;
  Image image_;
  Usage usage_;
  std::unique_ptr<DataWriter> writer_;
  FormatInspector inspector_;
  EVP_MD_CTX* md5_;
  EVP_MD_CTX* sha512_;
  int64_t bytes_ = 0;
  bool done_ = false;
};

// A download: the record (size, hashes) and a reader, or no reader when the image has
// no data yet (Glance answers 204 then).
struct Download {
  Image image;
  std::unique_ptr<DataReader> reader;
};

class ImageManager {
 public:
  // Collaborators are not owned and must outlive the manager.
  ImageManager(ImageStore& store, DataStore& data, const policy::Enforcer& enforcer,
               const Clock& clock, IdGenerator& ids, ImageManagerOptions options);

  absl::StatusOr<Image> CreateImage(const Caller& caller, const ImageCreate& request);
  absl::StatusOr<Image> GetImage(const Caller& caller, const std::string& id);
  // `query.project_id` and `all_projects` are filled from the caller.
  absl::StatusOr<std::vector<Image>> ListImages(const Caller& caller, ImageQuery query);
  absl::StatusOr<Image> UpdateImage(const Caller& caller, const std::string& id,
                                    const ImageUpdate& update);
  absl::Status DeleteImage(const Caller& caller, const std::string& id);
  absl::StatusOr<Image> SetDeactivated(const Caller& caller, const std::string& id,
                                       bool deactivated);

  absl::StatusOr<std::unique_ptr<Upload>> BeginUpload(const Caller& caller, const std::string& id);
  absl::StatusOr<Download> OpenDownload(const Caller& caller, const std::string& id);

  absl::Status AddTag(const Caller& caller, const std::string& id, const std::string& tag);
  absl::Status RemoveTag(const Caller& caller, const std::string& id, const std::string& tag);

  absl::StatusOr<Member> AddMember(const Caller& caller, const std::string& image_id,
                                   const std::string& member_id);
  absl::StatusOr<Member> UpdateMember(const Caller& caller, const std::string& image_id,
                                      const std::string& member_id, const std::string& status);
  absl::Status RemoveMember(const Caller& caller, const std::string& image_id,
                            const std::string& member_id);
  absl::StatusOr<Member> GetMember(const Caller& caller, const std::string& image_id,
                                   const std::string& member_id);
  absl::StatusOr<std::vector<Member>> ListMembers(const Caller& caller,
                                                  const std::string& image_id);

  absl::StatusOr<Usage> GetUsage(const Caller& caller);
  const ImageManagerOptions& options() const { return options_; }

 private:
  friend class Upload;
  // The image if `caller` may see it, else NotFound.
  absl::StatusOr<Image> Visible(const Caller& caller, const std::string& id);
  bool SeesEverything(const Caller& caller) const;
  absl::Status Enforce(const std::string& rule, const Caller& caller, const Image& image) const;
  absl::Status CheckVisibilityChange(const Caller& caller, const Image& image,
                                     const std::string& visibility) const;

  ImageStore& store_;
  DataStore& data_;
  const policy::Enforcer& enforcer_;
  const Clock& clock_;
  IdGenerator& ids_;
  ImageManagerOptions options_;
};

// Validation shared by the adapters.
bool ValidDiskFormat(const std::string& f);
bool ValidContainerFormat(const std::string& f);
bool ValidVisibility(const std::string& v);
std::string QuotaMessage(const Usage& usage, const ImageManagerOptions& options);

}  // namespace gureum::image
