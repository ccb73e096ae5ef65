// Boot from volume (Nova's block_device_mapping_v2 at server create): the server's root disk
// is a volume of gureum-block-storage instead of a local disk made from the image.
//
//  - Plan (before anything is written): the mappings are checked as Nova checks them
//    (one boot_index 0 mapping with destination_type volume; source_type image needs a
//    volume_size that holds the image's size and min_disk; source_type volume must be a
//    volume the caller sees, available). The image the server then "has" (kernel_id,
//    ramdisk_id, min_ram...) is the image itself, or, for an existing volume, the volume's
//    volume_image_metadata.
//  - Prepare (per instance, before the instance is written): with the caller's own token,
//    an image source makes a new volume of the caller's project (counted in its quota;
//    the agent waits for it to be available and reserves it); a volume source is reserved
//    for the instance (CreateAttachment without a connector). Undo releases both.
//  - The mapping is kept as the instance's volume_attachments row (boot_index 0,
//    delete_on_termination, source_type); VolumeAttachmentManager::ReleaseAll deletes the
//    volumes marked delete_on_termination when the server goes.
//
// Errors: InvalidArgument (400, Nova's "Block Device Mapping is Invalid: ..."), the block
// storage's own (413 over its quota), Unavailable (503) without [compute]
// block_storage_grpc. Thread-safe; blocking (gRPC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compute/api/compute_policy.h"
#include "compute/api/compute_store.h"
#include "compute/api/model.h"
#include "compute/clients/block_storage_client.h"
#include "compute/clients/image_client.h"

namespace gureum::compute {

// One entry of a create's block_device_mapping_v2, as given.
struct BlockDeviceMapping {
  std::string source_type;             // image | volume | snapshot | blank
  std::string destination_type;        // volume | local ("" : volume)
  std::string uuid;                    // the image's or the volume's id
  std::optional<int64_t> volume_size;  // GiB
  std::optional<int> boot_index;       // 0: the root disk; none or < 0: not bootable
  bool delete_on_termination = false;
};

// What a create with a volume root disk will do, from Plan.
struct BootVolumePlan {
  BlockDeviceMapping root;
  ImageInfo image;  // the server's image metadata (for an existing volume: the volume's)
};

// Every collaborator must outlive the manager.
struct BlockDeviceManagerDeps {
  ImageClient& images;  // with the user's own token
  // Block storage with the caller's own token; null when [compute] block_storage_grpc is
  // not set (then a create with mappings is 503).
  BlockStorageClient* block_storage = nullptr;
};

class BlockDeviceManager {
 public:
  explicit BlockDeviceManager(const BlockDeviceManagerDeps& deps) : deps_(deps) {}

  // Nothing when `mappings` has no root disk volume; the plan otherwise. `count`: how many
  // servers the create may make (an existing volume can be the root of one only).
  absl::StatusOr<std::optional<BootVolumePlan>> Plan(
      const RequestContext& ctx, const std::vector<BlockDeviceMapping>& mappings, int count);
  // The root volume of `instance` (not yet written): made or reserved at block storage
  // with the caller's token. The row to store once the instance is written.
  absl::StatusOr<VolumeAttachment> Prepare(const RequestContext& ctx, const Instance& instance,
                                           const BootVolumePlan& plan);
  // Releases what Prepare did (the create did not go through): the reservation goes, a
  // volume made for the server is deleted. Failures are logged.
  void Undo(const RequestContext& ctx, const VolumeAttachment& row);

 private:
  absl::Status CheckImageSource(const RequestContext& ctx, const BlockDeviceMapping& m,
                                BootVolumePlan& plan);
  absl::Status CheckVolumeSource(const RequestContext& ctx, const BlockDeviceMapping& m,
                                 BootVolumePlan& plan);

  BlockDeviceManagerDeps deps_;
};

// The image a volume was made from, from its volume_image_metadata (Nova's
// get_image_metadata_from_volume): id, name, formats, sizes and the other properties.
ImageInfo ImageFromVolume(const VolumeInfo& volume);

}  // namespace gureum::compute
