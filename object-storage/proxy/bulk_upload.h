// Archive extraction (Swift's bulk middleware, bulk upload): PUT
// /v1/<account>[/<container>[/<prefix>]]?extract-archive=tar with a tar archive as the body
// (at most the proxy's request body limit, 2 MiB): each regular file becomes an object,
// its path under the URL's; without a container in the URL the path's first part is the
// container, created when missing. The answer (201 Created in "Response Status", text or
// JSON as Accept asks) counts the files created and lists the errors. Compressed archives
// (tar.gz, tar.bz2) are not read yet (400).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "object-storage/proxy/container_controller.h"
#include "object-storage/proxy/object_controller.h"

namespace gureum::object::proxy {

// One file of a tar archive.
struct TarFile {
  std::string path;
  std::string data;
};
// The regular files of a ustar/GNU tar archive (long names too); InvalidArgument when it
// is not one.
absl::StatusOr<std::vector<TarFile>> ReadTar(const std::string& archive);

void ExtractArchive(http::Request& req, http::Response& res, const Target& t,
                    ContainerController& containers, ObjectController& objects);

}  // namespace gureum::object::proxy
