#include "compute/agent/libvirt_hypervisor.h"

#include <cstdlib>

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status/macros.h"
#include "compute/agent/domain_xml.h"

namespace gureum::compute_agent {
namespace {

// How often Stop repeats its ACPI shutdown request while it waits (Nova's
// SHUTDOWN_RETRY_INTERVAL is 10 s too).
constexpr absl::Duration kShutdownRetryInterval = absl::Seconds(10);
// How often DetachDisk asks the guest again to let a disk go.
constexpr absl::Duration kDetachRetryInterval = absl::Seconds(5);

// libvirt's default handler prints every error on stderr; ours become statuses instead.
void QuietErrors(void*, virErrorPtr) {}

absl::Status LastError(const std::string& what) {
  virErrorPtr e = virGetLastError();
  std::string msg = e && e->message ? e->message : "unknown libvirt error";
  int code = e ? e->code : VIR_ERR_INTERNAL_ERROR;
  std::string text = absl::StrCat(what, ": ", msg);
  switch (code) {
    case VIR_ERR_NO_DOMAIN:
      return absl::NotFoundError(text);
    case VIR_ERR_OPERATION_INVALID:
      return absl::FailedPreconditionError(text);
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_SYSTEM_ERROR:
    case VIR_ERR_RPC:
      return absl::UnavailableError(text);
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_CONFIG_UNSUPPORTED:
      return absl::InvalidArgumentError(text);
    default:
      return absl::InternalError(text);
  }
}

struct DomainRef {
  virDomainPtr p = nullptr;
  ~DomainRef() {
    if (p) virDomainFree(p);
  }
};

// Nova's names of libvirt's memory statistics.
const char* MemoryStatName(int tag) {
  switch (tag) {
    case VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON:
      return "memory-actual";
    case VIR_DOMAIN_MEMORY_STAT_RSS:
      return "memory-rss";
    case VIR_DOMAIN_MEMORY_STAT_SWAP_IN:
      return "memory-swap_in";
    case VIR_DOMAIN_MEMORY_STAT_SWAP_OUT:
      return "memory-swap_out";
    case VIR_DOMAIN_MEMORY_STAT_AVAILABLE:
      return "memory-available";
    case VIR_DOMAIN_MEMORY_STAT_UNUSED:
      return "memory-unused";
    default:
      return nullptr;
  }
}

// The statistics of the running domain `d` with the disks `disks`, as Nova's libvirt
// driver names its diagnostics (interface counters are not read).
absl::StatusOr<std::map<std::string, int64_t>> DomainDiagnostics(
    virDomainPtr d, const std::vector<DiskSpec>& disks) {
  virDomainInfo info;
  if (virDomainGetInfo(d, &info) != 0) return LastError("reading the domain's info");
  if (info.state != VIR_DOMAIN_RUNNING && info.state != VIR_DOMAIN_BLOCKED) {
    return absl::FailedPreconditionError("the domain is not running");
  }
  std::map<std::string, int64_t> out;
  out["memory"] = static_cast<int64_t>(info.memory);  // KiB
  std::vector<virVcpuInfo> vcpus(info.nrVirtCpu);
  const int n = virDomainGetVcpus(d, vcpus.data(), static_cast<int>(vcpus.size()), nullptr, 0);
  for (int i = 0; i < n; ++i) {
    out["cpu" + std::to_string(i) + "_time"] = static_cast<int64_t>(vcpus[i].cpuTime);
  }
  virDomainMemoryStatStruct stats[VIR_DOMAIN_MEMORY_STAT_NR];
  const int m = virDomainMemoryStats(d, stats, VIR_DOMAIN_MEMORY_STAT_NR, 0);
  for (int i = 0; i < m; ++i) {
    if (const char* name = MemoryStatName(stats[i].tag)) {
      out[name] = static_cast<int64_t>(stats[i].val);
    }
  }
  for (const DiskSpec& disk : disks) {
    virDomainBlockStatsStruct b;
    if (disk.target.empty() || virDomainBlockStats(d, disk.target.c_str(), &b, sizeof(b)) != 0) {
      continue;
    }
    out[disk.target + "_read"] = b.rd_bytes;
    out[disk.target + "_read_req"] = b.rd_req;
    out[disk.target + "_write"] = b.wr_bytes;
    out[disk.target + "_write_req"] = b.wr_req;
    out[disk.target + "_errors"] = b.errs;
  }
  return out;
}

PowerState ToPowerState(int state, bool managed_save) {
  switch (state) {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
      return PowerState::kRunning;
    case VIR_DOMAIN_PAUSED:
      return PowerState::kPaused;
    case VIR_DOMAIN_SHUTDOWN:
    case VIR_DOMAIN_SHUTOFF:
      return managed_save ? PowerState::kSuspended : PowerState::kShutdown;
    case VIR_DOMAIN_CRASHED:
      return PowerState::kCrashed;
    case VIR_DOMAIN_PMSUSPENDED:
      return PowerState::kSuspended;
    default:
      return PowerState::kNoState;
  }
}

class LibvirtHypervisor final : public Hypervisor {
 public:
  LibvirtHypervisor(std::string uri, const Clock& clock) : uri_(std::move(uri)), clock_(clock) {}
  ~LibvirtHypervisor() override {
    if (conn_) virConnectClose(conn_);
  }

  absl::Status Open() {
    absl::MutexLock l(&mu_);
    return OpenLocked();
  }

  absl::Status Define(const DomainSpec& spec) override {
    GUREUM_ASSIGN_OR_RETURN(virConnectPtr c, Conn());
    DomainRef existing{virDomainLookupByUUIDString(c, spec.uuid.c_str())};
    if (existing.p) return absl::AlreadyExistsError("domain " + spec.uuid + " already exists");
    auto xml = DomainXml(spec);
    if (!xml.ok()) return xml.status();
    DomainRef d{virDomainDefineXML(c, xml->c_str())};
    if (!d.p) return LastError("defining domain " + spec.uuid);
    return absl::OkStatus();
  }

  absl::Status Start(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    // Already running (or paused, which Resume undoes): nothing to start.
    if (virDomainIsActive(d.p) == 1) return absl::OkStatus();
    if (virDomainCreate(d.p) != 0) return LastError("starting domain " + uuid);
    return absl::OkStatus();
  }

  absl::Status Stop(const std::string& uuid, absl::Duration timeout) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainIsActive(d.p) != 1) return absl::OkStatus();
    // The request is sent again every kShutdownRetryInterval, as Nova does: a guest that
    // was still booting (no power-button handler yet) drops the first one, and would
    // otherwise cost the whole timeout and then a destroy.
    absl::Time deadline = clock_.Now() + timeout;
    absl::Time resend = absl::InfinitePast();
    while (clock_.Now() < deadline) {
      if (virDomainIsActive(d.p) != 1) return absl::OkStatus();
      if (clock_.Now() >= resend) {
        if (virDomainShutdown(d.p) != 0) break;  // no ACPI at all: straight to destroy
        resend = clock_.Now() + kShutdownRetryInterval;
      }
      clock_.SleepFor(absl::Milliseconds(200));
    }
    // No ACPI in the guest, or it ignored every request: pull the plug.
    if (virDomainIsActive(d.p) == 1 && virDomainDestroy(d.p) != 0) {
      return LastError("destroying domain " + uuid);
    }
    return absl::OkStatus();
  }

  absl::Status Destroy(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainIsActive(d.p) == 1 && virDomainDestroy(d.p) != 0) {
      return LastError("destroying domain " + uuid);
    }
    return absl::OkStatus();
  }

  absl::Status Undefine(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainIsActive(d.p) == 1 && virDomainDestroy(d.p) != 0) {
      return LastError("destroying domain " + uuid);
    }
    unsigned flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
    if (virDomainUndefineFlags(d.p, flags) != 0) return LastError("undefining domain " + uuid);
    return absl::OkStatus();
  }

  absl::Status Reboot(const std::string& uuid, bool hard, absl::Duration timeout) override {
    if (hard) {
      GUREUM_RETURN_IF_ERROR(Destroy(uuid));
    } else {
      GUREUM_RETURN_IF_ERROR(Stop(uuid, timeout));
    }
    return Start(uuid);
  }

  absl::Status Pause(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainSuspend(d.p) != 0) return LastError("pausing domain " + uuid);
    return absl::OkStatus();
  }

  absl::Status Resume(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainResume(d.p) != 0) return LastError("unpausing domain " + uuid);
    return absl::OkStatus();
  }

  absl::Status Suspend(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainManagedSave(d.p, 0) != 0) return LastError("suspending domain " + uuid);
    return absl::OkStatus();
  }

  absl::Status AttachDisk(const std::string& uuid, const DiskSpec& disk) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    GUREUM_ASSIGN_OR_RETURN(std::vector<DiskSpec> disks, DisksOf(d.p));
    for (const DiskSpec& have : disks) {
      if (have.target == disk.target) {
        return absl::AlreadyExistsError(
            absl::StrCat("domain ", uuid, " has a disk at ", disk.target));
      }
    }
    GUREUM_ASSIGN_OR_RETURN(std::string xml, DiskXml(disk));
    if (virDomainAttachDeviceFlags(d.p, xml.c_str(), AffectFlags(d.p)) != 0) {
      return LastError(absl::StrCat("attaching ", disk.target, " to domain ", uuid));
    }
    return absl::OkStatus();
  }

  // libvirt's detach asks the guest (ACPI) and returns; the disk is gone from the live
  // domain only once the guest released it, so we poll the live XML until then. A guest
  // that was still booting misses the request (nothing handles the ACPI event yet), so it
  // is made again every kDetachRetryInterval, as Nova does.
  absl::Status DetachDisk(const std::string& uuid, const std::string& target_dev,
                          absl::Duration timeout) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainIsActive(d.p) == 1) GUREUM_RETURN_IF_ERROR(DetachFrom(d.p, target_dev, 0));
    absl::Time deadline = clock_.Now() + timeout;
    absl::Time next_request = clock_.Now() + kDetachRetryInterval;
    while (virDomainIsActive(d.p) == 1) {
      GUREUM_ASSIGN_OR_RETURN(std::string live, XmlOf(d.p, 0));
      if (absl::IsNotFound(DiskElementXml(live, target_dev).status())) break;
      if (clock_.Now() >= next_request) {
        // QEMU may answer that the unplug is under way: the request stands either way.
        if (!DetachFrom(d.p, target_dev, 0).ok()) virResetLastError();
        next_request = clock_.Now() + kDetachRetryInterval;
      }
      if (clock_.Now() >= deadline) {
        // The persistent definition keeps the disk: the volume is still attached.
        return absl::DeadlineExceededError(absl::StrCat("the guest of domain ", uuid,
                                                        " did not release ", target_dev, " within ",
                                                        absl::FormatDuration(timeout)));
      }
      clock_.SleepFor(absl::Milliseconds(250));
    }
    // Only once the guest let it go (or when the domain does not run).
    return DetachFrom(d.p, target_dev, VIR_DOMAIN_XML_INACTIVE);
  }

  absl::Status ResizeDisk(const std::string& uuid, const std::string& target_dev, int64_t bytes,
                          absl::Duration timeout) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    if (virDomainIsActive(d.p) != 1) return absl::OkStatus();
    GUREUM_ASSIGN_OR_RETURN(std::string live, XmlOf(d.p, 0));
    GUREUM_ASSIGN_OR_RETURN(std::string disk, DiskElementXml(live, target_dev));
    const bool network = AttributeAfter(disk, "<disk type=") == "network";
    const std::string alias = AttributeAfter(disk, "<alias name=");
    absl::Time deadline = clock_.Now() + timeout;
    for (;;) {
      // QEMU's NBD client learns an export's size when it connects, and reconnects only on
      // a request: a read through the device's backend makes it connect to the export that
      // came back grown (its first requests fail while the old connection is found dead).
      if (network && !alias.empty()) ReadFirstSector(d.p, alias);
      if (virDomainBlockResize(d.p, target_dev.c_str(), static_cast<unsigned long long>(bytes),
                               VIR_DOMAIN_BLOCK_RESIZE_BYTES) == 0) {
        break;
      }
      absl::Status s = LastError(absl::StrCat("growing ", target_dev, " of domain ", uuid));
      if (!network || clock_.Now() >= deadline) return s;
      clock_.SleepFor(absl::Milliseconds(200));
    }
    return ResumeIfPausedOnIoError(d.p);
  }

  absl::StatusOr<std::vector<DiskSpec>> Disks(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    return DisksOf(d.p);
  }

  absl::StatusOr<DomainInfo> Get(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    return Info(d.p);
  }

  absl::StatusOr<std::map<std::string, int64_t>> Diagnostics(const std::string& uuid) override {
    DomainRef d;
    GUREUM_RETURN_IF_ERROR(Lookup(uuid, d));
    GUREUM_ASSIGN_OR_RETURN(std::vector<DiskSpec> disks, DisksOf(d.p));
    return DomainDiagnostics(d.p, disks);
  }

  absl::StatusOr<std::vector<DomainInfo>> List() override {
    GUREUM_ASSIGN_OR_RETURN(virConnectPtr c, Conn());
    virDomainPtr* doms = nullptr;
    int n = virConnectListAllDomains(c, &doms, 0);
    if (n < 0) return LastError("listing domains");
    std::vector<DomainInfo> out;
    absl::Status status;
    for (int i = 0; i < n; ++i) {
      auto info = Info(doms[i]);
      // A domain undefined between the listing and the look-up is simply gone.
      if (info.ok()) out.push_back(*std::move(info));
      virDomainFree(doms[i]);
    }
    free(doms);
    return out;
  }

  absl::StatusOr<HostResources> Host() override {
    GUREUM_ASSIGN_OR_RETURN(virConnectPtr c, Conn());
    virNodeInfo node;
    if (virNodeGetInfo(c, &node) != 0) return LastError("reading the host's resources");
    HostResources r;
    r.vcpus = static_cast<int>(node.cpus);
    r.memory_mb = static_cast<long long>(node.memory / 1024);
    r.cpu_model = node.model;
    const char* type = virConnectGetType(c);
    r.hypervisor_type = type ? type : "";
    unsigned long version = 0;
    if (virConnectGetVersion(c, &version) == 0)
      r.hypervisor_version = static_cast<long long>(version);
    return r;
  }

  std::string HypervisorType() const override {
    return absl::StartsWith(uri_, "test:") ? "test" : "QEMU";
  }

 private:
  absl::Status OpenLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (conn_) virConnectClose(conn_);
    conn_ = virConnectOpen(uri_.c_str());
    if (!conn_) {
      virErrorPtr e = virGetLastError();
      return absl::UnavailableError(absl::StrCat("cannot connect to libvirt at ", uri_, ": ",
                                                 e && e->message ? e->message : "unknown error"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<virConnectPtr> Conn() {
    absl::MutexLock l(&mu_);
    if (conn_ == nullptr || virConnectIsAlive(conn_) != 1) {
      absl::Status s = OpenLocked();
      if (!s.ok()) return s;
    }
    return conn_;
  }

  absl::Status Lookup(const std::string& uuid, DomainRef& out) {
    auto c = Conn();
    if (!c.ok()) return c.status();
    out.p = virDomainLookupByUUIDString(*c, uuid.c_str());
    if (!out.p) return LastError("domain " + uuid);
    return absl::OkStatus();
  }

  static unsigned AffectFlags(virDomainPtr d) {
    unsigned flags = VIR_DOMAIN_AFFECT_CONFIG;
    if (virDomainIsActive(d) == 1) flags |= VIR_DOMAIN_AFFECT_LIVE;
    return flags;
  }

  static absl::StatusOr<std::string> XmlOf(virDomainPtr d, unsigned flags) {
    char* xml = virDomainGetXMLDesc(d, flags);
    if (xml == nullptr) return LastError("reading a domain's XML");
    std::string out = xml;
    free(xml);
    return out;
  }

  absl::StatusOr<std::vector<DiskSpec>> DisksOf(virDomainPtr d) {
    GUREUM_ASSIGN_OR_RETURN(std::string xml, XmlOf(d, 0));
    return ParseDisks(xml);
  }

  // Removes the disk at `target_dev` from the live domain (flags 0) or the persistent
  // definition (VIR_DOMAIN_XML_INACTIVE), if it is there.
  static absl::Status DetachFrom(virDomainPtr d, const std::string& target_dev, unsigned flags) {
    GUREUM_ASSIGN_OR_RETURN(std::string xml, XmlOf(d, flags));
    absl::StatusOr<std::string> disk = DiskElementXml(xml, target_dev);
    if (absl::IsNotFound(disk.status())) return absl::OkStatus();
    if (!disk.ok()) return disk.status();
    unsigned affect = flags == 0 ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (virDomainDetachDeviceFlags(d, disk->c_str(), affect) != 0) {
      return LastError("detaching " + target_dev);
    }
    return absl::OkStatus();
  }

  // The value after `prefix` (which ends with the attribute's '='), in either quote, or "".
  static std::string AttributeAfter(const std::string& xml, const std::string& prefix) {
    size_t at = xml.find(prefix);
    if (at == std::string::npos || at + prefix.size() >= xml.size()) return "";
    at += prefix.size();
    const char quote = xml[at];
    if (quote != '\'' && quote != '"') return "";
    size_t end = xml.find(quote, at + 1);
    return end == std::string::npos ? "" : xml.substr(at + 1, end - at - 1);
  }

  // HMP's qemu-io on the device's backend, through libvirt's monitor pass-through (which
  // marks the domain "tainted: custom-monitor" in its log: libvirt 9 has no call that
  // makes an NBD disk reconnect). Its outcome shows in the resize that follows.
  static void ReadFirstSector(virDomainPtr d, const std::string& alias) {
    std::string cmd =
        absl::StrCat("qemu-io -d /machine/peripheral/", alias, "/virtio-backend \"read 0 512\"");
    char* out = nullptr;
    if (virDomainQemuMonitorCommand(d, cmd.c_str(), &out, VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) ==
        0) {
      free(out);
    } else {
      virResetLastError();
    }
  }

  // error_policy='stop' pauses a guest whose request met the export's restart; the
  // request is retried when it runs again, on the new connection.
  static absl::Status ResumeIfPausedOnIoError(virDomainPtr d) {
    int state = 0, reason = 0;
    if (virDomainGetState(d, &state, &reason, 0) != 0) return LastError("reading a domain's state");
    if (state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_IOERROR &&
        virDomainResume(d) != 0) {
      return LastError("resuming a domain paused on an I/O error");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<DomainInfo> Info(virDomainPtr d) {
    DomainInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    if (virDomainGetUUIDString(d, uuid) != 0) return LastError("reading a domain's uuid");
    info.uuid = uuid;
    const char* name = virDomainGetName(d);
    info.name = name ? name : "";
    int state = 0, reason = 0;
    if (virDomainGetState(d, &state, &reason, 0) != 0) return LastError("domain " + info.uuid);
    info.managed_save = virDomainHasManagedSaveImage(d, 0) == 1;
    info.power_state = ToPowerState(state, info.managed_save);
    char* meta = virDomainGetMetadata(d, VIR_DOMAIN_METADATA_ELEMENT, kMetadataNamespace, 0);
    if (meta) {
      auto parsed = ParseMetadataXml(meta);
      if (parsed.ok()) info.metadata = *std::move(parsed);
      free(meta);
    } else {
      virResetLastError();  // no gureum metadata: a foreign domain
    }
    return info;
  }

  const std::string uri_;
  const Clock& clock_;
  absl::Mutex mu_;
  virConnectPtr conn_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Hypervisor>> CreateLibvirtHypervisor(const std::string& uri,
                                                                    const Clock& clock) {
  static const bool initialised = [] {
    virInitialize();
    virSetErrorFunc(nullptr, QuietErrors);
    return true;
  }();
  (void)initialised;
  auto hv = std::make_unique<LibvirtHypervisor>(uri, clock);
  absl::Status s = hv->Open();
  if (!s.ok()) return s;
  return std::unique_ptr<Hypervisor>(std::move(hv));
}

}  // namespace gureum::compute_agent
