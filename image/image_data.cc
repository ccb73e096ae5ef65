// ImageManager: streaming uploads and downloads. An upload hashes (MD5 for `checksum`,
// SHA-512 for `os_hash_value`), inspects the format and checks the size limits on each
// piece as it passes, writing it through a DataWriter that stores nothing until Commit;
// memory stays constant whatever the image size.
#include <thread>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "image/image_errors.h"
#include "image/image_manager.h"

namespace gureum::image {
namespace {

constexpr size_t kParallelHashBytes = 256 * 1024;

std::string Hex(const unsigned char* digest, unsigned int len) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 15]);
  }
  return out;
}

std::string FinalHex(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, digest, &len);
  return Hex(digest, len);
}

}  // namespace

Upload::Upload(ImageManager& manager, Image image, Usage usage, std::unique_ptr<DataWriter> writer)
    : manager_(manager),
      image_(std::move(image)),
      usage_(usage),
      writer_(std::move(writer)),
      inspector_(image_.disk_format),
      md5_(EVP_MD_CTX_new()),
      sha512_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(md5_, EVP_md5(), nullptr);
  EVP_DigestInit_ex(sha512_, EVP_sha512(), nullptr);
}

Upload::~Upload() {
  if (!done_) Abort(absl::CancelledError("the upload was not finished"));
  EVP_MD_CTX_free(md5_);
  EVP_MD_CTX_free(sha512_);
}

void Upload::Abort(const absl::Status& why) {
  if (done_) return;
  (void)Fail(absl::DataLossError(std::string(why.message())));
}

// Ends the upload: discards the bytes and sets the status Glance leaves behind: bad
// data and quota back to `queued` (the owner may upload again), anything else `killed`.
absl::Status Upload::Fail(absl::Status why) {
  done_ = true;
  writer_.reset();  // an uncommitted writer deletes its partial file
  bool retryable = absl::IsInvalidArgument(why) || absl::IsResourceExhausted(why);
  const char* next = retryable ? kQueued : kKilled;
  absl::Status s = manager_.store_.SetStatus(image_.id, {kSaving}, next, manager_.clock_.Now());
  if (!s.ok() && !absl::IsNotFound(s)) {
    spdlog::error("upload of image {} failed ({}) and its status could not be set to {}: {}",
                  image_.id, std::string(why.message()), next, s.ToString());
  } else {
    spdlog::info("upload of image {} ended without data ({}): now {}", image_.id,
                 std::string(why.message()), next);
  }
  return why;
}

absl::Status Upload::Write(const char* data, size_t size) {
  if (done_) return absl::FailedPreconditionError("the upload is over");
  bytes_ += static_cast<int64_t>(size);
  const ImageManagerOptions& o = manager_.options_;
  if (bytes_ > o.image_size_cap) {
    return Fail(WithHttpStatus(
        absl::ResourceExhaustedError(absl::StrCat("Image exceeds the storage limit of ",
                                                  o.image_size_cap, " bytes (image_size_cap).")),
        413));
  }
  if (o.image_size_total_quota >= 0 && usage_.total_bytes + bytes_ > o.image_size_total_quota) {
    return Fail(absl::ResourceExhaustedError(
        absl::StrCat("Storage quota exceeded: project ", image_.owner, " stores ",
                     usage_.total_bytes, " bytes and this upload has reached ", bytes_,
                     " bytes; the limit "
                     "(image_size_total_quota) is ",
                     o.image_size_total_quota, " bytes (", QuotaMessage(usage_, o), ").")));
  }
  if (absl::Status s = inspector_.Feed(data, size); !s.ok()) return Fail(s);
  // MD5 and SHA-512 cost about as much as each other and more than the rest of the path:
  // large pieces hash MD5 on a second thread while this one does SHA-512 and the write.
  absl::Status written;
  if (size >= kParallelHashBytes) {
    std::thread md5([this, data, size] { EVP_DigestUpdate(md5_, data, size); });
    EVP_DigestUpdate(sha512_, data, size);
    written = writer_->Write(data, size);
    md5.join();
  } else {
    EVP_DigestUpdate(md5_, data, size);
    EVP_DigestUpdate(sha512_, data, size);
    written = writer_->Write(data, size);
  }
  if (!written.ok()) return Fail(written);
  return absl::OkStatus();
}

absl::StatusOr<Image> Upload::Finish() {
  if (done_) return absl::FailedPreconditionError("the upload is over");
  if (absl::Status s = inspector_.Finish(bytes_); !s.ok()) return Fail(s);
  auto location = writer_->Commit();
  if (!location.ok()) return Fail(location.status());
  done_ = true;
  Image image = image_;
  image.size = bytes_;
  image.virtual_size = inspector_.virtual_size();
  image.checksum = FinalHex(md5_);
  image.os_hash_algo = "sha512";
  image.os_hash_value = FinalHex(sha512_);
  image.location = *location;
  image.updated_at = manager_.clock_.Now();
  absl::Status s = manager_.store_.CompleteUpload(image, manager_.options_.image_size_total_quota);
  if (!s.ok()) {
    // Nothing may stay stored for an image that is not active (or no longer exists).
    (void)manager_.data_.Delete(*location);
    done_ = false;
    if (absl::IsResourceExhausted(s)) {
      auto usage = manager_.store_.GetUsage(image.owner);
      if (usage.ok()) {
        s = absl::ResourceExhaustedError(
            absl::StrCat(s.message(), " (", QuotaMessage(*usage, manager_.options_), ")"));
      }
    }
    if (absl::IsNotFound(s)) {
      done_ = true;
      return absl::NotFoundError("Image " + image.id + " was deleted during its upload.");
    }
    return Fail(s);
  }
  spdlog::info("image {} uploaded: {} bytes, sha512 {}", image.id, bytes_, image.os_hash_value);
  image.status = kActive;
  return image;
}

absl::StatusOr<std::unique_ptr<Upload>> ImageManager::BeginUpload(const Caller& caller,
                                                                  const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:upload_image", caller, image));
  if (image.disk_format.empty() || image.container_format.empty()) {
    return absl::InvalidArgumentError(
        "Properties disk_format, container_format must be set prior to saving data.");
  }
  if (image.status != kQueued) {
    return absl::FailedPreconditionError(absl::StrCat("Image status transition from ", image.status,
                                                      " to saving is not allowed: data can "
                                                      "only be uploaded to a queued image."));
  }
  GUREUM_ASSIGN_OR_RETURN(Usage usage, store_.GetUsage(image.owner));
  if (options_.image_size_total_quota >= 0 &&
      usage.total_bytes >= options_.image_size_total_quota) {
    return absl::ResourceExhaustedError(absl::StrCat("Storage quota exceeded for project ",
                                                     image.owner, " (",
                                                     QuotaMessage(usage, options_), ")."));
  }
  GUREUM_ASSIGN_OR_RETURN(std::unique_ptr<DataWriter> writer, data_.NewWriter(id));
  absl::Status s = store_.SetStatus(id, {kQueued}, kSaving, clock_.Now());
  if (absl::IsFailedPrecondition(s)) {
    return absl::FailedPreconditionError("Image " + id + " is already being uploaded.");
  }
  GUREUM_RETURN_IF_ERROR(s);
  image.status = kSaving;
  return std::unique_ptr<Upload>(new Upload(*this, std::move(image), usage, std::move(writer)));
}

absl::StatusOr<Download> ImageManager::OpenDownload(const Caller& caller, const std::string& id) {
  GUREUM_ASSIGN_OR_RETURN(Image image, Visible(caller, id));
  GUREUM_RETURN_IF_ERROR(Enforce("image:download_image", caller, image));
  if (image.status == kDeactivated && !enforcer_.Allowed("image_admin", caller)) {
    return absl::PermissionDeniedError("Image " + id +
                                       " is deactivated: its data cannot be downloaded.");
  }
  Download out;
  if (image.status != kActive && image.status != kDeactivated) {
    out.image = std::move(image);
    return out;  // no data (queued, saving, killed): Glance answers 204
  }
  GUREUM_ASSIGN_OR_RETURN(out.reader, data_.NewReader(image.location));
  out.image = std::move(image);
  return out;
}

}  // namespace gureum::image
