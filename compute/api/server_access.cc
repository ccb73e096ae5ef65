// What the server managers share: finding the caller's server, the lock check, the
// instance-action record and the checks of a flavor against an image.
#include "compute/api/server_access.h"

#include <algorithm>

#include <arpa/inet.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/status/status.h"
#include "common/validate/validate.h"

namespace gureum::compute {

absl::Status CheckNotVolumeBacked(ComputeStore& store, const Instance& i,
                                  const std::string& action) {
  GUREUM_ASSIGN_OR_RETURN(std::vector<VolumeAttachment> rows, store.ListVolumeAttachments(i.uuid));
  for (const VolumeAttachment& a : rows) {
    if (a.boot_index != 0) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "Cannot '", action, "' instance ", i.uuid,
        ": it was booted from a volume, and this cloud cannot ", action, " such a server yet"));
  }
  // The new domain would not have them (the agent builds it from the server's spec): the
  // guest would lose its disks while block storage still counts them attached.
  for (const VolumeAttachment& a : rows) {
    return absl::FailedPreconditionError(
        absl::StrCat("Cannot '", action, "' instance ", i.uuid, " while volume ", a.volume_id,
                     " is attached: detach its volumes first (this cloud does not carry "
                     "attached volumes through a ",
                     action, " yet)"));
  }
  return absl::OkStatus();
}

// Nova answers a missing flavor or image in a create/rebuild/resize body with 400.
absl::Status AsBadRequest(absl::Status s) {
  if (s.code() == absl::StatusCode::kNotFound) return absl::InvalidArgumentError(s.message());
  return s;
}

absl::Status CheckImageFitsFlavor(const ImageInfo& image, const FlavorRecord& flavor) {
  // A flavor without a root disk size (0) takes the image's size, as in Nova.
  if (flavor.disk_gb <= 0) return absl::OkStatus();
  if (image.min_disk_gb > flavor.disk_gb) {
    return absl::InvalidArgumentError("Flavor's disk is too small for requested image.");
  }
  // The virtual size (what the guest sees: a qcow2 of 1 PiB is a few KiB of file) comes
  // from the image service's format inspector; the file size covers raw images.
  const int64_t flavor_bytes = flavor.disk_gb * (int64_t{1} << 30);
  const int64_t image_bytes = std::max(image.size, image.virtual_size);
  if (image_bytes > flavor_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("Flavor's disk is too small for requested image. Flavor disk is ",
                     flavor_bytes, " bytes, image is ", image_bytes, " bytes."));
  }
  return absl::OkStatus();
}

absl::StatusOr<Instance> GetOwnInstance(ComputeStore& store, const ComputePolicy& policy,
                                        const RequestContext& ctx, const std::string& id) {
  absl::StatusOr<Instance> i = store.GetInstance(id);
  if (!i.ok()) return i.status();
  if (i->project_id != ctx.caller.project_id && !policy.IsAdmin(ctx)) {
    return absl::NotFoundError("Instance " + id + " could not be found.");
  }
  return i;
}

absl::Status CheckLocked(const ComputePolicy& policy, const RequestContext& ctx, const Instance& i,
                         Action action) {
  if (!i.locked || action == Action::kLock || action == Action::kUnlock ||
      action == Action::kConsoleOutput || policy.IsAdmin(ctx)) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError("Instance " + i.uuid + " is locked");
}

absl::Status RecordAction(ComputeStore& store, const RequestContext& ctx, const Instance& i,
                          const std::string& action) {
  InstanceActionRecord a;
  a.instance_uuid = i.uuid;
  a.request_id = ctx.request_id;
  a.action = action;
  a.project_id = ctx.caller.project_id.empty() ? i.project_id : ctx.caller.project_id;
  a.user_id = ctx.caller.user_id;
  return store.StartAction(a).status();
}

absl::StatusOr<ImageInfo> ImageForCaller(ImageClient& images, const RequestContext& ctx,
                                         const std::string& id) {
  absl::StatusOr<ImageInfo> image = images.GetImage(ctx.token, id);
  if (image.status().code() == absl::StatusCode::kNotFound ||
      image.status().code() == absl::StatusCode::kPermissionDenied) {
    return absl::NotFoundError("Image " + id + " could not be found.");
  }
  return image;
}

absl::Status ValidateMetadata(const StringMap& m, int64_t limit) {
  if (static_cast<int64_t>(m.size()) > limit) {
    return WithHttpStatus(absl::ResourceExhaustedError(absl::StrCat(
                              "Quota exceeded for metadata_items: Requested ", m.size(),
                              ", but already used 0 of ", limit, " metadata_items")),
                          403);
  }
  for (const auto& [k, v] : m) {
    if (k.empty()) {
      return absl::InvalidArgumentError(
          "Invalid input for field/attribute metadata: keys and values must be 1 to 255 "
          "characters");
    }
    GUREUM_RETURN_IF_ERROR(ValidateName("metadata key", k));
    GUREUM_RETURN_IF_ERROR(ValidateName("metadata value", v));
  }
  return absl::OkStatus();
}

std::string CanonicalIp(const std::string& value) {
  unsigned char buf[16];
  char text[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, value.c_str(), buf) == 1 &&
        inet_ntop(family, buf, text, sizeof(text)) != nullptr) {
      return text;
    }
  }
  return value;
}

absl::Status ValidateAccessIp(const std::string& field, const std::string& value, int version) {
  if (value.empty()) return absl::OkStatus();  // "" clears it
  unsigned char buf[16];
  if (inet_pton(version == 4 ? AF_INET : AF_INET6, value.c_str(), buf) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid input for field/attribute ", field,
                                                   ". Value: ", value, ". '", value,
                                                   "' is not a 'ipv", version, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> DiskConfigFor(const ImageInfo& image, std::optional<bool> requested) {
  auto it = image.properties.find("auto_disk_config");
  const std::string value = it == image.properties.end()
                                ? ""
                                : absl::AsciiStrToLower(absl::StripAsciiWhitespace(it->second));
  if (value == "disabled" && requested.value_or(false)) {
    return absl::InvalidArgumentError("Requested image " + image.id +
                                      " has automatic disk resize disabled.");
  }
  if (requested) return *requested;
  // oslo's bool_from_string
  return value == "true" || value == "1" || value == "yes" || value == "y" || value == "on" ||
         value == "t";
}

}  // namespace gureum::compute
