// The agent's own record of the instances it holds, on the local disk next to their
// disks: <instances_path>/<uuid>/ holds `disk` (qcow2 overlay over a cached base),
// `disk.config` (the config drive), `console.log` (the serial console) and
// `instance.json` (this record, written atomically). The record is what makes handlers
// idempotent across redeliveries and agent restarts (task id, state), and what the image
// cache cleanup asks about (which bases are in use).
//
// Also the disk tools: a qcow2 overlay (qemu-img) and a config drive (genisoimage).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "compute_casts.pb.h"

namespace gureum::compute_agent {

namespace pb = ::gureum::compute::v1;

struct InstancePaths {
  std::string dir;
  std::string disk;
  std::string config_drive;
  std::string console_log;
  std::string record;
};

// One network interface of the instance: a port of gureum-network, as bound to this host.
struct VifRecord {
  struct Ip {
    std::string address;
    int version = 4;
    std::string subnet_id;
    std::string cidr;     // the subnet's, "" when unknown
    std::string gateway;  // "" none
  };
  std::string port_id;
  std::string network_id;
  std::string network_name;
  std::string mac_address;
  std::string bridge_name;  // brq...
  std::string tap_name;     // tap...
  int mtu = 0;
  bool user_port = false;  // given by the user: unbound, not deleted, at delete
  std::vector<Ip> ips;
};

struct InstanceRecord {
  // building: a build has started and not finished; active: built and handed over;
  // failed: written by older agents only (a failed build now leaves no folder; the agent
  // remembers it in memory and removes such folders at start).
  std::string state;
  std::string task_id;
  std::string migration_id;   // the move that built it, if any
  std::string base_image_id;  // the cached bases it uses
  std::string kernel_id;
  std::string ramdisk_id;
  pb::InstanceSpec spec;
  int64_t updated_unix_ms = 0;
  std::vector<VifRecord> vifs;  // in the order of the domain's interfaces
};

class InstanceFiles {
 public:
  explicit InstanceFiles(std::string instances_path);

  InstancePaths Paths(const std::string& uuid) const;
  // The folder a same-host resize keeps the old disks in until confirm or revert.
  std::string StashDir(const std::string& uuid) const;

  // Creates the folder (0755: qemu, running as another user, must reach the files).
  absl::Status Create(const std::string& uuid);
  absl::Status Save(const std::string& uuid, const InstanceRecord& record);
  // NotFound when there is no record.
  absl::StatusOr<InstanceRecord> Load(const std::string& uuid) const;
  // Every record (folders without a readable record are skipped and logged).
  std::vector<InstanceRecord> All() const;
  // Removes the instance's folder; OK when it is already gone.
  absl::Status Remove(const std::string& uuid);
  // Moves the folder aside / back (same-host resize).
  absl::Status Stash(const std::string& uuid);
  absl::Status Unstash(const std::string& uuid);
  bool HasStash(const std::string& uuid) const;
  absl::Status RemoveStash(const std::string& uuid);

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// The size in bytes the disk image at `path` presents to a guest (`qemu-img info -f format`:
// the header is read, the format is not probed, no backing chain is followed).
absl::StatusOr<int64_t> DiskVirtualSize(const std::string& path, const std::string& format);

// `qemu-img create -f qcow2 -b base -F base_format disk [size]`; size_gb 0 keeps the
// base's virtual size.
absl::Status CreateOverlay(const std::string& base, const std::string& base_format,
                           const std::string& disk, long long size_gb);

// An OpenStack-style config drive (ISO 9660 + Joliet + Rock Ridge, label config-2) with
// openstack/latest/meta_data.json (uuid, name, hostname, project, availability zone,
// metadata, public keys), openstack/latest/user_data (decoded from base64) and, when the
// instance has interfaces, openstack/latest/network_data.json (links, networks, DNS).
// InvalidArgument when user_data is not base64.
absl::Status MakeConfigDrive(const pb::InstanceSpec& spec, const std::string& iso_path,
                             const std::vector<VifRecord>& vifs = {});

// OpenStack's network_data.json for these interfaces.
std::string NetworkDataJson(const std::vector<VifRecord>& vifs);

// The last `max_bytes` of a file ("" when it does not exist).
std::string ReadTail(const std::string& path, size_t max_bytes);

}  // namespace gureum::compute_agent
