// compute's client of gureum-block-storage (gureum.block_storage.v1.BlockStorage, 18776):
// the attachment calls that put a volume in a server. compute-api reserves the volume with
// the user's token (CreateAttachment without a connector) and reads volumes; the agent, as
// its service user (kAsService), gives its host's connector (UpdateAttachment: the volume
// agent exports the volume and the call returns how to open it), completes the attach once
// the guest has the disk, and deletes the attachment on detach or failure. The gRPC client
// is NewGrpcBlockStorageClient (who the calls run as: client_options.h);
// FakeBlockStorageClient (fake_block_storage_client.h) serves tests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "compute/clients/client_options.h"

namespace gureum::compute {

// How a compute host opens an exported volume (Cinder's connection_info).
struct ConnectionInfo {
  std::string protocol;     // "nbd", or "file" when the volume is on this host
  std::string host;         // nbd: the export's address
  int port = 0;             // nbd: its TCP port
  std::string export_name;  // nbd: the export's (unguessable) name
  std::string path;         // file: local path
  std::string format;       // file: raw | qcow2 (nbd is always raw)
  bool read_only = false;
};

// The compute host that attaches, as Cinder's "connector" describes it.
struct VolumeConnector {
  std::string host;  // the compute host's name ([DEFAULT] host)
  std::string ip;    // the address it reaches the storage network from ([DEFAULT] my_ip)
};

// One volume's attachment to one instance (block storage's record; compute-api keeps its own).
struct Attachment {
  std::string id;
  std::string volume_id;
  std::string instance_uuid;
  std::string status;  // reserved | attaching | attached | detaching
  std::string mountpoint;
  std::string attach_mode;         // rw | ro
  ConnectionInfo connection_info;  // set once the volume is exported to a connector
  std::string host;                // the connector's host
};

// A volume as gureum-block-storage describes it (what compute needs of it).
struct VolumeInfo {
  std::string id;
  std::string name;
  std::string status;  // available, reserved, in-use, ...
  int64_t size_gb = 0;
  std::string project_id;
  bool multiattach = false;
  bool read_only = false;
  bool bootable = false;
  std::string image_id;  // the image it was made from ("" for none)
  // volume_image_metadata: the source image's properties (kernel_id, ramdisk_id, ...) and
  // image_id, image_name, disk_format, container_format, min_disk, min_ram, size.
  std::map<std::string, std::string> image_metadata;
  std::vector<Attachment> attachments;
};

// A volume to create (boot from volume: the root volume made from an image).
struct NewVolume {
  std::string name;
  int64_t size_gb = 0;
  std::string image_id;  // "" : empty
};

// Thread-safe. Errors as the service words them: NotFound for a volume or attachment the
// caller may not see, InvalidArgument for a state that does not allow the call (Cinder's
// 400), DeadlineExceeded or the agent's error when an export does not come, Unavailable
// when the service is down.
class BlockStorageClient {
 public:
  virtual ~BlockStorageClient() = default;
  virtual absl::StatusOr<VolumeInfo> GetVolume(const std::string& token,
                                               const std::string& volume_id) = 0;
  // A new volume of the caller's project (counted in its quota), `creating` until the
  // volume agent made it (then available, or error).
  virtual absl::StatusOr<VolumeInfo> CreateVolume(const std::string& token,
                                                  const NewVolume& volume) = 0;
  // Deletes an available volume (InvalidArgument while it is attached).
  virtual absl::Status DeleteVolume(const std::string& token, const std::string& volume_id) = 0;
  // Reserves `volume_id` for `instance_uuid`; with a connector (may be null: reserve only)
  // also exports it and returns when the connection info is there.
  virtual absl::StatusOr<Attachment> CreateAttachment(const std::string& token,
                                                      const std::string& volume_id,
                                                      const std::string& instance_uuid,
                                                      const VolumeConnector* connector) = 0;
  // Exports the attachment's volume to `connector`; returns with the connection info.
  virtual absl::StatusOr<Attachment> UpdateAttachment(const std::string& token,
                                                      const std::string& attachment_id,
                                                      const VolumeConnector& connector) = 0;
  // The guest has the disk at `mountpoint` (/dev/vdb): the volume becomes in-use.
  virtual absl::Status CompleteAttachment(const std::string& token,
                                          const std::string& attachment_id,
                                          const std::string& mountpoint) = 0;
  // Ends the attachment (and its export); the last one makes the volume available.
  virtual absl::Status DeleteAttachment(const std::string& token,
                                        const std::string& attachment_id) = 0;
};

// gureum.block_storage.v1.BlockStorage at options.target.
std::unique_ptr<BlockStorageClient> NewGrpcBlockStorageClient(const GrpcClientOptions& options);

}  // namespace gureum::compute
