// What ServerManager and ServerActionManager share: finding the caller's server (another
// project's is NotFound, never PermissionDenied), the lock check, the instance-action
// record, and Nova's checks of an image against a flavor.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/instance_states.h"
#include "compute/clients/image_client.h"

namespace gureum::compute {

// The server `id` if the caller's project owns it or the caller is an admin; else NotFound
// "Instance <id> could not be found.".
absl::StatusOr<Instance> GetOwnInstance(ComputeStore& store, const ComputePolicy& policy,
                                        const RequestContext& ctx, const std::string& id);
// FailedPrecondition (409) "Instance <uuid> is locked" for a non-admin's `action` on a
// locked server, but lock, unlock and console output.
absl::Status CheckLocked(const ComputePolicy& policy, const RequestContext& ctx, const Instance& i,
                         Action action);
// Starts the instance action `action` under the request's id.
absl::Status RecordAction(ComputeStore& store, const RequestContext& ctx, const Instance& i,
                          const std::string& action);
// FailedPrecondition (409) for `action` (rebuild, resize, migrate, evacuate) on a server
// booted from a volume (its agent would make a local disk from the image instead), or one
// with volumes attached (the new domain would not have them).
absl::Status CheckNotVolumeBacked(ComputeStore& store, const Instance& i,
                                  const std::string& action);
// Nova answers a missing flavor or image in a create/rebuild/resize body with 400.
absl::Status AsBadRequest(absl::Status s);
// Nova's FlavorDiskSmallerThanImage (400): the flavor's root disk (if it has a size) must
// hold the image's min_disk, its virtual size (from the image service's inspector: a 1 PiB
// qcow2 is a small file) and its file size.
absl::Status CheckImageFitsFlavor(const ImageInfo& image, const FlavorRecord& flavor);
// The image `id` as the caller sees it (gureum-image, with the caller's own token): NotFound
// "Image <id> could not be found." when it does not exist or the caller may not see it.
absl::StatusOr<ImageInfo> ImageForCaller(ImageClient& images, const RequestContext& ctx,
                                         const std::string& id);
// Metadata of a server: at most `limit` items (403 as Nova's quota), keys and values of 1
// to 255 characters (400).
absl::Status ValidateMetadata(const StringMap& m, int64_t limit);
// An accessIPv4 (`version` 4) or accessIPv6 (6): "" or an address of that family (400).
absl::Status ValidateAccessIp(const std::string& field, const std::string& value, int version);
// An address in its canonical text ("0:0::babe:220.12.22.2" -> "::babe:dc0c:1602"), as Nova
// stores access addresses; anything else as given.
std::string CanonicalIp(const std::string& value);
// The disk config (Nova's auto_disk_config, OS-DCF:diskConfig AUTO) a server of `image`
// gets: `requested` when given, else the image's auto_disk_config property as a boolean;
// 400 "Requested image <id> has automatic disk resize disabled." when AUTO is asked of an
// image whose property is "disabled" (Nova's AutoDiskConfigDisabledByImage).
absl::StatusOr<bool> DiskConfigFor(const ImageInfo& image, std::optional<bool> requested);

}  // namespace gureum::compute
