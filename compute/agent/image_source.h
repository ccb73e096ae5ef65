// Where the agent's image cache gets images from: gureum-image's gRPC API in production
// (GrpcImageSource), a map in memory in tests (FakeImageSource, with fault injection).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace gureum::auth {
class ServiceToken;
}

namespace gureum::compute_agent {

struct ImageInfo {
  std::string id;
  std::string status;       // active, ...
  std::string disk_format;  // raw, qcow2, aki, ari, ...
  long long size = 0;       // bytes
  std::string checksum;     // md5 hex
  std::string sha512;       // hex, "" when the service has none
  std::map<std::string, std::string> properties;
};

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // NotFound when the image does not exist (or the agent may not see it).
  virtual absl::StatusOr<ImageInfo> GetImage(const std::string& id) = 0;
  // Streams the image's data to `sink` chunk by chunk; an error from the sink stops the
  // download and is returned. A stream that breaks off is an error, never a short OK
  // (the cache verifies size and checksum anyway).
  virtual absl::Status Download(const std::string& id,
                                const std::function<absl::Status(const std::string&)>& sink) = 0;
};

// gureum.image.v1.Images at `target` ("host:port"), called as the agent's service user
// (`token` null: no token, for a test host without [service_auth]; it must outlive this).
std::unique_ptr<ImageSource> NewGrpcImageSource(const std::string& target,
                                                auth::ServiceToken* token);

}  // namespace gureum::compute_agent
