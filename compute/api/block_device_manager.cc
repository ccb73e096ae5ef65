#include "compute/api/block_device_manager.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "compute/api/server_access.h"

namespace gureum::compute {
namespace {

constexpr int64_t kGiB = int64_t{1} << 30;

absl::Status InvalidBdm(const std::string& details) {
  return absl::InvalidArgumentError("Block Device Mapping is Invalid: " + details);
}

absl::Status NotConfigured() {
  return WithHttpStatus(absl::UnavailableError("block storage is not configured"), 503);
}

int64_t Number(const std::map<std::string, std::string>& m, const std::string& key) {
  int64_t n = 0;
  auto it = m.find(key);
  if (it == m.end() || !absl::SimpleAtoi(it->second, &n)) return 0;
  return n;
}

std::string Text(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

// Nova's VolumeSmallerThanMinDisk.
absl::Status CheckVolumeHoldsImage(int64_t volume_gb, const ImageInfo& image) {
  const int64_t volume_bytes = volume_gb * kGiB;
  const int64_t needed = std::max({image.size, image.virtual_size, image.min_disk_gb * kGiB});
  if (volume_bytes < needed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Volume is smaller than the minimum size specified in image metadata. Volume size is ",
        volume_bytes, " bytes, minimum size is ", needed, " bytes."));
  }
  return absl::OkStatus();
}

}  // namespace

ImageInfo ImageFromVolume(const VolumeInfo& volume) {
  const auto& m = volume.image_metadata;
  ImageInfo image;
  image.id = Text(m, "image_id");
  image.name = Text(m, "image_name");
  image.status = "active";
  image.disk_format = Text(m, "disk_format");
  image.container_format = Text(m, "container_format");
  image.size = Number(m, "size");
  image.min_disk_gb = Number(m, "min_disk");
  image.min_ram_mb = Number(m, "min_ram");
  image.checksum = Text(m, "checksum");
  for (const auto& [k, v] : m) {
    if (k != "image_id" && k != "image_name" && k != "disk_format" && k != "container_format" &&
        k != "size" && k != "min_disk" && k != "min_ram" && k != "checksum") {
      image.properties[k] = v;
    }
  }
  return image;
}

absl::Status BlockDeviceManager::CheckImageSource(const RequestContext& ctx,
                                                  const BlockDeviceMapping& m,
                                                  BootVolumePlan& plan) {
  if (!m.volume_size || *m.volume_size <= 0) {
    return InvalidBdm(
        "Images with destination_type 'volume' need to have a non-zero size specified");
  }
  absl::StatusOr<ImageInfo> image = ImageForCaller(deps_.images, ctx, m.uuid);
  if (!image.ok()) return AsBadRequest(image.status());
  if (!image->status.empty() && image->status != "active") {
    return absl::InvalidArgumentError("Image " + image->id + " is not active.");
  }
  GUREUM_RETURN_IF_ERROR(CheckVolumeHoldsImage(*m.volume_size, *image));
  plan.image = *std::move(image);
  return absl::OkStatus();
}

absl::Status BlockDeviceManager::CheckVolumeSource(const RequestContext& ctx,
                                                   const BlockDeviceMapping& m,
                                                   BootVolumePlan& plan) {
  absl::StatusOr<VolumeInfo> volume = deps_.block_storage->GetVolume(ctx.token, m.uuid);
  if (absl::IsNotFound(volume.status()) || absl::IsPermissionDenied(volume.status()) ||
      absl::IsInvalidArgument(volume.status())) {
    return InvalidBdm("failed to get volume " + m.uuid + ".");
  }
  GUREUM_RETURN_IF_ERROR(volume.status());
  // Nova's InvalidBDMVolumeNotBootable, checked before the volume's status as Nova does.
  if (!volume->bootable) {
    return absl::InvalidArgumentError("Block Device " + m.uuid + " is not bootable.");
  }
  if (volume->status != "available") {
    return absl::InvalidArgumentError(absl::StrCat("Invalid volume: volume '", m.uuid,
                                                   "' status must be 'available'. Currently in '",
                                                   volume->status, "'"));
  }
  plan.image = ImageFromVolume(*volume);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<BootVolumePlan>> BlockDeviceManager::Plan(
    const RequestContext& ctx, const std::vector<BlockDeviceMapping>& mappings, int count) {
  if (mappings.empty()) return std::nullopt;
  const BlockDeviceMapping* root = nullptr;
  for (const BlockDeviceMapping& m : mappings) {
    if (m.source_type != "image" && m.source_type != "volume" && m.source_type != "snapshot" &&
        m.source_type != "blank") {
      return absl::InvalidArgumentError(absl::StrCat(
          "Invalid input for field/attribute source_type. Value: ", m.source_type, ". '",
          m.source_type, "' is not one of ['volume', 'image', 'snapshot', 'blank']"));
    }
    if (m.destination_type != "volume" && m.destination_type != "local") {
      return absl::InvalidArgumentError(absl::StrCat(
          "Invalid input for field/attribute destination_type. Value: ", m.destination_type, ". '",
          m.destination_type, "' is not one of ['local', 'volume']"));
    }
    if (m.boot_index.value_or(-1) != 0) {
      return InvalidBdm(
          "only the root disk (boot_index 0) can be given at create here; attach other volumes "
          "once the server is active");
    }
    if (root != nullptr) {
      return InvalidBdm(
          "Boot sequence for the instance and image/block device mapping combination is not "
          "valid.");
    }
    root = &m;
  }
  if (root->destination_type != "volume" ||
      (root->source_type != "image" && root->source_type != "volume")) {
    return InvalidBdm(absl::StrCat("a root disk from source_type '", root->source_type,
                                   "' to destination_type '", root->destination_type,
                                   "' is not supported (image or volume to volume)"));
  }
  if (root->uuid.empty()) return InvalidBdm("the root disk mapping needs a uuid");
  if (deps_.block_storage == nullptr) return NotConfigured();
  BootVolumePlan plan{.root = *root};
  if (root->source_type == "image") {
    GUREUM_RETURN_IF_ERROR(CheckImageSource(ctx, *root, plan));
  } else {
    if (count > 1) {
      return absl::InvalidArgumentError("Cannot attach one or more volumes to multiple instances");
    }
    GUREUM_RETURN_IF_ERROR(CheckVolumeSource(ctx, *root, plan));
  }
  return plan;
}

absl::StatusOr<VolumeAttachment> BlockDeviceManager::Prepare(const RequestContext& ctx,
                                                             const Instance& instance,
                                                             const BootVolumePlan& plan) {
  VolumeAttachment row{.instance_uuid = instance.uuid,
                       .status = "attaching",
                       .boot_index = 0,
                       .delete_on_termination = plan.root.delete_on_termination,
                       .source_type = plan.root.source_type};
  if (plan.root.source_type == "image") {
    // Nova names the volumes it makes for a server ""; the agent waits for it.
    GUREUM_ASSIGN_OR_RETURN(VolumeInfo made, deps_.block_storage->CreateVolume(
                                                 ctx.token, {.name = "",
                                                             .size_gb = *plan.root.volume_size,
                                                             .image_id = plan.root.uuid}));
    row.volume_id = made.id;
    return row;
  }
  absl::StatusOr<Attachment> reserved =
      deps_.block_storage->CreateAttachment(ctx.token, plan.root.uuid, instance.uuid, nullptr);
  if (absl::IsNotFound(reserved.status())) {
    return InvalidBdm("failed to get volume " + plan.root.uuid + ".");
  }
  if (absl::IsInvalidArgument(reserved.status()) || absl::IsFailedPrecondition(reserved.status())) {
    return absl::InvalidArgumentError(reserved.status().message());
  }
  GUREUM_RETURN_IF_ERROR(reserved.status());
  row.volume_id = plan.root.uuid;
  row.attachment_id = reserved->id;
  return row;
}

void BlockDeviceManager::Undo(const RequestContext& ctx, const VolumeAttachment& row) {
  absl::Status s = row.source_type == "image"
                       ? deps_.block_storage->DeleteVolume(ctx.token, row.volume_id)
                       : deps_.block_storage->DeleteAttachment(ctx.token, row.attachment_id);
  if (!s.ok() && !absl::IsNotFound(s)) {
    spdlog::warn("releasing volume {} of a create that did not go through: {}", row.volume_id,
                 s.ToString());
  }
}

}  // namespace gureum::compute
