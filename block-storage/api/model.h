// Records of gureum-block-storage (the Cinder v3 equivalent): volumes, snapshots,
// attachments, volume types, the backends the volume agents report, and quotas. Plain
// structs in our words; the managers keep them consistent (the status machine is
// volume_states.h), the store (block_storage_store.h) keeps them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gureum::block_storage {

using Metadata = std::map<std::string, std::string>;

struct Volume {
  std::string id;
  std::string project_id;
  std::string user_id;
  std::string name;
  std::string description;
  std::string status;           // volume_states.h
  std::string previous_status;  // the status before a transient one (extending, ...)
  int64_t size_gb = 0;
  std::string volume_type_id;
  std::string availability_zone;
  // Where the volume lives: "" until scheduled, then the backend's key "<host>@<backend>".
  std::string backend_key;
  std::string source_volume_id;
  std::string snapshot_id;
  std::string image_id;
  bool bootable = false;
  bool multiattach = false;
  bool read_only = false;
  Metadata metadata;
  Metadata image_metadata;  // volume_image_metadata: the source image's properties
  // Why the volume is in error (for its owner: no paths or secrets); "" otherwise.
  std::string error;
  // The agent task in flight for this volume ("" when none), to recognise its report.
  std::string task_id;
  absl::Time created_at;
  absl::Time updated_at;
};

struct Snapshot {
  std::string id;
  std::string project_id;
  std::string user_id;
  std::string volume_id;
  std::string name;
  std::string description;
  std::string status;  // creating, available, deleting, error, error_deleting
  int64_t size_gb = 0;
  Metadata metadata;
  std::string error;
  std::string task_id;
  absl::Time created_at;
  absl::Time updated_at;
};

// How the compute host reaches an exported volume (proto ConnectionInfo, kept as fields).
struct ConnectionInfo {
  std::string protocol;  // "nbd" | "file"; "" while not exported
  std::string host;
  int32_t port = 0;
  std::string export_name;
  std::string path;
  std::string format;
  bool read_only = false;
};

struct Attachment {
  std::string id;
  std::string volume_id;
  std::string project_id;
  std::string instance_uuid;
  std::string status;  // reserved | attaching | attached | detaching | error_attaching
  std::string mode = "rw";
  std::string mountpoint;
  std::string connector_host;  // "" until a connector is given
  std::string connector_ip;
  ConnectionInfo connection_info;
  std::string error;
  std::string task_id;
  absl::Time created_at;
  absl::Time updated_at;
};

struct VolumeType {
  std::string id;
  std::string name;
  std::string description;
  bool is_public = true;
  Metadata extra_specs;  // volume_backend_name picks the backend
  absl::Time created_at;
};

// One backend of one volume agent, as its last BackendReport described it.
struct Backend {
  std::string key;  // "<host>@<backend>"
  std::string host;
  std::string backend;
  std::string driver;
  std::string availability_zone;
  int64_t total_gb = 0;
  int64_t free_gb = 0;
  // The sum of the sizes of the volumes and snapshots placed on it (computed by the store).
  int64_t allocated_gb = 0;
  bool disabled = false;
  std::string disabled_reason;
  absl::Time updated_at;  // of the last report: the heartbeat
};

// Quota limits of one project, by Cinder's names: volumes, gigabytes, snapshots,
// per_volume_gigabytes, and per type volumes_<type>, gigabytes_<type>, snapshots_<type>.
// -1 is unlimited; a name absent from the map is not checked.
using QuotaLimits = std::map<std::string, int64_t>;
// What a project uses, by the same names.
using QuotaUsage = std::map<std::string, int64_t>;

// A listing's filters and page. Empty strings match everything.
struct VolumeQuery {
  std::string project_id;  // "" with all_projects only
  std::string name;
  std::string status;
  std::string bootable;  // "", "true", "false"
  std::string availability_zone;
  Metadata metadata;  // every pair must match
  std::string marker;
  int64_t limit = -1;                   // -1 no limit
  std::string sort_key = "created_at";  // created_at, id, name, size, status, updated_at
  bool sort_desc = true;
};

struct SnapshotQuery {
  std::string project_id;
  std::string volume_id;
  std::string name;
  std::string status;
  std::string marker;
  int64_t limit = -1;
  std::string sort_key = "created_at";
  bool sort_desc = true;
};

}  // namespace gureum::block_storage
