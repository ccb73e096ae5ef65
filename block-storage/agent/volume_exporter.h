// How the agent hands a volume to a compute host: one export per attachment, served until
// it is unexported. Implementations: NbdExporter (nbd_exporter.h, a qemu-storage-daemon
// per attachment) and FakeVolumeExporter (tests).
//
// Idempotent: Export of an attachment that is exported returns the same export (and
// serves it again if its server died); Unexport of one that is not is OK.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "block-storage/agent/volume_driver.h"

namespace gureum::volume_agent {

struct ExportRequest {
  std::string attachment_id;
  std::string volume_id;
  VolumeImage image;
  bool read_only = false;
  std::string connector_ip;  // the one address allowed in (when the exporter filters)
};

// What a compute host needs to open the export (ConnectionInfo, protocol "nbd").
struct ExportInfo {
  std::string attachment_id;
  std::string volume_id;
  std::string host;
  int port = 0;
  std::string export_name;  // unguessable: whoever knows it may open the volume
  bool read_only = false;
};

// Thread-safe.
class VolumeExporter {
 public:
  virtual ~VolumeExporter() = default;
  // InvalidArgument for an attachment id that is not a UUID; FailedPrecondition when the
  // attachment is exported for another volume; ResourceExhausted when no port is free.
  virtual absl::StatusOr<ExportInfo> Export(const ExportRequest& request) = 0;
  virtual absl::Status Unexport(const std::string& attachment_id) = 0;
  // The running export of `volume_id` to change the volume through (snapshot, resize), or
  // null when the volume is not exported here.
  virtual std::unique_ptr<LiveImage> Live(const std::string& volume_id) = 0;
  virtual std::vector<ExportInfo> List() = 0;
};

}  // namespace gureum::volume_agent
