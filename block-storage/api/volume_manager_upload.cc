// VolumeManager::UploadToImage: Cinder's os-volume_upload_image (cinder/volume/api.py
// copy_volume_to_image) on our status machine, image client and casts.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "block-storage/api/volume_manager.h"
#include "common/status/macros.h"

namespace gureum::block_storage {
namespace {

namespace vs = volume_status;

// Cinder's glance_core_properties: what the image service sets itself; the rest of a
// volume's image metadata is carried over to the new image as its properties.
bool CoreProperty(const std::string& key) {
  static const char* const kCore[] = {"checksum", "container_format", "disk_format", "image_name",
                                      "image_id", "min_disk",         "min_ram",     "name",
                                      "size"};
  return std::any_of(std::begin(kCore), std::end(kCore),
                     [&](const char* core) { return key == core; });
}

absl::Status CheckUpload(const ImageUpload& upload) {
  if (upload.image_name.empty() || upload.image_name.size() > 255) {
    return absl::InvalidArgumentError(
        "Invalid input received: image_name must be 1 to 255 characters.");
  }
  if (upload.disk_format != "raw" && upload.disk_format != "qcow2") {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: Invalid disk-format '", upload.disk_format,
                     "' is specified. Allowed disk-formats are raw, qcow2."));
  }
  if (upload.container_format != "bare") {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid input received: Invalid container-format '", upload.container_format,
                     "' is specified. Allowed container-formats are bare."));
  }
  for (const char* v : {"public", "private", "shared", "community"}) {
    if (upload.visibility == v) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("Invalid input received: Invalid visibility '", upload.visibility, "'."));
}

absl::Status UploadRefused(const std::string& id, const std::vector<std::string>& allowed,
                           const std::string& current) {
  return absl::InvalidArgumentError(absl::StrCat("Invalid volume: Volume ", id, " status must be ",
                                                 absl::StrJoin(allowed, " or "),
                                                 ", but current status is: ", current, "."));
}

NewImage ImageOf(const Volume& volume, const ImageUpload& upload) {
  NewImage image{.name = upload.image_name,
                 .disk_format = upload.disk_format,
                 .container_format = upload.container_format,
                 .visibility = upload.visibility,
                 .is_protected = upload.is_protected};
  for (const auto& [key, value] : volume.image_metadata) {
    if (!CoreProperty(key)) image.properties[key] = value;
  }
  return image;
}

// The image service's answer in the user's terms: down is 503, its own refusals as they are.
absl::Status ImageServiceError(const absl::Status& s) {
  if (absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s)) {
    return absl::UnavailableError(
        "The image service cannot be reached to create the image; try again later.");
  }
  return s;
}

}  // namespace

void VolumeManager::UploadNotStarted(const Volume& volume, const std::string& previous) {
  VolumeChange back{.from = {vs::kUploading}, .status = previous};
  absl::Status s = deps_.store.ChangeVolume(volume.id, back, deps_.clock.Now()).status();
  if (!s.ok()) {
    spdlog::warn("volume {}: could not put it back to {} after a failed upload start: {}",
                 volume.id, previous, s.ToString());
  }
}

absl::StatusOr<UploadStarted> VolumeManager::UploadToImage(const RequestContext& ctx,
                                                           const std::string& id,
                                                           const ImageUpload& upload) {
  GUREUM_ASSIGN_OR_RETURN(Volume volume,
                          Visible(ctx, id, "volume_extension:volume_actions:upload_image"));
  GUREUM_RETURN_IF_ERROR(CheckUpload(upload));
  if (upload.visibility == "public") {
    GUREUM_RETURN_IF_ERROR(deps_.policy.Enforce(
        ctx, "volume_extension:volume_actions:upload_public", volume.project_id));
  }
  if (deps_.new_images == nullptr) {
    return absl::UnavailableError("The image service is not configured for block storage.");
  }
  const VolumeAction action = upload.force ? VolumeAction::kUploadForce : VolumeAction::kUpload;
  const std::vector<std::string>& allowed = AllowedFrom(action);
  if (std::find(allowed.begin(), allowed.end(), volume.status) == allowed.end()) {
    return UploadRefused(id, allowed, volume.status);
  }
  const std::string previous = volume.status;
  VolumeChange change{
      .from = {previous}, .status = vs::kUploading, .previous_status = previous, .error = ""};
  absl::StatusOr<Volume> uploading = deps_.store.ChangeVolume(id, change, deps_.clock.Now());
  if (absl::IsFailedPrecondition(uploading.status())) {  // another action won
    return UploadRefused(id, allowed, std::string(uploading.status().message()));
  }
  GUREUM_RETURN_IF_ERROR(uploading.status());
  UploadStarted started{.volume = *uploading};
  absl::StatusOr<compute::ImageInfo> image =
      deps_.new_images->CreateImage(ctx.token, ImageOf(volume, upload));
  if (!image.ok()) {
    UploadNotStarted(volume, previous);
    return ImageServiceError(image.status());
  }
  started.image = *image;
  absl::StatusOr<std::string> task =
      deps_.casts.Upload(*uploading, image->id, upload.disk_format, previous == vs::kInUse);
  if (!task.ok()) {
    UploadNotStarted(volume, previous);
    (void)deps_.new_images->DeleteImage(ctx.token, image->id);
    return absl::UnavailableError("The volume agent could not be reached; try again.");
  }
  spdlog::info("volume {} (project {}) uploading to image {} ({})", id, volume.project_id,
               image->id, upload.disk_format);
  NotifyVolume(deps_, "volume.upload_image.start", started.volume);
  absl::StatusOr<VolumeType> type = deps_.store.GetType(volume.volume_type_id);
  if (type.ok()) started.type = *type;
  return started;
}

}  // namespace gureum::block_storage
