// The messages gureum-image answers with, worded as Glance words them, so the REST and
// gRPC adapters, the stores and the tests agree.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace gureum::image {

inline absl::Status ImageNotFound(const std::string& id) {
  return absl::NotFoundError("No image found with ID " + id + ".");
}

inline absl::Status MemberNotFound(const std::string& image_id, const std::string& member_id) {
  return absl::NotFoundError("Member " + member_id + " not found for image " + image_id + ".");
}

}  // namespace gureum::image
