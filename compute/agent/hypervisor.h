// The hypervisor as the compute agent sees it: domains described in our words
// (DomainSpec), their power states, and the host's resources. One implementation talks to
// libvirt (libvirt_hypervisor.h; qemu:///system for real VMs, test:///default for tests);
// FakeHypervisor (fakes.h) is the in-memory one for unit tests.
//
// Domains are identified by the instance uuid (libvirt's domain uuid). Every call is
// thread-safe and blocking; errors are absl::Status: NotFound when the domain does not
// exist, FailedPrecondition when its state does not allow the call, Unavailable when the
// hypervisor cannot be reached, Internal for the rest (with libvirt's message).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gureum::compute_agent {

// Nova's power states, as InstanceUpdate.power_state carries them.
enum class PowerState {
  kNoState = 0,
  kRunning = 1,
  kPaused = 3,
  kShutdown = 4,
  kCrashed = 6,
  kSuspended = 7,
};
const char* PowerStateName(PowerState state);

struct DiskSpec {
  std::string path;
  std::string format = "qcow2";  // qcow2 | raw
  std::string device = "disk";   // disk | cdrom
  std::string bus = "virtio";    // virtio | scsi | ide | sata | usb
  std::string target;            // vda, vdb, hda, sda ... (empty: chosen from the bus)
  bool readonly = false;
  // A network disk (a volume exported by a volume agent) instead of the file at `path`:
  // protocol "nbd" at nbd_host:nbd_port, export `export_name`; always raw, cache none.
  std::string protocol;  // "" : a file
  std::string nbd_host;
  int nbd_port = 0;
  std::string export_name;
  // What the guest sees as the disk's serial (/dev/disk/by-id/virtio-<serial>): the volume
  // id for volumes, and how the agent recognises a disk it attached before.
  std::string serial;
  // > 0: the disk's place in the boot order (<boot order='N'/>: a root volume); a domain
  // with such a disk has no <os><boot dev='hd'/>, which libvirt does not take beside it.
  int boot_order = 0;
};

// A network interface on a host bridge (gureum-network's port): libvirt makes the tap
// `tap` and plugs it into `bridge`, which the network agent made.
struct InterfaceSpec {
  std::string mac;
  std::string bridge;
  std::string tap;  // "" : libvirt names it
  std::string model = "virtio";
  int mtu = 0;  // 0: the bridge's
};

// Everything needed to define one domain. Built from flavor + image properties by
// ComputeManager::MakeDomainSpec (compute_manager.h); turned into libvirt XML by DomainXml
// (domain_xml.h).
struct DomainSpec {
  std::string uuid;
  std::string name;
  std::string virt_type = "qemu";  // kvm | qemu | test
  std::string arch = "x86_64";
  std::string machine_type;  // "" : pc (the hypervisor's default)
  int vcpus = 1;
  long long memory_mb = 64;
  std::string cpu_mode;  // host-passthrough | host-model | "" (hypervisor default)
  std::vector<DiskSpec> disks;
  std::vector<InterfaceSpec> interfaces;  // in order (eth0, eth1, ...)
  // Direct kernel boot (aki/ari images): kernel and initrd paths and the command line.
  std::string kernel;
  std::string initrd;
  std::string cmdline;
  // The serial console (ttyS0) goes to this file.
  std::string console_log;
  // Stored in the domain's <metadata> so that a restarted agent knows its domains.
  std::map<std::string, std::string> metadata;
};

struct DomainInfo {
  std::string uuid;
  std::string name;
  PowerState power_state = PowerState::kNoState;
  bool managed_save = false;                    // suspended to disk (power state kSuspended)
  std::map<std::string, std::string> metadata;  // from <metadata>, empty for foreign ones
};

struct HostResources {
  int vcpus = 0;
  long long memory_mb = 0;
  std::string cpu_model;
  std::string hypervisor_type;  // QEMU, or test
  long long hypervisor_version = 0;
};

class Hypervisor {
 public:
  virtual ~Hypervisor() = default;

  // Defines (persistently) the domain; AlreadyExists if a domain with this uuid exists.
  virtual absl::Status Define(const DomainSpec& spec) = 0;
  // Starts a defined domain (restores it when it was suspended with managed save). OK if
  // it already runs.
  virtual absl::Status Start(const std::string& uuid) = 0;
  // ACPI shutdown, then destroy when the guest has not stopped within `timeout`. OK if it
  // was not running.
  virtual absl::Status Stop(const std::string& uuid, absl::Duration timeout) = 0;
  // Pulls the plug. OK if it was not running.
  virtual absl::Status Destroy(const std::string& uuid) = 0;
  // Destroys (if running) and undefines, dropping a managed-save image. NotFound if absent.
  virtual absl::Status Undefine(const std::string& uuid) = 0;
  // Soft: ACPI shutdown (destroy after `timeout`) and start again. Hard: destroy, start.
  virtual absl::Status Reboot(const std::string& uuid, bool hard, absl::Duration timeout) = 0;
  virtual absl::Status Pause(const std::string& uuid) = 0;
  virtual absl::Status Resume(const std::string& uuid) = 0;
  // Saves the memory to disk and stops (libvirt managed save); Start restores it.
  virtual absl::Status Suspend(const std::string& uuid) = 0;

  // Plugs `disk` (its target set) into the domain: into the running guest and into the
  // persistent definition, or only the latter when the domain is not running.
  // AlreadyExists when the target is taken.
  virtual absl::Status AttachDisk(const std::string& uuid, const DiskSpec& disk) = 0;
  // Unplugs the disk at `target_dev` from the running guest, waits (at most `timeout`)
  // until the guest has let it go (hot-unplug needs the guest's cooperation through
  // ACPI), then removes it from the persistent definition. DeadlineExceeded if the guest
  // kept it (the definition still has it). OK if no such disk.
  virtual absl::Status DetachDisk(const std::string& uuid, const std::string& target_dev,
                                  absl::Duration timeout) = 0;
  // Makes the running guest see the disk at `target_dev` grown to `bytes` (virtio-blk's
  // capacity change, no reboot). For a network disk whose export came back with the new
  // size, it first makes the NBD client reconnect (tries, bounded by `timeout`), and
  // resumes a guest that paused on the I/O error of the export's restart. OK when the
  // domain does not run (it reads the size at its next start); NotFound: no such disk.
  virtual absl::Status ResizeDisk(const std::string& uuid, const std::string& target_dev,
                                  int64_t bytes, absl::Duration timeout) = 0;
  // The domain's disks now (the running guest's when it runs): target, bus, serial, and
  // the network source of network disks.
  virtual absl::StatusOr<std::vector<DiskSpec>> Disks(const std::string& uuid) = 0;

  virtual absl::StatusOr<DomainInfo> Get(const std::string& uuid) = 0;
  // The running domain's statistics, named as Nova's libvirt driver names its diagnostics
  // (cpu<N>_time in ns, memory in KiB, memory-<stat>, <disk>_read/_read_req/_write/
  // _write_req/_errors). Unimplemented for a hypervisor without them; FailedPrecondition
  // when the domain does not run.
  virtual absl::StatusOr<std::map<std::string, int64_t>> Diagnostics(const std::string& uuid) {
    return absl::UnimplementedError("no diagnostics from " + HypervisorType() + " for " + uuid);
  }
  // Every domain the hypervisor has, ours and foreign ones.
  virtual absl::StatusOr<std::vector<DomainInfo>> List() = 0;
  virtual absl::StatusOr<HostResources> Host() = 0;
  // "QEMU" or "test", for the heartbeat and the scheduler's filters.
  virtual std::string HypervisorType() const = 0;
};

}  // namespace gureum::compute_agent
