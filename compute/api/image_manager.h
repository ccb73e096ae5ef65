// Nova's image proxy (/v2.1/images, deprecated since microversion 2.36): the images of the
// image service as the caller sees them, through ImageClient with the caller's own token.
// Lists are filtered as Nova filters them (name, status, changes-since, server, type,
// minRam, minDisk, property-*) and paged here (marker, limit) over the image service's
// whole list. Metadata is the image's properties. Errors as Nova words them: NotFound
// "Image not found." (also for an image the caller may not see), PermissionDenied for one
// it may not change, InvalidArgument for a bad filter or marker, 403 "Image metadata limit
// exceeded" past the metadata_items quota. Thread-safe; blocking (gRPC).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compute/api/compute_options.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/clients/image_client.h"

namespace gureum::compute {

// A list's filters, in Nova's words (images.py SUPPORTED_FILTERS).
struct ImageFilter {
  std::string name;                               // exact
  std::string status;                             // Nova's (ACTIVE, SAVING, ...) or the image's
  std::optional<absl::Time> changes_since;        // updated at or after
  std::string server;                             // instance_uuid property (a server id or link)
  std::string type;                               // image_type property (snapshot, ...)
  std::optional<int64_t> min_ram;                 // minRam: images needing at least this much
  std::optional<int64_t> min_disk;                // minDisk
  std::map<std::string, std::string> properties;  // property-<key>=<value>
  std::string marker;                             // the last id of the previous page
  int64_t limit = 0;                              // 0: all
};

// Nova's status of an image: queued, saving, importing → SAVING; active → ACTIVE;
// deleted, pending_delete → DELETED; killed → ERROR; anything else (deactivated) → UNKNOWN.
std::string NovaImageStatus(const std::string& status);
// Nova's progress: queued 25, saving (importing) 50, active 100, else 0.
int NovaImageProgress(const std::string& status);

class ImageManager {
 public:
  // Every collaborator must outlive the manager. `store` gives the metadata_items quota.
  ImageManager(ImageClient& images, ComputeStore& store, ComputeOptions options);

  absl::StatusOr<std::vector<ImageInfo>> ListImages(const RequestContext& ctx,
                                                    const ImageFilter& filter);
  absl::StatusOr<ImageInfo> GetImage(const RequestContext& ctx, const std::string& id);
  absl::Status DeleteImage(const RequestContext& ctx, const std::string& id);

  // The image's properties.
  absl::StatusOr<StringMap> GetMetadata(const RequestContext& ctx, const std::string& id);
  // `replace`: the properties become `metadata` (PUT); else `metadata` is merged in
  // (POST). The properties as they are then.
  absl::StatusOr<StringMap> SetMetadata(const RequestContext& ctx, const std::string& id,
                                        const StringMap& metadata, bool replace);
  // One property: NotFound "Metadata item was not found" when the image lacks it.
  absl::StatusOr<std::string> GetMetadataItem(const RequestContext& ctx, const std::string& id,
                                              const std::string& key);
  absl::Status SetMetadataItem(const RequestContext& ctx, const std::string& id,
                               const std::string& key, const std::string& value);
  // NotFound "Invalid metadata key" when the image lacks it.
  absl::Status DeleteMetadataItem(const RequestContext& ctx, const std::string& id,
                                  const std::string& key);

 private:
  absl::Status CheckQuota(const RequestContext& ctx, const StringMap& metadata);
  absl::StatusOr<StringMap> Update(const RequestContext& ctx, const std::string& id,
                                   const StringMap& set, const std::vector<std::string>& remove);

  ImageClient& images_;
  ComputeStore& store_;
  const ComputeOptions options_;
};

}  // namespace gureum::compute
