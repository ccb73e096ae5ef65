// compute's (and block storage's) client of gureum-image: what compute-api checks before it
// boots or rebuilds a server (with the user's token), where the agent's image cache gets an
// image's bytes (as the agent's service user), and how images made from servers and volumes
// are created (the user's token) and filled (the service user). The gRPC client is
// NewGrpcImageClient (who the calls run as: client_options.h); FakeImageClient
// (fake_image_client.h) serves tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"

namespace gureum::compute {

// An image as gureum-image describes it. compute-api keeps a copy in each server it boots.
struct ImageInfo {
  std::string id;
  std::string name;
  std::string status;       // active, queued, ...
  std::string disk_format;  // raw, qcow2, aki, ari, ...
  std::string container_format;
  int64_t size = 0;  // bytes
  int64_t min_disk_gb = 0;
  int64_t min_ram_mb = 0;
  int64_t virtual_size = 0;  // bytes the disk presents (the image service's inspector); 0 unknown
  std::string checksum;      // md5 hex
  std::string sha512;        // hex, "" when the service has none
  std::map<std::string, std::string> properties;
  std::string created_at;  // RFC 3339, UTC, as the image service says it ("" unknown)
  std::string updated_at;
};

// Which images ListImages gives: those `token`'s caller sees, narrowed by the image
// service's own filters ("" none).
struct ImageListQuery {
  std::string name;    // exact
  std::string status;  // queued, saving, active, ...
};

// The fields of a new image that compute (a server's snapshot) and block storage (a
// volume's upload) set, in Glance's words.
struct NewImage {
  std::string name;
  std::string disk_format;       // raw, qcow2, ...
  std::string container_format;  // bare
  std::string visibility;        // "" the image service's default
  bool is_protected = false;
  int64_t min_disk_gb = 0;
  int64_t min_ram_mb = 0;
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
  virtual absl::StatusOr<ImageInfo> CreateImage(const std::string& token,
                                                const NewImage& image) = 0;
  // Deletes an image as `token`'s caller (one whose data could not be made).
  virtual absl::Status DeleteImage(const std::string& token, const std::string& id) = 0;
  // Uploads the bytes `next` gives into the queued image `id`, as the service user (image
  // policy `image:upload_image`: the service role, queued images only). The stream opens
  // before the first call of `next`, so the image is `saving` while `next` prepares its
  // data. An error from `next` (or a broken stream) cancels the upload, which leaves the
  // image `killed`, and is returned. On success, the active image. Unavailable at once when
  // the image service cannot be reached.
  virtual absl::StatusOr<ImageInfo> Upload(const std::string& id, const ChunkReader& next) = 0;

  // NotFound or PermissionDenied when the image does not exist or `token`'s caller may not
  // see it (compute-api words that as Nova does); Unavailable when the service is down.
  virtual absl::StatusOr<ImageInfo> GetImage(const std::string& token, const std::string& id) = 0;
  // Every image `token`'s caller sees that matches `query` (all of the image service's
  // pages), in its order (newest first). Unavailable when the service is down.
  virtual absl::StatusOr<std::vector<ImageInfo>> ListImages(const std::string& token,
                                                            const ImageListQuery& query) = 0;
  // Adds or replaces the properties in `set` and removes those named in `remove` of image
  // `id`, as `token`'s caller; the image as it is then. NotFound for an image the caller
  // does not see, PermissionDenied for one it may not change, InvalidArgument for a
  // property the image service refuses.
  virtual absl::StatusOr<ImageInfo> UpdateProperties(const std::string& token,
                                                     const std::string& id,
                                                     const std::map<std::string, std::string>& set,
                                                     const std::vector<std::string>& remove) = 0;
  // Streams the image's data, as the service user, to `sink` chunk by chunk; an error from
  // the sink stops the download and is returned. A stream that breaks off is an error,
  // never a short OK (the agent's cache verifies size and checksum anyway).
  virtual absl::Status Download(const std::string& id,
                                const std::function<absl::Status(const std::string&)>& sink) = 0;
};

// gureum.image.v1.Images at options.target.
std::unique_ptr<ImageClient> NewGrpcImageClient(const GrpcClientOptions& options);

}  // namespace gureum::compute
