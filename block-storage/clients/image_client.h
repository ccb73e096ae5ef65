// Block storage's client of gureum-image for the images it makes from volumes (Cinder's
// os-volume_upload_image): the API creates the image with the user's token, so the user's
// project owns it; the volume agent then uploads the volume's bytes into it as its
// service user (image policy `image:upload_image`: the service role, queued images only).
// Reading and downloading images stays with compute's client (compute/clients/
// image_client.h), whose ImageInfo this one returns. The gRPC client is
// NewGrpcImageClient; FakeImageClient (fake_image_client.h) serves tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"
#include "compute/clients/image_client.h"

namespace gureum::block_storage {

// The fields of a new image that block storage sets (Glance's names).
struct NewImage {
  std::string name;
  std::string disk_format;       // raw, qcow2, ...
  std::string container_format;  // bare
  std::string visibility;        // "" the image service's default
  bool is_protected = false;
  int64_t min_disk_gb = 0;
  std::map<std::string, std::string> properties;
};

// Where an upload's bytes come from: the next piece, "" at the end; an error aborts the
// upload.
using ChunkReader = std::function<absl::StatusOr<std::string>()>;

// Thread-safe.
class ImageClient {
 public:
  virtual ~ImageClient() = default;

  // Creates a queued image as `token`'s caller, owned by its project. The image service's
  // refusals as it words them (InvalidArgument, PermissionDenied, ResourceExhausted for
  // its quota); Unavailable when it cannot be reached.
  virtual absl::StatusOr<compute::ImageInfo> CreateImage(const std::string& token,
                                                         const NewImage& image) = 0;

  // Deletes an image as `token`'s caller (an image whose upload could not be started).
  virtual absl::Status DeleteImage(const std::string& token, const std::string& id) = 0;

  // Uploads the bytes `next` gives into the queued image `id`, as the service user. The
  // stream opens before the first call of `next`, so the image is `saving` while `next`
  // prepares its data. An error from `next` (or a broken stream) cancels the upload, which
  // leaves the image `killed` at the image service, and is returned. On success, the
  // active image (size and checksum of what arrived). Unavailable at once when the image
  // service cannot be reached (the stream does not wait for it).
  virtual absl::StatusOr<compute::ImageInfo> Upload(const std::string& id,
                                                    const ChunkReader& next) = 0;
};

// gureum.image.v1.Images at options.target; uploads as options.service_token's user.
std::unique_ptr<ImageClient> NewGrpcImageClient(const compute::GrpcClientOptions& options);

}  // namespace gureum::block_storage
